"""Issuing certificates, for the admin: for a cycle's verified innovations or an award scheme's winners.

The page lists the certificates still to be issued (all chosen, or a selection), who will sign them and
the numbers they will get, with a preview of one; issuing asks for confirmation on a page of its own
that says how many will be made and with which numbers, and only then issues exactly those. Kept apart
from ``views.py`` (the documents and the public pages), which is long enough already.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.permissions import permission_required
from innovasi.accounts.selectors import certificate_refusal, region_place_date
from innovasi.errors import PortalError
from innovasi.http import choice_param, ints_param
from innovasi.standards.models import Cycle
from scoring.models import AwardScheme
from scoring.selectors import awards as award_selectors

from . import services
from .enums import ReportKind
from .selectors import certificates

ALL, SELECTED = "semua", "pilihan"


@dataclass(frozen=True)
class Issuing:
    """What the issuing pages need of a cycle or a scheme."""

    cycle: Cycle
    scheme: AwardScheme | None
    title: str
    back_url: str
    page_url: str
    issue_url: str
    print_kind: str

    @property
    def region(self):
        return self.cycle.region

    @property
    def region_id(self):
        """What the region predicates ask of an object (``in_own_region``)."""
        return self.cycle.region_id

    def drafts(self):
        return (
            certificates.award_drafts(self.scheme) if self.scheme else certificates.cycle_drafts(self.cycle)
        )

    def issued(self):
        return certificates.issued_of(cycle=self.cycle, scheme=self.scheme)

    def issue(self, *, by, innovation_ids):
        if self.scheme:
            return services.award_certificates_issue(scheme=self.scheme, by=by, innovation_ids=innovation_ids)
        return services.certificates_issue(cycle=self.cycle, by=by, innovation_ids=innovation_ids)


def _cycle(request, pk):
    return _for_cycle(certificates.region_cycle(region_id=request.user.region_id, pk=pk))


def _scheme(request, pk):
    return _for_scheme(award_selectors.scheme_get(region_id=request.user.region_id, pk=pk))


def _for_cycle(cycle):
    return Issuing(
        cycle=cycle,
        scheme=None,
        title=_("Piagam inovasi terverifikasi — %(cycle)s") % {"cycle": cycle.name},
        back_url=reverse("scoring:index"),
        page_url=reverse("reports:certificates", args=[cycle.pk]),
        issue_url=reverse("reports:certificates_issue", args=[cycle.pk]),
        print_kind=ReportKind.CERTIFICATES_PDF,
    )


def _for_scheme(scheme):
    return Issuing(
        cycle=scheme.cycle,
        scheme=scheme,
        title=_("Piagam para juara — %(scheme)s") % {"scheme": scheme.name},
        back_url=reverse("scoring:award", args=[scheme.pk]),
        page_url=reverse("reports:award_certificates", args=[scheme.pk]),
        issue_url=reverse("reports:award_certificates_issue", args=[scheme.pk]),
        print_kind=ReportKind.AWARD_CERTIFICATES_PDF,
    )


def chosen_drafts(request, drafts):
    """The drafts the form chose: every one ("semua"), or those whose innovation is ticked ("pilihan")."""
    if choice_param(request.POST, "pilih", (ALL, SELECTED)) == SELECTED:
        return certificates.drafts_chosen(drafts, ints_param(request.POST, "innovation"))
    return drafts


def _page(request, issuing):
    today = timezone.localdate()
    drafts = issuing.drafts()
    region = issuing.region
    numbers, _last = certificates.numbers_next(region, 1, today)
    return render(
        request,
        "reports/certificates.html",
        {
            "issuing": issuing,
            "drafts": drafts,
            "issued": issuing.issued(),
            "refusal": certificate_refusal(region),
            "region": region,
            "place_date": region_place_date(region, today),
            "next_number": numbers[0],
            "ALL": ALL,
            "SELECTED": SELECTED,
        },
    )


def _issue(request, issuing):
    """Without ``confirmed``: the confirmation page for what the form chose. With it: issue exactly the
    innovations confirmed, then print the certificates just issued."""
    region = issuing.region
    refusal = certificate_refusal(region)
    if refusal:
        messages.error(request, refusal)
        return redirect(issuing.page_url)
    chosen = chosen_drafts(request, issuing.drafts())
    if not chosen:
        messages.error(request, _("Pilih sedikitnya satu inovasi yang akan diberi piagam."))
        return redirect(issuing.page_url)
    if request.POST.get("confirmed") != "1":
        today = timezone.localdate()
        numbers, _last = certificates.numbers_next(region, len(chosen), today)
        return render(
            request,
            "reports/certificates_confirm.html",
            {
                "issuing": issuing,
                "rows": list(zip(chosen, numbers, strict=True)),
                "region": region,
                "place_date": region_place_date(region, today),
                "SELECTED": SELECTED,
            },
        )
    try:
        issued = issuing.issue(by=request.user, innovation_ids=[draft.innovation.pk for draft in chosen])
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(issuing.page_url)
    if not issued:
        messages.info(
            request, _("Piagam ini sudah diterbitkan orang lain sebelumnya: tidak ada piagam baru.")
        )
        return redirect(issuing.page_url)
    messages.success(
        request,
        _("%(count)d piagam diterbitkan, nomor %(first)s sampai %(last)s.")
        % {"count": len(issued), "first": issued[0].number, "last": issued[-1].number},
    )
    target = {"scheme_id": issuing.scheme.pk} if issuing.scheme else {"cycle_id": issuing.cycle.pk}
    report = services.report_request(
        kind=issuing.print_kind,
        user=request.user,
        title=f"{ReportKind(issuing.print_kind).label} — {issuing.scheme.name if issuing.scheme else issuing.cycle.name}",
        certificate_ids=[certificate.pk for certificate in issued],
        **target,
    )
    return redirect("reports:status", pk=report.pk)


@require_safe
@permission_required("reports.issue_certificates", of=_cycle)
def cycle_certificates(request, issuing):
    return _page(request, issuing)


@require_POST
@permission_required("reports.issue_certificates", of=_cycle)
def cycle_certificates_issue(request, issuing):
    return _issue(request, issuing)


@require_safe
@permission_required("reports.issue_certificates", of=_scheme)
def award_certificates(request, issuing):
    if not issuing.scheme.is_final:
        messages.error(request, _("Piagam juara diterbitkan setelah skema difinalkan."))
        return redirect(issuing.back_url)
    return _page(request, issuing)


@require_POST
@permission_required("reports.issue_certificates", of=_scheme)
def award_certificates_issue(request, issuing):
    if not issuing.scheme.is_final:
        messages.error(request, _("Piagam juara diterbitkan setelah skema difinalkan."))
        return redirect(issuing.back_url)
    return _issue(request, issuing)

"""The admin's pages for the region's cycles: the list, opening a cycle on a catalogue, its page (stages,
dates, extensions, history), its dates, the move to another stage (a confirmation page), and one OPD's
extended deadline. Another region's cycle is a 404; a user of the region without the admin role, a 403.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.permissions import allowed, permission_required
from innovasi.errors import PortalError
from innovasi.http import choice_param

from . import selectors
from .enums import CycleState
from .forms import CycleCreateForm, CycleUpdateForm, ExtensionForm, TransitionForm
from .services import cycles as services


def _cycle(request, pk):
    """The cycle of the user's region, or 404."""
    return selectors.cycle_get(region_id=request.user.region_id, pk=pk)


def _refused(request, form, error):
    """A service's refusal shown on the form: its message and each problem it lists."""
    form.add_error(None, error.message)
    for problem in error.problems:
        form.add_error(None, problem)


@require_safe
@permission_required("standards.view_cycle")
def cycle_list(request):
    """The region's cycles with their stage and dates, newest first."""
    region_id = request.user.region_id
    return render(
        request,
        "standards/cycle_list.html",
        {
            "cycles": selectors.cycles_of(region_id=region_id),
            "can_add": allowed(request.user, "standards.add_cycle")
            and selectors.catalogues_without_cycle(region_id=region_id).exists(),
        },
    )


@permission_required("standards.add_cycle")
def cycle_create(request):
    """Open a cycle of the region on a catalogue that has none yet, with the dates of its stages; it starts
    in persiapan, and the admin moves it to pengisian on its page."""
    region = request.user.region
    catalogues = selectors.catalogues_without_cycle(region_id=region.pk)
    form = CycleCreateForm(request.POST or None, catalogues=catalogues, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(
                region=region,
                catalogue=form.cleaned_data["catalogue"],
                name=form.cleaned_data["name"],
                schedule=form.schedule,
                user=request.user,
            )
        except PortalError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _(
                    "Siklus «%(name)s» dibuat pada tahap Persiapan. Buka pengisian bila OPD sudah boleh mengajukan."
                )
                % {"name": cycle.name},
            )
            return redirect("standards:cycle", pk=cycle.pk)
    return render(
        request, "standards/cycle_create.html", {"form": form, "has_catalogues": catalogues.exists()}
    )


def _detail(request, cycle, *, extension_form=None, status=200):
    return render(
        request,
        "standards/cycle_detail.html",
        {
            "cycle": cycle,
            "stages": selectors.cycle_stages(cycle=cycle),
            "targets": [
                (target, services.transition_goes_back(cycle, target))
                for target in services.transition_targets(cycle)
            ],
            "extensions": selectors.extensions_of(cycle),
            "extension_form": extension_form
            or ExtensionForm(cycle=cycle, opds=selectors.opds_of(cycle), prefix="ext"),
            "can_change": allowed(request.user, "standards.change_cycle", cycle),
            "history": selectors.cycle_history(cycle),
        },
        status=status,
    )


@require_safe
@permission_required("standards.view_cycle", of=_cycle)
def cycle_detail(request, cycle):
    """A cycle's page: its stages and dates, the moves it may make, the OPDs' extensions and its history."""
    return _detail(request, cycle)


@permission_required("standards.change_cycle", of=_cycle)
def cycle_edit(request, cycle):
    """Change a cycle's name and dates (each after the one before), with an optional reason."""
    form = CycleUpdateForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(
                cycle=cycle,
                user=request.user,
                name=form.cleaned_data["name"],
                schedule=form.schedule,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Jadwal siklus disimpan."))
            return redirect("standards:cycle", pk=cycle.pk)
    return render(request, "standards/cycle_edit.html", {"cycle": cycle, "form": form})


@permission_required("standards.change_cycle", of=_cycle)
def cycle_transition(request, cycle):
    """The confirmation of a move to another stage: what it changes, then the admin confirms (POST)."""
    initial = {"to_state": choice_param(request.GET, "ke", CycleState.values)}
    form = TransitionForm(request.POST or None, cycle=cycle, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.cycle_transition(
                cycle=cycle,
                user=request.user,
                to_state=form.cleaned_data["to_state"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except PortalError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _("%(cycle)s kini pada tahap %(stage)s.")
                % {"cycle": moved.name, "stage": moved.get_state_display()},
            )
            return redirect("standards:cycle", pk=cycle.pk)
    target = form.target
    return render(
        request,
        "standards/cycle_transition.html",
        {
            "cycle": cycle,
            "form": form,
            "target": target,
            "goes_back": target is not None and services.transition_goes_back(cycle, target),
            "effects": selectors.transition_effects(cycle=cycle, to_state=target) if target else [],
        },
    )


@require_POST
@permission_required("standards.change_cycle", of=_cycle)
def extension_save(request, cycle):
    """Give one OPD of the region a later filing or revision deadline, with its reason (or change the one
    it has); the cycle's page again with the form's errors when it is refused."""
    form = ExtensionForm(request.POST, cycle=cycle, opds=selectors.opds_of(cycle), prefix="ext")
    if form.is_valid():
        try:
            extension = services.extension_save(cycle=cycle, user=request.user, **form.cleaned_data)
        except PortalError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _("%(kind)s %(opd)s diperpanjang sampai %(date)s.")
                % {
                    "kind": extension.get_kind_display(),
                    "opd": extension.opd.name,
                    "date": selectors.day(extension.closes_on),
                },
            )
            return redirect("standards:cycle", pk=cycle.pk)
    messages.error(request, _("Perpanjangan belum disimpan: periksa isian yang ditandai merah."))
    return _detail(request, cycle, extension_form=form)


@require_POST
@permission_required("standards.change_cycle", of=_cycle)
def extension_remove(request, cycle, extension_pk):
    """Withdraw an OPD's extension: the cycle's own deadline holds for it again."""
    extension = selectors.extension_get(cycle=cycle, pk=extension_pk)
    try:
        services.extension_remove(extension=extension, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Perpanjangan %(kind)s %(opd)s dicabut.")
            % {"kind": extension.get_kind_display().lower(), "opd": extension.opd.name},
        )
    return redirect("standards:cycle", pk=cycle.pk)

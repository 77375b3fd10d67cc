from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from submissions import selectors as submission_selectors

from . import engine, selectors


@login_required
def innovation_panel(request, pk):
    """The live score of one innovation as claimed: kematangan, empty mandatory rows, eligibility checks.

    Kematangan and eligibility depend on the innovation alone, so the engine runs on a region holding
    just this innovation: the numbers are the ones the cycle's index uses.
    """
    innovation = submission_selectors.innovation_get(user=request.user, pk=pk)
    claims = submission_selectors.innovation_rows(innovation)
    rules = selectors.catalogue_rules(innovation.cycle.catalogue)
    region = engine.RegionInput(spd=(), innovations=(selectors.innovation_input(innovation, claims),))
    result = engine.compute(rules, region).innovations[0]
    maximum = sum(claim.indicator.max_score for claim in claims)
    names = {claim.indicator.code: claim.indicator.name_id for claim in claims}
    return render(
        request,
        "scoring/includes/_innovation_panel.html",
        {
            "innovation": innovation,
            "result": result,
            "maximum": maximum,
            "percent": round(100 * result.kematangan / maximum) if maximum else 0,
            "missing": [(code, names[code]) for code in result.missing_mandatory],
            "checks": _eligibility_checks(innovation, rules, result),
        },
    )


def _eligibility_checks(innovation, rules, result):
    """(passed, title, hint) for each eligibility rule, in the engine's order."""
    window = {
        "start": date_format(rules.window_start, "j F Y"),
        "end": date_format(rules.window_end, "j F Y"),
    }
    return [
        (
            engine.REASON_TAHAPAN not in result.ineligible_reasons,
            _("Tahapan penerapan"),
            _("Hanya inovasi pada tahapan penerapan yang dihitung dalam indeks."),
        ),
        (
            engine.REASON_WINDOW not in result.ineligible_reasons,
            _("Diterapkan %(start)s – %(end)s") % window,
            _("Waktu penerapan atau pengembangan harus berada dalam rentang ini."),
        ),
        (
            engine.REASON_RANCANG_BANGUN not in result.ineligible_reasons,
            _("Rancang bangun %(words)d / %(minimum)d kata")
            % {"words": innovation.rancang_bangun_words, "minimum": rules.min_words},
            _("Tambah uraian rancang bangun sampai paling sedikit %(minimum)d kata.")
            % {"minimum": rules.min_words},
        ),
    ]

"""Award schemes through their services and pages: presets, weights, nominations, conflicts,
visibility, finalising and its lock, and every URL with every persona."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Opd
from innovasi.errors import PortalError
from scoring.enums import AwardPlace, ExclusionReason
from scoring.models import AwardResult, AwardScheme, JuryExclusion
from scoring.selectors import awards as award_selectors
from scoring.services import awards as award_services
from submissions.models import Innovation

from ..factories import UserFactory, innovation_create
from ..reports.conftest import verified_cycle  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(verified_cycle, admin_user):  # noqa: F811
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk"):
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
    return scheme


@pytest.fixture
def juri2(region):
    return UserFactory(username="juri2", region=region, role=Role.JURI, opd=None)


def score_all(member, base):
    criteria = list(member.category.scheme.criteria.all())
    for number, nomination in enumerate(award_selectors.sheet(member)):
        if not nomination.is_excluded:
            scores = {criterion.pk: base + number for criterion in criteria}
            award_services.scores_save(member=member, nomination=nomination, scores=scores, comment="")


def test_presentation_preset_has_the_iga_2023_weights(scheme):
    assert [(c.name, c.weight) for c in scheme.criteria.all()] == [
        ("Kebaharuan", 30),
        ("Kemanfaatan", 25),
        ("Kewenangan daerah dan kolaborasi", 15),
        ("Replikasi dan aplikatif", 20),
        ("Penguasaan materi / kualitas penyajian", 10),
    ]


def test_inotek_preset_has_the_2025_categories(verified_cycle):  # noqa: F811
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="inotek")

    assert list(scheme.categories.values_list("name", flat=True)) == [
        "Inovasi Daerah",
        "Inovasi Teknologi Berbasis Website",
        "Agribisnis dan Energi Baru Terbarukan",
        "Sosial Budaya dan Kependudukan",
        "Inovasi untuk Milenial",
    ]


def test_weights_not_summing_to_100_are_refused(scheme):
    criteria = [(c.pk, c.name, c.weight) for c in scheme.criteria.all()]
    criteria[0] = (criteria[0][0], criteria[0][1], 35)
    settings = {"name": scheme.name, "scale_min": 1, "scale_max": 100}

    with pytest.raises(PortalError, match=r"Bobot kriteria berjumlah 105; harus tepat 100\."):
        award_services.scheme_update(
            scheme=scheme, version=version_of(scheme), settings=settings, criteria=criteria, categories=[]
        )

    assert scheme.criteria.get(name="Kebaharuan").weight == 30


def test_only_verified_innovations_are_nominated(scheme, cycle, opd_a, operator_a):
    from ..factories import innovation_create

    draft = innovation_create(cycle, opd_a, operator_a, name="Draf")

    with pytest.raises(PortalError, match="Hanya inovasi terverifikasi"):
        award_services.nominate(category=scheme.categories.get(), innovation=draft, by=operator_a)


def test_conflicts_exclude_own_opd_and_declared_opds_with_reasons(scheme, juri, opd_a, opd_b):
    juri.opd = opd_b
    juri.save()
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)

    award_services.conflicts_declare(member=member, opds=[opd_a], note="Kakak saya bekerja di Dinkes")

    reasons = sorted(
        JuryExclusion.objects.filter(member=member).values_list("nomination__innovation__name", "reason")
    )
    assert reasons == [
        ("Ambulans Desa", ExclusionReason.DECLARED),
        ("Posyandu <b>Digital</b> & Co", ExclusionReason.DECLARED),
        ("Sekolah Literasi", ExclusionReason.OWN_OPD),
    ]
    excluded = JuryExclusion.objects.filter(member=member).first().nomination
    with pytest.raises(PortalError, match="dikecualikan"):
        award_services.scores_save(member=member, nomination=excluded, scores={}, comment="")


def test_scoring_requires_a_declaration_and_the_scale(scheme, juri):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    nomination = scheme.nominations.first()
    criterion = scheme.criteria.first()

    with pytest.raises(PortalError, match="Nyatakan konflik kepentingan"):
        award_services.scores_save(
            member=member, nomination=nomination, scores={criterion.pk: 50}, comment=""
        )
    award_services.conflicts_declare(member=member, opds=[], note="")
    with pytest.raises(PortalError, match="harus antara 1 dan 100"):
        award_services.scores_save(
            member=member, nomination=nomination, scores={criterion.pk: 101}, comment=""
        )


def test_other_jurors_scores_hidden_until_submitted(scheme, juri, juri2):
    category = scheme.categories.get()
    member = award_services.jury_assign(category=category, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")

    assert not award_selectors.others_visible(member)
    score_all(member, 70)
    award_services.sheet_submit(member=member)
    member.refresh_from_db()
    assert award_selectors.others_visible(member)


def test_submit_needs_every_score(scheme, juri):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")

    with pytest.raises(PortalError, match=r"15 nilai belum diisi"):
        award_services.sheet_submit(member=member)


def test_finalise_ranks_locks_and_refuses_later_writes(scheme, juri, juri2, admin_user):
    category = scheme.categories.get()
    for user, base in ((juri, 70), (juri2, 60)):
        member = award_services.jury_assign(category=category, juror=user)
        award_services.conflicts_declare(member=member, opds=[], note="")
        score_all(member, base)
        award_services.sheet_submit(member=member)

    award_services.scheme_finalise(scheme=scheme, by=admin_user)

    places = list(AwardResult.objects.order_by("rank").values_list("nomination__innovation__name", "place"))
    assert places == [
        ("Sekolah Literasi", AwardPlace.WINNER),
        ("Posyandu <b>Digital</b> & Co", AwardPlace.WINNER),
        ("Ambulans Desa", AwardPlace.WINNER),
    ]
    with pytest.raises(PortalError, match="sudah final dan terkunci"):
        award_services.jury_assign(category=category, juror=juri)
    with pytest.raises(PortalError, match="sudah final dan terkunci"):
        award_services.scheme_finalise(scheme=scheme, by=admin_user)


def test_finalise_waits_for_every_juror(scheme, juri, admin_user):
    award_services.jury_assign(category=scheme.categories.get(), juror=juri)

    with pytest.raises(PortalError, match="Belum semua juri mengirim nilai: juri"):
        award_services.scheme_finalise(scheme=scheme, by=admin_user)


def seat_and_submit(scheme, jurors_conflicts):
    category = scheme.categories.get()
    for base, (user, opds) in enumerate(jurors_conflicts, start=6):
        member = award_services.jury_assign(category=category, juror=user)
        award_services.conflicts_declare(
            member=member, opds=opds, note="Saudara bekerja di sana" if opds else ""
        )
        score_all(member, base * 10)
        award_services.sheet_submit(member=member)


def test_a_nominee_scored_by_fewer_jurors_needs_a_reason_to_finalise_and_is_flagged(
    client, scheme, juri, juri2, opd_b, admin_user
):
    seat_and_submit(scheme, [(juri, []), (juri2, [opd_b])])  # juri2 may not score Sekolah Literasi

    with pytest.raises(
        PortalError,
        match=r"tulis alasan.*Sekolah Literasi \(Presentasi Kepala Perangkat Daerah\) dinilai 1 dari 2",
    ):
        award_services.scheme_finalise(scheme=scheme, by=admin_user, reason="  ")
    assert not AwardResult.objects.exists()
    award_services.scheme_finalise(
        scheme=scheme, by=admin_user, reason="Juri kedua berhalangan menilai ulang"
    )

    scheme.refresh_from_db()
    assert (
        scheme.finalise_gaps == "Sekolah Literasi (Presentasi Kepala Perangkat Daerah) dinilai 1 dari 2 juri."
    )
    assert scheme.finalise_reason == "Juri kedua berhalangan menilai ulang"
    assert scheme.history.first().finalise_reason == "Juri kedua berhalangan menilai ulang"
    flagged = AwardResult.objects.filter(jurors__lt=2).values_list(
        "nomination__innovation__name", "jurors", "seated"
    )
    assert list(flagged) == [("Sekolah Literasi", 1, 2)]
    client.force_login(admin_user)
    page = client.get(reverse("scoring:award", args=[scheme.pk])).content.decode()
    assert page.count('data-testid="fewer-jurors"') == 1
    assert "dinilai 1 dari 2 juri" in page
    assert "Juri kedua berhalangan menilai ulang" in page


def test_complete_results_finalise_without_a_reason_and_record_none(scheme, juri, juri2, admin_user):
    seat_and_submit(scheme, [(juri, []), (juri2, [])])

    award_services.scheme_finalise(scheme=scheme, by=admin_user, reason="tidak perlu")

    scheme.refresh_from_db()
    assert (scheme.finalise_gaps, scheme.finalise_reason) == ("", "")
    assert set(AwardResult.objects.values_list("jurors", "seated")) == {(2, 2)}


def test_empty_categories_and_unscored_nominees_need_a_reason(client, verified_cycle, juri, admin_user):  # noqa: F811
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="inotek")
    first, second, *others = scheme.categories.order_by("pk")
    innovations = list(Innovation.objects.filter(cycle=verified_cycle).order_by("pk"))
    award_services.nominate(category=first, innovation=innovations[0], by=admin_user)
    award_services.nominate(category=second, innovation=innovations[1], by=admin_user)  # no juror sits here
    member = award_services.jury_assign(category=first, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    score_all(member, 70)
    award_services.sheet_submit(member=member)
    client.force_login(admin_user)

    page = client.get(reverse("scoring:award", args=[scheme.pk])).content.decode()
    assert f"Kategori {second.name} tanpa juri." in page
    assert all(f"Kategori {category.name} tanpa nominasi." in page for category in others)
    assert 'data-testid="unscored"' in page  # the nominee no juror scored: not 0,00
    response = client.post(reverse("scoring:award_finalise", args=[scheme.pk]), {"reason": ""}, follow=True)
    assert "tulis alasan untuk tetap memfinalkan" in response.content.decode()
    assert not AwardScheme.objects.get(pk=scheme.pk).is_final

    client.post(
        reverse("scoring:award_finalise", args=[scheme.pk]), {"reason": "Kategori lain tidak dilombakan"}
    )

    scheme.refresh_from_db()
    assert scheme.is_final
    assert scheme.finalise_reason == "Kategori lain tidak dilombakan"
    unscored = AwardResult.objects.get(nomination__category=second)
    assert (unscored.aggregate, unscored.jurors, unscored.seated) == (None, 0, 0)


def test_another_jurors_sheet_is_404(client, scheme, juri, juri2):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    client.force_login(juri2)

    assert client.get(reverse("scoring:jury_sheet", args=[member.pk])).status_code == 404


def settings_of(scheme, **changes):
    fields = ["name", "scale_min", "scale_max", "scale_labels", "aggregation", "normalise", "winners"]
    fields += ["honourable_mentions", "disagreement_threshold", "hide_scores_until_submitted", "tie_break"]
    return {field: getattr(scheme, field) for field in fields} | changes


def version_of(scheme):
    """The scheme's version as stored now: what a settings form opened now carries."""
    return AwardScheme.objects.values_list("version", flat=True).get(pk=scheme.pk)


def criteria_of(scheme):
    return [(criterion.pk, criterion.name, criterion.weight) for criterion in scheme.criteria.all()]


def categories_of(scheme):
    return [(category.pk, category.name) for category in scheme.categories.all()]


@pytest.mark.parametrize("row", ["criteria", "categories"])
def test_a_name_longer_than_its_column_is_refused(scheme, row):
    before = (criteria_of(scheme), categories_of(scheme))
    update = {"criteria": criteria_of(scheme), "categories": categories_of(scheme)}
    if row == "criteria":
        pk, _name, weight = update["criteria"][0]
        update["criteria"][0] = (pk, "K" * 201, weight)
    else:
        update["categories"].append((None, "K" * 201))  # a new one: PostgreSQL refused it on insert
    label = {"criteria": "Nama kriteria", "categories": "Nama kategori"}[row]

    with pytest.raises(PortalError, match=f"{label} paling banyak 200 karakter"):
        award_services.scheme_update(
            scheme=scheme, version=version_of(scheme), settings=settings_of(scheme), **update
        )

    assert (criteria_of(scheme), categories_of(scheme)) == before


def test_scale_labels_are_read_from_lines_kept_on_the_scale_and_shown_to_jurors(client, scheme, juri):
    from scoring.forms import ScaleLabelsField

    field = ScaleLabelsField(required=False)
    labels = field.clean("1 = Sangat kurang\n\n5 = Sangat baik ")
    with pytest.raises(ValidationError, match="Label nilai baris 1"):
        field.clean("sangat baik")
    with pytest.raises(PortalError, match="Label nilai 7 di luar skala 1–5"):
        award_services.scheme_update(
            scheme=scheme,
            version=version_of(scheme),
            settings=settings_of(scheme, scale_max=5, scale_labels={"7": "x"}),
            criteria=criteria_of(scheme),
            categories=categories_of(scheme),
        )
    award_services.scheme_update(
        scheme=scheme,
        version=version_of(scheme),
        settings=settings_of(scheme, scale_max=5, scale_labels=labels),
        criteria=criteria_of(scheme),
        categories=categories_of(scheme),
    )
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    client.force_login(juri)

    sheet = client.get(reverse("scoring:jury_sheet", args=[member.pk])).content.decode()

    assert labels == {"1": "Sangat kurang", "5": "Sangat baik"}
    assert "1 = Sangat kurang · 5 = Sangat baik" in sheet
    assert field.prepare_value(labels) == "1 = Sangat kurang\n5 = Sangat baik"


def test_scale_fixed_once_scored_criteria_once_submitted_and_everything_once_final(scheme, juri, admin_user):
    category = scheme.categories.get()
    member = award_services.jury_assign(category=category, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    update = {"scheme": scheme, "criteria": criteria_of(scheme), "categories": categories_of(scheme)}
    first = scheme.nominations.first()
    award_services.scores_save(
        member=member, nomination=first, scores={scheme.criteria.first().pk: 80}, comment=""
    )

    with pytest.raises(PortalError, match="Skala nilai tidak dapat diubah setelah juri mulai memberi nilai"):
        award_services.scheme_update(
            version=version_of(scheme), settings=settings_of(scheme, scale_max=10), **update
        )
    renamed = [(pk, f"{name} (baru)", weight) for pk, name, weight in criteria_of(scheme)]
    award_services.scheme_update(
        version=version_of(scheme), settings=settings_of(scheme), **{**update, "criteria": renamed}
    )
    score_all(member, 70)
    award_services.sheet_submit(member=member)
    with pytest.raises(PortalError, match="Kriteria tidak dapat diubah"):
        award_services.scheme_update(version=version_of(scheme), settings=settings_of(scheme), **update)
    update["criteria"] = renamed
    award_services.scheme_update(
        version=version_of(scheme), settings=settings_of(scheme, tie_break="pengajuan"), **update
    )
    award_services.scheme_finalise(scheme=scheme, by=admin_user)
    nomination = scheme.nominations.first()
    verified = Innovation.objects.filter(cycle=scheme.cycle).exclude(nominations__scheme=scheme).first()

    with pytest.raises(PortalError, match="sudah final dan terkunci"):
        award_services.scheme_update(version=version_of(scheme), settings=settings_of(scheme), **update)
    with pytest.raises(PortalError, match="sudah final dan terkunci"):
        award_services.scores_save(
            member=member, nomination=nomination, scores={scheme.criteria.first().pk: 50}, comment=""
        )
    with pytest.raises(PortalError, match="sudah final dan terkunci"):
        award_services.nominate(
            category=category, innovation=verified or nomination.innovation, by=admin_user
        )


def test_each_category_suggests_the_highest_verified_kematangan_to_nominate(
    client,
    verified_cycle,  # noqa: F811
    admin_user,
):
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="inotek")
    best = (
        Innovation.objects.filter(cycle=verified_cycle)
        .order_by("-kematangan_verified", "submitted_at")
        .first()
    )
    second_category = scheme.categories.all()[1]
    client.force_login(admin_user)

    page = client.get(reverse("scoring:award", args=[scheme.pk])).content.decode()
    client.post(
        reverse("scoring:award_nominate", args=[scheme.pk]),
        {"category": second_category.pk, "innovation": best.pk},
    )

    for category in scheme.categories.all():
        suggestion = (
            f'<input type="hidden" name="category" value="{category.pk}">'
            f'<input type="hidden" name="innovation" value="{best.pk}">'
        )
        assert suggestion in page
    assert scheme.nominations.get().category == second_category


STALE_SETTINGS = (
    "Pengaturan skema ini sudah diubah orang lain sejak halaman Anda dibuka; perubahan Anda tidak disimpan. "
    "Muat ulang halaman untuk melihat pengaturan terbaru, lalu ulangi perubahan Anda."
)


def settings_post(page, **changes):
    """What the scheme page's settings form posts back, as the browser got it, with ``changes``."""
    form = page.context["settings_form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    criteria, categories = (
        page.context["criteria"],
        [category for category, _rows in page.context["categories"]],
    )
    data |= {
        "criterion_id": [c.pk for c in criteria],
        "criterion_name": [c.name for c in criteria],
        "criterion_weight": [c.weight for c in criteria],
        "category_id": [c.pk for c in categories],
        "category_name": [c.name for c in categories],
    }
    return data | changes


def test_scheme_settings_saved_on_the_version_they_were_opened_on(client, scheme, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("scoring:award", args=[scheme.pk]))

    response = client.post(
        reverse("scoring:award_settings", args=[scheme.pk]), settings_post(page, winners=5), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Pengaturan skema disimpan."]
    assert AwardScheme.objects.values_list("winners", "version").get(pk=scheme.pk) == (5, 2)
    assert 'name="version" value="2"' in response.content.decode()


def test_scheme_settings_opened_before_another_save_change_nothing(client, scheme, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("scoring:award", args=[scheme.pk]))
    award_services.scheme_update(  # another admin saves first
        scheme=scheme,
        version=version_of(scheme),
        settings=settings_of(scheme, name="Nama baru dari admin lain"),
        criteria=criteria_of(scheme),
        categories=categories_of(scheme),
    )
    renamed = [f"{c.name} (lama)" for c in page.context["criteria"]]

    response = client.post(
        reverse("scoring:award_settings", args=[scheme.pk]),
        settings_post(page, winners=5, criterion_name=renamed),
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [STALE_SETTINGS]
    stored = AwardScheme.objects.get(pk=scheme.pk)
    assert (stored.name, stored.winners, stored.version) == ("Nama baru dari admin lain", 3, 2)
    assert [c.name for c in stored.criteria.all()] == [c.name for c in page.context["criteria"]]


def test_scheme_update_on_an_older_version_is_refused(scheme):
    with pytest.raises(PortalError, match="sudah diubah orang lain"):
        award_services.scheme_update(
            scheme=scheme,
            version=version_of(scheme) - 1,
            settings=settings_of(scheme, winners=5),
            criteria=criteria_of(scheme),
            categories=categories_of(scheme),
        )

    assert AwardScheme.objects.values_list("winners", "version").get(pk=scheme.pk) == (3, 1)


def excluded_names(member):
    return sorted(
        JuryExclusion.objects.filter(member=member).values_list("nomination__innovation__name", flat=True)
    )


def test_conflicts_redeclared_empty_is_refused_and_the_nominee_stays_excluded(client, scheme, juri, opd_a):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[opd_a], note="Kakak saya bekerja di Dinkes")
    nominee = scheme.nominations.get(innovation__name="Ambulans Desa")
    client.force_login(juri)

    with pytest.raises(PortalError, match="hanya dapat ditambah: Dinas Kesehatan tetap dinyatakan"):
        award_services.conflicts_declare(member=member, opds=[], note="")
    response = client.post(
        reverse("scoring:jury_declare", args=[member.pk]), {"no_conflict": "on"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Pernyataan konflik hanya dapat ditambah: Dinas Kesehatan tetap dinyatakan. Bila ada yang keliru, "
        "minta admin penyelenggara mengubahnya."
    ]
    assert excluded_names(member) == ["Ambulans Desa", "Posyandu <b>Digital</b> & Co"]
    with pytest.raises(PortalError, match="dikecualikan"):
        award_services.scores_save(
            member=member, nomination=nominee, scores={scheme.criteria.first().pk: 90}, comment=""
        )
    assert list(member.conflict_records.values_list("opds", flat=True)) == [
        [{"id": opd_a.pk, "name": opd_a.name}]
    ]


def test_conflicts_declaration_may_grow_and_each_one_is_kept(scheme, juri, opd_a, opd_b):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[opd_a], note="Kakak saya bekerja di Dinkes")

    award_services.conflicts_declare(member=member, opds=[opd_a, opd_b], note="")

    assert excluded_names(member) == ["Ambulans Desa", "Posyandu <b>Digital</b> & Co", "Sekolah Literasi"]
    assert list(member.conflict_records.values_list("kind", "changed_by", "added", "removed", "note")) == [
        ("declared", juri.pk, ["Dinas Kesehatan"], [], "Kakak saya bekerja di Dinkes"),
        ("declared", juri.pk, ["Dinas Pendidikan"], [], ""),
    ]
    member.refresh_from_db()
    assert member.conflict_note == "Kakak saya bekerja di Dinkes"  # an empty note keeps the one given


def test_conflicts_admin_change_with_a_reason_is_recorded_and_shown(client, scheme, juri, admin_user, opd_a):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[opd_a], note="")
    client.force_login(admin_user)
    url = reverse("scoring:award_conflicts_change", args=[member.pk])

    refused = client.post(url, {"opds": [], "reason": "  "}, follow=True)
    changed = client.post(
        url, {"opds": [], "reason": "Juri salah centang; dikonfirmasi lewat telepon."}, follow=True
    )

    assert [str(m) for m in refused.context["messages"]] == ["Tulis alasan perubahan pernyataan konflik."]
    assert [str(m) for m in changed.context["messages"]] == [f"Pernyataan konflik {juri} diubah."]
    assert excluded_names(member) == []
    records = list(member.conflict_records.values_list("kind", "changed_by", "opds", "removed", "reason"))
    assert records == [
        ("declared", juri.pk, [{"id": opd_a.pk, "name": "Dinas Kesehatan"}], [], ""),
        (
            "changed_by_admin",
            admin_user.pk,
            [],
            ["Dinas Kesehatan"],
            "Juri salah centang; dikonfirmasi lewat telepon.",
        ),
    ]
    history = changed.content.decode().split('data-testid="conflict-history">', 1)[1].split("</ol>", 1)[0]
    assert "Dinyatakan juri: Dinas Kesehatan" in history
    assert "Diubah admin: tidak ada OPD" in history
    assert "Juri salah centang; dikonfirmasi lewat telepon." in history


def test_conflicts_admin_change_refused_once_the_juror_submitted(scheme, juri, admin_user):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    score_all(member, 60)
    award_services.sheet_submit(member=member)

    with pytest.raises(PortalError, match="sudah mengirim nilai"):
        award_services.conflicts_change(
            member=member, opds=list(Opd.objects.all()), reason="Terlambat", by=admin_user
        )

    assert member.conflict_records.count() == 1


def test_conflicts_jurors_page_shows_the_current_declaration(client, scheme, juri, admin_user, opd_a, opd_b):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[opd_a], note="Kakak saya bekerja di Dinkes")
    client.force_login(juri)
    url = reverse("scoring:jury_sheet", args=[member.pk])

    declared = client.get(url)
    award_services.conflicts_change(
        member=member, opds=[opd_b], reason="Dikoreksi sesuai surat juri", by=admin_user
    )
    changed = client.get(url).content.decode()

    assert [opd.name for opd in declared.context["declared_opds"]] == ["Dinas Kesehatan"]
    assert '<ul class="small mb-1" data-testid="declared-opds"><li>Dinas Kesehatan</li></ul>' in (
        declared.content.decode()
    )
    assert [choice.choice_label for choice in declared.context["conflict_add_form"]["opds"]] == ["Dispendik"]
    assert '<ul class="small mb-1" data-testid="declared-opds"><li>Dinas Pendidikan</li></ul>' in changed
    assert f"Diubah admin ({admin_user}) pada" in changed
    assert "Dikoreksi sesuai surat juri" in changed


def test_conflicts_change_of_another_regions_seat_is_404(client, scheme, juri, outsider_admin, opd_a):
    member = award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    award_services.conflicts_declare(member=member, opds=[opd_a], note="")
    client.force_login(outsider_admin)

    response = client.post(reverse("scoring:award_conflicts_change", args=[member.pk]), {"reason": "uji"})

    assert response.status_code == 404
    assert member.conflict_records.count() == 1


def _verified(cycle, opd, name):
    """A verified innovation of ``opd``, as far as nominating it needs."""
    innovation = innovation_create(cycle, opd, name=name)
    Innovation.objects.filter(pk=innovation.pk).update(state="terverifikasi", kematangan_verified=50)
    return Innovation.objects.get(pk=innovation.pk)


def _seated_and_submitted(category, juror):
    """``juror`` on ``category``, every nominee scored on every criterion, the sheet submitted."""
    member = award_services.jury_assign(category=category, juror=juror)
    award_services.conflicts_declare(member=member, opds=[], note="")
    score_all(member, 60)
    award_services.sheet_submit(member=member)
    return member


@pytest.mark.parametrize("count", [1, 3])
def test_scheme_list_query_count_does_not_grow(
    client,
    verified_cycle,  # noqa: F811
    admin_user,
    count,
    django_assert_num_queries,
):
    for _number in range(count):
        award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    client.force_login(admin_user)
    client.get(reverse("scoring:awards"))

    with django_assert_num_queries(5):
        response = client.get(reverse("scoring:awards"))

    assert len(response.context["schemes"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_scheme_page_query_count_does_not_grow(
    client,
    verified_cycle,  # noqa: F811
    opd_a,
    admin_user,
    count,
    django_assert_num_queries,
):
    # Each category with a nominee and a juror who has submitted: its ranking is computed and shown.
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    more = [(None, f"Kategori {number}") for number in range(2, count + 1)]
    award_services.scheme_update(
        scheme=scheme,
        version=version_of(scheme),
        settings=settings_of(scheme),
        criteria=criteria_of(scheme),
        categories=categories_of(scheme) + more,
    )
    for number, category in enumerate(scheme.categories.all()):
        innovation = _verified(verified_cycle, opd_a, f"Nominasi {number}")
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
        juror = UserFactory(region=verified_cycle.region, role=Role.JURI, opd=None)
        _seated_and_submitted(category, juror)
    client.force_login(admin_user)
    client.get(reverse("scoring:award", args=[scheme.pk]))

    with django_assert_num_queries(16):  # scheme_rankings: 1 query whatever the number of categories
        response = client.get(reverse("scoring:award", args=[scheme.pk]))

    rows = [rows for _category, rows in response.context["categories"]]
    assert [len(category_rows) for category_rows in rows] == [1] * count
    assert len(response.context["progress"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_jury_home_query_count_does_not_grow(
    client,
    verified_cycle,  # noqa: F811
    juri,
    count,
    django_assert_num_queries,
):
    for _number in range(count):
        scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
        award_services.jury_assign(category=scheme.categories.get(), juror=juri)
    client.force_login(juri)
    client.get(reverse("scoring:jury_home"))

    with django_assert_num_queries(5):
        response = client.get(reverse("scoring:jury_home"))

    assert len(response.context["seats"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_jury_sheet_query_count_does_not_grow(
    client,
    verified_cycle,  # noqa: F811
    admin_user,
    juri,
    juri2,
    count,
    django_assert_num_queries,
):
    # The juror has scored every nominee and another juror has submitted: the sheet shows the ranking.
    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    AwardScheme.objects.filter(pk=scheme.pk).update(hide_scores_until_submitted=False)
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk")[:count]:
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
    _seated_and_submitted(category, juri2)
    member = award_services.jury_assign(category=category, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    score_all(member, 70)
    client.force_login(juri)
    client.get(reverse("scoring:jury_sheet", args=[member.pk]))

    with django_assert_num_queries(16):
        response = client.get(reverse("scoring:jury_sheet", args=[member.pk]))

    assert (len(response.context["nominations"]), len(response.context["ranking"])) == (count, count)

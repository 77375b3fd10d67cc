"""A region's settings: the numbering pattern and NIP rules, the settings form's checks, the service that
saves them with their history, the settings page and the demo's placeholders."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innovasi.accounts import demo, selectors, services
from innovasi.accounts.enums import DateStyle
from innovasi.accounts.forms import LOGO_MAX_BYTES, RegionSettingsForm
from innovasi.accounts.models import Region
from innovasi.accounts.numbering import certificate_number, certificate_pattern_validate, nip_normalise
from innovasi.errors import PortalError
from submissions.samples import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def settings_data(region, **changes):
    """What the settings page posts back unchanged, with ``changes``."""
    form = RegionSettingsForm(instance=region)
    data = {name: form.initial.get(name) or "" for name in form.fields if name not in ("logo", "logo_remove")}
    return data | changes


# The pattern and the NIP


@pytest.mark.parametrize(
    ("pattern", "number", "expected"),
    [
        ("{nomor:3}/PIAGAM/{tahun}", 7, "007/PIAGAM/2026"),
        ("{nomor}/PIAGAM/{tahun}", 7, "7/PIAGAM/2026"),
        ("400.14/{nomor:4}/416-105/{bulan}/{tahun}", 12, "400.14/0012/416-105/XII/2026"),
        ("PGH-{nomor:2}", 123, "PGH-123"),
    ],
)
def test_certificate_number_follows_the_pattern(pattern, number, expected):
    certificate_pattern_validate(pattern)

    assert certificate_number(pattern, number=number, on=DAY) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "PIAGAM/{tahun}",
            "Pola nomor piagam harus memuat nomor urut {nomor} (atau {nomor:3} untuk 001), agar setiap "
            "piagam mendapat nomor sendiri.",
        ),
        (
            "{nomor}/{tanggal}",
            "Pola nomor piagam memuat {tanggal} yang tidak dikenal. Gunakan {nomor}, {nomor:3}, {tahun} atau {bulan}.",
        ),
        (
            "{nomor}/{tahun",
            "Pola nomor piagam memuat kurung kurawal tanpa pasangan. Tulis setiap isian utuh, misalnya {tahun}.",
        ),
        ("{nomor}-{nomor:3}", "Pola nomor piagam hanya boleh memuat satu nomor urut."),
    ],
)
def test_certificate_pattern_refused_with_what_to_write(pattern, message):
    with pytest.raises(ValidationError) as refused:
        certificate_pattern_validate(pattern)

    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("197001011995031001", "19700101 199503 1 001"),
        (" 19700101 199503 1 001 ", "19700101 199503 1 001"),
        ("", ""),
    ],
)
def test_nip_is_kept_as_printed(typed, stored):
    assert nip_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["1970010119950310", "19700101199503100A", "١٩٧٠٠١٠١١٩٩٥٠٣١٠٠١"])
def test_nip_of_other_than_18_digits_is_refused(typed):
    with pytest.raises(ValidationError, match="NIP terdiri atas 18 angka"):
        nip_normalise(typed)


# The form


def test_settings_form_accepts_a_png_logo_and_reads_the_nip(region):
    logo = SimpleUploadedFile("logo.png", image_bytes("logo"))
    data = settings_data(
        region,
        signatory_name="Dr. Uji",
        signatory_title="Bupati Uji",
        report_signatory_nip="197001011995031001",
    )

    form = RegionSettingsForm(data, {"logo": logo}, instance=region)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["report_signatory_nip"] == "19700101 199503 1 001"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.pdf",
            pdf_bytes("bukan gambar"),
            "Berkas «logo.pdf» adalah PDF; di sini hanya PNG atau JPG yang diterima.",
        ),
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "Isi berkas «logo.png» bukan PNG atau JPG. Berkas HTML, SVG, dokumen Office dan program tidak diterima.",
        ),
        (
            "logo.jpg",
            image_bytes("png dengan nama jpg"),
            "Isi berkas «logo.jpg» adalah PNG, tetapi nama berkasnya tidak berakhiran .png. Periksa berkasnya lalu unggah lagi.",
        ),
    ],
)
def test_settings_form_refuses_a_logo_of_another_kind(region, name, content, message):
    form = RegionSettingsForm(
        settings_data(region), {"logo": SimpleUploadedFile(name, content)}, instance=region
    )

    assert not form.is_valid()
    assert form.errors == {"logo": [message]}


def test_settings_form_refuses_a_logo_over_one_megabyte(region):
    big = image_bytes("besar") + b"\x00" * LOGO_MAX_BYTES

    form = RegionSettingsForm(
        settings_data(region), {"logo": SimpleUploadedFile("logo.png", big)}, instance=region
    )

    assert not form.is_valid()
    assert form.errors["logo"] == [
        "Berkas «logo.png» berukuran 1,0\xa0MB, melebihi batas 1,0\xa0MB per berkas."
    ]


def test_settings_form_refuses_a_pattern_without_running_number(region):
    form = RegionSettingsForm(
        settings_data(region, certificate_number_pattern="PIAGAM/BAPPEDA/{tahun}"), instance=region
    )

    assert not form.is_valid()
    assert form.errors == {
        "certificate_number_pattern": [
            "Pola nomor piagam harus memuat nomor urut {nomor} (atau {nomor:3} untuk 001), agar setiap "
            "piagam mendapat nomor sendiri."
        ]
    }


def test_settings_form_wants_a_signatory_whole(region):
    form = RegionSettingsForm(
        settings_data(region, signatory_name="Dr. Uji", report_signatory_title="Kepala Bappeda"),
        instance=region,
    )

    assert not form.is_valid()
    assert form.errors == {
        "signatory_title": [
            "Isi juga jabatan kepala daerah: dokumen mencetak nama dan jabatan kepala daerah bersama-sama."
        ],
        "report_signatory_name": [
            "Isi juga nama kepala Bappeda: dokumen mencetak nama dan jabatan kepala Bappeda bersama-sama."
        ],
    }


def test_settings_form_messages_in_english(region):
    from django.utils import translation

    with translation.override("en"):
        form = RegionSettingsForm(settings_data(region, certificate_number_pattern="PIAGAM"), instance=region)
        assert not form.is_valid()
        message = form.errors["certificate_number_pattern"][0]

    assert message.startswith("The certificate number pattern must contain the running number {nomor}")


# The service and its history


def test_settings_saved_with_who_when_and_old_and_new_values(region, admin_user):
    services.region_settings_update(
        region=region,
        user=admin_user,
        version=region.settings_version,
        values={"signing_place": "Mojokerto", "certificate_number_pattern": "{nomor:3}/PGH/{tahun}"},
    )

    region.refresh_from_db()
    entry = selectors.region_settings_history(region)[0]
    assert (region.signing_place, region.settings_version) == ("Mojokerto", 2)
    assert entry.who == admin_user
    assert entry.what == "Data diubah"
    assert entry.changes == (
        ("tempat penandatanganan", "", "Mojokerto"),
        ("pola nomor piagam", "{nomor:3}/PIAGAM/{tahun}", "{nomor:3}/PGH/{tahun}"),
    )


def test_settings_saved_on_an_older_version_are_refused(region, admin_user):
    opened = region.settings_version
    services.region_settings_update(
        region=region, user=admin_user, version=opened, values={"signing_place": "A"}
    )

    with pytest.raises(PortalError, match="baru saja disimpan oleh orang lain"):
        services.region_settings_update(
            region=region, user=admin_user, version=opened, values={"signing_place": "B"}
        )

    region.refresh_from_db()
    assert region.signing_place == "A"


def test_settings_unchanged_record_nothing(region, admin_user):
    before = region.history.count()

    services.region_settings_update(
        region=region, user=admin_user, version=region.settings_version, values={"signing_place": ""}
    )

    assert region.history.count() == before


def test_settings_of_another_region_are_refused(region, outsider_admin):
    with pytest.raises(PortalError, match=r"Pengaturan wilayah hanya untuk admin Bappeda\."):
        services.region_settings_update(
            region=region, user=outsider_admin, version=region.settings_version, values={"signing_place": "X"}
        )


def test_a_replaced_logo_keeps_its_file(region, admin_user):
    first = services.region_settings_update(
        region=region,
        user=admin_user,
        version=1,
        values={},
        logo=SimpleUploadedFile("lama.png", image_bytes("lama")),
    )
    old_path = first.logo.path

    second = services.region_settings_update(
        region=region,
        user=admin_user,
        version=2,
        values={},
        logo=SimpleUploadedFile("baru.png", image_bytes("baru")),
    )

    assert second.logo.name != first.logo.name
    assert second.logo.name.startswith(f"wilayah/{region.pk}/logo-")
    with open(old_path, "rb") as old:
        assert old.read(4) == b"\x89PNG"
    assert [entry.changes for entry in selectors.region_settings_history(region)[:2]] == [
        (("logo", "logo sebelumnya", "logo baru diunggah"),),
        (("logo", "", "logo baru diunggah"),),
    ]


def test_place_and_date_in_the_region_format(region):
    region.signing_place = "Mojokerto"
    styles = {
        DateStyle.LONG: "Mojokerto, 5 Desember 2026",
        DateStyle.LONG_PADDED: "Mojokerto, 05 Desember 2026",
        DateStyle.NUMERIC: "Mojokerto, 05-12-2026",
        DateStyle.NUMERIC_SLASH: "Mojokerto, 05/12/2026",
    }

    for style, expected in styles.items():
        region.date_style = style
        assert selectors.region_place_date(region, DAY) == expected


def test_a_region_without_signatory_is_told_what_to_set(region):
    assert selectors.certificate_refusal(region) == (
        "Piagam belum dapat diterbitkan: penandatangan piagam belum diatur. Isi nama kepala daerah dan "
        "jabatan kepala daerah di Pengaturan wilayah (admin Bappeda)."
    )
    region.signatory_name, region.signatory_title = "Dr. Uji", "Bupati Uji"
    assert selectors.certificate_refusal(region) == ""


# The page


def test_settings_page_saves_and_shows_the_history(client, region, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:region_settings")
    page = client.get(url)
    data = settings_data(
        region,
        letterhead_government="PEMERINTAH KABUPATEN UJI",
        signatory_name="Dr. Uji",
        signatory_title="Bupati Uji",
        logo=SimpleUploadedFile("logo.png", image_bytes("logo")),
    )

    saved = client.post(url, data)
    shown = client.get(url)

    assert page.status_code == 200
    assert saved.status_code == 302
    text = shown.content.decode()
    assert "Pengaturan wilayah disimpan." in text
    assert "<del>—</del> → PEMERINTAH KABUPATEN UJI" in text
    assert f"{admin_user}" in text
    assert reverse("accounts:region_logo") in text
    logo = client.get(reverse("accounts:region_logo"))
    assert (logo.status_code, logo["Content-Type"], logo["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )


def test_settings_page_keeps_what_was_typed_when_refused(client, region, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:region_settings"),
        settings_data(region, signing_place="Mojokerto", certificate_number_pattern="PIAGAM"),
    )

    assert response.status_code == 200
    assert 'value="Mojokerto"' in response.content.decode()
    region.refresh_from_db()
    assert region.signing_place == ""


def test_settings_in_the_admin_menu_only(client, admin_user, pimpinan):
    url = reverse("accounts:region_settings")
    client.force_login(admin_user)
    assert f'href="{url}"' in client.get(reverse("accounts:notifications")).content.decode()

    client.force_login(pimpinan)
    assert f'href="{url}"' not in client.get(reverse("accounts:notifications")).content.decode()


# The demo


def test_demo_sets_labelled_placeholders_once():
    context = {"stdout": io.StringIO()}
    demo.seed(context)
    region = Region.objects.get(code="35.16")
    records = region.history.count()

    demo.seed(context)

    region.refresh_from_db()
    assert region.history.count() == records
    assert region.signatory_name.endswith("(nama contoh)")
    assert region.report_signatory_name.endswith("(nama contoh)")
    assert region.letterhead_government == "PEMERINTAH KABUPATEN MOJOKERTO (CONTOH)"
    assert "CONTOH" in region.certificate_number_pattern
    assert region.logo.name.startswith(f"wilayah/{region.pk}/logo-")
    assert selectors.certificate_refusal(region) == ""


def test_demo_leaves_settings_an_admin_changed():
    context = {"stdout": io.StringIO()}
    demo.seed(context)
    region = Region.objects.get(code="35.16")
    region.signatory_name = "Nama Sebenarnya"
    region.save()

    demo.seed(context)

    region.refresh_from_db()
    assert region.signatory_name == "Nama Sebenarnya"

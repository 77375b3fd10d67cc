"""Imports of OPDs and users from Excel and CSV files: good, bad and duplicate rows; the preview names every
bad row with its reason and nothing is imported until a clean preview is confirmed; importing again
updates and duplicates nothing."""

import csv
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from innovasi.accounts.enums import OpdKind, Role
from innovasi.accounts.models import Opd, User
from innovasi.accounts.services import imports
from innovasi.tables import table_read
from submissions.samples import pdf_bytes

from ..factories import OpdFactory, UserFactory

pytestmark = pytest.mark.django_db

OPD_HEADER = ["Nama", "Nama singkat", "Jenis"]
USER_HEADER = ["Nama", "Surel", "Peran", "OPD"]


def xlsx(rows, name="daftar.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue())


def csv_file(rows, name="daftar.csv", delimiter=",", encoding="utf-8"):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def preview(client, url, upload):
    return client.post(url, {"file": upload})


def confirm(client, url, response, **extra):
    return client.post(url, {"plan": response.context["token"]}, follow=True, **extra)


def results(response):
    return [(row.number, row.action, row.problems) for row in response.context["plan"].rows]


OPD_URL = reverse("accounts:opd_import")
USER_URL = reverse("accounts:user_import")


# OPDs ----------------------------------------------------------------------------------------------------


def test_opd_import_good_file_previews_then_imports_on_confirmation(client, admin_user, opd_a):
    client.force_login(admin_user)
    upload = xlsx(
        [
            OPD_HEADER,
            ["Dinas Sosial", "Dinsos", "Dinas"],
            ["Kecamatan Trowulan", "Trowulan", "kecamatan"],
            ["Dinas Kesehatan dan KB", "dinkes", "Dinas"],  # an existing OPD, by its short name in any case
            ["Dinas Komunikasi dan Informatika", "Diskominfo", "Dinas"],
        ]
    )

    page = preview(client, OPD_URL, upload)

    assert results(page) == [(2, "baru", ()), (3, "baru", ()), (4, "ubah", ()), (5, "baru", ())]
    assert page.context["plan"].rows[2].changes == (("Nama", "Dinas Kesehatan", "Dinas Kesehatan dan KB"),)
    assert Opd.objects.filter(region=admin_user.region).count() == 2  # the preview wrote nothing

    done = confirm(client, OPD_URL, page)

    assert done.redirect_chain == [(reverse("accounts:opd_list"), 302)]
    assert [str(message) for message in done.context["messages"]] == [
        "Impor selesai: 3 baru, 1 diubah, 0 tidak berubah."
    ]
    assert sorted(Opd.objects.filter(region=admin_user.region).values_list("short_name", "name", "kind")) == [
        ("Bappeda", "Bappeda", OpdKind.BADAN),
        ("Dinkes", "Dinas Kesehatan dan KB", OpdKind.DINAS),
        ("Dinsos", "Dinas Sosial", OpdKind.DINAS),
        ("Diskominfo", "Dinas Komunikasi dan Informatika", OpdKind.DINAS),
        ("Trowulan", "Kecamatan Trowulan", OpdKind.KECAMATAN),
    ]
    opd_a.refresh_from_db()
    assert [(entry.who, entry.changes) for entry in imports_history(opd_a)] == [
        (admin_user, (("nama", "Dinas Kesehatan", "Dinas Kesehatan dan KB"),))
    ]


def imports_history(opd):
    from innovasi.accounts.selectors import opd_history

    return [entry for entry in opd_history(opd=opd) if entry.changes]


def test_opd_import_bad_rows_are_each_named_with_their_reason_and_nothing_is_imported(
    client, admin_user, opd_a
):
    client.force_login(admin_user)
    upload = csv_file(
        [
            OPD_HEADER,
            ["Dinas Sosial", "Dinsos", "Dinas"],
            ["", "Tanpa", "Dinas"],
            ["Dinas Perhubungan", "", "Dinas"],
            ["Dinas Pertanian", "Distan", "Kementerian"],
            ["Dinas Kesehatan", "Kes", "Dinas"],
            ["Dinas Sosial dan PMD", "DINSOS", "Dinas"],
        ],
        delimiter=";",
    )

    page = preview(client, OPD_URL, upload)

    kinds = "Dinas, Badan, Sekretariat/Bagian, Kecamatan, Kelurahan/Desa, RSUD, Puskesmas, Sekolah, Lainnya"
    assert results(page) == [
        (2, "baru", ("Nama singkat ini juga ada di baris 7.",)),
        (3, "baru", ("Nama OPD wajib diisi.",)),
        (4, "baru", ("Nama singkat wajib diisi: impor berikutnya mengenali OPD dari nama singkatnya.",)),
        (5, "baru", (f"Jenis «Kementerian» tidak dikenal: pilih salah satu dari {kinds}.",)),
        (6, "baru", ("Nama «Dinas Kesehatan» sudah dipakai OPD lain di wilayah ini (Dinkes).",)),
        (7, "baru", ("Nama singkat ini juga ada di baris 2.",)),
    ]
    assert page.context["token"] is None
    content = page.content.decode()
    assert "6 baris bermasalah. Tidak ada yang diimpor: perbaiki berkasnya, lalu unggah lagi." in content
    assert "Impor sekarang" not in content
    assert Opd.objects.filter(region=admin_user.region).count() == 2


def test_opd_import_again_updates_and_duplicates_nothing(client, admin_user):
    client.force_login(admin_user)
    rows = [OPD_HEADER, ["Dinas Sosial", "Dinsos", "Dinas"], ["Kecamatan Trowulan", "Trowulan", "Kecamatan"]]
    confirm(client, OPD_URL, preview(client, OPD_URL, xlsx(rows)))

    again = preview(client, OPD_URL, xlsx([*rows[:2], ["Kecamatan Trowulan", "Trowulan", "Lainnya"]]))
    confirm(client, OPD_URL, again)

    assert results(again) == [(2, "tetap", ()), (3, "ubah", ())]
    assert sorted(Opd.objects.filter(region=admin_user.region).values_list("short_name", "kind")) == [
        ("Bappeda", OpdKind.BADAN),
        ("Dinsos", OpdKind.DINAS),
        ("Trowulan", OpdKind.LAINNYA),
    ]


def test_opd_import_confirmation_checks_again_and_imports_nothing_when_a_row_went_bad(client, admin_user):
    client.force_login(admin_user)
    page = preview(
        client,
        OPD_URL,
        xlsx([OPD_HEADER, ["Dinas Sosial", "Dinsos", "Dinas"], ["RSUD Basoeni", "RSUD", "RSUD"]]),
    )
    OpdFactory(region=admin_user.region, name="RSUD Basoeni", short_name="Basoeni")  # meanwhile

    done = client.post(OPD_URL, {"plan": page.context["token"]})

    assert done.status_code == 200
    assert done.context["form"].non_field_errors() == ["1 baris bermasalah: tidak ada yang diimpor."]
    assert results(done) == [
        (2, "baru", ()),
        (3, "baru", ("Nama «RSUD Basoeni» sudah dipakai OPD lain di wilayah ini (Basoeni).",)),
    ]
    assert not Opd.objects.filter(short_name__in=["Dinsos", "RSUD"]).exists()


def test_opd_import_confirmation_with_rows_not_signed_for_this_admin_is_refused(
    client, admin_user, outsider_admin
):
    client.force_login(outsider_admin)
    page = preview(client, OPD_URL, xlsx([OPD_HEADER, ["Dinas Sosial", "Dinsos", "Dinas"]]))
    client.force_login(admin_user)

    done = client.post(OPD_URL, {"plan": page.context["token"]})
    tampered = client.post(OPD_URL, {"plan": page.context["token"][:-3] + "abc"})

    for response in (done, tampered):
        assert response.context["form"].non_field_errors() == [
            "Pratinjau ini tidak dapat dibaca. Unggah berkasnya lagi."
        ]
    assert Opd.objects.filter(short_name="Dinsos").count() == 0


# Users ---------------------------------------------------------------------------------------------------


def test_user_import_good_file_invites_the_new_and_updates_the_known(
    client, admin_user, opd_a, opd_b, operator_a, django_capture_on_commit_callbacks
):
    operator_a.email = "operator.a@example.org"
    operator_a.save()
    client.force_login(admin_user)
    upload = xlsx(
        [
            ["Nama lengkap", "E-mail", "Peran", "OPD"],
            ["Sri Wahyuni", "Sri@Dinkes.go.id", "Operator OPD", "Dinkes"],
            ["Bagus", "bagus@bappeda.go.id", "verifikator", ""],
            ["Operator A", "OPERATOR.A@example.org", "operator", "dispendik"],
        ]
    )

    page = preview(client, USER_URL, upload)
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, USER_URL, page)

    assert results(page) == [(2, "baru", ()), (3, "baru", ()), (4, "ubah", ())]
    assert page.context["plan"].rows[2].changes == (
        ("Nama", "", "Operator A"),
        ("OPD", "Dinkes", "Dispendik"),
    )
    assert [str(message) for message in done.context["messages"]] == [
        "Impor selesai: 2 baru, 1 diubah, 0 tidak berubah."
    ]
    sri = User.objects.get(email="sri@dinkes.go.id")
    assert (sri.username, sri.role, sri.opd, sri.has_usable_password()) == (
        "sri@dinkes.go.id",
        Role.OPERATOR,
        opd_a,
        False,
    )
    assert User.objects.get(email="bagus@bappeda.go.id").role == Role.VERIFIKATOR
    operator_a.refresh_from_db()
    assert (operator_a.opd, operator_a.get_full_name()) == (opd_b, "Operator A")
    assert sorted(message.to[0] for message in mail.outbox) == ["bagus@bappeda.go.id", "sri@dinkes.go.id"]


def test_user_import_bad_rows_are_each_named_and_nobody_is_imported_or_invited(
    client, admin_user, opd_a, outsider_admin, django_capture_on_commit_callbacks
):
    Opd.objects.filter(pk=opd_a.pk).update(is_active=False)
    OpdFactory(region=admin_user.region, name="Dinas Sosial", short_name="Dinsos")
    client.force_login(admin_user)
    roles = "Operator OPD, Kepala OPD, Verifikator, Admin Bappeda, Juri, Pimpinan"
    upload = csv_file(
        [
            USER_HEADER,
            ["Baik", "baik@example.org", "juri", ""],
            ["Tanpa OPD", "tanpa@example.org", "operator", ""],
            ["OPD salah", "salah@example.org", "operator", "Dinas Entah"],
            ["OPD nonaktif", "nonaktif@example.org", "operator", "Dinkes"],
            ["Peran salah", "peran@example.org", "kepala", ""],
            ["Surel salah", "bukan surel", "juri", ""],
            ["Wilayah lain", "admin.lain@example.org", "juri", ""],
            ["", "kembar@example.org", "juri", ""],
            ["Kembar", "KEMBAR@example.org", "juri", ""],
            ["Saya", "admin.bappeda@example.org", "juri", "Dinsos"],
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        page = preview(client, USER_URL, upload)

    assert results(page) == [
        (2, "baru", ()),
        (3, "baru", ("Operator harus terdaftar pada satu OPD.",)),
        (
            4,
            "baru",
            ("OPD «Dinas Entah» tidak ada di wilayah ini: tulis nama singkat OPD seperti di daftar OPD.",),
        ),
        (5, "baru", ("Dinas Kesehatan tidak aktif: pengguna baru tidak didaftarkan padanya.",)),
        (6, "baru", (f"Peran «kepala» tidak dikenal: pilih salah satu dari {roles}.",)),
        (7, "baru", ("«bukan surel» bukan alamat surel yang sah.",)),
        (8, "baru", ("Surel admin.lain@example.org sudah dipakai akun lain.",)),
        (9, "baru", ("Nama wajib diisi.", "Surel ini juga ada di baris 10.")),
        (10, "baru", ("Surel ini juga ada di baris 9.",)),
        (11, "ubah", ("Peran akun Anda sendiri diubah oleh admin lain.",)),
    ]
    assert page.context["token"] is None
    assert User.objects.filter(email="baik@example.org").exists() is False
    assert mail.outbox == []


def test_user_import_again_updates_and_duplicates_nothing(
    client, admin_user, opd_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    rows = [USER_HEADER, ["Sri", "sri@example.org", "operator", "Dinkes"]]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, USER_URL, preview(client, USER_URL, xlsx(rows)))
        again = preview(client, USER_URL, xlsx(rows))
        confirm(client, USER_URL, again)

    assert results(again) == [(2, "tetap", ())]
    assert User.objects.filter(email="sri@example.org").count() == 1
    assert len(mail.outbox) == 1  # invited once


@pytest.fixture
def juri_of_unair(juri):
    juri.first_name, juri.email, juri.affiliation = "Dr. Juri", "juri@example.org", "Universitas Airlangga"
    juri.save(update_fields=["first_name", "email", "affiliation"])
    return juri


def test_user_import_sets_the_jurors_affiliations_and_an_empty_cell_keeps_one(
    client, admin_user, juri_of_unair, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = csv_file(
        [
            [*USER_HEADER, "Afiliasi"],
            ["Dr. Rina", "rina@its.ac.id", "juri", "", "Institut Teknologi Sepuluh Nopember"],
            ["Dr. Juri", "juri@example.org", "juri", "", ""],
        ]
    )

    page = preview(client, USER_URL, upload)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, USER_URL, page)

    assert results(page) == [(2, "baru", ()), (3, "tetap", ())]
    assert User.objects.get(email="rina@its.ac.id").affiliation == "Institut Teknologi Sepuluh Nopember"
    juri_of_unair.refresh_from_db()
    assert juri_of_unair.affiliation == "Universitas Airlangga"


def test_user_import_changes_an_affiliation_and_refuses_one_too_long(client, admin_user, juri_of_unair):
    client.force_login(admin_user)
    header = [*USER_HEADER, "Instansi"]
    changed = preview(
        client, USER_URL, csv_file([header, ["Dr. Juri", "juri@example.org", "juri", "", "ITS"]])
    )
    too_long = preview(
        client, USER_URL, csv_file([header, ["Dr. Rina", "rina@its.ac.id", "juri", "", "U" * 201]])
    )

    confirm(client, USER_URL, changed)

    assert changed.context["plan"].rows[0].changes == (("Afiliasi", "Universitas Airlangga", "ITS"),)
    juri_of_unair.refresh_from_db()
    assert juri_of_unair.affiliation == "ITS"
    assert results(too_long) == [(2, "baru", ("Afiliasi paling banyak 200 karakter.",))]
    assert not User.objects.filter(email="rina@its.ac.id").exists()


# The file ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("daftar.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
            "Berkas «daftar.xls» berformat Excel lama (.xls). Simpan sebagai .xlsx atau CSV, lalu unggah lagi.",
        ),
        (
            SimpleUploadedFile("daftar.xlsx", pdf_bytes("bukan buku kerja")),
            "Berkas «daftar.xlsx» bukan buku kerja Excel (.xlsx) atau berkas CSV (.csv). Isi berkasnya diperiksa, "
            "bukan hanya namanya.",
        ),
        (
            SimpleUploadedFile("daftar.csv", b"<html><script>alert(1)</script></html>\x00"),
            "Berkas «daftar.csv» bukan berkas teks CSV.",
        ),
        (
            SimpleUploadedFile("daftar.xlsx", b"PK\x03\x04" + b"rusak" * 100),
            "Buku kerja «daftar.xlsx» tidak dapat dibaca. Buka dan simpan ulang di Excel, lalu unggah lagi.",
        ),
        (SimpleUploadedFile("kosong.csv", b""), "Berkas yang dikirimkan kosong."),  # Django's own check
        (
            csv_file([["Nama", "Jenis"], ["Dinas Sosial", "Dinas"]]),
            "Baris judul berkas «daftar.csv» (baris 1) tidak memuat kolom «Nama singkat». Kolom yang diperlukan: "
            "«Nama», «Nama singkat», «Jenis».",
        ),
        (csv_file([OPD_HEADER]), "Berkas «daftar.csv» tidak memuat satu baris data pun."),
    ],
)
def test_import_file_that_is_no_table_is_refused_with_its_reason(client, admin_user, upload, message):
    client.force_login(admin_user)

    page = preview(client, OPD_URL, upload)

    assert page.context["form"].errors["file"] == [message]
    assert page.context["plan"] is None


def test_import_workbook_declaring_xml_entities_is_refused_unread(client, admin_user):
    """openpyxl parses through defusedxml when it is installed: a sheet that declares entities (the
    "billion laughs" expansion, or an external one reading a server file) is refused, not expanded."""
    plain = io.BytesIO(xlsx([OPD_HEADER, ["Dinas Sosial", "Dinsos", "Dinas"]]).read())
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE worksheet [<!ENTITY e "Dinas Sosial">]>' + content.replace(
                    b"<t>Dinas Sosial</t>", b"<t>&e;</t>"
                )
            target.writestr(item, content)
    client.force_login(admin_user)

    page = preview(client, OPD_URL, SimpleUploadedFile("daftar.xlsx", bomb.getvalue()))

    assert page.context["form"].errors["file"] == [
        "Buku kerja «daftar.xlsx» tidak dapat dibaca. Buka dan simpan ulang di Excel, lalu unggah lagi."
    ]
    assert not Opd.objects.filter(short_name="Dinsos").exists()


def test_import_file_over_the_upload_limit_is_refused(client, admin_user, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(admin_user)
    upload = csv_file([OPD_HEADER, ["Dinas Sosial " * 20, "Dinsos", "Dinas"]])

    page = preview(client, OPD_URL, upload)

    assert page.context["form"].errors["file"] == [
        f"Berkas «daftar.csv» berukuran {upload.size}\xa0bita, melebihi batas 100\xa0bita per berkas."
    ]


def test_table_read_takes_columns_in_any_order_and_windows_csv(db):
    upload = csv_file(
        [
            ["", "", ""],
            ["jenis", "NAMA SINGKAT", "nama", "catatan"],
            ["Dinas", "Disparpora", "Dinas Pariwisata, Pemuda dan Olahraga", "x"],
        ],
        encoding="cp1252",
    )

    [row] = table_read(upload, imports.OPD_COLUMNS)

    assert (row.number, dict(row.values)) == (
        3,
        {"name": "Dinas Pariwisata, Pemuda dan Olahraga", "short_name": "Disparpora", "kind": "Dinas"},
    )


def test_table_read_refuses_more_rows_than_its_limit(db, monkeypatch):
    monkeypatch.setattr("innovasi.tables.MAX_ROWS", 3)

    with pytest.raises(ValidationError) as refused:
        table_read(
            xlsx([OPD_HEADER, *[[f"Dinas {n}", f"D{n}", "Dinas"] for n in range(4)]]), imports.OPD_COLUMNS
        )

    assert refused.value.messages == ["Berkas memuat lebih dari 3 baris. Bagi menjadi beberapa berkas."]


@pytest.mark.parametrize("url", [OPD_URL, USER_URL])
def test_import_pages_are_the_admin_s_only(client, operator_a, url):
    client.force_login(operator_a)

    assert client.post(url, {"file": xlsx([OPD_HEADER])}).status_code == 403


def test_import_with_a_second_region_changes_nothing_of_the_first(client, outsider_admin, opd_a, operator_a):
    UserFactory(username="x", email="x@example.org", region=outsider_admin.region, role=Role.JURI, opd=None)
    client.force_login(outsider_admin)

    opds = preview(client, OPD_URL, xlsx([OPD_HEADER, ["Dinas Kesehatan Lain", "Dinkes", "Dinas"]]))
    users = preview(client, USER_URL, xlsx([USER_HEADER, ["A", operator_a.email, "juri", ""]]))
    confirm(client, OPD_URL, opds)

    assert results(opds) == [(2, "baru", ())]  # its own Dinkes, not the first region's
    assert results(users) == [(2, "baru", (f"Surel {operator_a.email} sudah dipakai akun lain.",))]
    opd_a.refresh_from_db()
    assert opd_a.name == "Dinas Kesehatan"
    assert Opd.objects.get(region=outsider_admin.region).name == "Dinas Kesehatan Lain"


def test_user_import_known_account_with_an_unknown_role_is_a_bad_row(client, admin_user, operator_a):
    client.force_login(admin_user)

    page = preview(
        client, USER_URL, xlsx([USER_HEADER, ["Operator A", operator_a.email, "kepala", "Dinkes"]])
    )

    [row] = page.context["plan"].rows
    assert (row.action, row.changes[1]) == ("ubah", ("Peran", "Operator OPD", "kepala"))
    assert len(row.problems) == 1

"""Demo data of the accounts app: Kabupaten Mojokerto, its OPDs and the demo logins (``seed_demo``)."""

from pathlib import Path

import yaml
from django.core.files import File

from .enums import DateStyle, OpdKind, Role
from .models import Opd, Region, User

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo-mojokerto.yaml"
DEMO_LOGO = Path(__file__).resolve().parent / "data" / "demo-logo.png"
DEMO_PASSWORD = "inovasi-demo"
# The demo's letterhead and signatories: placeholders, labelled as such on every document they print on
# (a real region enters its own on the settings page).
DEMO_SETTINGS = {
    "letterhead_government": "PEMERINTAH KABUPATEN MOJOKERTO (CONTOH)",
    "letterhead_office": "BADAN PERENCANAAN PEMBANGUNAN DAERAH",
    "letterhead_address": "Jl. Contoh No. 1, Mojokerto 61300 · Telp. (0321) 000000 · alamat contoh untuk demo",
    "signing_place": "Mojokerto",
    "date_style": DateStyle.LONG,
    "signatory_name": "Dra. Hj. Sri Wahyuni, M.Si. (nama contoh)",
    "signatory_title": "Bupati Mojokerto",
    "signatory_nip": "",
    "report_signatory_name": "Ir. Budi Santoso, M.T. (nama contoh)",
    "report_signatory_title": "Kepala Badan Perencanaan Pembangunan Daerah",
    "report_signatory_nip": "19700101 199503 1 001",
    "certificate_number_pattern": "{nomor:3}/PIAGAM-CONTOH/BAPPEDA/{tahun}",
}

KIND_BY_LIST = {
    "sekretariat": OpdKind.SEKRETARIAT,
    "badan": OpdKind.BADAN,
    "dinas": OpdKind.DINAS,
    "rsud": OpdKind.RSUD,
    "kecamatan": OpdKind.KECAMATAN,
    "puskesmas_examples": OpdKind.PUSKESMAS,
}
# The abbreviations people use in Mojokerto's offices; other OPDs keep their full name.
SHORT_NAMES = {
    "Sekretariat Daerah": "Setda",
    "Sekretariat DPRD": "Setwan",
    "Inspektorat Daerah": "Inspektorat",
    "Badan Perencanaan Pembangunan Daerah (Bappeda)": "Bappeda",
    "Badan Pengelolaan Keuangan dan Aset Daerah": "BPKAD",
    "Badan Pendapatan Daerah": "Bapenda",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": "BKPSDM",
    "Badan Penanggulangan Bencana Daerah": "BPBD",
    "Badan Kesatuan Bangsa dan Politik": "Bakesbangpol",
    "Dinas Pendidikan": "Dispendik",
    "Dinas Kesehatan": "Dinkes",
    "Dinas Pekerjaan Umum dan Penataan Ruang": "DPUPR",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman": "Disperkim",
    "Dinas Sosial": "Dinsos",
    "Satuan Polisi Pamong Praja": "Satpol PP",
    "Dinas Kependudukan dan Pencatatan Sipil": "Dispendukcapil",
    "Dinas Pemberdayaan Masyarakat dan Desa": "DPMD",
    "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak": "DP2KBP2",
    "Dinas Lingkungan Hidup": "DLH",
    "Dinas Perhubungan": "Dishub",
    "Dinas Komunikasi dan Informatika": "Diskominfo",
    "Dinas Koperasi dan Usaha Mikro": "Diskopum",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "DPMPTSP",
    "Dinas Pertanian": "Distan",
    "Dinas Pangan dan Perikanan": "Diskanpan",
    "Dinas Pariwisata, Kepemudaan dan Olahraga": "Disparpora",
    "Dinas Perindustrian dan Perdagangan": "Disperindag",
    "Dinas Tenaga Kerja": "Disnaker",
    "Dinas Perpustakaan dan Kearsipan": "Dispusip",
    "RSUD Prof. Dr. Soekandar": "RSUD Soekandar",
    "RSUD RA Basoeni": "RSUD Basoeni",
}

# username, role, OPD short name (or None), first name, last name
DEMO_USERS = [
    ("admin", Role.ADMIN, "Bappeda", "Admin", "Bappeda"),
    ("verifikator1", Role.VERIFIKATOR, "Bappeda", "Rina", "Verifikator"),
    ("verifikator2", Role.VERIFIKATOR, "Bappeda", "Bagus", "Verifikator"),
    # The tim verifikasi includes the Inspektorat: it verifies Bappeda's own innovations (conflict of interest).
    ("verifikator3", Role.VERIFIKATOR, "Inspektorat", "Rudi", "Inspektorat"),
    ("operator.dinkes", Role.OPERATOR, "Dinkes", "Operator", "Dinas Kesehatan"),
    ("operator.dispendik", Role.OPERATOR, "Dispendik", "Operator", "Dinas Pendidikan"),
    # The head of Dinas Kesehatan: endorses its submissions once the region's OPD-head endorsement is on
    # (the demo keeps it off; the admin switches it on in Pengaturan wilayah to try it).
    ("kepala.dinkes", Role.KEPALA_OPD, "Dinkes", "Kepala", "Dinas Kesehatan"),
    ("juri1", Role.JURI, None, "Prof. Sri", "Juri"),
    ("juri2", Role.JURI, None, "Dr. Bambang", "Juri"),
    ("juri3", Role.JURI, None, "Dr. Ratna", "Juri"),
    ("bupati", Role.PIMPINAN, None, "Bupati", "Mojokerto"),
]


def _opd_name(kind, name):
    return f"Kecamatan {name}" if kind == OpdKind.KECAMATAN else name


def _settings_placeholders(region, **identity):
    """Give the demo region its name and kind (``identity``), fill its settings left empty with the
    labelled placeholders, and give it the
    placeholder logo when it has none; what is set already (by an admin trying the settings page, or by
    an earlier run) is left as it is, so that running the demo again records no change."""
    blank = {name: value for name, value in identity.items() if getattr(region, name) != value}
    blank |= {name: value for name, value in DEMO_SETTINGS.items() if not getattr(region, name) and value}
    # A pattern is never empty: the default one is replaced, as a setting left unchanged.
    if region.certificate_number_pattern == Region._meta.get_field("certificate_number_pattern").default:
        blank["certificate_number_pattern"] = DEMO_SETTINGS["certificate_number_pattern"]
    for name, value in blank.items():
        setattr(region, name, value)
    if not region.logo:
        with DEMO_LOGO.open("rb") as logo:
            region.logo.save(DEMO_LOGO.name, File(logo), save=False)
        blank["logo"] = region.logo.name
    if blank:
        region._change_reason = "Pengaturan contoh demo"
        region.save(update_fields=list(blank))


def demo_logins(region, opds, rows):
    """The demo's logins of ``region``: (username, role, OPD key or "", first name, last name) each, with
    the demo password when first made; run again, they are set back to these values."""
    for username, role, opd_key, first_name, last_name in rows:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "region": region,
                "role": role,
                "opd": opds[opd_key] if opd_key else None,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.invalid",
                "is_staff": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


def seed(context):
    """Create (or complete) the demo region, its OPDs and the demo users; never change a password."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    # Saved only when something differs: every save of a region is a record of its history.
    region, _ = Region.objects.get_or_create(
        code=data["region"]["code"], defaults={"name": data["region"]["name"], "kind": data["region"]["kind"]}
    )
    _settings_placeholders(region, name=data["region"]["name"], kind=data["region"]["kind"])
    opds = {}
    for list_name, kind in KIND_BY_LIST.items():
        for name in data["opd"][list_name]:
            full_name = _opd_name(kind, name)
            opd, _ = Opd.objects.update_or_create(
                region=region,
                name=full_name,
                defaults={"kind": kind, "short_name": SHORT_NAMES.get(full_name, ""), "is_active": True},
            )
            opds[opd.short_name or opd.name] = opd
    demo_logins(region, opds, DEMO_USERS)
    context.update(region=region, opds=opds)
    context.setdefault("logins", []).extend((username, role.label) for username, role, *_ in DEMO_USERS)
    context["stdout"].write(f"{region.name}: {len(opds)} OPD, {len(DEMO_USERS)} demo users")

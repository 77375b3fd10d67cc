"""Demo data of the accounts app for ``seed_demo --province``: the Province of East Java (35) with its 38
kabupaten and kota by their Kemendagri/BPS codes, Kabupaten Mojokerto (the full demo of ``seed_demo``)
placed in it; the province's own OPDs and its demo logins (``admin.jatim``, ``gubernur``,
``juri.prov1``–``juri.prov3``); and for each of the 37 other regions a few OPDs and staff accounts without
a password, through which the other apps file and verify their synthetic innovations.

Idempotent: what exists (a region by its code, an OPD by its name, an account by its user name) is left as
it is; the synthetic regions' OPDs and staff are made in bulk, once.
"""

from pathlib import Path

import yaml
from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.utils.text import slugify

from .demo import DEMO_LOGO, demo_logins
from .enums import DateStyle, OpdKind, RegionKind, Role
from .models import Opd, Region, User
from .services.region import region_place

PROVINCE_FILE = Path(__file__).resolve().parent / "data" / "demo-jatim.yaml"
FULL_DEMO_CODE = "35.16"  # Kabupaten Mojokerto: seed_demo's region
# The province's letterhead and signatories: labelled placeholders, as the regency's (accounts.demo).
PROVINCE_SETTINGS = {
    "letterhead_government": "PEMERINTAH PROVINSI JAWA TIMUR (CONTOH)",
    "letterhead_office": "BADAN RISET DAN INOVASI DAERAH",
    "letterhead_address": "Jl. Contoh No. 1, Surabaya 60000 · alamat contoh untuk demo",
    "signing_place": "Surabaya",
    "date_style": DateStyle.LONG,
    "signatory_name": "Dr. H. Contoh Gubernur, M.Si. (nama contoh)",
    "signatory_title": "Gubernur Jawa Timur",
    "report_signatory_name": "Ir. Contoh Kepala BRIDA, M.T. (nama contoh)",
    "report_signatory_title": "Kepala Badan Riset dan Inovasi Daerah",
    "certificate_number_pattern": "{nomor:3}/INOTEK-CONTOH/BRIDA/{tahun}",
}
# username, role, OPD short name (or None), first name, last name
PROVINCE_USERS = [
    ("admin.jatim", Role.ADMIN, "BRIDA Jatim", "Admin", "BRIDA Jawa Timur"),
    ("gubernur", Role.PIMPINAN, None, "Gubernur", "Jawa Timur"),
    ("juri.prov1", Role.JURI, None, "Prof. Dr. Hartono", ""),
    ("juri.prov2", Role.JURI, None, "Prof. Dr. Lestari", ""),
    ("juri.prov3", Role.JURI, None, "Dr. Bambang Sudibyo", ""),
]
# The province's jurors come from universities (names of people are made up).
JUROR_AFFILIATIONS = {
    "juri.prov1": "Universitas Airlangga",
    "juri.prov2": "Institut Teknologi Sepuluh Nopember",
    "juri.prov3": "Universitas Brawijaya",
}
# The province's own verifier: Bappeda's, not of the OPDs whose innovations it judges.
PROVINCE_STAFF = [
    ("verifikator.jatim", Role.VERIFIKATOR, "Bappeda Jatim", "Verifikator", "Bappeda Jawa Timur")
]
STAFF_ROLES = ("admin", "verifikator", "operator")


def province_data() -> dict:
    return yaml.safe_load(PROVINCE_FILE.read_text(encoding="utf-8"))


def regions_listed(data) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the province's 38 regions, by code."""
    listed = [(code, f"Kabupaten {name}", RegionKind.KABUPATEN) for code, name in data["kabupaten"].items()]
    listed += [(code, f"Kota {name}", RegionKind.KOTA) for code, name in data["kota"].items()]
    return sorted(listed)


def _province(data):
    province, _created = Region.objects.get_or_create(
        code=data["province"]["code"],
        defaults={"name": data["province"]["name"], "kind": RegionKind.PROVINSI},
    )
    blank = {
        name: value for name, value in PROVINCE_SETTINGS.items() if not getattr(province, name) and value
    }
    if province.certificate_number_pattern == Region._meta.get_field("certificate_number_pattern").default:
        blank["certificate_number_pattern"] = PROVINCE_SETTINGS["certificate_number_pattern"]
    for name, value in blank.items():
        setattr(province, name, value)
    if not province.logo:
        with DEMO_LOGO.open("rb") as logo:
            province.logo.save(DEMO_LOGO.name, File(logo), save=False)
        blank["logo"] = province.logo.name
    if blank:
        province._change_reason = "Pengaturan contoh demo"
        province.save(update_fields=list(blank))
    return province


def _opds(region, rows) -> dict[str, Opd]:
    """The region's OPDs of ``rows`` ([name, short name, kind]), made in one go where missing."""
    existing = {opd.name: opd for opd in Opd.objects.filter(region=region)}
    missing = [
        Opd(region=region, name=name, short_name=short, kind=OpdKind(kind))
        for name, short, kind in rows
        if name not in existing
    ]
    for opd in Opd.objects.bulk_create(missing):
        existing[opd.name] = opd
    return {opd.short_name or opd.name: opd for opd in existing.values()}


def _staff(region, opds) -> dict[str, User]:
    """The synthetic region's admin, verifikator (Bappeda) and one operator per OPD but Bappeda, without a
    usable password (made in bulk once)."""
    prefix = f"demo.{region.code}"
    existing = {user.username: user for user in User.objects.filter(username__startswith=f"{prefix}.")}
    bappeda = opds["Bappeda"]
    wanted = [
        User(username=f"{prefix}.admin", region=region, role=Role.ADMIN, opd=bappeda),
        User(username=f"{prefix}.verifikator", region=region, role=Role.VERIFIKATOR, opd=bappeda),
    ] + [
        User(
            username=f"{prefix}.operator.{slugify(opd.short_name)}",
            region=region,
            role=Role.OPERATOR,
            opd=opd,
        )
        for opd in opds.values()
        if opd != bappeda
    ]
    missing = [user for user in wanted if user.username not in existing]
    for user in missing:
        user.password = make_password(None)
        user.first_name, user.last_name = "Contoh", region.name
    for user in User.objects.bulk_create(missing):
        existing[user.username] = user
    return existing


def seed_province(context):
    """Create (or complete) the province, its regions, OPDs and users; place Mojokerto in it."""
    data = province_data()
    province = _province(data)
    province_opds = _opds(province, data["province_opds"])
    demo_logins(province, province_opds, PROVINCE_USERS + PROVINCE_STAFF)
    for username, affiliation in JUROR_AFFILIATIONS.items():
        User.objects.filter(username=username).update(affiliation=affiliation)
    by_code = {
        region.code: region
        for region in Region.objects.filter(code__in=[c for c, *_ in regions_listed(data)])
    }
    missing = [
        Region(code=code, name=name, kind=kind, parent=province)
        for code, name, kind in regions_listed(data)
        if code not in by_code
    ]
    for region in Region.objects.bulk_create(missing):
        by_code[region.code] = region
    full = by_code[FULL_DEMO_CODE]
    region_place(region=full, parent=province)  # writes nothing when it lies there already
    synthetic = {}
    for code, region in sorted(by_code.items()):
        if code == FULL_DEMO_CODE:
            continue
        opds = _opds(region, data["regency_opds"])
        synthetic[code] = {"region": region, "opds": opds, "staff": _staff(region, opds)}
    context.update(
        province=province,
        province_opds=province_opds,
        province_staff={user.username: user for user in User.objects.filter(region=province)},
        synthetic_regions=synthetic,
    )
    context.setdefault("logins", []).extend((username, role.label) for username, role, *_ in PROVINCE_USERS)
    context["stdout"].write(
        f"{province.name}: {len(by_code)} kabupaten/kota ({len(missing)} new), "
        f"{len(province_opds)} OPD of its own, {len(PROVINCE_USERS)} demo users"
    )

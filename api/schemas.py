"""What the API answers and what it takes, as pydantic schemas (django-ninja): the OpenAPI document is made
from them, and every answer is checked against them.

Figures (IID, kematangan, points) are exact decimals written as text with two places ("57.32"), never
floating-point numbers; dates and moments are ISO 8601; choices are their stored values with the label
beside them in the portal's language (``*_label``).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticUseDefault

from submissions.enums import Bentuk, InnovationState, Jenis
from submissions.richtext import richtext_clean

# A database id: the largest value a bigint holds, so that no query overflows on a longer number.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=0, le=MAX_ID)]


def _exact(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


Figure = Annotated[
    Decimal,
    PlainSerializer(_exact, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["57.32"]}),
]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses a NUL in any string: refused here, as innovasi.http.text_param does.
    if "\x00" in value:
        raise ValueError("nul")
    return value.strip()


Text = Annotated[str, Field(max_length=200), AfterValidator(_no_nul)]


# --- Paging, filters ---------------------------------------------------------------------------------


def _empty_is_absent(value: Any) -> Any:
    """An empty value in the query string is no value: the gallery's own form sends ``?opd=&jenis=`` for
    "any", and the same address asks the API the same."""
    if value == "":
        raise PydanticUseDefault()
    return value


EmptyIsAbsent = BeforeValidator(_empty_is_absent)


class PageQuery(Schema):
    halaman: Annotated[int, EmptyIsAbsent] = Field(
        1, ge=1, le=1_000_000, description="Nomor halaman, mulai dari 1."
    )
    per_halaman: Annotated[int, EmptyIsAbsent] = Field(
        25, ge=1, le=100, description="Banyak entri per halaman (paling banyak 100)."
    )


class InnovationFilters(Schema):
    status: Annotated[InnovationState | None, EmptyIsAbsent] = Field(
        None, description="Hanya inovasi dengan status ini."
    )
    opd: Annotated[Id | None, EmptyIsAbsent] = Field(None, description="Hanya inovasi OPD ini (id OPD).")
    q: Text = Field("", description="Kata dalam nama inovasi atau nama OPD.")


class GalleryFilters(Schema):
    """The gallery page's own filters, with the same names."""

    q: Text = Field("", description="Kata dalam nama inovasi, nama OPD atau nama singkat OPD.")
    urusan: Text = Field("", description="Kode urusan utama, mis. «kesehatan».")
    opd: Annotated[Id | None, EmptyIsAbsent] = Field(None, description="Id OPD.")
    jenis: Annotated[Jenis | None, EmptyIsAbsent] = None
    bentuk: Annotated[Bentuk | None, EmptyIsAbsent] = None
    tahun: Annotated[Id | None, EmptyIsAbsent] = Field(None, description="Tahun penilaian (tahun katalog).")

    def selector_kwargs(self) -> dict[str, Any]:
        return {
            "query": self.q,
            "urusan": self.urusan,
            "opd_id": self.opd,
            "jenis": self.jenis or "",
            "bentuk": self.bentuk or "",
            "year": self.tahun,
        }


class Error(Schema):
    detail: str = Field(
        description="Apa yang salah, dalam bahasa portal (Indonesia, kecuali dipilih Inggris)."
    )


class Problem(Schema):
    parameter: str
    message: str


class BadParameters(Error):
    errors: list[Problem]


# --- Regions, cycles, the index ----------------------------------------------------------------------


class RegionOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    code: str = Field(description="Kode wilayah Kemendagri, mis. «35.16».")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class CycleOut(Schema):
    id: int
    region_id: int
    name: str
    catalogue: str = Field(alias="catalogue.code", description="Kode katalog indikator, mis. «iid-2026».")
    year: int = Field(alias="catalogue.year", description="Tahun penilaian.")
    state: str
    state_label: str
    opens_on: datetime.date
    filing_closes_on: datetime.date
    verification_closes_on: datetime.date
    revision_closes_on: datetime.date
    final_on: datetime.date

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class ContributionOut(Schema):
    opd_id: int | None = Field(description="Kosong (null) untuk inovasi tanpa OPD.")
    opd: str | None
    n_eligible: int = Field(description="Inovasi layak OPD ini.")
    kematangan_sum: Figure
    average_kematangan: Figure
    iid_points: Figure = Field(
        description="Poin IID yang dibawa OPD ini; poin SPD ditambah poin semua OPD sama dengan IID."
    )


class SnapshotOut(Schema):
    id: int
    kind: str = Field(description="«claimed» (klaim OPD) atau «verified» (terverifikasi).")
    computed_at: datetime.datetime
    catalogue: str
    engine_version: str
    inputs_hash: str = Field(
        description="SHA-256 masukan mesin: potret dengan sidik sama memberi hasil sama."
    )
    iid: Figure
    category: str
    spd_score: Figure
    sid_average: Figure
    count_score: Figure
    total: Figure
    spd_points: Figure
    n_eligible: int
    sid_divisor: int
    yandas_covered: int
    empty_seats: int
    contributions: list[ContributionOut]


class IndexOut(Schema):
    cycle_id: int
    recompute_pending: bool = Field(
        description="Ada perubahan yang belum masuk potret: angka akan diperbarui."
    )
    verification_under_way: bool = Field(
        description="Masih ada inovasi yang diajukan atau direvisi: IID terverifikasi masih sementara."
    )
    claimed: SnapshotOut | None
    verified: SnapshotOut | None


# --- Innovations ---------------------------------------------------------------------------------------


class InnovationOut(Schema):
    id: int
    name: str
    cycle_id: int
    opd_id: int
    opd: str = Field(alias="opd.name")
    state: str
    state_label: str
    kematangan_claimed: Figure | None
    kematangan_verified: Figure | None
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime
    is_published: bool

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class VerdictOut(Schema):
    verdict: str
    verdict_label: str
    level: int = Field(description="Tingkat yang diterima (0 bila tidak sesuai atau belum diperiksa).")
    reason: str
    opd_note: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_verdict_label(obj) -> str:
        return str(obj.get_verdict_display())


class ClaimOut(Schema):
    indicator: str = Field(alias="indicator.code")
    indicator_name: str = Field(alias="indicator.name")
    mandatory: bool = Field(alias="indicator.mandatory")
    weight: Figure = Field(alias="indicator.weight")
    level: int = Field(description="Tingkat yang diklaim OPD, 0 bila belum dipilih.")
    basis: str = Field(description="Dasar pengukuran (a–f) untuk indikator 33, kosong untuk yang lain.")
    note: str
    needs_fix: bool
    fixed: bool
    evidence_count: int = Field(description="Banyak berkas dan tautan bukti.")
    verdict: VerdictOut | None = Field(
        alias="verdict_shown",
        description="Putusan verifikator; null bila belum ada atau bila Anda tidak boleh melihatnya.",
    )


class InnovationDetailOut(InnovationOut):
    tahapan: str
    inisiator: str
    inisiator_name: str
    jenis: str
    bentuk: str
    tematik: str
    urusan_utama: str | None
    urusan_lain: list[str]
    rancang_bangun: str = Field(description="HTML yang sudah dibersihkan (p, br, strong, em, u, ul, ol, li).")
    tujuan: str
    manfaat: str
    hasil: str
    waktu_uji_coba: datetime.date | None
    waktu_penerapan: datetime.date | None
    waktu_pengembangan: datetime.date | None
    video_url: str
    verdicts_visible: bool = Field(description="Apakah putusan verifikator boleh Anda lihat.")
    claims: list[ClaimOut] = Field(alias="claim_rows", description="Setiap indikator SID, urut katalog.")

    @staticmethod
    def resolve_urusan_utama(obj) -> str | None:
        return obj.urusan_utama.code if obj.urusan_utama else None

    @staticmethod
    def resolve_urusan_lain(obj) -> list[str]:
        return [urusan.code for urusan in obj.urusan_lain.all()]

    @staticmethod
    def resolve_rancang_bangun(obj) -> str:
        return richtext_clean(obj.rancang_bangun)

    @staticmethod
    def resolve_tujuan(obj) -> str:
        return richtext_clean(obj.tujuan)

    @staticmethod
    def resolve_manfaat(obj) -> str:
        return richtext_clean(obj.manfaat)

    @staticmethod
    def resolve_hasil(obj) -> str:
        return richtext_clean(obj.hasil)


# --- Open data: the gallery ----------------------------------------------------------------------------


def gallery_url(request: HttpRequest, pk: int) -> str:
    from django.urls import reverse

    return request.build_absolute_uri(reverse("reports:gallery_innovation", args=[pk]))


class GalleryOut(Schema):
    """A gallery entry: what the gallery's card and the innovation's public page show of it."""

    id: int
    name: str
    url: str = Field(description="Halaman publik inovasi di galeri.")
    region: str = Field(alias="opd.region.name")
    opd_id: int
    opd: str = Field(alias="opd.name")
    year: int = Field(alias="cycle.catalogue.year", description="Tahun penilaian.")
    catalogue: str = Field(alias="cycle.catalogue.name")
    urusan_utama: str | None = Field(description="Nama urusan utama.")
    urusan_lain: list[str] = Field(description="Nama urusan lain yang beririsan.")
    tahapan: str
    tahapan_label: str
    jenis: str
    jenis_label: str
    bentuk: str
    bentuk_label: str
    waktu_penerapan: datetime.date | None
    video_url: str
    kematangan_verified: Figure | None

    @staticmethod
    def resolve_url(obj, context) -> str:
        return gallery_url(context["request"], obj.pk)

    @staticmethod
    def resolve_urusan_utama(obj) -> str | None:
        return obj.urusan_utama.name if obj.urusan_utama else None

    @staticmethod
    def resolve_urusan_lain(obj) -> list[str]:
        return [urusan.name for urusan in obj.urusan_lain.all()]

    @staticmethod
    def resolve_tahapan_label(obj) -> str:
        return str(obj.get_tahapan_display())

    @staticmethod
    def resolve_jenis_label(obj) -> str:
        return str(obj.get_jenis_display())

    @staticmethod
    def resolve_bentuk_label(obj) -> str:
        return str(obj.get_bentuk_display())


class GalleryDetailOut(GalleryOut):
    rancang_bangun: str = Field(description="HTML yang sudah dibersihkan, seperti di halaman galeri.")
    tujuan: str
    manfaat: str
    hasil: str

    @staticmethod
    def resolve_rancang_bangun(obj) -> str:
        return richtext_clean(obj.rancang_bangun)

    @staticmethod
    def resolve_tujuan(obj) -> str:
        return richtext_clean(obj.tujuan)

    @staticmethod
    def resolve_manfaat(obj) -> str:
        return richtext_clean(obj.manfaat)

    @staticmethod
    def resolve_hasil(obj) -> str:
        return richtext_clean(obj.hasil)

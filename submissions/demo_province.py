"""Demo data of the submissions app for ``seed_demo --province``: synthetic but plausible innovations of
the province's own OPDs and of the 37 regions other than Kabupaten Mojokerto, made in bulk (the full demo's
services would take minutes for a thousand innovations).

Log-normally uneven: most regions file a few dozen, a few over a hundred, some a handful; a region still in
pengisian has many drafts. Each innovation has its 20 SID claims with a level and, mostly, evidence (one
small stored PDF that every row names). Deterministic (seeded by the region's code) and made once: a cycle
that has innovations is left alone.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from innovasi.standards.enums import CycleState, EvidenceKind, IndicatorGroup
from innovasi.standards.models import Urusan

from .enums import Bentuk, Inisiator, InnovationState, Jenis, Tahapan, Tematik
from .models import Claim, Evidence, Innovation
from .richtext import richtext_clean, richtext_words
from .samples import pdf_bytes

SEED = 2036
SHARED_EVIDENCE = "bukti/demo-provinsi-bukti.pdf"
# The urusan of an OPD's innovations, by its short name (the province's OPDs end in " Jatim").
URUSAN_BY_OPD = {
    "Bappeda": "perencanaan",
    "BRIDA": "litbang",
    "Setdaprov": "fungsi_lain",
    "Inspektorat": "fungsi_lain",
    "Dinkes": "kesehatan",
    "Dindik": "pendidikan",
    "Dispendik": "pendidikan",
    "DPUPR": "pupr",
    "PU Bina Marga": "pupr",
    "Dinsos": "sosial",
    "Disperkim": "perkim",
    "Satpol PP": "trantibum",
    "Dispendukcapil": "adminduk",
    "Diskominfo": "kominfo",
    "Kominfo": "kominfo",
    "DPMPTSP": "penanaman_modal",
    "Distan": "pertanian",
    "Distanpan": "pertanian",
    "DLH": "lingkungan_hidup",
    "Dishub": "perhubungan",
    "Bapenda": "keuangan",
    "RSUD": "kesehatan",
    "Kecamatan Kota": "fungsi_lain",
}
NAMES_BY_URUSAN = {
    "perencanaan": ["Musrenbang Daring", "Satu Data Pembangunan", "Klinik Inovasi Daerah"],
    "litbang": ["Kawah Inovasi Daerah", "Riset Terapan Bersama Kampus"],
    "fungsi_lain": ["PATEN Kecamatan Daring", "Tanda Tangan Elektronik Naskah Dinas", "Kelurahan Tanggap"],
    "kesehatan": [
        "Posyandu Digital",
        "Ambulans Desa Siaga",
        "Skrining Stunting Terpadu",
        "Telemedisin Puskesmas",
        "Antrean Daring Rumah Sakit",
    ],
    "pendidikan": ["Sekolah Literasi Desa", "Beasiswa Daring", "Rapor Digital", "Guru Berbagi Modul"],
    "pupr": ["Lapor Jalan Rusak", "Irigasi Pintar", "Peta Tata Ruang Daring"],
    "sosial": ["Pemutakhiran DTKS Mandiri", "Rumah Singgah Disabilitas", "Kartu Lansia Sejahtera"],
    "perkim": ["Bedah Rumah Gotong Royong", "Penerangan Jalan Tenaga Surya"],
    "trantibum": ["Patroli Trantib Berbasis Aplikasi", "Desa Tangguh Bencana"],
    "adminduk": ["Adminduk Jemput Bola", "Akta Lahir dari Rumah Sakit", "KTP Elektronik Sehari Jadi"],
    "kominfo": ["Aplikasi Pengaduan Warga", "Command Center", "Desa Digital"],
    "penanaman_modal": ["Izin Usaha Sehari Jadi", "Mal Pelayanan Publik Keliling", "Klinik Investasi"],
    "pertanian": ["Petani Milenial", "Kartu Tani Digital", "Pupuk Organik Desa"],
    "lingkungan_hidup": ["Bank Sampah Digital", "Kampung Iklim", "Sedekah Sampah"],
    "perhubungan": ["Uji KIR Daring", "Halte Pintar", "Parkir Nontunai"],
    "keuangan": ["Bayar PBB Lewat QRIS", "Pajak Daerah Daring", "Retribusi Nontunai"],
}
DIGITAL_WORDS = (
    "Daring",
    "Digital",
    "Aplikasi",
    "Elektronik",
    "QRIS",
    "Nontunai",
    "Pintar",
    "Command",
    "Telemedisin",
    "Data",
)
# Share of each state by the stage the cycle is in.
STATES = {
    CycleState.OPEN: (
        (InnovationState.DRAFT, 50),
        (InnovationState.DIAJUKAN, 35),
        (InnovationState.REVISI, 5),
        (InnovationState.TERVERIFIKASI, 10),
    ),
    CycleState.VERIFICATION: (
        (InnovationState.DRAFT, 8),
        (InnovationState.DIAJUKAN, 40),
        (InnovationState.REVISI, 12),
        (InnovationState.TERVERIFIKASI, 40),
    ),
    CycleState.REVISION: (
        (InnovationState.DRAFT, 5),
        (InnovationState.DIAJUKAN, 15),
        (InnovationState.REVISI, 20),
        (InnovationState.TERVERIFIKASI, 60),
    ),
}
# A region's diligence (0.25–1): how high its OPDs claim, how much evidence they attach, how much of it
# its verifiers accept and how much SPD data Bappeda gathers. Regions differ: the ranking spreads out.
QUALITY_RANGE = (0.25, 1.0)


def region_quality(code):
    """The synthetic region's diligence, the same for every app's part of the demo (from its code)."""
    return random.Random(f"quality-{code}").uniform(*QUALITY_RANGE)


def _levels(quality):
    return ((0, 4 + 16 * (1 - quality)), (1, 10 + 20 * (1 - quality)), (2, 40), (3, 10 + 45 * quality))


DESIGN = (
    "Dasar hukum inovasi {name} adalah Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah dan "
    "Peraturan Pemerintah Nomor 38 Tahun 2017 tentang Inovasi Daerah, serta keputusan kepala daerah {region} "
    "yang menetapkannya.\n\n"
    "Permasalahan yang dijawab adalah layanan yang lambat, data yang tersebar, dan warga yang harus datang "
    "berkali-kali untuk satu urusan. {opd} menyederhanakan prosedur, bekerja sama dengan desa, sekolah, "
    "puskesmas dan komunitas, dan mengukur setiap tahap dengan indikator kinerja yang dilaporkan setiap bulan.\n\n"
    "Kebaruan inovasi ini terletak pada layanan yang menjemput warga, pencatatan yang langsung terhubung "
    "dengan basis data daerah, dan umpan balik masyarakat yang ditindaklanjuti dalam waktu singkat. Cara "
    "kerjanya dimulai dari pendaftaran atau laporan warga, verifikasi petugas, pelayanan sesuai standar, "
    "lalu evaluasi kepuasan; ringkasan data dibagikan kepada pimpinan setiap minggu.\n\n"
    "Hasilnya waktu layanan lebih singkat, penerima manfaat bertambah, dan biaya lebih hemat bagi warga dan "
    "pemerintah daerah. Keberlanjutannya dijamin penganggaran rutin dalam APBD, tim pengelola yang ditetapkan "
    "dengan surat keputusan, pelatihan petugas baru setiap tahun, dan evaluasi berkala bersama perguruan "
    "tinggi; masyarakat ikut mengawasi lewat forum warga dan kanal pengaduan yang terbuka untuk umum.\n\n"
    "Isu strategis yang dijawab adalah peningkatan kualitas pelayanan publik, pemerataan akses layanan sampai "
    "ke desa dan kelurahan, dan pemanfaatan data untuk pengambilan keputusan sesuai rencana pembangunan "
    "jangka menengah daerah. Inovasi ini juga mendukung pencapaian standar pelayanan minimal dan indikator "
    "kinerja utama perangkat daerah yang menjalankannya.\n\n"
    "Ke depan, {opd} merencanakan perluasan inovasi {name} ke seluruh kecamatan, integrasi dengan layanan "
    "daerah lainnya, dan publikasi capaian secara terbuka agar setiap warga dapat menilai manfaatnya. Inovasi "
    "ini mudah direplikasi oleh daerah lain karena prosedurnya sederhana, biayanya terjangkau, dan setiap "
    "langkahnya terdokumentasi dalam panduan yang dapat diunduh oleh siapa saja yang memerlukannya.\n\n"
    "Metode pembaharuan yang dipakai adalah penyederhanaan alur layanan, pemanfaatan teknologi yang sudah "
    "dimiliki daerah, pendampingan petugas di lapangan, dan kolaborasi dengan dunia usaha serta organisasi "
    "masyarakat. Setiap keluhan dicatat, ditanggapi paling lama tiga hari kerja, dan hasil tindak lanjutnya "
    "diumumkan kembali kepada warga yang melapor."
)


def _pick(rng, weighted):
    return rng.choices([value for value, _w in weighted], [weight for _v, weight in weighted])[0]


def _size(rng, code):
    """How many innovations a region files: log-normal (median about 20), the big cities and the known
    innovators somewhat more."""
    factor = 2.0 if code in ("35.78", "35.15", "35.10", "35.73") else 1.0
    return max(2, min(180, round(rng.lognormvariate(3.0, 0.75) * factor)))


def _short(region_name):
    return region_name.removeprefix("Kabupaten ").removeprefix("Kota ").removeprefix("Provinsi ")


def _urusan_of(opd):
    key = opd.short_name.removesuffix(" Jatim")
    return URUSAN_BY_OPD.get(key, URUSAN_BY_OPD.get(opd.short_name, "fungsi_lain"))


def _innovations(cycle, opds, operators, rng, size, urusan, window):
    """``size`` unsaved innovations of ``cycle`` spread log-normally over ``opds``."""
    region = cycle.region
    weights = [rng.lognormvariate(0, 0.8) for _ in opds]
    used: dict[str, int] = {}
    start, end = window
    innovations = []
    for opd in rng.choices(opds, weights, k=size):
        code = _urusan_of(opd)
        base = rng.choice(NAMES_BY_URUSAN.get(code, NAMES_BY_URUSAN["fungsi_lain"]))
        name = f"{base} {_short(region.name)}"
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name} {used[name]}"
        state = _pick(rng, STATES.get(cycle.state, STATES[CycleState.VERIFICATION]))
        applied = start + datetime.timedelta(days=rng.randint(-100, (end - start).days))
        design = richtext_clean(DESIGN.format(name=name, region=region.name, opd=opd.name))
        jenis = Jenis.DIGITAL if any(word in name for word in DIGITAL_WORDS) else Jenis.NON_DIGITAL
        innovations.append(
            Innovation(
                cycle=cycle,
                opd=opd,
                created_by=operators.get(opd.pk) or operators[None],
                state=state,
                name=name,
                tahapan=_pick(rng, ((Tahapan.PENERAPAN, 80), (Tahapan.UJI_COBA, 12), (Tahapan.INISIATIF, 8))),
                inisiator=rng.choice([Inisiator.OPD, Inisiator.OPD, Inisiator.KEPALA_DAERAH, Inisiator.ASN]),
                inisiator_name=opd.name,
                jenis=jenis,
                bentuk=Bentuk.PELAYANAN_PUBLIK if rng.random() < 0.7 else Bentuk.TATA_KELOLA,
                tematik=Tematik.DIGITALISASI if jenis == Jenis.DIGITAL else Tematik.NON_TEMATIK,
                urusan_utama=urusan[code],
                rancang_bangun=design,
                rancang_bangun_words=richtext_words(design) if rng.random() > 0.08 else 180,
                tujuan=f"Meningkatkan mutu dan jangkauan layanan {opd.name} bagi masyarakat {region.name}.",
                manfaat="Layanan lebih cepat, mudah dan murah; data lebih akurat untuk perencanaan daerah.",
                hasil="Waktu layanan berkurang, penerima manfaat bertambah, dan kepuasan masyarakat meningkat.",
                waktu_uji_coba=applied - datetime.timedelta(days=rng.randint(60, 200)),
                waktu_penerapan=applied,
                submitted_at=None if state == InnovationState.DRAFT else timezone.now(),
            )
        )
    return innovations


def _claims(innovations, indicators, rng, quality):
    claims, evidence_of = [], []
    levels, evidence_share = _levels(quality), 0.75 + 0.23 * quality
    for innovation in innovations:
        draft = innovation.state == InnovationState.DRAFT
        for indicator in indicators:
            level = _pick(rng, levels) if not draft or rng.random() < 0.6 else 0
            basis = rng.choice("abcdef") if level and indicator.has_basis else ""
            claims.append(Claim(innovation=innovation, indicator=indicator, level=level, basis=basis))
            evidence_of.append(bool(level) and rng.random() < evidence_share)
    return claims, evidence_of


def seed_province(context):
    """The synthetic innovations of every regional cycle made in this run or still empty, and of the
    province's own cycle while it has none."""
    if not default_storage.exists(SHARED_EVIDENCE):
        default_storage.save(SHARED_EVIDENCE, ContentFile(pdf_bytes("Bukti contoh", "Demo provinsi")))
    urusan = {item.code: item for item in Urusan.objects.all()}
    cycles = [(context["province_cycle"], context["province_opds"], context["province_staff"])]
    for item in context["synthetic_regions"].values():
        cycles.append((context["synthetic_cycles"][item["region"].pk], item["opds"], item["staff"]))
    made = 0
    for cycle, opds_by_key, staff in cycles:
        if Innovation.objects.filter(cycle=cycle).exists():
            continue
        region = cycle.region
        rng = random.Random(f"{SEED}-{region.code}")
        catalogue = cycle.catalogue
        window = [
            datetime.date.fromisoformat(str(day))
            for day in catalogue.rules["eligibility"]["penerapan_or_development_between"]
        ]
        indicators = list(catalogue.indicators.filter(group=IndicatorGroup.SID).order_by("position"))
        filing = [
            opd for opd in opds_by_key.values() if not opd.short_name.startswith(("Bappeda", "Inspektorat"))
        ]
        operators = {user.opd_id: user for user in staff.values() if user.role == "operator"}
        operators[None] = next(user for user in staff.values() if user.role == "admin")
        size = _size(rng, region.code) if region.kind != "provinsi" else 14
        innovations = Innovation.objects.bulk_create(
            _innovations(cycle, filing, operators, rng, size, urusan, window), batch_size=1000
        )
        claims, evidence_of = _claims(innovations, indicators, rng, region_quality(region.code))
        claims = Claim.objects.bulk_create(claims, batch_size=2000)
        Evidence.objects.bulk_create(
            (
                Evidence(
                    claim=claim,
                    kind=EvidenceKind.PDF,
                    file=SHARED_EVIDENCE,
                    original_name=f"{claim.indicator.code.lower()}-bukti.pdf",
                    size=1024,
                    uploaded_by=claim.innovation.created_by,
                )
                for claim, has_evidence in zip(claims, evidence_of, strict=True)
                if has_evidence
            ),
            batch_size=2000,
        )
        made += len(innovations)
    context["stdout"].write(f"province demo: {made} synthetic innovations created")

"""Demo data of the submissions app (``seed_demo``): about sixty innovations of Kabupaten Mojokerto's OPDs.

Deterministic (a fixed random seed), idempotent (an innovation that exists by name is left alone), and
made through the services where the workflow matters, so that history and signals are as in real use.
Evidence files are small valid PDFs and PNGs generated here. Some OPDs are left without innovations on
purpose: the dashboard's "belum berinovasi" list must have something to show.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from innovasi.standards.enums import EvidenceKind
from innovasi.standards.models import Urusan

from . import services
from .enums import Bentuk, Inisiator, InnovationState, Jenis, Tahapan, Tematik
from .models import Evidence, Innovation, unguessable_path
from .samples import image_bytes, pdf_bytes

SEED = 2026

# (name, OPD key as in innovasi/accounts/demo.py, urusan utama, jenis)
INNOVATIONS = [
    ("SIGAP Stunting: Sistem Informasi Gizi Anak Terpadu", "Dinkes", "kesehatan", Jenis.DIGITAL),
    ("Posyandu Digital Majapahit", "Dinkes", "kesehatan", Jenis.DIGITAL),
    ("Ambulans Desa Siaga 24 Jam", "Dinkes", "kesehatan", Jenis.NON_DIGITAL),
    ("TELISA: Telekonsultasi Ibu Hamil Risiko Tinggi", "Dinkes", "kesehatan", Jenis.DIGITAL),
    ("Kelas Lansia Bugar Mojosari", "Puskesmas Mojosari", "kesehatan", Jenis.NON_DIGITAL),
    ("Jemput Bola Imunisasi Trowulan", "Puskesmas Trowulan", "kesehatan", Jenis.NON_DIGITAL),
    ("Pos Kesehatan Pesantren Pacet", "Puskesmas Pacet", "kesehatan", Jenis.NON_DIGITAL),
    ("Skrining TBC di Pabrik Ngoro", "Puskesmas Ngoro", "kesehatan", Jenis.NON_DIGITAL),
    ("Antrean Daring RSUD Soekandar", "RSUD Soekandar", "kesehatan", Jenis.DIGITAL),
    ("Rekam Medis Elektronik Terintegrasi", "RSUD Soekandar", "kesehatan", Jenis.DIGITAL),
    ("Cuci Darah Tanpa Antre", "RSUD Basoeni", "kesehatan", Jenis.NON_DIGITAL),
    ("Sekolah Penggerak Literasi Desa", "Dispendik", "pendidikan", Jenis.NON_DIGITAL),
    ("Beasiswa Mojokerto Cerdas Daring", "Dispendik", "pendidikan", Jenis.DIGITAL),
    ("Guru Berbagi Modul Digital", "Dispendik", "pendidikan", Jenis.DIGITAL),
    ("Rapor Karakter Majapahit", "Dispendik", "pendidikan", Jenis.NON_DIGITAL),
    ("SIMANTAP: Lapor Jalan Rusak", "DPUPR", "pupr", Jenis.DIGITAL),
    ("Irigasi Pintar Berbasis Sensor", "DPUPR", "pupr", Jenis.DIGITAL),
    ("Bedah Rumah Gotong Royong", "Disperkim", "perkim", Jenis.NON_DIGITAL),
    ("Penerangan Jalan Tenaga Surya Desa", "Disperkim", "perkim", Jenis.NON_DIGITAL),
    ("DTKS Tuntas: Pemutakhiran Data Kemiskinan", "Dinsos", "sosial", Jenis.DIGITAL),
    ("Rumah Singgah Disabilitas", "Dinsos", "sosial", Jenis.NON_DIGITAL),
    ("Kartu Lansia Sejahtera", "Dinsos", "sosial", Jenis.NON_DIGITAL),
    ("Patroli Trantib Berbasis Aplikasi", "Satpol PP", "trantibum", Jenis.DIGITAL),
    ("Damkar Siaga Kecamatan", "Satpol PP", "trantibum", Jenis.NON_DIGITAL),
    ("Desa Tangguh Bencana Berbasis Peta Risiko", "BPBD", "trantibum", Jenis.DIGITAL),
    ("Adminduk Jemput Bola ke Sekolah", "Dispendukcapil", "adminduk", Jenis.NON_DIGITAL),
    ("Akta Kelahiran Langsung dari Rumah Sakit", "Dispendukcapil", "adminduk", Jenis.DIGITAL),
    ("Dukcapil Daring 24 Jam", "Dispendukcapil", "adminduk", Jenis.DIGITAL),
    ("Desa Digital Mojokerto", "DPMD", "pmd", Jenis.DIGITAL),
    ("BUMDes Naik Kelas", "DPMD", "pmd", Jenis.NON_DIGITAL),
    ("Sekolah Ramah Anak Terpadu", "DP2KBP2", "pppa", Jenis.NON_DIGITAL),
    ("Kampung KB Berdaya", "DP2KBP2", "dalduk_kb", Jenis.NON_DIGITAL),
    ("Bank Sampah Digital", "DLH", "lingkungan_hidup", Jenis.DIGITAL),
    ("Kampung Iklim Mojokerto", "DLH", "lingkungan_hidup", Jenis.NON_DIGITAL),
    ("Uji KIR Daring", "Dishub", "perhubungan", Jenis.DIGITAL),
    ("Halte Pintar Mojosari", "Dishub", "perhubungan", Jenis.DIGITAL),
    ("Satu Data Mojokerto", "Diskominfo", "kominfo", Jenis.DIGITAL),
    ("Mojokerto Command Center", "Diskominfo", "kominfo", Jenis.DIGITAL),
    ("SIPRAJA: Pengaduan Warga", "Diskominfo", "kominfo", Jenis.DIGITAL),
    ("Klinik UMKM Naik Kelas", "Diskopum", "koperasi_ukm", Jenis.NON_DIGITAL),
    ("Katalog Produk UMKM Daring", "Diskopum", "koperasi_ukm", Jenis.DIGITAL),
    ("Izin Usaha Sehari Jadi", "DPMPTSP", "penanaman_modal", Jenis.DIGITAL),
    ("Mal Pelayanan Publik Keliling", "DPMPTSP", "penanaman_modal", Jenis.NON_DIGITAL),
    ("Petani Milenial Smart Farming", "Distan", "pertanian", Jenis.DIGITAL),
    ("Kartu Tani Digital", "Distan", "pertanian", Jenis.DIGITAL),
    ("Lumbung Pangan Desa", "Diskanpan", "pangan", Jenis.NON_DIGITAL),
    ("Budidaya Ikan Sistem Bioflok", "Diskanpan", "kelautan_perikanan", Jenis.NON_DIGITAL),
    ("Paket Wisata Majapahit Trowulan", "Disparpora", "pariwisata", Jenis.NON_DIGITAL),
    ("Liga Desa Mojokerto", "Disparpora", "pemuda_olahraga", Jenis.NON_DIGITAL),
    ("Pasar Rakyat Nontunai", "Disperindag", "perdagangan", Jenis.DIGITAL),
    ("Bursa Kerja Daring Mojokerto", "Disnaker", "tenaga_kerja", Jenis.DIGITAL),
    ("Perpustakaan Keliling Digital", "Dispusip", "perpustakaan", Jenis.DIGITAL),
    ("Bayar PBB Lewat QRIS", "Bapenda", "keuangan", Jenis.DIGITAL),
    ("Pajak Daerah Daring", "Bapenda", "keuangan", Jenis.DIGITAL),
    ("Aset Daerah Terpetakan", "BPKAD", "keuangan", Jenis.DIGITAL),
    ("E-Kinerja ASN Mojokerto", "BKPSDM", "kepegawaian", Jenis.DIGITAL),
    ("Musrenbang Daring", "Bappeda", "perencanaan", Jenis.DIGITAL),
    ("Klinik Inovasi Daerah", "Bappeda", "litbang", Jenis.NON_DIGITAL),
    ("Whistleblowing System Terpadu", "Inspektorat", "fungsi_lain", Jenis.DIGITAL),
    ("Tanda Tangan Elektronik Naskah Dinas", "Setda", "fungsi_lain", Jenis.DIGITAL),
    ("PATEN Kecamatan Mojosari Daring", "Kecamatan Mojosari", "fungsi_lain", Jenis.DIGITAL),
    ("Kampung Majapahit Trowulan", "Kecamatan Trowulan", "kebudayaan", Jenis.NON_DIGITAL),
    ("Pacet Tourism Hub", "Kecamatan Pacet", "pariwisata", Jenis.DIGITAL),
]
# Drafts (never submitted), as the OPDs would have them a month before closing.
DRAFTS = {
    "TELISA: Telekonsultasi Ibu Hamil Risiko Tinggi",
    "Rapor Karakter Majapahit",
    "Guru Berbagi Modul Digital",
    "Irigasi Pintar Berbasis Sensor",
    "Damkar Siaga Kecamatan",
    "Halte Pintar Mojosari",
    "Katalog Produk UMKM Daring",
    "Kartu Tani Digital",
    "Liga Desa Mojokerto",
    "Pajak Daerah Daring",
    "Pacet Tourism Hub",
    "Kampung KB Berdaya",
}

DESIGN_PARAGRAPHS = [
    "Dasar hukum inovasi {name} adalah Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah, "
    "Peraturan Pemerintah Nomor 38 Tahun 2017 tentang Inovasi Daerah, serta Peraturan Bupati Mojokerto "
    "yang menetapkan inovasi ini sebagai bagian dari program kerja {opd}.",
    "Permasalahan yang dihadapi sebelum inovasi ini adalah layanan yang lambat, data yang tersebar di "
    "banyak tempat, dan masyarakat yang harus datang berkali-kali ke kantor untuk satu urusan. Keluhan "
    "warga tercatat meningkat setiap tahun dan petugas kesulitan memantau tindak lanjutnya.",
    "Isu strategis yang dijawab adalah peningkatan kualitas pelayanan publik, pemerataan akses layanan "
    "sampai ke desa, dan pemanfaatan data untuk pengambilan keputusan sesuai RPJMD Kabupaten Mojokerto.",
    "Metode pembaharuan yang digunakan adalah penyederhanaan prosedur, kolaborasi dengan pemerintah desa, "
    "puskesmas, sekolah dan komunitas, serta pendampingan petugas di lapangan. Setiap tahapan diukur "
    "dengan indikator kinerja yang jelas dan dilaporkan setiap bulan kepada kepala perangkat daerah.",
    "Keunggulan dan kebaharuan inovasi {name} terletak pada layanan yang menjemput warga, pencatatan yang "
    "langsung terhubung dengan basis data daerah, dan umpan balik masyarakat yang ditindaklanjuti dalam "
    "waktu singkat. Inovasi ini belum pernah diterapkan dengan cara yang sama di kabupaten sekitar.",
    "Cara kerja inovasi dimulai dari pendaftaran atau laporan warga, verifikasi oleh petugas, pelayanan "
    "sesuai standar, lalu evaluasi kepuasan. Petugas menggunakan formulir sederhana dan ringkasan data "
    "dibagikan kepada pimpinan setiap minggu sehingga hambatan cepat diketahui dan diperbaiki bersama.",
    "Hasil yang sudah dicapai antara lain waktu layanan yang lebih singkat, jumlah penerima manfaat yang "
    "terus bertambah, dan biaya yang lebih hemat bagi masyarakat maupun pemerintah daerah. Inovasi ini "
    "juga mudah direplikasi oleh perangkat daerah lain karena prosedurnya sederhana dan terdokumentasi.",
    "Keberlanjutan inovasi dijamin melalui penganggaran rutin dalam APBD, penetapan tim pengelola dengan "
    "surat keputusan, pelatihan petugas baru setiap tahun, dan kerja sama dengan perguruan tinggi untuk "
    "evaluasi berkala. Masyarakat dilibatkan sebagai pengawas melalui forum warga dan kanal pengaduan.",
    "Ke depan, {opd} merencanakan perluasan inovasi {name} ke seluruh kecamatan, integrasi dengan "
    "layanan daerah lainnya, dan publikasi capaian secara terbuka agar setiap warga dapat menilai manfaatnya.",
]


def _design(name, opd, short=False):
    paragraphs = DESIGN_PARAGRAPHS[:3] if short else DESIGN_PARAGRAPHS
    return "\n\n".join(paragraph.format(name=name, opd=opd.name) for paragraph in paragraphs)


def _profile(name, opd, urusan, jenis, rng, *, complete, years):
    """A profile applied in one of ``years`` (the cycle's window), now and then before it."""
    in_window = rng.random() > 0.1
    applied = datetime.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28))
    if not in_window:
        applied = datetime.date(years[0] - 2, rng.randint(1, 12), rng.randint(1, 28))
    return {
        "name": name,
        "tahapan": Tahapan.PENERAPAN if complete or rng.random() < 0.6 else Tahapan.UJI_COBA,
        "inisiator": rng.choice([Inisiator.OPD, Inisiator.OPD, Inisiator.KEPALA_DAERAH, Inisiator.ASN]),
        "inisiator_name": opd.name,
        "jenis": jenis,
        "bentuk": Bentuk.PELAYANAN_PUBLIK if rng.random() < 0.7 else Bentuk.TATA_KELOLA,
        "tematik": Tematik.DIGITALISASI if jenis == Jenis.DIGITAL else Tematik.NON_TEMATIK,
        "urusan_utama": urusan,
        "rancang_bangun": _design(name, opd, short=not complete and rng.random() < 0.5),
        "tujuan": f"Meningkatkan mutu dan jangkauan layanan {opd.name} bagi masyarakat Kabupaten Mojokerto.",
        "manfaat": "Layanan lebih cepat, mudah dan murah; data lebih akurat untuk perencanaan daerah.",
        "hasil": "Waktu layanan berkurang, penerima manfaat bertambah, dan kepuasan masyarakat meningkat.",
        "waktu_uji_coba": applied - datetime.timedelta(days=rng.randint(60, 200)),
        "waktu_penerapan": applied,
        "waktu_pengembangan": None if in_window or rng.random() < 0.5 else datetime.date(years[-1], 3, 1),
        "video_url": "",
    }


def _evidence_file(claim, innovation):
    """(kind, original name, bytes) of a generated evidence file the indicator accepts."""
    kinds = claim.indicator.evidence_kinds
    lines = (f"Bukti {claim.indicator.code}: {claim.indicator.name_id}", innovation.name, innovation.opd.name)
    if EvidenceKind.PDF in kinds:
        return EvidenceKind.PDF, f"{claim.indicator.code.lower()}-bukti.pdf", pdf_bytes(*lines)
    return EvidenceKind.PNG, f"{claim.indicator.code.lower()}-tangkapan-layar.png", image_bytes(lines[0])


def _fill_claims(innovation, user, rng, *, complete):
    """Choose levels and attach evidence; a complete innovation has every mandatory row with evidence."""
    evidence = []
    for claim in innovation.claims.select_related("indicator").prefetch_related("indicator__options"):
        indicator = claim.indicator
        if not complete and (rng.random() < 0.35 or (indicator.mandatory and rng.random() < 0.3)):
            continue
        if not indicator.mandatory and rng.random() < 0.12:
            continue
        claim.level = rng.choices([1, 2, 3], weights=[2, 4, 3])[0]
        claim.basis = rng.choice("abcdef") if indicator.has_basis else ""
        claim.save(update_fields=["level", "basis", "updated_at"])
        if not complete and rng.random() < 0.2:
            continue  # a level chosen, the evidence still to come
        if EvidenceKind.LINK in indicator.evidence_kinds:
            evidence.append(
                Evidence(
                    claim=claim,
                    kind=EvidenceKind.LINK,
                    link="https://www.youtube.com/watch?v=demo",
                    uploaded_by=user,
                )
            )
            continue
        kind, name, content = _evidence_file(claim, innovation)
        item = Evidence(claim=claim, kind=kind, original_name=name, size=len(content), uploaded_by=user)
        item.file.name = default_storage.save(unguessable_path(item, name), ContentFile(content))
        evidence.append(item)
    Evidence.objects.bulk_create(evidence)


def seed(context):
    """Create the demo innovations: every one of the open cycle (drafts and submitted), and a third of them
    in the previous cycle too (all submitted), so that the trend and "copy from last cycle" have data."""
    region = context["region"]
    operators = {user.opd_id: user for user in User.objects.filter(role=Role.OPERATOR, opd__region=region)}
    _seed_cycle(context, context["previous_cycle"], INNOVATIONS[::3], set(), operators)
    _seed_cycle(context, context["cycle"], INNOVATIONS, DRAFTS, operators)


def _seed_cycle(context, cycle, innovations, drafts, operators):
    rng = random.Random(f"{SEED}-{cycle.catalogue.code}")
    window = cycle.catalogue.rules["eligibility"]["penerapan_or_development_between"]
    years = list(range(int(window[0][:4]), int(window[1][:4]) + 1))
    urusan = {u.code: u for u in Urusan.objects.all()}
    existing = set(Innovation.objects.filter(cycle=cycle).values_list("name", flat=True))
    created = 0
    for name, opd_key, urusan_code, jenis in innovations:
        if name in existing:
            continue
        opd = context["opds"][opd_key]
        # OPDs without a demo login file through a stand-in operator account of their own.
        user = operators.get(opd.pk) or _stand_in_operator(opd)
        operators[opd.pk] = user
        complete = name not in drafts
        innovation = services.innovation_create(cycle=cycle, opd=opd, user=user, name=name)
        profile = _profile(name, opd, urusan[urusan_code], jenis, rng, complete=complete, years=years)
        services.innovation_update_profile(
            innovation=innovation, user=user, data=profile, version=innovation.version
        )
        _fill_claims(innovation, user, rng, complete=complete)
        if complete:
            services.innovation_transition(
                innovation=innovation, user=user, to_state=InnovationState.DIAJUKAN, actor="opd"
            )
        created += 1
    context["stdout"].write(f"{cycle.name}: {created} demo innovations created ({len(innovations)} in all)")


def _stand_in_operator(opd):
    username = f"operator.{(opd.short_name or opd.name).lower().replace(' ', '-')}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "region": opd.region,
            "role": Role.OPERATOR,
            "opd": opd,
            "first_name": "Operator",
            "last_name": opd.name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

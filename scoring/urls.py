from django.urls import path

from .views import awards, verification

app_name = "scoring"

urlpatterns = [
    path("verifikasi/", verification.queue, name="queue"),
    path("verifikasi/penugasan/", verification.assignments, name="assignments"),
    path("verifikasi/indeks/", verification.index_overview, name="index"),
    path("verifikasi/indeks/<int:pk>/", verification.snapshot_detail, name="snapshot"),
    path("verifikasi/spd/", verification.spd, name="spd"),
    path("verifikasi/spd/<int:pk>/", verification.spd_save, name="spd_save"),
    path("verifikasi/spd/<int:pk>/bukti/", verification.spd_upload, name="spd_upload"),
    path(
        "verifikasi/spd/bukti/<int:pk>/hapus/", verification.spd_evidence_remove, name="spd_evidence_remove"
    ),
    path(
        "verifikasi/spd/bukti/<int:pk>/unduh/",
        verification.spd_evidence_download,
        name="spd_evidence_download",
    ),
    path("verifikasi/spd/<int:pk>/terima/", verification.spd_accept, name="spd_accept"),
    path("verifikasi/<int:pk>/", verification.verify, name="verify"),
    path("verifikasi/<int:pk>/ganti-verifikator/", verification.reassign, name="reassign"),
    path("verifikasi/<int:pk>/baris/<int:claim_pk>/", verification.verdict_save, name="verdict_save"),
    path("verifikasi/<int:pk>/kemajuan/", verification.verify_progress, name="verify_progress"),
    path("verifikasi/<int:pk>/selesai/", verification.verify_finish, name="verify_finish"),
    path("verifikasi/inovasi/<int:pk>/panel/", verification.innovation_panel, name="innovation_panel"),
    path(
        "verifikasi/inovasi/<int:pk>/putusan/", verification.innovation_verdicts, name="innovation_verdicts"
    ),
    path("verifikasi/inovasi/<int:pk>/baris/", verification.row_verdicts, name="row_verdicts"),
    path("penghargaan/", awards.scheme_list, name="awards"),
    path("penghargaan/<int:pk>/", awards.scheme_detail, name="award"),
    path("penghargaan/<int:pk>/pengaturan/", awards.scheme_settings, name="award_settings"),
    path("penghargaan/<int:pk>/nominasi/", awards.nominate, name="award_nominate"),
    path("penghargaan/nominasi/<int:pk>/hapus/", awards.nomination_remove, name="award_nomination_remove"),
    path("penghargaan/<int:pk>/juri/", awards.jury_assign, name="award_jury_assign"),
    path("penghargaan/juri/<int:pk>/konflik/", awards.jury_conflicts_change, name="award_conflicts_change"),
    path("penghargaan/<int:pk>/final/", awards.finalise, name="award_finalise"),
    path("penghargaan/provinsi/", awards.entry_schemes, name="entry_schemes"),
    path("penghargaan/provinsi/<int:pk>/", awards.entry_scheme, name="entry_scheme"),
    path("penghargaan/provinsi/<int:pk>/entri/", awards.entry_submit, name="entry_submit"),
    path("penghargaan/provinsi/entri/<int:pk>/tarik/", awards.entry_withdraw, name="entry_withdraw"),
    path("penjurian/", awards.jury_home, name="jury_home"),
    path("penjurian/<int:pk>/", awards.jury_sheet, name="jury_sheet"),
    path("penjurian/<int:pk>/konflik/", awards.jury_declare, name="jury_declare"),
    path("penjurian/<int:pk>/nilai/<int:nomination_pk>/", awards.jury_score, name="jury_score"),
    path("penjurian/<int:pk>/kirim/", awards.jury_submit, name="jury_submit"),
]

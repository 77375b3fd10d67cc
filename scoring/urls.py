from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("penugasan/", views.assignments, name="assignments"),
    path("indeks/", views.index_overview, name="index"),
    path("indeks/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("spd/", views.spd, name="spd"),
    path("spd/<int:pk>/", views.spd_save, name="spd_save"),
    path("spd/<int:pk>/bukti/", views.spd_upload, name="spd_upload"),
    path("spd/bukti/<int:pk>/hapus/", views.spd_evidence_remove, name="spd_evidence_remove"),
    path("spd/bukti/<int:pk>/unduh/", views.spd_evidence_download, name="spd_evidence_download"),
    path("spd/<int:pk>/terima/", views.spd_accept, name="spd_accept"),
    path("<int:pk>/", views.verify, name="verify"),
    path("<int:pk>/ganti-verifikator/", views.reassign, name="reassign"),
    path("<int:pk>/baris/<int:claim_pk>/", views.verdict_save, name="verdict_save"),
    path("<int:pk>/kemajuan/", views.verify_progress, name="verify_progress"),
    path("<int:pk>/selesai/", views.verify_finish, name="verify_finish"),
    path("inovasi/<int:pk>/panel/", views.innovation_panel, name="innovation_panel"),
    path("inovasi/<int:pk>/putusan/", views.innovation_verdicts, name="innovation_verdicts"),
]

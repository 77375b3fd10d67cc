from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.innovation_list, name="list"),
    path("baru/", views.innovation_create, name="create"),
    path("salin/", views.innovation_copy, name="copy"),
    path("panduan/<slug:code>/", views.guide, name="guide"),
    path("pengesahan/", views.endorsements, name="endorsements"),
    path("<int:pk>/", views.innovation_detail, name="detail"),
    path("<int:pk>/ubah/", views.innovation_edit, name="edit"),
    path("<int:pk>/ajukan/", views.innovation_submit, name="submit"),
    path("<int:pk>/pengesahan/", views.innovation_endorse, name="endorse"),
    path("<int:pk>/terbit/", views.innovation_publish, name="publish"),
    path("<int:pk>/indikator/<int:claim_pk>/", views.claim_save, name="claim_save"),
    path("<int:pk>/indikator/<int:claim_pk>/jawab/", views.claim_answer, name="claim_answer"),
    path("<int:pk>/indikator/<int:claim_pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/bukti/<int:evidence_pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("<int:pk>/bukti/<int:evidence_pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/bukti/<int:evidence_pk>/lihat/", views.evidence_preview, name="evidence_preview"),
    path("<int:pk>/dokumen/<slug:kind>/", views.document_put, name="document_put"),
    path("<int:pk>/dokumen/<slug:kind>/hapus/", views.document_remove, name="document_remove"),
    path("<int:pk>/dokumen/<slug:kind>/unduh/", views.document_download, name="document_download"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.report_list, name="list"),
    path("laporan/minta/", views.report_request, name="request"),
    path("laporan/<uuid:pk>/", views.report_status, name="status"),
    path("laporan/<uuid:pk>/unduh/", views.report_download, name="download"),
    path("laporan/<uuid:pk>/ulang/", views.report_retry, name="retry"),
    path("sertifikat/<str:code>/", views.certificate, name="certificate"),
]

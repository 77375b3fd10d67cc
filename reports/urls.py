from django.urls import path

from . import certificate_views, ranking_views, views, workbook_views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.report_list, name="list"),
    path("laporan/minta/", views.report_request, name="request"),
    path("laporan/<uuid:pk>/", views.report_status, name="status"),
    path("laporan/<uuid:pk>/unduh/", views.report_download, name="download"),
    path("laporan/<uuid:pk>/ulang/", views.report_retry, name="retry"),
    path("piagam/siklus/<int:pk>/", certificate_views.cycle_certificates, name="certificates"),
    path(
        "piagam/siklus/<int:pk>/terbitkan/",
        certificate_views.cycle_certificates_issue,
        name="certificates_issue",
    ),
    path("piagam/penghargaan/<int:pk>/", certificate_views.award_certificates, name="award_certificates"),
    path(
        "piagam/penghargaan/<int:pk>/terbitkan/",
        certificate_views.award_certificates_issue,
        name="award_certificates_issue",
    ),
    path("paket-nasional/siklus/<int:pk>/", views.national_package, name="national_package"),
    path("paket-nasional/siklus/<int:pk>/buat/", views.national_package_build, name="national_package_build"),
    path("buku-kerja/siklus/<int:pk>/templat/", workbook_views.workbook_template, name="workbook_template"),
    path("buku-kerja/siklus/<int:pk>/impor/", workbook_views.workbook_import, name="workbook_import"),
    path("buku-kerja/impor/<uuid:pk>/", workbook_views.workbook_upload, name="workbook_upload"),
    path(
        "buku-kerja/impor/<uuid:pk>/konfirmasi/",
        workbook_views.workbook_upload_confirm,
        name="workbook_upload_confirm",
    ),
    path("sertifikat/", views.certificate_find, name="certificate_find"),
    path("sertifikat/<str:code>/", views.certificate, name="certificate"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/opd/<int:pk>/", views.dashboard_opd, name="dashboard_opd"),
    path("dasbor/pemantauan/", views.monitoring, name="monitoring"),
    path("dasbor/pemantauan/<int:pk>/ingatkan/", views.remind, name="remind"),
    path("peringkat/", ranking_views.ranking, name="ranking"),
    path("peringkat/wilayah/<int:pk>/", ranking_views.region_dashboard, name="region_dashboard"),
    path("galeri/", views.gallery, name="gallery"),
    path("galeri/<int:pk>/", views.gallery_innovation, name="gallery_innovation"),
]

from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("baru/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/ubah/", views.cycle_edit, name="cycle_edit"),
    path("<int:pk>/tahap/", views.cycle_transition, name="cycle_transition"),
    path("<int:pk>/perpanjangan/", views.extension_save, name="extension_save"),
    path("<int:pk>/perpanjangan/<int:extension_pk>/cabut/", views.extension_remove, name="extension_remove"),
]

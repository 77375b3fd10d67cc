from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, views
from .permissions import permission_required, public

signed_in = permission_required("accounts.use_portal")

app_name = "accounts"

urlpatterns = [
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", views.notifications_read_all, name="notifications_read_all"),
    path("wilayah/pengaturan/", views.region_settings, name="region_settings"),
    path("wilayah/logo/", views.region_logo, name="region_logo"),
    path(
        "masuk/",
        public(
            auth_views.LoginView.as_view(
                authentication_form=forms.LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("keluar/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "kata-sandi/ubah/",
        signed_in(
            auth_views.PasswordChangeView.as_view(
                form_class=forms.PasswordChangeForm, success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "kata-sandi/ubah/selesai/",
        signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("kata-sandi/lupa/", public(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "kata-sandi/lupa/terkirim/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                form_class=forms.SetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

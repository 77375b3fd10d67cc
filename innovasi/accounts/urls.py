from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms
from .permissions import permission_required, public
from .views import account, opds, setup, users

signed_in = permission_required("accounts.use_portal")

app_name = "accounts"

urlpatterns = [
    path("notifikasi/", account.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/", account.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", account.notifications_read_all, name="notifications_read_all"),
    path("wilayah/pengaturan/", account.region_settings, name="region_settings"),
    path("wilayah/logo/", account.region_logo, name="region_logo"),
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
    path("kata-sandi/lupa/", public(account.PasswordResetView.as_view()), name="password_reset"),
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
    path("undangan/<uidb64>/<token>/", setup.InvitationView.as_view(), name="invitation"),
    # A fresh installation's set-up, and the admin's pages of the region's OPDs and users.
    path("siapkan-wilayah/", setup.region_setup, name="region_setup"),
    path("opd/", opds.opd_list, name="opd_list"),
    path("opd/baru/", opds.opd_create, name="opd_create"),
    path("opd/impor/", opds.opd_import, name="opd_import"),
    path("opd/<int:pk>/", opds.opd_detail, name="opd_detail"),
    path("opd/<int:pk>/aktif/", opds.opd_active, name="opd_active"),
    path("pengguna/", users.user_list, name="user_list"),
    path("pengguna/undang/", users.user_invite, name="user_invite"),
    path("pengguna/impor/", users.user_import, name="user_import"),
    path("pengguna/<int:pk>/", users.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/aktif/", users.user_active, name="user_active"),
    path("pengguna/<int:pk>/tautan/", users.user_link, name="user_link"),
]

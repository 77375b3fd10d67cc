"""A fresh installation's set-up page, and the page where an invited person sets their password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innovasi.errors import PortalError

from .. import forms
from ..permissions import permission_required, public
from ..services import people
from ..tokens import invitation_token_generator


@require_http_methods(["GET", "POST"])
@permission_required("accounts.set_up_region")
def region_setup(request):
    """The superuser of a fresh installation, who belongs to no region yet, sets up the region (name, kind,
    code) and becomes its admin; the OPDs come next."""
    form = forms.RegionSetupForm(request.POST or None)
    if form.is_valid():
        try:
            result = people.region_set_up(**form.cleaned_data, admin=request.user)
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(region)s sudah disiapkan dan Anda admin-nya. Langkah berikutnya: tambahkan OPD "
                    "(satu per satu atau dari berkas), lalu undang penggunanya."
                )
                % {"region": result.region.name},
            )
            return redirect("accounts:opd_list")
    return render(request, "accounts/region_setup.html", {"form": form})


@method_decorator(public, name="dispatch")
class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the invited person chooses a password and is logged in. The link works
    once and for ``INVITATION_VALID_DAYS`` days (``tokens``); an expired or used one says whom to ask."""

    token_generator = invitation_token_generator
    form_class = forms.SetPasswordForm
    template_name = "accounts/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "innovasi.accounts.backends.PortalModelBackend"
    success_url = reverse_lazy("home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Kata sandi Anda tersimpan. Selamat datang di Portal Inovasi Daerah.")
        )
        return response

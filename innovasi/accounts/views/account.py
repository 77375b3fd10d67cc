"""The account's own pages (notifications, the password reset) and the region's settings."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.sites.shortcuts import get_current_site
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovasi.errors import PortalError

from .. import forms, selectors, services
from ..models import Notification, Region
from ..permissions import permission_required, public, require


@require_safe
@permission_required("accounts.use_portal")
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)[:100]
    return render(request, "accounts/notification_list.html", {"notifications": notifications})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.use_portal")
def notification_open(request, pk):
    """Go where a notification points (only ever inside the portal); a POST (the list's buttons) marks it
    read first. A GET (an old link, a prefetching browser) changes nothing."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if request.method == "POST":
        services.notifications_mark_read(user=request.user, pk=notification.pk)
    allowed = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if notification.url and allowed else "accounts:notifications")


@require_POST
@permission_required("accounts.use_portal")
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("accounts:notifications")


@method_decorator(public, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. Every address gets the same answer after the same work (the account is looked
    up by a worker); a client asking too often within the hour is refused with 429."""

    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Not Django's form_valid: its form.save() looks the account up here, in the request.
        accepted = services.password_reset_request(
            email=form.cleaned_data["email"],
            client=get_client_ip_address(self.request),
            domain=get_current_site(self.request).domain,
            use_https=self.request.is_secure(),
            language=translation.get_language(),
        )
        if not accepted:
            form.add_error(
                None,
                _(
                    "Terlalu banyak permintaan atur ulang kata sandi dari perangkat Anda. Coba lagi satu jam lagi."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


def _own_region(request):
    region = Region.objects.get(pk=request.user.region_id)
    require(request.user, "accounts.change_region_settings", region)
    return region


@require_http_methods(["GET", "POST"])
@permission_required("accounts.change_region_settings")
def region_settings(request):
    """The region's letterhead, signatories and certificate numbering, with the history of their changes
    and of the certificates issued."""
    region = _own_region(request)
    if request.method == "POST":
        # The form writes what it cleans into its instance: its own copy, so that the page still shows
        # what is stored when the form comes back with errors.
        form = forms.RegionSettingsForm(
            request.POST, request.FILES, instance=Region.objects.get(pk=region.pk)
        )
        if form.is_valid():
            try:
                services.region_settings_update(
                    region=region,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    values=form.settings_values(),
                    logo=form.cleaned_data["logo"],
                    logo_remove=form.cleaned_data["logo_remove"],
                )
            except PortalError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Pengaturan wilayah disimpan."))
                return redirect("accounts:region_settings")
    else:
        form = forms.RegionSettingsForm(instance=region)
    today = timezone.localdate()
    return render(
        request,
        "accounts/region_settings.html",
        {
            "region": region,
            "form": form,
            "history": selectors.region_settings_history(region),
            "refusal": selectors.certificate_refusal(region),
            "opds_without_head": selectors.opds_without_head(region_id=region.pk)
            if region.opd_endorsement
            else [],
            "place_date": selectors.region_place_date(region, today),
            "number_examples": [
                selectors.certificate_number_example(region, today, number) for number in (1, 2)
            ],
        },
    )


@require_safe
@permission_required("accounts.change_region_settings")
def region_logo(request):
    """The region's current logo, for its settings page: an image of the type its content was checked to
    be (PNG or JPG), with nothing that could run."""
    region = _own_region(request)
    if not region.logo:
        raise Http404(_("Wilayah ini belum mempunyai logo."))
    content_type = "image/png" if region.logo.name.lower().endswith(".png") else "image/jpeg"
    try:
        response = FileResponse(region.logo.open("rb"), content_type=content_type)
    except FileNotFoundError:
        raise Http404(_("Berkas logo tidak ditemukan di penyimpanan.")) from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response

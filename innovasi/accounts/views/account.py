"""The account's own pages: notifications and the password reset."""

from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import forms, services
from ..models import Notification
from ..permissions import permission_required, public


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

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from . import services
from .models import Notification
from .permissions import permission_required


@require_safe
@permission_required("accounts.use_portal")
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)[:100]
    return render(request, "accounts/notification_list.html", {"notifications": notifications})


@permission_required("accounts.use_portal")
def notification_open(request, pk):
    """Mark one notification read and go where it points (only ever inside the portal)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, pk=notification.pk)
    allowed = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if notification.url and allowed else "accounts:notifications")


@require_POST
@permission_required("accounts.use_portal")
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("accounts:notifications")

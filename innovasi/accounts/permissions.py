"""The portal's permissions: django-rules predicates, each rule decided here or in an app's permissions.py,
and asked by views, services, templates and the navigation alike.

Objects are matched by duck typing: anything with a ``region_id`` belongs to a region, anything with an
``opd_id`` belongs to an OPD. A view first finds the object among those the user may see (404 for an
outsider, who cannot tell it exists), then asks the permission for what it does (403 for a user who may
see it but not do that). Rules are asked with ``rules.has_perm``, never ``User.has_perm``: a Django
superuser has every Django permission, but in the portal only what their role gives them.
"""

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .enums import OVERSEEING_KINDS, RegionKind, Role
from .models import Region, below

Denied = str | Callable[..., str]
# The message a user is given when a rule refuses them, by permission name.
_DENIED: dict[str, Denied] = {}


def add_perm(name: str, predicate, *, denied: Denied) -> None:
    """Register a portal permission with the message (or a function of user and object giving it) shown
    to someone it refuses."""
    rules.add_perm(name, predicate)
    _DENIED[name] = denied


def allowed(user, perm: str, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)


def denied_message(user, perm: str, obj=None) -> str:
    message = _DENIED.get(perm, _("Halaman ini bukan untuk peran Anda."))
    return str(message(user, obj) if callable(message) else message)


def require(user, perm: str, obj=None, *, error: type[Exception] = PermissionDenied) -> None:
    """Raise ``error`` with the rule's message unless ``user`` has ``perm``: PermissionDenied (403) in a
    view, PortalError in a service (which asks the same rule again: it may be called from elsewhere)."""
    if not allowed(user, perm, obj):
        raise error(denied_message(user, perm, obj))


def visible_or_404(queryset, pk, user, perm: str, message=None):
    """The object ``pk`` of ``queryset`` if ``user`` has ``perm`` (a view permission) on it; Http404
    otherwise, the same whether it does not exist or is not theirs to see."""
    obj = queryset.filter(pk=pk).first()
    if obj is None or not allowed(user, perm, obj):
        raise Http404(message)
    return obj


def permission_required(perm: str, *, of=None):
    """Declare the permission a view needs (``view.permission``; the permission-matrix test reads it).

    With ``of``, a function ``(request, pk)`` returning the object the URL names among those the user
    may see (raising Http404 otherwise), the permission is asked of that object and the view receives the
    object in place of ``pk``. An anonymous visitor is sent to the login page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if of is None:
                require(request.user, perm)
                return view(request, *args, **kwargs)
            obj = of(request, kwargs.pop("pk"))
            require(request.user, perm, obj)
            return view(request, obj, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


def public(view):
    """Declare a view open to everyone, logged in or not (the gallery, certificate checks, log-in)."""
    view.permission = None
    return view


def _has_role(role):
    @rules.predicate(name=f"is_{role}")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role == role

    return predicate


is_operator = _has_role(Role.OPERATOR)
# The head of an OPD: reads their OPD's innovations and, where the region asks for it, endorses what its
# operators submit before it goes to Bappeda. A role of its own, not an operator's flag: whoever endorses
# is never the one who filed (four eyes), and nothing an operator may do comes with it.
is_kepala_opd = _has_role(Role.KEPALA_OPD)
is_verifikator = _has_role(Role.VERIFIKATOR)
is_admin = _has_role(Role.ADMIN)
is_juri = _has_role(Role.JURI)
is_pimpinan = _has_role(Role.PIMPINAN)
# Bappeda's staff, and everyone who reads the region's submitted work.
is_bappeda = is_admin | is_verifikator
is_reader = is_admin | is_verifikator | is_pimpinan


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated and user.is_active


@rules.predicate
def no_object(user, obj):
    """A model-level check (a list, an add form) rather than a check on one object."""
    return obj is None


@rules.predicate
def in_own_region(user, obj):
    """The object belongs to the user's region."""
    region_id = getattr(user, "region_id", None)
    return obj is not None and region_id is not None and getattr(obj, "region_id", None) == region_id


@rules.predicate
def in_own_opd(user, obj):
    """The object belongs to the user's own OPD."""
    opd_id = getattr(user, "opd_id", None)
    return obj is not None and opd_id is not None and getattr(obj, "opd_id", None) == opd_id


@rules.predicate
def oversees_regions(user):
    """The user's region is one with regions below it by its kind: a provinsi or the nasional region (the
    user's region is loaded with the user: no query)."""
    region = getattr(user, "region", None) if user.is_authenticated else None
    return region is not None and region.kind in OVERSEEING_KINDS


@rules.predicate
def oversees(user, obj):
    """The object's region (the object itself when it is a region) lies below the user's region: the user's
    region is its parent or its parent's parent (1 query). Never the user's own region."""
    own = getattr(user, "region_id", None)
    if obj is None or own is None or not oversees_regions(user):
        return False
    region_id = obj.pk if isinstance(obj, Region) else getattr(obj, "region_id", None)
    if region_id is None or region_id == own:
        return False
    return Region.objects.filter(below(own), pk=region_id).exists()


@rules.predicate
def has_province(user):
    """The user's region is a kabupaten or kota placed in a province: it has neighbours."""
    region = getattr(user, "region", None) if user.is_authenticated else None
    return (
        region is not None
        and region.kind in (RegionKind.KABUPATEN, RegionKind.KOTA)
        and region.parent_id is not None
    )


@rules.predicate
def is_superuser(user):
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def has_no_place(user):
    """The account belongs to no region and has no role: nothing of the portal is theirs yet."""
    return user.is_authenticated and user.region_id is None and not user.role


@rules.predicate
def is_self(user, obj):
    return obj is not None and obj.pk == user.pk


@rules.predicate
def is_superuser_account(user, obj):
    """The object is a superuser's account: whoever could change it (its e-mail, a set-password link)
    would hold every region."""
    return obj is not None and obj.is_superuser


def _set_up_denied(user, obj=None):
    if user.is_authenticated and user.region_id is not None:
        return _(
            "Akun Anda sudah terdaftar di %(region)s. Wilayah lain disiapkan dengan perintah "
            "«manage.py setup_region»."
        ) % {"region": user.region}
    return _("Wilayah baru disiapkan oleh superuser portal. Hubungi pengelola portal.")


add_perm("accounts.use_portal", is_signed_in, denied=_("Masuk terlebih dahulu."))
# A fresh installation: the superuser who logs in first, belonging to nothing, sets up the region and
# becomes its admin. Anyone else without a role is told whom to ask (a region created by any account
# without a role would let anyone a superuser forgot to give a role make a region of their own).
add_perm("accounts.set_up_region", is_superuser & has_no_place, denied=_set_up_denied)

# The region's OPDs and users: its admin's pages (``views``) and the Django admin (``RegionScopedAdmin``)
# ask the same rules. Only a superuser changes a superuser's account; nobody takes their own role or
# access away (the region would be left without its admin).
manages_region = is_admin & (no_object | in_own_region)
OPDS_DENIED = _("OPD wilayah dikelola oleh admin Bappeda.")
USERS_DENIED = _("Pengguna portal dikelola oleh admin Bappeda.")
for action in ("view", "add", "change"):
    add_perm(f"accounts.{action}_opd", manages_region, denied=OPDS_DENIED)
add_perm("accounts.view_user", manages_region, denied=USERS_DENIED)
add_perm("accounts.add_user", manages_region, denied=USERS_DENIED)


def _user_change_denied(user, obj=None):
    if is_admin(user) and obj is not None and obj.is_superuser:
        return _("Akun superuser hanya diubah oleh superuser, lewat Administrasi data.")
    return USERS_DENIED


def _user_access_denied(user, obj=None):
    if is_admin(user) and obj is not None and obj.pk == user.pk:
        return _("Peran dan status akun Anda sendiri diubah oleh admin lain.")
    return _user_change_denied(user, obj)


add_perm(
    "accounts.change_user",
    is_admin & (no_object | (in_own_region & ~is_superuser_account)),
    denied=_user_change_denied,
)
add_perm(
    "accounts.change_user_access",
    is_admin & in_own_region & ~is_superuser_account & ~is_self,
    denied=_user_access_denied,
)
# Reading a region from above: its own admin and pimpinan, and those of every region above it (a province
# reads its kabupaten and kota, the nation every region). Reading only: every rule that changes something
# asks in_own_region, which a region above never is.
reads_region = (is_admin | is_pimpinan) & (in_own_region | oversees)
add_perm(
    "accounts.read_region",
    reads_region,
    denied=_("Wilayah ini dibaca oleh admin dan pimpinan daerahnya dan wilayah di atasnya."),
)
# Where a region lies (its parent): the superuser, in the Django admin or ``setup_region --parent``.
add_perm(
    "accounts.place_region",
    is_superuser,
    denied=_("Letak wilayah (wilayah induknya) diatur oleh superuser portal."),
)
rules.add_perm("accounts.view_region", manages_region)
rules.add_perm("accounts.change_region", manages_region)
# The region's letterhead, signatories and certificate numbering: its admin, on the settings page.
add_perm(
    "accounts.change_region_settings",
    is_admin & (no_object | in_own_region),
    denied=_("Pengaturan wilayah hanya untuk admin Bappeda."),
)

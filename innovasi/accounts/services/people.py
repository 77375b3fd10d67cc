"""A region's set-up, its OPDs and its users, with their invitations: the admin's pages, the set-up page
and ``manage.py setup_region`` call these, and so do the imports (``imports``), which check rows with the
same rules (``opd_problems``, ``user_problems``).

Every write runs in one transaction, asks the permission again (the caller may be anything but the
command line, ``by=None``), refuses a form opened before someone else's change (``fingerprint``) and is
recorded in the object's history with who made it.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innovasi.errors import PortalError

from ..enums import OPD_ROLES, OpdKind, RegionKind, Role
from ..models import Opd, Region, User
from ..permissions import require
from ..tasks import link_mail
from ..tokens import invitation_token_generator
from .region import tree_refusal

REGION_CODE = {
    # The nation has no Kemendagri code: its ISO 3166 one (ID), or any two or three capitals.
    RegionKind.NASIONAL: re.compile(r"[A-Z]{2,3}"),
    RegionKind.PROVINSI: re.compile(r"\d{2}"),
    RegionKind.KABUPATEN: re.compile(r"\d{2}\.\d{2}"),
    RegionKind.KOTA: re.compile(r"\d{2}\.\d{2}"),
}
LINK_INVITATION, LINK_RESET = "invitation", "reset"
OPD_FIELDS = ("name", "short_name", "kind")
USER_FIELDS = ("first_name", "last_name", "email", "role", "opd_id", "affiliation")


@dataclass(frozen=True)
class SentLink:
    """A set-password link made for ``user`` (and mailed to them after commit)."""

    user: User
    url: str
    kind: str
    valid_until: datetime.datetime


@dataclass(frozen=True)
class RegionSetUp:
    region: Region
    admin: User
    link: SentLink | None


def max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def clean_text(value: object) -> str:
    """A typed or imported text on one line, its runs of spaces made one."""
    return " ".join(str(value or "").split())


def fingerprint(obj: Opd | User, fields: Sequence[str]) -> str:
    """A keyed hash of what is stored of ``fields``: an edit form carries the one it was opened with, and
    the save refuses a form whose object changed meanwhile."""
    payload = "\x1f".join(str(getattr(obj, field)) for field in fields)
    return salted_hmac("innovasi.accounts.edit_form", f"{obj.pk}:{payload}", algorithm="sha256").hexdigest()


def _stale_check(obj, fields, seen):
    if seen is not None and seen != fingerprint(obj, fields):
        raise PortalError(
            _(
                "Data «%(name)s» baru saja diubah orang lain. Perubahan Anda belum disimpan: muat ulang "
                "halaman untuk melihat data terbaru, lalu ulangi perubahan Anda."
            )
            % {"name": obj}
        )


def rule_require(by, perm, obj=None):
    """The rule asked again in the service (it may be called from elsewhere); nobody (``by`` None) is the
    command line, which the server's operator runs."""
    if by is not None:
        require(by, perm, obj, error=PortalError)


def history_save(obj, by, update_fields=None):
    obj._history_user = by  # the history names who changed it, in a request or not
    obj.save(update_fields=update_fields)
    return obj


def kind_labels() -> str:
    return ", ".join(str(label) for label in OpdKind.labels)


def opd_problems(*, name: str, short_name: str, kind: str, by_name, by_short, current=None) -> list[str]:
    """What is wrong with an OPD's values, in Indonesian: ``by_name`` and ``by_short`` map the casefolded
    name and short name of the region's OPDs to them; ``current`` is the OPD the values are for (None: a
    new one). Pure: the page's form and the import ask it alike."""
    problems = []
    if not name:
        problems.append(_("Nama OPD wajib diisi."))
    elif len(name) > max_length(Opd, "name"):
        problems.append(_("Nama OPD lebih dari 200 karakter."))
    if not short_name:
        problems.append(_("Nama singkat wajib diisi: impor berikutnya mengenali OPD dari nama singkatnya."))
    elif len(short_name) > max_length(Opd, "short_name"):
        problems.append(_("Nama singkat lebih dari 60 karakter."))
    if not kind:
        problems.append(_("Jenis OPD wajib diisi: salah satu dari %(kinds)s.") % {"kinds": kind_labels()})
    elif kind not in OpdKind.values:
        problems.append(
            _("Jenis «%(kind)s» tidak dikenal: pilih salah satu dari %(kinds)s.")
            % {"kind": kind, "kinds": kind_labels()}
        )
    other = by_name.get(name.casefold())
    if name and other is not None and other != current:
        problems.append(
            _("Nama «%(name)s» sudah dipakai OPD lain di wilayah ini (%(other)s).")
            % {"name": name, "other": other.short_name or other.name}
        )
    other = by_short.get(short_name.casefold())
    if short_name and other is not None and other != current:
        problems.append(
            _("Nama singkat «%(short)s» sudah dipakai %(other)s.")
            % {"short": short_name, "other": other.name}
        )
    return problems


def opds_by_name_and_short(region_id) -> tuple[dict[str, Opd], dict[str, Opd]]:
    opds = list(Opd.objects.filter(region_id=region_id))
    return (
        {opd.name.casefold(): opd for opd in opds},
        {opd.short_name.casefold(): opd for opd in opds if opd.short_name},
    )


def _opd_values(name, short_name, kind, *, region_id, current=None):
    values = {"name": clean_text(name), "short_name": clean_text(short_name), "kind": clean_text(kind)}
    by_name, by_short = opds_by_name_and_short(region_id)
    problems = opd_problems(**values, by_name=by_name, by_short=by_short, current=current)
    if problems:
        raise PortalError(" ".join(problems), problems)
    return values


@transaction.atomic
def opd_create(*, region: Region, by: User | None, name: str, short_name: str, kind: str) -> Opd:
    """A new active OPD of ``region`` (its creation is in its history). Raises PortalError."""
    rule_require(by, "accounts.add_opd", region)
    # Two OPDs made at once with one name: the region's row is the turnstile (the constraints would refuse
    # the second with an IntegrityError, not a message).
    Region.objects.select_for_update().get(pk=region.pk)
    values = _opd_values(name, short_name, kind, region_id=region.pk)
    return history_save(Opd(region=region, **values), by)


@transaction.atomic
def opd_update(*, opd: Opd, by: User | None, name: str, short_name: str, kind: str, seen: str | None) -> Opd:
    """Change an OPD's name, short name and kind; refused when it changed since ``seen`` (``fingerprint``).
    The old and new values are in its history."""
    rule_require(by, "accounts.change_opd", opd)
    Region.objects.select_for_update().get(pk=opd.region_id)
    locked = Opd.objects.select_for_update().get(pk=opd.pk)
    _stale_check(locked, OPD_FIELDS, seen)
    values = _opd_values(name, short_name, kind, region_id=locked.region_id, current=locked)
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, values[field])
    return history_save(locked, by, changed) if changed else locked


@transaction.atomic
def opd_set_active(*, opd: Opd, by: User | None, active: bool) -> Opd:
    """Activate or deactivate an OPD (never deleted: its innovations and history stay). An OPD is
    deactivated only once it has no active account: nobody files for an OPD that is no more."""
    rule_require(by, "accounts.change_opd", opd)
    locked = Opd.objects.select_for_update().get(pk=opd.pk)
    if locked.is_active == active:
        return locked
    if not active:
        users = User.objects.filter(opd=locked, is_active=True).count()
        if users:
            raise PortalError(
                ngettext(
                    "%(opd)s masih punya %(count)d akun aktif. Pindahkan akun itu ke OPD lain atau "
                    "nonaktifkan dulu, lalu nonaktifkan OPD-nya.",
                    "%(opd)s masih punya %(count)d akun aktif. Pindahkan akun-akun itu ke OPD lain atau "
                    "nonaktifkan dulu, lalu nonaktifkan OPD-nya.",
                    users,
                )
                % {"opd": locked.name, "count": users}
            )
    locked.is_active = active
    return history_save(locked, by, ["is_active"])


def opd_required(role: str) -> str:
    """The problem of an account of an OPD role (operator, kepala OPD) without an OPD."""
    if role == Role.KEPALA_OPD:
        return _("Kepala OPD harus terdaftar pada satu OPD.")
    return _("Operator harus terdaftar pada satu OPD.")


def role_labels() -> str:
    return ", ".join(str(label) for label in Role.labels)


def user_problems(
    *,
    name: str,
    email: str,
    role: str,
    opd: Opd | None,
    region_id,
    accounts,
    affiliation: str = "",
    current=None,
    by=None,
) -> list[str]:
    """What is wrong with a user's values, in Indonesian. ``accounts`` are the accounts of the whole portal
    whose e-mail or user name may clash (an address is one account's, whatever its region); ``current``
    is the account the values are for (None: a new one, whose user name will be its e-mail). Pure."""
    problems = []
    if not name:
        problems.append(_("Nama wajib diisi."))
    elif len(name) > max_length(User, "first_name"):
        problems.append(_("Nama lebih dari 150 karakter."))
    if not email:
        problems.append(_("Alamat surel wajib diisi: undangan dikirim ke sana."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("«%(email)s» bukan alamat surel yang sah.") % {"email": email})
        else:
            clashes = [
                account
                for account in accounts
                if account != current
                and (
                    account.email.lower() == email or (current is None and account.username.lower() == email)
                )
            ]
            if clashes:
                problems.append(_("Surel %(email)s sudah dipakai akun lain.") % {"email": email})
    if not role:
        problems.append(_("Peran wajib diisi: salah satu dari %(roles)s.") % {"roles": role_labels()})
    elif role not in Role.values:
        problems.append(
            _("Peran «%(role)s» tidak dikenal: pilih salah satu dari %(roles)s.")
            % {"role": role, "roles": role_labels()}
        )
    if role in OPD_ROLES and opd is None:
        problems.append(opd_required(role))
    if opd is not None and opd.region_id != region_id:
        problems.append(_("OPD harus berada di wilayah pengguna."))
    elif opd is not None and not opd.is_active and (current is None or current.opd_id != opd.pk):
        problems.append(
            _("%(opd)s tidak aktif: pengguna baru tidak didaftarkan padanya.") % {"opd": opd.name}
        )
    limit = max_length(User, "affiliation")
    if len(affiliation) > limit:
        problems.append(_("Afiliasi paling banyak %(limit)d karakter.") % {"limit": limit})
    if current is not None and by is not None and current.pk == by.pk and role != current.role:
        problems.append(_("Peran akun Anda sendiri diubah oleh admin lain."))
    if current is not None and current.is_superuser and by is not None and not by.is_superuser:
        problems.append(_("Akun superuser hanya diubah oleh superuser, lewat Administrasi data."))
    return problems


def clashing_accounts(emails: Iterable[str]) -> list[User]:
    """The accounts of any region whose e-mail or user name is one of ``emails``, lower case (1 query)."""
    wanted = [email for email in emails if email]
    if not wanted:
        return []
    return list(
        User.objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
        .filter(Q(email_lower__in=wanted) | Q(username_lower__in=wanted))
        .select_related("opd")
    )


def _user_values(*, region_id, name, email, role, opd, affiliation="", current=None, by=None):
    name = clean_text(name)
    values = {
        "first_name": name,
        "last_name": "",
        "email": clean_text(email).lower(),
        "role": role,
        "opd": opd,
        "affiliation": clean_text(affiliation),
    }
    if current is not None and name == current.get_full_name():
        # Unchanged: a name kept in two parts (first and last) stays so.
        values.update(first_name=current.first_name, last_name=current.last_name)
    problems = user_problems(
        name=name,
        email=values["email"],
        role=role,
        opd=opd,
        region_id=region_id,
        accounts=clashing_accounts([values["email"]]),
        affiliation=values["affiliation"],
        current=current,
        by=by,
    )
    if problems:
        raise PortalError(" ".join(problems), problems)
    return values


def account_new(*, region, values, by, username=""):
    username = username.strip() or values["email"]
    user = User(username=username, region=region, **{"last_name": "", **values})
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        messages = [message for field in error.message_dict.values() for message in field]
        raise PortalError(" ".join(messages), messages) from error
    user.set_unusable_password()  # the invitation's link sets it
    return history_save(user, by)


def _link(user, kind, base_url) -> SentLink:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    now = timezone.now()
    if kind == LINK_INVITATION:
        path = reverse("accounts:invitation", args=[uid, invitation_token_generator.make_token(user)])
        valid_until = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    else:
        path = reverse(
            "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
        )
        valid_until = now + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return SentLink(user=user, url=f"{base_url.rstrip('/')}{path}", kind=kind, valid_until=valid_until)


def link_send(user, kind, base_url) -> SentLink:
    link_mail.delay_on_commit(user_id=user.pk, kind=kind, base_url=base_url)
    return _link(user, kind, base_url)


@transaction.atomic
def region_set_up(
    *,
    name: str,
    kind: str,
    code: str,
    admin: User | None = None,
    admin_username: str = "",
    admin_email: str = "",
    admin_name: str = "",
    base_url: str = "",
    parent_code: str = "",
) -> RegionSetUp:
    """Create a region (without any demo data) and its first admin: ``admin``, the set-up page's user, who
    must belong to no region and have no role yet, becomes it; else a new account ``admin_username`` is
    made for ``admin_email`` and invited (the e-mail leaves after commit; the link is returned too, for
    ``manage.py setup_region`` to print). With ``parent_code``, the region is placed in the region of that
    code, as ``region.tree_refusal`` allows. Raises PortalError; nothing is kept of a refused set-up."""
    name, code = clean_text(name), clean_text(code)
    if not name:
        raise PortalError(_("Nama wilayah wajib diisi."))
    if len(name) > max_length(Region, "name"):
        raise PortalError(_("Nama wilayah lebih dari 200 karakter."))
    if kind not in RegionKind.values:
        raise PortalError(
            _("Jenis wilayah «%(kind)s» tidak dikenal: pilih nasional, provinsi, kabupaten atau kota.")
            % {"kind": kind}
        )
    if not REGION_CODE[RegionKind(kind)].fullmatch(code):
        raise PortalError(
            _(
                "Kode wilayah «%(code)s» tidak sesuai: kode Kemendagri sebuah provinsi ditulis seperti 35, "
                "kabupaten atau kota seperti 35.16; wilayah nasional dengan huruf besar, seperti ID."
            )
            % {"code": code}
        )
    parent = None
    parent_code = clean_text(parent_code)
    if parent_code:
        parent = Region.objects.select_related("parent__parent").filter(code=parent_code).first()
        if parent is None:
            raise PortalError(
                _("Tidak ada wilayah berkode %(code)s untuk menjadi induknya.") % {"code": parent_code}
            )
    refusal = tree_refusal(region=None, kind=kind, parent=parent)
    if refusal:
        raise PortalError(refusal)
    taken = Region.objects.filter(code=code).first()
    if taken is not None:
        raise PortalError(
            _("Kode wilayah %(code)s sudah dipakai %(region)s.") % {"code": code, "region": taken.name}
        )
    region = Region.objects.create(name=name, kind=kind, code=code, parent=parent)
    if admin is not None:
        locked = User.objects.select_for_update().get(pk=admin.pk)
        if locked.region_id is not None or locked.role:
            raise PortalError(_set_up_refused(locked))
        locked.region, locked.role, locked.opd = region, Role.ADMIN, None
        history_save(locked, locked, ["region", "role", "opd"])
        return RegionSetUp(region=region, admin=locked, link=None)
    values = _user_values(
        region_id=region.pk,
        name=admin_name or admin_username,
        email=admin_email,
        role=Role.ADMIN,
        opd=None,
    )
    user = account_new(region=region, values=values, by=None, username=admin_username)
    return RegionSetUp(region=region, admin=user, link=link_send(user, LINK_INVITATION, base_url))


def _set_up_refused(user):
    return _("Akun %(user)s sudah terdaftar di sebuah wilayah atau sudah punya peran.") % {"user": user}


@transaction.atomic
def user_invite(
    *,
    region: Region,
    by: User | None,
    name: str,
    email: str,
    role: str,
    opd: Opd | None,
    base_url: str,
    affiliation: str = "",
) -> SentLink:
    """A new account of ``region`` (user name: its e-mail) without a password, and its invitation: a
    set-password link valid ``INVITATION_VALID_DAYS`` days, mailed after commit and returned."""
    rule_require(by, "accounts.add_user", region)
    values = _user_values(
        region_id=region.pk, name=name, email=email, role=role, opd=opd, affiliation=affiliation
    )
    return link_send(account_new(region=region, values=values, by=by), LINK_INVITATION, base_url)


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User | None,
    name: str,
    email: str,
    role: str,
    opd: Opd | None,
    seen: str | None,
    affiliation: str | None = None,
) -> User:
    """Change an account's name, e-mail, role, OPD and affiliation (None: kept); refused when it changed
    since ``seen``. A role is
    changed only where ``accounts.change_user_access`` allows it (not one's own). Old and new values are
    in its history."""
    rule_require(by, "accounts.change_user", user)
    locked = User.objects.select_for_update(of=("self",)).select_related("opd").get(pk=user.pk)
    _stale_check(locked, USER_FIELDS, seen)
    values = _user_values(
        region_id=locked.region_id,
        name=name,
        email=email,
        role=role,
        opd=opd,
        affiliation=locked.affiliation if affiliation is None else affiliation,
        current=locked,
        by=by,
    )
    if role != locked.role:
        rule_require(by, "accounts.change_user_access", locked)
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, values[field])
    return history_save(locked, by, changed) if changed else locked


@transaction.atomic
def user_set_active(*, user: User, by: User | None, active: bool) -> User:
    """Let an account log in again, or no more (its sessions end at their next request: the
    authentication backend refuses an inactive user). Never one's own."""
    rule_require(by, "accounts.change_user_access", user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active != active:
        locked.is_active = active
        history_save(locked, by, ["is_active"])
    return locked


@transaction.atomic
def user_link_send(*, user: User, by: User | None, base_url: str) -> SentLink:
    """Mail an account a link to set its password, and return it: a new invitation while it has never set
    one, else a password-reset link. The password stays until the link is used."""
    rule_require(by, "accounts.change_user", user)
    if not user.is_active:
        raise PortalError(
            _("Akun %(user)s tidak aktif: aktifkan dulu, lalu kirim tautannya.") % {"user": user}
        )
    if not user.email:
        raise PortalError(_("Akun %(user)s belum punya alamat surel.") % {"user": user})
    kind = LINK_RESET if user.has_usable_password() else LINK_INVITATION
    return link_send(user, kind, base_url)


LINK_MAILS = {
    LINK_INVITATION: ("accounts/email/invitation_subject.txt", "accounts/email/invitation.txt"),
    LINK_RESET: ("accounts/email/reset_link_subject.txt", "accounts/email/reset_link.txt"),
}


def link_mail_send(*, user_id: int, kind: str, base_url: str) -> bool:
    """Mail an active account with an address the link of ``kind`` (a fresh token: the one shown to the
    admin stays valid too), in the portal's language; False when there is no one to send it to. A mail
    server that cannot be reached raises (OSError) for the task to retry."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").select_related("region").first()
    if user is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        link = _link(user, kind, base_url)
        context = {"user": user, "link": link, "days": settings.INVITATION_VALID_DAYS}
        subject_template, body_template = LINK_MAILS[kind]
        subject = "".join(render_to_string(subject_template, context).splitlines())
        body = render_to_string(body_template, context)
    EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    ).send()
    return True

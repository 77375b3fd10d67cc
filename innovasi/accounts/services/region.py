"""A region's place among the regions (its parent) and its settings: letterhead, signatories, the
certificate numbering, the date format and the filing workflow (the OPD-head endorsement)."""

from django.db import transaction
from django.utils.translation import gettext as _

from innovasi.errors import PortalError

from ..enums import PARENT_KINDS, RegionKind
from ..models import REGION_SETTINGS_FIELDS, Region
from ..permissions import require

# nasional ⊃ provinsi ⊃ kabupaten/kota: no chain is longer, so walking up never takes more steps.
MAX_DEPTH = 3


def _kind_label(kind: str) -> str:
    return str(RegionKind(kind).label).lower() if kind in RegionKind.values else kind


def tree_refusal(*, region: Region | None, kind: str, parent: Region | None) -> str | None:
    """Why a region of ``kind`` may not lie in ``parent`` (None: in no region), or None when it may.

    The one rule of the tree, asked by ``region_place``, ``people.region_set_up`` and the Django admin's
    region form: a kabupaten or kota lies in a provinsi or in none, a provinsi in the nasional region or
    in none, the nasional region in none; a region is never its own ancestor; and ``region`` (None: a new
    one) keeps the regions below it valid when its kind changes. Reads at most a few rows.
    """
    allowed = PARENT_KINDS.get(RegionKind(kind), ()) if kind in RegionKind.values else ()
    if parent is not None:
        if region is not None and parent.pk == region.pk:
            return _("Sebuah wilayah tidak dapat menjadi induknya sendiri.")
        if not allowed:
            return _("Wilayah %(kind)s tidak berada di bawah wilayah lain.") % {"kind": _kind_label(kind)}
        if parent.kind not in allowed:
            return _("Induk sebuah %(kind)s harus %(allowed)s; %(parent)s adalah %(parent_kind)s.") % {
                "kind": _kind_label(kind),
                "allowed": _kind_label(allowed[0]),  # one kind each (PARENT_KINDS)
                "parent": parent.name,
                "parent_kind": _kind_label(parent.kind),
            }
        if region is not None and region.pk is not None:
            ancestor: Region | None = parent
            steps = 0
            while ancestor is not None and steps <= MAX_DEPTH:
                if ancestor.pk == region.pk:
                    return _(
                        "%(parent)s berada di bawah %(region)s: menjadikannya induk akan membuat lingkaran."
                    ) % {"parent": parent.name, "region": region.name}
                ancestor, steps = ancestor.parent, steps + 1
    if region is not None and region.pk is not None:
        for child in Region.objects.filter(parent=region).order_by("name"):
            if kind not in PARENT_KINDS.get(RegionKind(child.kind), ()):
                return _(
                    "%(child)s (%(child_kind)s) berada di bawah wilayah ini: wilayah ini tidak dapat menjadi "
                    "%(kind)s selama %(child)s di bawahnya."
                ) % {"child": child.name, "child_kind": _kind_label(child.kind), "kind": _kind_label(kind)}
    return None


@transaction.atomic
def region_place(*, region: Region, parent: Region | None, by=None) -> Region:
    """Put ``region`` in ``parent`` (None: in no region), as ``tree_refusal`` allows (PortalError with
    its message otherwise, nothing changed). Only a superuser (``by``) or the command line (``by`` None)
    places regions: the admin and pimpinan of the parent read the region from then on. Recorded in the
    region's history with ``by``; nothing is written when the parent is already that."""
    if by is not None:
        require(by, "accounts.place_region", region, error=PortalError)
    # The region's row and the parent's, locked: two placements at once take turns, so that neither can
    # close a cycle the other opened.
    locked = Region.objects.select_for_update().get(pk=region.pk)
    if parent is not None:
        parent = (
            Region.objects.select_for_update(of=("self",)).select_related("parent__parent").get(pk=parent.pk)
        )
    refusal = tree_refusal(region=locked, kind=locked.kind, parent=parent)
    if refusal:
        raise PortalError(refusal)
    if locked.parent_id == (parent.pk if parent else None):
        return locked
    locked.parent = parent
    locked._history_user = by  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    locked.save(update_fields=["parent"])
    return locked


class SettingsConflict(PortalError):
    """Someone saved the region's settings since the caller's form was opened."""


@transaction.atomic
def region_settings_update(
    *, region, user, version: int, values: dict, logo=None, logo_remove: bool = False
) -> Region:
    """Save the region's settings (``values``: the fields of ``REGION_SETTINGS_FIELDS`` the form checked)
    and, when given, a new logo (checked by the form too) or its removal.

    Refused (PortalError) unless ``user`` may change them, and when someone saved since ``version`` was
    read: the form was opened on older settings. Only the fields that differ are written, in one history
    record with ``user``; nothing at all when nothing differs. A replaced logo's file is kept: the
    certificates issued with it still print it.
    """
    require(user, "accounts.change_region_settings", region, error=PortalError)
    # The row lock makes the version check and the write one step: two saves take turns, and the second
    # sees the first's version. Certificates being issued hold the same lock (reports.services).
    locked = Region.objects.select_for_update().get(pk=region.pk)
    if locked.settings_version != version:
        raise SettingsConflict(
            _(
                "Pengaturan wilayah baru saja disimpan oleh orang lain. Perubahan Anda belum disimpan: muat "
                "ulang halaman untuk melihat pengaturan terbaru, lalu ulangi perubahan Anda."
            )
        )
    changed = [
        name for name in REGION_SETTINGS_FIELDS if name in values and getattr(locked, name) != values[name]
    ]
    for name in changed:
        setattr(locked, name, values[name])
    if logo is not None:
        locked.logo.save(logo.name, logo, save=False)
        changed.append("logo")
    elif logo_remove and locked.logo:
        locked.logo = ""
        changed.append("logo")
    if not changed:
        return locked
    locked.settings_version += 1
    locked._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    locked.save(update_fields=[*changed, "settings_version"])
    return locked

"""A region's settings: letterhead, signatories, the certificate numbering, the date format and the filing
workflow (the OPD-head endorsement)."""

from django.db import transaction
from django.utils.translation import gettext as _

from innovasi.errors import PortalError

from ..models import REGION_SETTINGS_FIELDS, Region
from ..permissions import require


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

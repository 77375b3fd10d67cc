import rules
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.permissions import add_perm, in_own_region, is_admin, no_object

# Catalogues are national data: the regency's admin reads them, only a superuser (Django admin) edits them.
rules.add_perm("standards.view_catalogue", is_admin)
rules.add_perm("standards.view_indicator", is_admin)
rules.add_perm("standards.view_option", is_admin)
rules.add_perm("standards.view_urusan", is_admin)
# Cycles belong to a region: its admin opens them on a catalogue, dates their stages, moves them from stage
# to stage and extends an OPD's deadline, on the portal's cycle pages (``innovasi.standards.views``).
add_perm(
    "standards.view_cycle",
    is_admin & (no_object | in_own_region),
    denied=_("Siklus penilaian dikelola admin Bappeda wilayah ini."),
)
add_perm(
    "standards.add_cycle",
    is_admin & (no_object | in_own_region),
    denied=_("Hanya admin Bappeda yang membuka siklus penilaian baru."),
)
add_perm(
    "standards.change_cycle",
    is_admin & (no_object | in_own_region),
    denied=_("Hanya admin Bappeda wilayah ini yang mengubah jadwal dan tahap siklus."),
)

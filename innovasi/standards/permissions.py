import rules

from innovasi.accounts.permissions import in_own_region, is_admin, no_object

# Catalogues are national data: the regency's admin reads them, only a superuser (Django admin) edits them.
rules.add_perm("standards.view_catalogue", is_admin)
rules.add_perm("standards.view_indicator", is_admin)
rules.add_perm("standards.view_option", is_admin)
rules.add_perm("standards.view_urusan", is_admin)
# Cycles belong to a region: its admin opens, dates and closes them.
for action in ("view", "add", "change"):
    rules.add_perm(f"standards.{action}_cycle", is_admin & (no_object | in_own_region))

"""Role and object predicates (django-rules) that every app's permissions build on.

Objects are matched by duck typing: anything with a ``region_id`` belongs to a region, anything with
an ``opd_id`` belongs to an OPD. A view checks the role *and* the object.
"""

import rules

from .enums import Role


def _has_role(role):
    @rules.predicate(name=f"is_{role}")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role == role

    return predicate


is_operator = _has_role(Role.OPERATOR)
is_verifikator = _has_role(Role.VERIFIKATOR)
is_admin = _has_role(Role.ADMIN)
is_juri = _has_role(Role.JURI)
is_pimpinan = _has_role(Role.PIMPINAN)


@rules.predicate
def no_object(user, obj):
    """A model-level check (a list, an add form) rather than a check on one object."""
    return obj is None


@rules.predicate
def in_same_region(user, obj):
    """The object belongs to the user's region."""
    region_id = getattr(user, "region_id", None)
    return obj is not None and region_id is not None and getattr(obj, "region_id", None) == region_id


@rules.predicate
def in_same_opd(user, obj):
    """The object belongs to the user's own OPD."""
    opd_id = getattr(user, "opd_id", None)
    return obj is not None and opd_id is not None and getattr(obj, "opd_id", None) == opd_id


# The regency's admin manages its own region's OPDs and users (the Django admin asks these).
manages_region = is_admin & (no_object | in_same_region)
for model in ("opd", "user"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"accounts.{action}_{model}", manages_region)
rules.add_perm("accounts.view_region", manages_region)
rules.add_perm("accounts.change_region", manages_region)

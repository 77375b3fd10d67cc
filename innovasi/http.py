"""Reading ids and numbers from a request: a value that is not one is the client's mistake (400 with a
message), never a server error."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


def int_param(data, name, *, required=False):
    """The whole number given as ``name`` in ``data`` (request.GET or request.POST), or None when it is
    absent or empty (BadRequest when ``required``); BadRequest when it is not a whole number."""
    raw = data.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        if required:
            raise BadRequest(_("Parameter «%(name)s» wajib diisi.") % {"name": name})
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadRequest(
            _("Parameter «%(name)s» harus bilangan bulat, bukan «%(value)s».")
            % {"name": name, "value": raw[:40]}
        ) from None
    if not 0 <= value < 2**63:
        raise BadRequest(_("Parameter «%(name)s» di luar jangkauan.") % {"name": name})
    return value

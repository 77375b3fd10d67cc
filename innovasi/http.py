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


def text_param(data, name):
    """The text given as ``name`` in ``data``, stripped ('' when absent); BadRequest when it holds a NUL
    character: no one types one, and PostgreSQL refuses it in any string (a server error otherwise)."""
    raw = data.get(name, "")
    text = raw.strip() if isinstance(raw, str) else ""
    if "\x00" in text:
        raise BadRequest(_("Parameter «%(name)s» memuat karakter yang tidak diizinkan.") % {"name": name})
    return text


def texts_param(data, name):
    """Every text given as ``name`` in ``data`` (a list, as ``getlist``), each refused as text_param
    refuses one, none stripped."""
    texts = data.getlist(name)
    if any("\x00" in text for text in texts):
        raise BadRequest(_("Parameter «%(name)s» memuat karakter yang tidak diizinkan.") % {"name": name})
    return texts


def choice_param(data, name, choices):
    """The value given as ``name`` in ``data`` when it is one of ``choices`` ('' when absent or empty);
    BadRequest otherwise."""
    value = text_param(data, name)
    if value and value not in choices:
        raise BadRequest(
            _("Parameter «%(name)s» tidak dikenal: «%(value)s».") % {"name": name, "value": value[:40]}
        )
    return value


def ints_param(data, name):
    """Every whole number given as ``name`` in ``data`` (a list, as ``getlist``; empty values left out),
    each refused as int_param refuses one."""
    return [
        value for value in (int_param({name: raw}, name) for raw in data.getlist(name)) if value is not None
    ]

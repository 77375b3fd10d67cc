"""The API's error answers: JSON with a ``detail`` in the portal's language, for every error the endpoints
or django-ninja raise (a bad parameter is a 400 in plain words, not django-ninja's 422 in English)."""

import math
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from . import schemas

# The error answers every endpoint that needs a token may give, for the OpenAPI document.
ERRORS: dict[int, type[Schema]] = {
    400: schemas.BadParameters,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    429: schemas.Error,
}


def _answer(api: NinjaAPI, request, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def problem(error: dict) -> dict:
    """One parameter refused by the schema, in plain words."""
    name = str(error.get("loc", ["?"])[-1])
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        message = _("Parameter «%(name)s» harus bilangan bulat.")
    elif kind == "greater_than_equal":
        message = _("Parameter «%(name)s» paling kecil %(limit)s.")
        context = {"limit": context.get("ge")}
    elif kind == "less_than_equal":
        message = _("Parameter «%(name)s» paling besar %(limit)s.")
        context = {"limit": context.get("le")}
    elif kind in ("enum", "literal_error"):
        message = _("Parameter «%(name)s» harus salah satu dari: %(expected)s.")
        # pydantic lists the values in English ("'a', 'b' or 'c'"): a plain list instead.
        context = {"expected": str(context.get("expected", "")).replace("' or '", "', '")}
    elif kind == "string_too_long":
        message = _("Parameter «%(name)s» paling panjang %(limit)s karakter.")
        context = {"limit": context.get("max_length")}
    elif kind == "missing":
        message = _("Parameter «%(name)s» wajib diisi.")
    elif kind == "value_error":
        message = _("Parameter «%(name)s» memuat karakter yang tidak diizinkan.")
    else:
        message = _("Parameter «%(name)s» tidak sah.")
    return {"parameter": name, "message": message % {"name": name, **context}}


def errors_answer(api: NinjaAPI) -> None:
    """Register the portal's error answers on ``api``."""

    def bad_parameters(request: HttpRequest, error: Any) -> HttpResponse:  # a ValidationError
        problems = [problem(item) for item in error.errors]
        return _answer(api, request, 400, " ".join(p["message"] for p in problems), errors=problems)

    def unauthorized(request: HttpRequest, error: Any) -> HttpResponse:  # an AuthenticationError
        response = _answer(
            api,
            request,
            401,
            _(
                "Token tidak ada, tidak dikenal atau sudah dicabut. Kirim «Authorization: Bearer <token>» "
                "dengan token dari halaman Token API akun Anda."
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def throttled(request: HttpRequest, error: Any) -> HttpResponse:  # Throttled
        wait = max(1, math.ceil(error.wait or 1))
        response = _answer(
            api,
            request,
            429,
            _("Terlalu banyak permintaan. Coba lagi %(seconds)d detik lagi.") % {"seconds": wait},
        )
        response["Retry-After"] = str(wait)
        return response

    api.add_exception_handler(ValidationError, bad_parameters)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(
        HttpError, lambda request, error: _answer(api, request, error.status_code, str(error))
    )
    api.add_exception_handler(
        Http404, lambda request, error: _answer(api, request, 404, str(error) or _("Tidak ditemukan."))
    )
    api.add_exception_handler(
        PermissionDenied,
        lambda request, error: _answer(
            api, request, 403, str(error) or _("Data ini bukan untuk peran Anda.")
        ),
    )
    api.add_exception_handler(BadRequest, lambda request, error: _answer(api, request, 400, str(error)))

"""Personal access tokens: made and revoked on the account's Token API page, stored as a digest and a
prefix only, shown once, refused once revoked; and the rate limits of the API."""

import hashlib
import time

import pytest
from django.urls import reverse

from api import auth, selectors, services
from api.models import AccessToken
from innovasi.errors import PortalError

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _regions(client, headers):
    return client.get(reverse("api:regions"), **headers)


def test_token_create_keeps_only_its_digest_and_prefix(operator_a):
    token, raw = services.token_create(user=operator_a, name="  Dasbor   Diskominfo ")

    stored = AccessToken.objects.values().get(pk=token.pk)
    recorded = list(AccessToken.history.filter(id=token.pk).values())
    assert raw.startswith("pid_")
    assert len(raw) == 47
    assert stored["name"] == "Dasbor Diskominfo"
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert stored["prefix"] == raw[:12]
    assert [value for row in [stored, *recorded] for value in row.values() if value == raw] == []
    assert [row["history_change_reason"] for row in recorded] == ["Token API «Dasbor Diskominfo» dibuat"]


def test_token_page_shows_a_new_token_once(client, operator_a):
    client.force_login(operator_a)

    created = client.post(reverse("tokens:list"), {"name": "Dasbor Diskominfo"})
    raw = created.context["created"]["raw"]
    later = client.get(reverse("tokens:list"))

    assert created.status_code == 200
    assert raw in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert raw not in later.content.decode()
    assert f"{raw[:12]}…" in later.content.decode()
    assert "Token API «Dasbor Diskominfo» dibuat" in later.content.decode()  # its history


def test_token_reads_the_api_until_its_owner_revokes_it(client, operator_a):
    token, raw = services.token_create(user=operator_a, name="Dasbor")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    before = _regions(client, headers)
    client.force_login(operator_a)

    revoked = client.post(reverse("tokens:revoke", args=[token.pk]))
    client.logout()
    after = _regions(client, headers)

    assert before.status_code == 200
    assert revoked.status_code == 302
    assert after.status_code == 401
    assert after["WWW-Authenticate"] == 'Bearer realm="api"'
    assert after.json()["detail"].startswith("Token tidak ada, tidak dikenal atau sudah dicabut.")
    history = selectors.tokens_history(operator_a)
    assert [entry.what for entry in history] == ["Token API «Dasbor» dicabut", "Token API «Dasbor» dibuat"]
    assert {entry.who for entry in history} == {operator_a}


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer pid_tidak-ada", "Bearer ", "Token pid_tidak-ada", "Bearer " + "x" * 500, "Bearer a\x00"],
)
def test_a_request_without_a_valid_token_is_refused_with_401(client, operator_a, authorization):
    services.token_create(user=operator_a, name="Dasbor")

    response = _regions(client, {"HTTP_AUTHORIZATION": authorization} if authorization else {})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_a_token_of_a_deactivated_account_is_refused(client, operator_a):
    headers = bearer(operator_a)
    operator_a.is_active = False
    operator_a.save(update_fields=["is_active"])

    assert _regions(client, headers).status_code == 401


def test_a_session_is_no_api_credential(client, operator_a):
    client.force_login(operator_a)

    assert _regions(client, {}).status_code == 401


def test_nobody_revokes_another_users_token(client, operator_a, operator_b):
    token, _raw = services.token_create(user=operator_a, name="Dasbor")
    client.force_login(operator_b)

    response = client.post(reverse("tokens:revoke", args=[token.pk]))

    assert response.status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None
    with pytest.raises(PortalError, match="Token ini milik orang lain"):
        services.token_revoke(token=token, user=operator_b)


def test_revoking_a_revoked_token_changes_nothing(operator_a):
    token, _raw = services.token_create(user=operator_a, name="Dasbor")
    first = services.token_revoke(token=token, user=operator_a).revoked_at

    again = services.token_revoke(token=token, user=operator_a)

    assert again.revoked_at == first
    assert AccessToken.history.filter(id=token.pk).count() == 2


def test_token_create_refuses_an_empty_name_and_an_eleventh_token(client, operator_a):
    for number in range(services.MAX_ACTIVE_TOKENS):
        services.token_create(user=operator_a, name=f"Aplikasi {number}")
    client.force_login(operator_a)

    with pytest.raises(PortalError, match="Beri token nama"):
        services.token_create(user=operator_a, name="   ")
    refused = client.post(reverse("tokens:list"), {"name": "Satu lagi"})

    assert "Anda sudah mempunyai 10 token aktif." in refused.content.decode()
    assert AccessToken.objects.filter(user=operator_a).count() == services.MAX_ACTIVE_TOKENS


# --- Rate limits -------------------------------------------------------------------------------------------


def _in_one_minute(requests):
    """The answers to ``requests`` (a function sending them), sent again should a minute end meanwhile: the
    limits count per minute."""
    for _attempt in range(3):
        minute = int(time.time() // auth.WINDOW_SECONDS)
        answers = requests()
        if int(time.time() // auth.WINDOW_SECONDS) == minute:
            return answers
    raise AssertionError("every attempt crossed a minute's end")


def test_rate_spend_counts_per_budget_and_minute():
    answers = [auth.rate_spend("uji", 2, now=now) for now in (120.0, 130.5, 150.25, 179.0, 180.0)]
    other = auth.rate_spend("lain", 2, now=150.0)

    assert answers == [None, None, 29.75, 1.0, None]
    assert other is None
    assert auth.rate_spend("tanpa-batas", 0, now=150.0) is None


def test_a_token_past_its_budget_is_answered_429_with_retry_after(client, settings, operator_a, operator_b):
    settings.API_RATE_LIMIT_PER_TOKEN = 2
    settings.API_RATE_LIMIT_PER_CLIENT = 1000

    def requests():
        first, second = bearer(operator_a), bearer(operator_b)
        return [_regions(client, first) for _ in range(3)], _regions(client, second)

    answers, other_token = _in_one_minute(requests)

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert answers[2].json() == {
        "detail": f"Terlalu banyak permintaan. Coba lagi {answers[2]['Retry-After']} detik lagi."
    }
    assert other_token.status_code == 200


def test_requests_without_a_token_count_against_the_client_address(client, settings, operator_a):
    settings.API_RATE_LIMIT_PER_CLIENT = 2
    settings.API_RATE_LIMIT_PER_TOKEN = 1000

    def requests():
        bad = {"HTTP_AUTHORIZATION": "Bearer pid_tebakan"}
        other_client = {"REMOTE_ADDR": "192.0.2.7"}
        return (
            [client.get(reverse("api:gallery")).status_code, _regions(client, bad).status_code],
            [client.get(reverse("api:gallery")).status_code, _regions(client, bad).status_code],
            client.get(reverse("api:gallery"), **other_client).status_code,
            _regions(client, bearer(operator_a)).status_code,
        )

    first, refused, other_address, with_token = _in_one_minute(requests)

    assert first == [200, 401]
    assert refused == [429, 429]
    assert other_address == 200
    assert with_token == 200

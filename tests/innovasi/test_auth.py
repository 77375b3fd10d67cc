"""Login, logout, lock-out after repeated failures, password change and reset by e-mail."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovasi.accounts import tasks
from innovasi.accounts.models import PasswordResetRequest

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-rahasia-42"
LOGIN_URL = reverse("accounts:login")
RESET_URL = reverse("accounts:password_reset")
UNKNOWN = "siapa@example.org"


@pytest.fixture
def operator_with_password(operator_a):
    operator_a.set_password(PASSWORD)
    operator_a.save()
    return operator_a


def test_login_with_right_password_reaches_home(client, operator_with_password):
    response = client.post(LOGIN_URL, {"username": "operator.a", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302), ("/inovasi/", 302)]
    assert response.templates[0].name == "submissions/innovation_list.html"


def test_login_password_is_hashed_with_argon2(portal_password_hashers, operator_with_password):
    assert operator_with_password.password.startswith("argon2$")


def test_login_with_wrong_password_says_so(client, operator_with_password):
    response = client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    ]


def test_login_with_a_username_longer_than_any_is_refused_before_authenticating(client):
    from axes.models import AccessAttempt

    response = client.post(LOGIN_URL, {"username": "x" * 300, "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Pastikan nilai ini mengandung paling banyak 150 karakter (sekarang 300 karakter)."
    ]
    # Authenticating would have recorded the failure, in a column of 255 (PostgreSQL: a server error).
    assert AccessAttempt.objects.count() == 0


def test_logout_ends_the_session(client, operator_with_password):
    client.force_login(operator_with_password)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    inbox = reverse("submissions:list")
    assert client.get(inbox).url == f"{LOGIN_URL}?next={inbox}"


def test_login_locked_out_after_repeated_failures(client, settings, operator_with_password):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS):
        client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    response = client.post(LOGIN_URL, {"username": "operator.a", "password": PASSWORD})

    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lockout_is_per_username(client, settings, operator_with_password, operator_b):
    operator_b.set_password(PASSWORD)
    operator_b.save()
    for _attempt in range(settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS):
        client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    response = client.post(LOGIN_URL, {"username": "operator.b", "password": PASSWORD})

    assert response.status_code == 302


def test_login_failures_spread_over_many_addresses_lock_the_account(settings, operator_with_password):
    per_address = settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS
    addresses = [f"192.0.2.{n}" for n in range(settings.LOGIN_FAILURES_PER_USERNAME // (per_address - 1))]
    for address in addresses:  # never as many from one address as lock the pair
        for _attempt in range(per_address - 1):
            Client(REMOTE_ADDR=address).post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    owner = Client(REMOTE_ADDR="198.51.100.1").post(
        LOGIN_URL, {"username": "operator.a", "password": PASSWORD}
    )
    other = Client(REMOTE_ADDR=addresses[0]).post(LOGIN_URL, {"username": "operator.b", "password": "salah"})

    assert owner.status_code == 429
    assert "Akun dikunci sementara" in owner.content.decode()
    assert other.status_code == 200  # another account from one of those addresses is not locked


def test_login_failures_below_the_username_limit_leave_other_addresses_in(settings, operator_with_password):
    per_address = settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS
    for _attempt in range(per_address):
        Client(REMOTE_ADDR="192.0.2.1").post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    locked = Client(REMOTE_ADDR="192.0.2.1").post(LOGIN_URL, {"username": "operator.a", "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="192.0.2.2").post(
        LOGIN_URL, {"username": "operator.a", "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_password_change_requires_the_old_password(client, operator_with_password):
    client.force_login(operator_with_password)
    url = reverse("accounts:password_change")
    new = "kata-sandi-baru-yang-panjang"

    refused = client.post(url, {"old_password": "salah", "new_password1": new, "new_password2": new})
    accepted = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})

    assert refused.status_code == 200
    assert accepted.url == reverse("accounts:password_change_done")
    operator_with_password.refresh_from_db()
    assert operator_with_password.check_password(new)


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, operator_with_password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RESET_URL, {"email": operator_with_password.email})

    assert len(callbacks) == 1  # the account is looked up and mailed after commit, by a worker
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Atur ulang kata sandi Portal Inovasi Daerah"
    link = re.search(r"http://testserver(/akun/kata-sandi/atur/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new = "kata-sandi-baru-yang-panjang"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.url == reverse("accounts:password_reset_complete")
    operator_with_password.refresh_from_db()
    assert operator_with_password.check_password(new)


def test_password_reset_mail_leaves_from_the_web_process_while_redis_is_stopped(
    client, operator_with_password, redis_stopped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET_URL, {"email": operator_with_password.email})

    assert response.url == reverse("accounts:password_reset_done")
    assert [message.subject for message in mail.outbox] == ["Atur ulang kata sandi Portal Inovasi Daerah"]


def test_password_reset_unknown_email_sends_nothing_and_reveals_nothing(
    client, operator_with_password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET_URL, {"email": UNKNOWN})

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def reset(email, client_address="192.0.2.10", **cookies):
    """Ask for a reset link from a fresh browser at ``client_address``; return its answer as bytes on the
    wire (CSRF tokens, which differ per browser, blanked) and the page it leads to, the same way."""
    browser = Client(REMOTE_ADDR=client_address)
    browser.cookies.load(cookies)
    response = browser.post(RESET_URL, {"email": email})
    page = browser.get(response.url) if response.status_code == 302 else response
    return response, _without_csrf(response.serialize()), _without_csrf(page.serialize())


def _without_csrf(raw):
    raw = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken" value=""', raw)
    raw = re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', raw)
    return re.sub(rb"csrftoken=[^;]+;", b"csrftoken=;", raw)


@pytest.fixture
def enqueued(monkeypatch):
    """The keyword arguments of every password_reset_mail enqueued, in order (nothing runs)."""
    calls = []
    monkeypatch.setattr(
        tasks.password_reset_mail, "apply_async", lambda kwargs, **options: calls.append(kwargs)
    )
    return calls


def test_password_reset_known_and_unknown_address_answer_byte_for_byte_alike(
    operator_with_password, django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        known, known_answer, known_page = reset(operator_with_password.email)
        _unknown, unknown_answer, unknown_page = reset(UNKNOWN)

    assert (known.status_code, known.url) == (302, reverse("accounts:password_reset_done"))
    assert unknown_answer == known_answer
    assert unknown_page == known_page


def test_password_reset_known_and_unknown_address_cost_the_same_queries(operator_with_password):
    # Count the requests of the address and of the client, record this one; the account is not looked up.
    with CaptureQueriesContext(connection) as known:
        reset(operator_with_password.email, client_address="192.0.2.11")
    with CaptureQueriesContext(connection) as unknown:
        reset(UNKNOWN, client_address="192.0.2.12")

    assert len(known) == len(unknown) > 0
    assert not any("auth_user" in query["sql"] for query in [*known, *unknown])


def test_password_reset_known_and_unknown_address_enqueue_the_same_task(
    operator_with_password, django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        reset(operator_with_password.email)
        reset(UNKNOWN)

    assert enqueued == [
        {"email": email, "domain": "testserver", "use_https": False, "language": "id"}
        for email in (operator_with_password.email, UNKNOWN)
    ]
    assert mail.outbox == []


def test_password_reset_mail_is_in_the_language_of_the_request(
    operator_with_password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reset(operator_with_password.email, django_language="en")

    assert [message.subject for message in mail.outbox] == ["Reset your Regional Innovation Portal password"]


def test_password_reset_throttles_an_address_with_the_same_answer(
    settings, operator_with_password, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            reset(operator_with_password.email, client_address=f"192.0.2.{n}")[1:] for n in (20, 21, 22)
        ]

    assert len(mail.outbox) == 2
    assert answers[2] == answers[0]


def test_password_reset_throttles_a_client(settings, operator_with_password, enqueued):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 2
    for email in ("satu@example.org", "dua@example.org"):
        reset(email, client_address="198.51.100.7")

    refused, _answer, _page = reset(operator_with_password.email, client_address="198.51.100.7")
    other_client, _answer, _page = reset(operator_with_password.email, client_address="198.51.100.8")

    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors() == [
        "Terlalu banyak permintaan atur ulang kata sandi dari perangkat Anda. Coba lagi satu jam lagi."
    ]
    assert other_client.status_code == 302
    assert PasswordResetRequest.objects.count() == 3  # the refused request is not recorded


def test_password_reset_throttle_forgets_requests_after_an_hour(
    settings, operator_with_password, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    with django_capture_on_commit_callbacks(execute=True):
        reset(operator_with_password.email)
    PasswordResetRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=61))

    with django_capture_on_commit_callbacks(execute=True):
        reset(operator_with_password.email)

    assert len(mail.outbox) == 2
    assert PasswordResetRequest.objects.count() == 1  # the worker pruned the old one


def test_password_reset_requests_are_stored_without_the_address(operator_with_password):
    reset(operator_with_password.email, client_address="203.0.113.5")

    stored = PasswordResetRequest.objects.values_list("address_hash", "client_hash").get()
    assert [bool(re.fullmatch(r"[0-9a-f]{64}", value)) for value in stored] == [True, True]

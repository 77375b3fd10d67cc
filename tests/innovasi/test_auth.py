"""Login, logout, lock-out after repeated failures, password change and reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-rahasia-42"
LOGIN_URL = reverse("accounts:login")


@pytest.fixture
def operator_with_password(operator_a):
    operator_a.set_password(PASSWORD)
    operator_a.save()
    return operator_a


def test_login_with_right_password_reaches_home(client, operator_with_password):
    response = client.post(LOGIN_URL, {"username": "operator.a", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302), ("/inovasi/", 302)]
    assert response.templates[0].name == "submissions/innovation_list.html"


def test_login_password_is_hashed_with_argon2(operator_with_password):
    assert operator_with_password.password.startswith("argon2$")


def test_login_with_wrong_password_says_so(client, operator_with_password):
    response = client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    ]


def test_logout_ends_the_session(client, operator_with_password):
    client.force_login(operator_with_password)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get("/").url == f"{LOGIN_URL}?next=/"


def test_login_locked_out_after_repeated_failures(client, settings, operator_with_password):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    response = client.post(LOGIN_URL, {"username": "operator.a", "password": PASSWORD})

    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lockout_is_per_username(client, settings, operator_with_password, operator_b):
    operator_b.set_password(PASSWORD)
    operator_b.save()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": "operator.a", "password": "salah"})

    response = client.post(LOGIN_URL, {"username": "operator.b", "password": PASSWORD})

    assert response.status_code == 302


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
        response = client.post(reverse("accounts:password_reset"), {"email": operator_with_password.email})

    assert len(callbacks) == 1  # the mail leaves after commit, from a worker
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
        response = client.post(reverse("accounts:password_reset"), {"email": operator_with_password.email})

    assert response.url == reverse("accounts:password_reset_done")
    assert [message.subject for message in mail.outbox] == ["Atur ulang kata sandi Portal Inovasi Daerah"]


def test_password_reset_unknown_email_sends_nothing_and_reveals_nothing(
    client, operator_with_password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "siapa@example.org"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []

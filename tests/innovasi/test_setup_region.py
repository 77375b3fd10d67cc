"""Going live: ``manage.py setup_region`` on an empty database, the set-up page of a fresh superuser, and the
set-password links of invitations and resets (used once, refused when expired or used)."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from innovasi.accounts.enums import RegionKind, Role
from innovasi.accounts.models import Opd, Region, User
from innovasi.accounts.services import people
from innovasi.accounts.tokens import InvitationTokenGenerator, invitation_token_generator
from innovasi.errors import PortalError
from innovasi.standards.models import Catalogue
from submissions.models import Innovation

from ..factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sandi-Baru-Mojokerto-2026"
LINK = re.compile(r"https?://\S+/akun/undangan/\S+/")


def setup_region(*args):
    out = io.StringIO()
    call_command("setup_region", *args, stdout=out)
    return out.getvalue()


MOJOKERTO = [
    "--name",
    "Kabupaten Mojokerto",
    "--kind",
    "kabupaten",
    "--code",
    "35.16",
    "--admin-username",
    "admin.bappeda",
    "--admin-email",
    "Admin@MojokertoKab.go.id",
]


def set_password(client, url, password=PASSWORD):
    """Open a set-password link and choose a password, as a browser does (the link redirects to a page
    without the token, where the form is posted)."""
    page = client.get(url, follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else url,
        {"new_password1": password, "new_password2": password},
    )


def test_setup_region_on_an_empty_database_creates_the_region_and_invites_its_admin(
    django_capture_on_commit_callbacks,
):
    assert (Region.objects.count(), User.objects.count(), Catalogue.objects.count() > 0) == (0, 0, True)

    with django_capture_on_commit_callbacks(execute=True):
        output = setup_region(*MOJOKERTO)

    region = Region.objects.get()
    admin = User.objects.get()
    assert (region.name, region.kind, region.code) == ("Kabupaten Mojokerto", RegionKind.KABUPATEN, "35.16")
    assert (admin.username, admin.email, admin.role, admin.region, admin.opd) == (
        "admin.bappeda",
        "admin@mojokertokab.go.id",
        Role.ADMIN,
        region,
        None,
    )
    assert (admin.has_usable_password(), admin.is_staff, admin.is_superuser) == (False, False, False)
    assert Opd.objects.count() == Innovation.objects.count() == 0  # no demo
    [message] = mail.outbox
    assert message.to == ["admin@mojokertokab.go.id"]
    assert message.subject == "Undangan ke Portal Inovasi Daerah Kabupaten Mojokerto"
    printed = LINK.findall(output)
    mailed = LINK.findall(message.body)
    assert len(printed) == len(mailed) == 1
    assert "Kabupaten Mojokerto (35.16) is set up." in output
    assert "Nama pengguna Anda: admin.bappeda" in message.body


def test_setup_region_printed_link_sets_the_password_and_logs_the_admin_in(client):
    output = setup_region(*MOJOKERTO)
    [link] = LINK.findall(output)

    response = set_password(client, urlsplit(link).path)

    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/dasbor/"
    admin = User.objects.get()
    assert admin.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(admin.pk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--code": "35.16"}, "Kode wilayah 35.16 sudah dipakai Kabupaten Lain."),
        (
            {"--code": "3516"},
            "Kode wilayah «3516» tidak sesuai: kode Kemendagri sebuah provinsi ditulis seperti 35, kabupaten "
            "atau kota seperti 35.16; wilayah nasional dengan huruf besar, seperti ID.",
        ),
        ({"--admin-email": "bukan-surel"}, "«bukan-surel» bukan alamat surel yang sah."),
        ({"--admin-email": "ada@example.org"}, "Surel ada@example.org sudah dipakai akun lain."),
    ],
)
def test_setup_region_refuses_what_cannot_be_set_up_and_keeps_nothing(changes, message):
    RegionFactory(name="Kabupaten Lain", code="35.16")
    UserFactory(username="ada", email="ada@example.org", region=None, role="", opd=None)
    args = list(MOJOKERTO)
    args[args.index("--code") + 1] = "35.17"
    for option, value in changes.items():
        args[args.index(option) + 1] = value

    with pytest.raises(CommandError) as refused:
        setup_region(*args)

    assert str(refused.value) == message
    assert list(Region.objects.values_list("code", flat=True)) == ["35.16"]
    assert User.objects.count() == 1


def test_setup_region_province_code_has_two_digits():
    setup_region(
        "--name", "Provinsi Jawa Timur", "--kind", "provinsi", "--code", "35",
        "--admin-username", "admin.jatim", "--admin-email", "admin@jatimprov.go.id",
    )  # fmt: skip

    assert Region.objects.get().kind == RegionKind.PROVINSI


# The set-up page -----------------------------------------------------------------------------------------


@pytest.fixture
def fresh_superuser(db):
    return UserFactory(
        username="root",
        email="root@example.org",
        region=None,
        role="",
        opd=None,
        is_superuser=True,
        is_staff=True,
    )


def test_setup_page_is_where_a_fresh_superuser_lands(client, fresh_superuser):
    client.force_login(fresh_superuser)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [(reverse("accounts:region_setup"), 302)]
    assert response.templates[0].name == "accounts/region_setup.html"


def test_setup_page_makes_the_superuser_the_admin_of_the_new_region(client, fresh_superuser):
    client.force_login(fresh_superuser)

    response = client.post(
        reverse("accounts:region_setup"),
        {"name": "Kabupaten Mojokerto", "kind": "kabupaten", "code": "35.16"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("accounts:opd_list"), 302)]
    fresh_superuser.refresh_from_db()
    region = Region.objects.get()
    assert (fresh_superuser.region, fresh_superuser.role, fresh_superuser.is_superuser) == (
        region,
        Role.ADMIN,
        True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Kabupaten Mojokerto sudah disiapkan dan Anda admin-nya. Langkah berikutnya: tambahkan OPD (satu per "
        "satu atau dari berkas), lalu undang penggunanya."
    ]
    [entry] = people_history(fresh_superuser)
    assert (entry.who, entry.changes) == (fresh_superuser, (("peran", "", "Admin Bappeda"),))


def people_history(user):
    from innovasi.accounts.selectors import user_history

    return [entry for entry in user_history(user=user) if entry.changes]


def test_setup_page_shows_the_services_refusal_on_the_form(client, fresh_superuser):
    RegionFactory(name="Kabupaten Lain", code="35.16")
    client.force_login(fresh_superuser)

    response = client.post(
        reverse("accounts:region_setup"),
        {"name": "Kabupaten Mojokerto", "kind": "kabupaten", "code": "35.16"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Kode wilayah 35.16 sudah dipakai Kabupaten Lain."]
    fresh_superuser.refresh_from_db()
    assert (fresh_superuser.region, fresh_superuser.role) == (None, "")


def test_setup_page_refuses_a_user_with_a_region(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("accounts:region_setup"))

    assert response.status_code == 403
    assert response.context["message"] == (
        "Akun Anda sudah terdaftar di Kabupaten Uji. Wilayah lain disiapkan dengan perintah "
        "«manage.py setup_region»."
    )


def test_setup_page_refuses_an_account_without_role_that_is_no_superuser(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="baru"))

    home = client.get("/")
    page = client.post(reverse("accounts:region_setup"), {"name": "X", "kind": "kota", "code": "35.78"})

    assert home.templates[0].name == "home/no_role.html"
    assert page.status_code == 403
    assert Region.objects.count() == 0


def test_region_set_up_refuses_an_admin_who_belongs_to_a_region_already(admin_user):
    with pytest.raises(PortalError):
        people.region_set_up(name="Kota Baru", kind="kota", code="35.79", admin=admin_user)

    assert list(Region.objects.values_list("code", flat=True)) == ["35.99"]


# Set-password links ------------------------------------------------------------------------------------


def invitation_path(user, token=None):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:invitation", args=[uid, token or invitation_token_generator.make_token(user)])


@pytest.fixture
def invited(region, opd_a):
    user = UserFactory(username="baru@example.org", email="baru@example.org", region=region, opd=opd_a)
    user.set_unusable_password()
    user.save()
    return user


def test_invitation_link_is_refused_once_used(client, invited):
    path = invitation_path(invited)
    set_password(client, path)
    client.logout()

    again = client.get(path, follow=True)

    assert again.context["validlink"] is False
    assert "Tautan undangan ini tidak berlaku lagi" in again.content.decode()


def made_ago(user, **ago):
    """An invitation token made ``ago`` (a generator whose clock is set back: the token's own timestamp)."""
    generator = InvitationTokenGenerator()
    moment = datetime.datetime.now() - datetime.timedelta(**ago)
    generator._now = lambda: moment
    return generator.make_token(user)


def test_invitation_link_is_refused_once_expired(client, invited, settings):
    days = settings.INVITATION_VALID_DAYS

    refused = client.get(invitation_path(invited, made_ago(invited, days=days, minutes=1)), follow=True)
    accepted = client.get(invitation_path(invited, made_ago(invited, days=days, minutes=-1)), follow=True)

    assert refused.context["validlink"] is False
    assert accepted.context["validlink"] is True


def test_invitation_link_of_a_deactivated_account_is_refused(client, invited):
    path = invitation_path(invited)
    invited.is_active = False
    invited.save()

    assert client.get(path, follow=True).context["validlink"] is False


def test_invitation_and_reset_links_are_not_interchangeable(client, invited):
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    reset_token = default_token_generator.make_token(invited)

    as_invitation = client.get(reverse("accounts:invitation", args=[uid, reset_token]), follow=True)
    as_reset = client.get(
        reverse(
            "accounts:password_reset_confirm", args=[uid, invitation_token_generator.make_token(invited)]
        ),
        follow=True,
    )

    assert (as_invitation.context["validlink"], as_reset.context["validlink"]) == (False, False)


def test_reset_link_sent_by_the_admin_works_once(
    client, admin_user, operator_a, django_capture_on_commit_callbacks
):
    operator_a.set_password("lama-sekali-2020")
    operator_a.save()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("accounts:user_link", args=[operator_a.pk]))
    link = page.context["link"]
    [message] = mail.outbox
    client.logout()

    first = set_password(client, urlsplit(link.url).path)
    client.logout()
    second = client.get(urlsplit(link.url).path, follow=True)

    assert (link.kind, message.to, message.subject) == (
        "reset",
        [operator_a.email],
        "Tautan untuk mengatur ulang kata sandi Portal Inovasi Daerah",
    )
    assert "/akun/kata-sandi/atur/" in message.body
    assert first.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password(PASSWORD)
    assert second.context["validlink"] is False

"""The admin's pages of the region's OPDs and users: list, add, change, deactivate, invite, links; every
change in the history of the thing changed; everything scoped to the admin's own region."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from innovasi.accounts.enums import OpdKind, Role
from innovasi.accounts.models import Opd, User
from innovasi.accounts.selectors import opd_history, user_history
from innovasi.accounts.services import people

from ..factories import OpdFactory, UserFactory, innovation_create

pytestmark = pytest.mark.django_db


def opd_form(opd, **changes):
    return {
        "name": opd.name,
        "short_name": opd.short_name,
        "kind": opd.kind,
        "seen": people.fingerprint(opd, people.OPD_FIELDS),
        **changes,
    }


def user_form(user, **changes):
    return {
        "name": user.get_full_name(),
        "email": user.email,
        "role": user.role,
        "opd": user.opd_id or "",
        "seen": people.fingerprint(user, people.USER_FIELDS),
        **changes,
    }


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# OPDs ----------------------------------------------------------------------------------------------------


def test_opd_list_shows_the_region_s_opds_with_their_operators(
    client, admin_user, operator_a, opd_b, other_region
):
    OpdFactory(region=other_region, name="Dinas Lain", short_name="Lain")
    client.force_login(admin_user)

    response = client.get(reverse("accounts:opd_list"))

    rows = [(opd.name, opd.n_users, opd.has_operator) for opd in response.context["opds"]]
    assert rows == [("Bappeda", 1, False), ("Dinas Kesehatan", 1, True), ("Dinas Pendidikan", 0, False)]


def test_opd_list_filters_by_status_and_text(client, admin_user, opd_a, opd_b):
    Opd.objects.filter(pk=opd_b.pk).update(is_active=False)
    client.force_login(admin_user)

    inactive = client.get(reverse("accounts:opd_list"), {"status": "nonaktif"})
    found = client.get(reverse("accounts:opd_list"), {"q": "kes"})

    assert [opd.name for opd in inactive.context["opds"]] == ["Dinas Pendidikan"]
    assert [opd.name for opd in found.context["opds"]] == ["Dinas Kesehatan"]


@pytest.mark.parametrize("count", [1, 3])
def test_opd_list_query_count_does_not_grow(client, admin_user, region, count, django_assert_num_queries):
    for _number in range(count):
        opd = OpdFactory(region=region)
        UserFactory(region=region, role=Role.OPERATOR, opd=opd)
    client.force_login(admin_user)
    client.get(reverse("accounts:opd_list"))

    # session, user, the OPDs with their counts, the unread notifications
    with django_assert_num_queries(4):
        client.get(reverse("accounts:opd_list"))


def test_opd_create_adds_an_opd_with_its_creation_in_the_history(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:opd_create"),
        {"name": "Dinas Sosial", "short_name": "Dinsos", "kind": OpdKind.DINAS},
        follow=True,
    )

    opd = Opd.objects.get(short_name="Dinsos")
    assert (opd.region, opd.kind, opd.is_active) == (admin_user.region, OpdKind.DINAS, True)
    assert response.redirect_chain == [(reverse("accounts:opd_detail", args=[opd.pk]), 302)]
    assert [(entry.who, entry.what) for entry in response.context["history"]] == [(admin_user, "Dibuat")]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"name": "Dinas Kesehatan", "short_name": "Kes2"},
            ["Nama «Dinas Kesehatan» sudah dipakai OPD lain di wilayah ini (Dinkes)."],
        ),
        (
            {"name": "Dinas Baru", "short_name": "DINKES"},
            ["Nama singkat «DINKES» sudah dipakai Dinas Kesehatan."],
        ),
    ],
)
def test_opd_create_refuses_a_name_or_short_name_in_use(client, admin_user, opd_a, values, errors):
    client.force_login(admin_user)

    response = client.post(reverse("accounts:opd_create"), {**values, "kind": OpdKind.DINAS})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == errors
    assert Opd.objects.filter(region=admin_user.region).count() == 2  # Bappeda and Dinkes


def test_opd_detail_change_is_in_the_history_with_old_and_new_values(client, admin_user, opd_a):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:opd_detail", args=[opd_a.pk]),
        opd_form(opd_a, name="Dinas Kesehatan Daerah", kind=OpdKind.BADAN),
        follow=True,
    )

    assert messages_of(response) == ["Perubahan OPD disimpan."]
    newest = response.context["history"][0]
    assert (newest.who, newest.what, newest.changes) == (
        admin_user,
        "Data diubah",
        (("nama", "Dinas Kesehatan", "Dinas Kesehatan Daerah"), ("jenis", "Dinas", "Badan")),
    )
    assert "Dinas Kesehatan Daerah" in response.content.decode()


def test_opd_detail_form_opened_before_another_change_saves_nothing(client, admin_user, opd_a):
    stale = opd_form(opd_a, name="Dinas Kesehatan Baru")
    people.opd_update(
        opd=opd_a, by=admin_user, name="Dinkes Kabupaten", short_name="Dinkes", kind="dinas", seen=None
    )
    client.force_login(admin_user)

    response = client.post(reverse("accounts:opd_detail", args=[opd_a.pk]), stale)

    assert response.status_code == 200
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Data «Dinkes» baru saja diubah orang lain.")
    )
    opd_a.refresh_from_db()
    assert opd_a.name == "Dinkes Kabupaten"


def test_opd_deactivation_is_refused_while_it_has_active_accounts(client, admin_user, operator_a, opd_a):
    client.force_login(admin_user)

    refused = client.post(reverse("accounts:opd_active", args=[opd_a.pk]), {"aktif": "0"}, follow=True)
    people.user_set_active(user=operator_a, by=admin_user, active=False)
    done = client.post(reverse("accounts:opd_active", args=[opd_a.pk]), {"aktif": "0"}, follow=True)

    assert messages_of(refused) == [
        "Dinas Kesehatan masih punya 1 akun aktif. Pindahkan akun itu ke OPD lain atau nonaktifkan dulu, lalu "
        "nonaktifkan OPD-nya."
    ]
    assert messages_of(done) == ["Dinas Kesehatan dinonaktifkan."]
    opd_a.refresh_from_db()
    assert opd_a.is_active is False
    assert done.context["history"][0].changes == (("aktif", "ya", "tidak"),)


def test_opd_with_innovations_is_deactivated_never_deleted(client, admin_user, opd_a, cycle):
    innovation = innovation_create(cycle, opd_a)
    User.objects.filter(opd=opd_a).update(is_active=False)
    client.force_login(admin_user)

    client.post(reverse("accounts:opd_active", args=[opd_a.pk]), {"aktif": "0"})

    innovation.refresh_from_db()
    assert (Opd.objects.get(pk=opd_a.pk).is_active, innovation.opd_id) == (False, opd_a.pk)


def test_opd_history_begins_with_the_migration_s_record_for_an_opd_made_before_it(admin_user, opd_a):
    opd_a.history.all().delete()
    opd_a.history.model.objects.create(
        id=opd_a.pk,
        name=opd_a.name,
        short_name=opd_a.short_name,
        kind=opd_a.kind,
        is_active=True,
        region_id=opd_a.region_id,
        history_date=timezone.now() - datetime.timedelta(days=1),
        history_type="~",
    )

    people.opd_update(
        opd=opd_a, by=admin_user, name="Dinkes Baru", short_name="Dinkes", kind="dinas", seen=None
    )

    assert [(entry.what, entry.changes) for entry in opd_history(opd=opd_a)] == [
        ("Data diubah", (("nama", "Dinas Kesehatan", "Dinkes Baru"),)),
        ("Riwayat mulai dicatat", ()),
    ]


# Users ---------------------------------------------------------------------------------------------------


def test_user_list_filters_by_role_opd_active_and_last_login(
    client, admin_user, operator_a, operator_b, verifikator, juri
):
    User.objects.filter(pk=operator_b.pk).update(is_active=False)
    User.objects.filter(pk=verifikator.pk).update(last_login=timezone.now() - datetime.timedelta(days=3))
    User.objects.filter(pk=juri.pk).update(last_login=timezone.now() - datetime.timedelta(days=90))
    client.force_login(admin_user)  # the admin logs in now
    url = reverse("accounts:user_list")

    def names(**query):
        return [user.username for user in client.get(url, query).context["page"].object_list]

    assert names(peran="operator") == ["operator.a", "operator.b"]
    assert names(opd=operator_a.opd_id) == ["operator.a"]
    assert names(status="nonaktif") == ["operator.b"]
    assert names(masuk="never") == ["operator.a", "operator.b"]
    assert names(masuk="stale") == ["juri", "operator.a", "operator.b"]
    assert names(masuk="recent") == ["admin.bappeda", "verifikator"]
    assert names(q="verif") == ["verifikator"]


@pytest.mark.parametrize("count", [1, 3])
def test_user_list_query_count_does_not_grow(client, admin_user, region, count, django_assert_num_queries):
    for _number in range(count):
        UserFactory(region=region, role=Role.OPERATOR)
    client.force_login(admin_user)
    client.get(reverse("accounts:user_list"))

    # session, user, the count, the page with OPDs, the OPDs of the filter, the unread notifications
    with django_assert_num_queries(6):
        client.get(reverse("accounts:user_list"))


def test_user_invite_creates_the_account_and_mails_its_set_password_link(
    client, admin_user, opd_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_invite"),
            {"name": "Sri Operator", "email": "Sri@Dinkes.go.id", "role": Role.OPERATOR, "opd": opd_a.pk},
        )

    user = User.objects.get(email="sri@dinkes.go.id")
    assert (user.username, user.first_name, user.role, user.opd, user.region) == (
        "sri@dinkes.go.id",
        "Sri Operator",
        Role.OPERATOR,
        opd_a,
        admin_user.region,
    )
    assert user.has_usable_password() is False
    link = response.context["link"]
    assert (response.status_code, link.kind, link.url.startswith("http://testserver/akun/undangan/")) == (
        200,
        "invitation",
        True,
    )
    [message] = mail.outbox
    assert message.to == ["sri@dinkes.go.id"]
    assert "Anda diundang ke Portal Inovasi Daerah Kabupaten Uji sebagai Operator OPD." in message.body
    assert "OPD: Dinas Kesehatan" in message.body


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"role": Role.OPERATOR, "opd": ""}, ["Operator harus terdaftar pada satu OPD."]),
        ({"email": "verifikator@example.org"}, ["Surel verifikator@example.org sudah dipakai akun lain."]),
    ],
)
def test_user_invite_refuses_and_creates_nothing(client, admin_user, verifikator, values, errors):
    client.force_login(admin_user)
    before = User.objects.count()

    response = client.post(
        reverse("accounts:user_invite"),
        {"name": "Baru", "email": "baru@example.org", "role": Role.JURI, "opd": "", **values},
    )

    assert response.context["form"].non_field_errors() == errors
    assert (User.objects.count(), len(mail.outbox)) == (before, 0)


def test_user_invite_offers_only_the_region_s_active_opds(client, admin_user, opd_a, opd_b, other_region):
    Opd.objects.filter(pk=opd_b.pk).update(is_active=False)
    OpdFactory(region=other_region, name="Dinas Lain", short_name="Lain")
    client.force_login(admin_user)

    response = client.get(reverse("accounts:user_invite"))

    assert [str(opd) for opd in response.context["form"].fields["opd"].queryset] == ["Bappeda", "Dinkes"]


def test_user_detail_change_of_role_and_opd_is_in_its_history(client, admin_user, operator_a, bappeda):
    client.force_login(admin_user)

    response = client.post(
        reverse("accounts:user_detail", args=[operator_a.pk]),
        user_form(operator_a, name="Sri Operator", role=Role.VERIFIKATOR, opd=bappeda.pk),
        follow=True,
    )

    operator_a.refresh_from_db()
    assert (operator_a.role, operator_a.opd) == (Role.VERIFIKATOR, bappeda)
    newest = response.context["history"][0]
    assert (newest.who, newest.changes) == (
        admin_user,
        (
            ("nama depan", "", "Sri Operator"),
            ("peran", "Operator OPD", "Verifikator"),
            ("OPD", "Dinkes", "Bappeda"),
        ),
    )


def test_user_deactivation_and_reactivation_are_in_its_history(client, admin_user, operator_a):
    client.force_login(admin_user)

    client.post(reverse("accounts:user_active", args=[operator_a.pk]), {"aktif": "0"})
    response = client.post(reverse("accounts:user_active", args=[operator_a.pk]), {"aktif": "1"}, follow=True)

    assert [entry.changes for entry in response.context["history"][:2]] == [
        (("aktif", "tidak", "ya"),),
        (("aktif", "ya", "tidak"),),
    ]


def test_deactivated_user_is_logged_out_at_the_next_request(client, admin_user, operator_a):
    operator = type(client)()
    operator.force_login(operator_a)
    client.force_login(admin_user)

    client.post(reverse("accounts:user_active", args=[operator_a.pk]), {"aktif": "0"})

    assert operator.get("/inovasi/").status_code == 302


def test_admin_cannot_take_their_own_role_or_access_away(client, admin_user):
    client.force_login(admin_user)

    deactivate = client.post(reverse("accounts:user_active", args=[admin_user.pk]), {"aktif": "0"})
    demote = client.post(
        reverse("accounts:user_detail", args=[admin_user.pk]), user_form(admin_user, role=Role.JURI)
    )

    admin_user.refresh_from_db()
    assert (admin_user.is_active, admin_user.role) == (True, Role.ADMIN)
    assert deactivate.status_code == 403
    assert demote.context["form"].fields["role"].disabled is True


def test_a_superuser_s_account_is_changed_by_no_regional_admin(client, admin_user, region):
    root = UserFactory(username="root", region=region, role=Role.ADMIN, opd=None, is_superuser=True)
    client.force_login(admin_user)

    page = client.get(reverse("accounts:user_detail", args=[root.pk]))
    link = client.post(reverse("accounts:user_link", args=[root.pk]))
    change = client.post(
        reverse("accounts:user_detail", args=[root.pk]), user_form(root, email="saya@example.org")
    )

    assert (page.status_code, page.context["can_change"], link.status_code, change.status_code) == (
        200,
        False,
        403,
        403,
    )
    assert len(mail.outbox) == 0


def test_user_history_names_the_opds(admin_user, operator_a, opd_b):
    people.user_update(
        user=operator_a,
        by=admin_user,
        name="Operator A",
        email=operator_a.email,
        role="operator",
        opd=opd_b,
        seen=None,
    )

    [change, _created] = user_history(user=operator_a)
    assert change.changes == (("nama depan", "", "Operator A"), ("OPD", "Dinkes", "Dispendik"))


# Another region ------------------------------------------------------------------------------------------

OBJECT_URLS = [
    ("GET", "accounts:opd_detail", "opd"),
    ("POST", "accounts:opd_detail", "opd"),
    ("POST", "accounts:opd_active", "opd"),
    ("GET", "accounts:user_detail", "user"),
    ("POST", "accounts:user_detail", "user"),
    ("POST", "accounts:user_active", "user"),
    ("POST", "accounts:user_link", "user"),
]


@pytest.mark.parametrize(("method", "name", "kind"), OBJECT_URLS)
def test_another_region_s_admin_sees_and_changes_nothing_of_the_first(
    client, outsider_admin, operator_a, method, name, kind
):
    opd = operator_a.opd
    target = opd if kind == "opd" else operator_a
    data = opd_form(opd, name="Diubah") if kind == "opd" else user_form(operator_a, name="Diubah")
    client.force_login(outsider_admin)

    response = (
        client.get(reverse(name, args=[target.pk]))
        if method == "GET"
        else client.post(reverse(name, args=[target.pk]), {**data, "aktif": "0"})
    )

    assert response.status_code == 404
    opd.refresh_from_db()
    operator_a.refresh_from_db()
    assert (opd.name, opd.is_active, operator_a.first_name, operator_a.is_active) == (
        "Dinas Kesehatan",
        True,
        "",
        True,
    )
    assert len(mail.outbox) == 0


def test_another_region_s_admin_lists_only_their_own(client, outsider_admin, operator_a):
    client.force_login(outsider_admin)

    opds = client.get(reverse("accounts:opd_list")).context["opds"]
    users = client.get(reverse("accounts:user_list")).context["page"].object_list
    by_opd = client.get(reverse("accounts:user_list"), {"opd": operator_a.opd_id}).context["page"].object_list

    assert (list(opds), [user.username for user in users], list(by_opd)) == ([], ["admin.lain"], [])


def test_another_region_s_opd_cannot_be_given_to_a_user(admin_user, other_region):
    foreign = OpdFactory(region=other_region)

    with pytest.raises(people.PortalError) as refused:
        people.user_invite(
            region=admin_user.region,
            by=admin_user,
            name="X",
            email="x@example.org",
            role="operator",
            opd=foreign,
            base_url="",
        )

    assert refused.value.problems == ["OPD harus berada di wilayah pengguna."]

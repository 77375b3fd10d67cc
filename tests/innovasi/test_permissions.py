"""The role and object predicates, with a persona per role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from innovasi.accounts import permissions as p

pytestmark = pytest.mark.django_db

ROLE_PREDICATES = {
    "operator_a": p.is_operator,
    "kepala_a": p.is_kepala_opd,
    "verifikator": p.is_verifikator,
    "admin_user": p.is_admin,
    "juri": p.is_juri,
    "pimpinan": p.is_pimpinan,
}


@pytest.mark.parametrize("persona", ROLE_PREDICATES)
def test_role_predicate_holds_only_for_its_persona(request, persona):
    user = request.getfixturevalue(persona)

    holding = [name for name, predicate in ROLE_PREDICATES.items() if predicate(user)]

    assert holding == [persona]


def test_role_predicates_refuse_anonymous_and_inactive(operator_a):
    operator_a.is_active = False

    assert not any(predicate(AnonymousUser()) for predicate in ROLE_PREDICATES.values())
    assert not p.is_operator(operator_a)


def test_in_own_region_compares_the_object_region(operator_a, opd_b, other_region, outsider_admin):
    assert p.in_own_region(operator_a, opd_b)
    assert not p.in_own_region(operator_a, other_region)
    assert not p.in_own_region(outsider_admin, opd_b)
    assert not p.in_own_region(AnonymousUser(), opd_b)


def test_in_own_opd_compares_the_object_opd(operator_a, operator_b, pimpinan):
    assert p.in_own_opd(operator_a, operator_a)
    assert not p.in_own_opd(operator_a, operator_b)
    assert not p.in_own_opd(pimpinan, operator_a)


def test_admin_manages_only_own_region_opds(admin_user, outsider_admin, opd_a, operator_a):
    assert admin_user.has_perm("accounts.change_opd", opd_a)
    assert admin_user.has_perm("accounts.change_user", operator_a)
    assert not outsider_admin.has_perm("accounts.change_opd", opd_a)
    assert not operator_a.has_perm("accounts.change_opd", opd_a)


def test_admin_site_lists_only_own_region(client, admin_user, outsider_admin, opd_a):
    client.force_login(outsider_admin)
    outsider_page = client.get("/admin/accounts/opd/")
    client.force_login(admin_user)
    own_page = client.get("/admin/accounts/opd/")

    assert outsider_page.status_code == 200
    assert "Dinas Kesehatan" not in outsider_page.content.decode()
    assert "Dinas Kesehatan" in own_page.content.decode()
    assert client.get(f"/admin/accounts/opd/{opd_a.pk}/change/").status_code == 200
    client.force_login(outsider_admin)
    assert client.get(f"/admin/accounts/opd/{opd_a.pk}/change/").status_code == 302


def test_model_permissions_count_only_for_staff(operator_a, admin_user):
    from django.contrib.auth.models import Permission

    change_innovation = Permission.objects.get(codename="change_innovation")
    for user in (operator_a, admin_user):
        user.user_permissions.add(change_innovation)
        user.refresh_from_db()

    assert not operator_a.has_perm("submissions.change_innovation")
    assert admin_user.has_perm("submissions.change_innovation")


def test_request_user_comes_with_region_and_opd(client, operator_a, django_assert_num_queries):
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    client.force_login(operator_a)
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session.get("_auth_user_id")  # the session is read before counting
    with django_assert_num_queries(1):
        user = get_user(request)
        assert (user.region.name, user.opd.name) == (operator_a.region.name, operator_a.opd.name)

"""No menu item leads to a page that says "no permission": every link of the navigation bar, as each role
sees it, opens (200), in a region with its cycle and in one just set up; the admin's menu leads to the
portal's pages of OPDs and users, the Django admin only a superuser's."""

import re

import pytest
from django.urls import reverse

from innovasi.accounts.enums import Role

from ..factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

NAVBAR = re.compile(r'<nav class="navbar.*?</nav>', re.DOTALL)
LINK = re.compile(r'href="(/[^"#]*)"')


def menu_links(client):
    page = client.get("/", follow=True)
    return sorted(set(LINK.findall(NAVBAR.search(page.content.decode()).group(0))))


def opened(client, links):
    return {link: client.get(link, follow=True).status_code for link in links}


@pytest.mark.parametrize(
    "persona", ["operator_a", "kepala_a", "verifikator", "admin_user", "juri", "pimpinan"]
)
def test_every_menu_link_of_each_role_opens(persona_client, persona, cycle):
    client = persona_client(persona)

    links = menu_links(client)

    assert {link: status for link, status in opened(client, links).items() if status != 200} == {}


def test_admin_menu_points_to_the_opd_and_user_pages_not_the_django_admin(client, admin_user, cycle):
    client.force_login(admin_user)  # a staff account, as the demo's admin is

    links = menu_links(client)

    assert {reverse("accounts:opd_list"), reverse("accounts:user_list")} <= set(links)
    assert reverse("admin:index") not in links


def test_menu_of_a_region_just_set_up_opens_everywhere(client):
    admin = UserFactory(region=RegionFactory(name="Kota Baru", code="35.79"), role=Role.ADMIN, opd=None)
    client.force_login(admin)

    links = menu_links(client)

    assert {link: status for link, status in opened(client, links).items() if status != 200} == {}


def test_superuser_menu_has_the_django_admin_and_it_opens(client, region):
    root = UserFactory(region=region, role=Role.ADMIN, opd=None, is_superuser=True, is_staff=True)
    client.force_login(root)

    links = menu_links(client)

    assert reverse("admin:index") in links
    assert {link: status for link, status in opened(client, links).items() if status != 200} == {}

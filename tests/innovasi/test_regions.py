"""Regions inside regions: nasional ⊃ provinsi ⊃ kabupaten/kota, kept consistent by one rule
(``services.region.tree_refusal``) wherever a region is placed — the service, ``setup_region --parent``,
the set-up page and the Django admin — and by the database where one row can hold it."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from innovasi.accounts.enums import RegionKind, Role
from innovasi.accounts.models import Region, User
from innovasi.accounts.services import region_place, tree_refusal
from innovasi.errors import PortalError

from ..factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Indonesia ⊃ Jawa Timur ⊃ Kabupaten Mojokerto, and Kota Surabaya placed nowhere yet."""
    nation = RegionFactory(name="Indonesia", kind=RegionKind.NASIONAL, code="ID")
    province = RegionFactory(name="Provinsi Jawa Timur", kind=RegionKind.PROVINSI, code="35", parent=nation)
    regency = RegionFactory(
        name="Kabupaten Mojokerto", kind=RegionKind.KABUPATEN, code="35.16", parent=province
    )
    city = RegionFactory(name="Kota Surabaya", kind=RegionKind.KOTA, code="35.78")
    return SimpleNamespace(nation=nation, province=province, regency=regency, city=city)


def test_region_place_puts_a_city_in_its_province_and_keeps_the_history(tree):
    root = UserFactory(username="root", region=None, role="", opd=None, is_superuser=True, is_staff=True)

    placed = region_place(region=tree.city, parent=tree.province, by=root)

    assert placed.parent == tree.province
    assert list(tree.province.children.order_by("code").values_list("code", flat=True)) == ["35.16", "35.78"]
    record = tree.city.history.first()
    assert (record.parent_id, record.history_user) == (tree.province.pk, root)
    # Placing it where it is writes nothing more.
    region_place(region=tree.city, parent=tree.province, by=root)
    assert tree.city.history.count() == 2


@pytest.mark.parametrize(
    ("region", "parent", "message"),
    [
        ("city", "regency", "Induk sebuah kota harus provinsi; Kabupaten Mojokerto adalah kabupaten."),
        ("city", "nation", "Induk sebuah kota harus provinsi; Indonesia adalah nasional."),
        ("province", "province", "Sebuah wilayah tidak dapat menjadi induknya sendiri."),
        (
            "province",
            "regency",
            "Induk sebuah provinsi harus nasional; Kabupaten Mojokerto adalah kabupaten.",
        ),
        ("nation", "province", "Wilayah nasional tidak berada di bawah wilayah lain."),
    ],
)
def test_region_place_refuses_a_parent_of_the_wrong_kind_and_changes_nothing(tree, region, parent, message):
    regions = vars(tree)
    before = {item.pk: item.parent_id for item in Region.objects.all()}

    with pytest.raises(PortalError) as refused:
        region_place(region=regions[region], parent=regions[parent])

    assert refused.value.message == message
    assert {item.pk: item.parent_id for item in Region.objects.all()} == before


def test_a_cycle_is_refused_even_where_the_kinds_would_allow_it(tree):
    """The kinds alone rule cycles out (each parent is of a higher kind); the rule still walks up, for a
    tree whose rows were written around it."""
    Region.objects.filter(pk=tree.province.pk).update(parent=tree.city)  # behind the rule's back
    tree.city.refresh_from_db()

    with pytest.raises(PortalError) as refused:
        region_place(region=tree.city, parent=tree.province)

    assert refused.value.message == (
        "Provinsi Jawa Timur berada di bawah Kota Surabaya: menjadikannya induk akan membuat lingkaran."
    )
    tree.city.refresh_from_db()
    assert tree.city.parent is None


def test_a_region_with_regions_below_it_keeps_a_kind_they_can_lie_in(tree):

    assert tree_refusal(region=tree.province, kind=RegionKind.KABUPATEN, parent=None) == (
        "Kabupaten Mojokerto (kabupaten) berada di bawah wilayah ini: wilayah ini tidak dapat menjadi "
        "kabupaten selama Kabupaten Mojokerto di bawahnya."
    )
    assert tree_refusal(region=tree.province, kind=RegionKind.PROVINSI, parent=None) is None


def test_only_a_superuser_places_a_region(tree):
    admin = UserFactory(username="admin.jatim", region=tree.province, role=Role.ADMIN, opd=None)

    with pytest.raises(PortalError) as refused:
        region_place(region=tree.city, parent=tree.province, by=admin)

    assert refused.value.message == "Letak wilayah (wilayah induknya) diatur oleh superuser portal."
    tree.city.refresh_from_db()
    assert tree.city.parent is None


def test_the_database_refuses_what_one_row_can_hold(tree):

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=tree.nation.pk).update(parent=tree.province)
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=tree.city.pk).update(parent=tree.city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(name="Nusantara", kind=RegionKind.NASIONAL, code="NU", parent=tree.province)


# setup_region --parent ------------------------------------------------------------------------------------


def setup_region(*args):
    out = io.StringIO()
    call_command("setup_region", *args, stdout=out)
    return out.getvalue()


def _city(code="35.78", parent="35"):
    return [
        "--name", "Kota Surabaya", "--kind", "kota", "--code", code, "--parent", parent,
        "--admin-username", "admin.surabaya", "--admin-email", "admin@surabaya.go.id",
    ]  # fmt: skip


def test_setup_region_parent_places_the_new_region():
    setup_region(
        "--name", "Provinsi Jawa Timur", "--kind", "provinsi", "--code", "35",
        "--admin-username", "admin.jatim", "--admin-email", "admin@jatimprov.go.id",
    )  # fmt: skip

    output = setup_region(*_city())

    city = Region.objects.get(code="35.78")
    assert (city.kind, city.parent.code) == (RegionKind.KOTA, "35")
    assert "It lies in Provinsi Jawa Timur (35)." in output


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("99", "Tidak ada wilayah berkode 99 untuk menjadi induknya."),
        ("35.16", "Induk sebuah kota harus provinsi; Kabupaten Mojokerto adalah kabupaten."),
    ],
)
def test_setup_region_parent_refuses_an_unknown_or_wrong_parent_and_keeps_nothing(tree, parent, message):
    regions, users = Region.objects.count(), User.objects.count()

    with pytest.raises(CommandError) as refused:
        setup_region(*_city(code="35.79", parent=parent))

    assert str(refused.value) == message
    assert (Region.objects.count(), User.objects.count()) == (regions, users)


def test_the_set_up_page_offers_the_regions_a_new_one_may_lie_in(client, tree):
    root = UserFactory(username="root", region=None, role="", opd=None, is_superuser=True, is_staff=True)
    client.force_login(root)

    page = client.get(reverse("accounts:region_setup"))
    offered = [code for code, _label in page.context["form"].fields["parent_code"].choices]
    refused = client.post(
        reverse("accounts:region_setup"),
        {"name": "Kota Batu", "kind": "kota", "code": "35.79", "parent_code": "ID"},
    )
    accepted = client.post(
        reverse("accounts:region_setup"),
        {"name": "Kota Batu", "kind": "kota", "code": "35.79", "parent_code": "35"},
    )

    assert offered == ["", "ID", "35"]
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Induk sebuah kota harus provinsi; Indonesia adalah nasional."
    ]
    assert accepted.status_code == 302
    assert Region.objects.get(code="35.79").parent == tree.province


def test_the_django_admin_keeps_the_tree_with_the_same_rule(client, tree):
    root = UserFactory(username="root", region=None, role="", opd=None, is_superuser=True, is_staff=True)
    client.force_login(root)
    url = reverse("admin:accounts_region_change", args=[tree.city.pk])
    page = client.get(url)
    fingerprint = page.context["portal_fingerprint"]

    refused = client.post(
        url,
        {
            "name": tree.city.name,
            "kind": "kota",
            "code": tree.city.code,
            "parent": tree.regency.pk,
            "_portal_fingerprint": fingerprint,
        },
    )
    accepted = client.post(
        url,
        {
            "name": tree.city.name,
            "kind": "kota",
            "code": tree.city.code,
            "parent": tree.province.pk,
            "_portal_fingerprint": fingerprint,
        },
    )

    assert refused.status_code == 200
    assert (
        "Induk sebuah kota harus provinsi; Kabupaten Mojokerto adalah kabupaten." in refused.content.decode()
    )
    assert accepted.status_code == 302
    tree.city.refresh_from_db()
    assert tree.city.parent == tree.province

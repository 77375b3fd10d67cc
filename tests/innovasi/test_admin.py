"""The Django admin: a change form posted on an object changed since it was opened saves nothing."""

import pytest
from django.contrib import admin

from innovasi.accounts.admin import StaleChangeRefusedAdmin
from innovasi.accounts.models import Opd
from innovasi.standards.models import Indicator, Option

from ..factories import CycleFactory, OpdFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"accounts", "standards", "submissions", "scoring", "reports"}
STALE = (
    "Data ini sudah diubah orang lain sejak formulir ini dibuka; perubahan Anda tidak disimpan. "
    "Muat ulang halaman untuk melihat data terbaru, lalu ulangi perubahan Anda."
)


def form_data(page, **changes):
    """What the browser would post back from an admin change page (no inline rows), with ``changes``."""
    data = {"_portal_fingerprint": page.context["portal_fingerprint"]}
    for name, value in page.context["adminform"].form.initial.items():
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_every_portal_model_admin_refuses_stale_change_forms():
    portal = {
        model._meta.label: type(model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PORTAL_APPS
    }

    assert sorted(portal) == [
        "accounts.Opd",
        "accounts.Region",
        "accounts.User",
        "standards.Catalogue",
        "standards.Cycle",
        "standards.Indicator",
        "standards.Urusan",
        "submissions.Innovation",
    ]
    assert [label for label, cls in portal.items() if not issubclass(cls, StaleChangeRefusedAdmin)] == []


def test_admin_change_form_saves_when_nothing_changed_meanwhile(client, admin_user, opd_a):
    url = f"/admin/accounts/opd/{opd_a.pk}/change/"
    client.force_login(admin_user)
    page = client.get(url)

    response = client.post(url, form_data(page, short_name="Dinkes Baru"))

    assert response.status_code == 302
    assert Opd.objects.get(pk=opd_a.pk).short_name == "Dinkes Baru"


def test_admin_change_form_opened_before_another_save_saves_nothing(client, admin_user, opd_a):
    url = f"/admin/accounts/opd/{opd_a.pk}/change/"
    client.force_login(admin_user)
    page = client.get(url)
    Opd.objects.filter(pk=opd_a.pk).update(name="Dinas Kesehatan dan KB")  # another admin's save

    response = client.post(url, form_data(page, short_name="Dinkes Baru"))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [STALE]
    assert STALE in response.content.decode()
    assert Opd.objects.filter(pk=opd_a.pk).values_list("name", "short_name").get() == (
        "Dinas Kesehatan dan KB",
        "Dinkes",
    )
    # Sent back, the form keeps the fingerprint it was opened with: saving it again is refused too.
    assert response.context["portal_fingerprint"] == page.context["portal_fingerprint"]
    again = client.post(url, form_data(response, short_name="Dinkes Baru"))
    assert again.status_code == 200
    assert Opd.objects.get(pk=opd_a.pk).short_name == "Dinkes"


def test_admin_change_form_without_a_fingerprint_saves_nothing(client, admin_user, opd_a):
    url = f"/admin/accounts/opd/{opd_a.pk}/change/"
    client.force_login(admin_user)
    data = form_data(client.get(url), short_name="Dinkes Baru")
    del data["_portal_fingerprint"]

    response = client.post(url, data)

    assert response.context["adminform"].form.non_field_errors() == [STALE]
    assert Opd.objects.get(pk=opd_a.pk).short_name == "Dinkes"


def test_admin_change_form_refused_when_an_inline_row_changed_meanwhile(client, db):
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-16")
    url = f"/admin/standards/indicator/{indicator.pk}/change/"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(url)
    Option.objects.filter(indicator=indicator, level=1).update(label_id="Label baru dari orang lain")

    response = client.post(url, form_data(page, weight="4", evidence_kinds='["pdf"]'))

    assert response.context["adminform"].form.non_field_errors() == [STALE]
    assert Indicator.objects.get(pk=indicator.pk).weight == indicator.weight


def test_admin_user_change_form_opened_before_a_role_change_saves_nothing(client, admin_user, operator_a):
    url = f"/admin/accounts/user/{operator_a.pk}/change/"
    client.force_login(admin_user)
    page = client.get(url)
    type(operator_a).objects.filter(pk=operator_a.pk).update(first_name="Budi")

    response = client.post(url, form_data(page, last_name="Santoso"))

    assert response.context["adminform"].form.non_field_errors() == [STALE]
    operator_a.refresh_from_db()
    assert (operator_a.first_name, operator_a.last_name) == ("Budi", "")


def test_admin_user_change_form_saves_when_nothing_changed_meanwhile(client, admin_user, operator_a):
    url = f"/admin/accounts/user/{operator_a.pk}/change/"
    client.force_login(admin_user)

    response = client.post(url, form_data(client.get(url), last_name="Santoso"))

    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.last_name == "Santoso"


@pytest.mark.parametrize(
    "page",
    ["/admin/accounts/opd/", "/admin/accounts/user/", "/admin/accounts/region/", "/admin/standards/cycle/"],
)
def test_admin_changelist_of_a_regency_admin_names_no_other_region(
    client, page, admin_user, outsider_admin, other_region, opd_a, operator_a, cycle
):
    OpdFactory(region=other_region, name="Dinas Kota Lain", short_name="DKL")
    CycleFactory(region=other_region)
    client.force_login(admin_user)

    html = client.get(page).content.decode()

    assert client.get(page).status_code == 200
    assert "Kota Lain" not in html
    assert "Kabupaten Uji" in html


def test_admin_changelist_region_filter_is_the_regency_admins_own_and_every_one_for_a_superuser(
    client, admin_user, other_region, opd_a
):
    OpdFactory(region=other_region, name="Dinas Kota Lain", short_name="DKL")

    def region_choices(user):
        client.force_login(user)
        specs = client.get("/admin/accounts/opd/").context["cl"].filter_specs
        return [
            [label for _pk, label in spec.lookup_choices] for spec in specs if spec.field_path == "region"
        ]

    # One region is no choice: Django's admin leaves a filter of one value out.
    assert region_choices(admin_user) == []
    superuser = UserFactory(is_staff=True, is_superuser=True, region=other_region, role="", opd=None)
    assert region_choices(superuser) == [["Kabupaten Uji", "Kota Lain"]]

"""Notifications: the list, opening one (a POST marks it read), never a change on a GET."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovasi.accounts.models import Notification

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def notification(operator_a):
    return Notification.objects.create(
        user=operator_a, key="uji", title="Inovasi diverifikasi", url="/inovasi/"
    )


def test_notification_open_get_goes_there_and_writes_nothing(client, operator_a, notification):
    client.force_login(operator_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:notification_open", args=[notification.pk]))

    assert (response.status_code, response.url) == (302, "/inovasi/")
    assert [query["sql"] for query in queries if WRITES.match(query["sql"])] == []
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_open_post_marks_it_read_and_goes_there(client, operator_a, notification):
    client.force_login(operator_a)

    response = client.post(reverse("accounts:notification_open", args=[notification.pk]))

    assert (response.status_code, response.url) == (302, "/inovasi/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_notification_open_post_of_another_users_notification_is_404(client, operator_b, notification):
    client.force_login(operator_b)

    response = client.post(reverse("accounts:notification_open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_open_never_leaves_the_portal(client, operator_a):
    away = Notification.objects.create(user=operator_a, key="luar", title="Luar", url="https://example.com/")
    client.force_login(operator_a)

    response = client.post(reverse("accounts:notification_open", args=[away.pk]))

    assert response.url == reverse("accounts:notifications")


def test_notification_list_opens_each_through_a_post(client, operator_a, notification):
    client.force_login(operator_a)

    html = client.get(reverse("accounts:notifications")).content.decode()

    url = reverse("accounts:notification_open", args=[notification.pk])
    assert re.findall(r'<form method="post" class="list-group">', html) == [
        '<form method="post" class="list-group">'
    ]
    assert f'formaction="{url}"' in html
    assert f'href="{url}"' not in html


@pytest.mark.parametrize("count", [1, 3])
def test_notification_list_query_count_does_not_grow(client, operator_a, count, django_assert_num_queries):
    for number in range(count):
        Notification.objects.create(user=operator_a, key=f"uji-{number}", title=f"Kabar {number}", url="/")
    client.force_login(operator_a)
    client.get(reverse("accounts:notifications"))

    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:notifications"))

    assert len(response.context["notifications"]) == count

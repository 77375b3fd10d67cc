"""The account's API token pages (the API itself is ``api.endpoints``, under /api/v1/)."""

from django.urls import path

from . import views

app_name = "tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/cabut/", views.token_revoke, name="revoke"),
]

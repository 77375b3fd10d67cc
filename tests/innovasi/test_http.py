"""Reading ids, text and choices from a request (innovasi.http): a value that is not one is a 400 with a
message, which the error page shows in the portal's layout."""

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.urls import reverse

from innovasi.http import choice_param, int_param, text_param, texts_param


@pytest.mark.parametrize(
    ("query", "expected"), [("", None), ("opd=", None), ("opd=%207%20", 7), ("opd=1&opd=2", 2)]
)
def test_int_param_reads_a_whole_number_or_none(query, expected):
    assert int_param(QueryDict(query), "opd") == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("opd=abc", "Parameter «opd» harus bilangan bulat, bukan «abc»."),
        ("opd=1.5", "Parameter «opd» harus bilangan bulat, bukan «1.5»."),
        ("opd=%C2%B2", "Parameter «opd» harus bilangan bulat, bukan «²»."),
        ("opd=-1", "Parameter «opd» di luar jangkauan."),
        ("opd=99999999999999999999", "Parameter «opd» di luar jangkauan."),
    ],
)
def test_int_param_refuses_what_is_no_id(query, message):
    with pytest.raises(BadRequest) as refused:
        int_param(QueryDict(query), "opd")

    assert str(refused.value) == message


def test_int_param_required_refuses_an_absent_one():
    with pytest.raises(BadRequest) as refused:
        int_param(QueryDict(""), "cycle", required=True)

    assert str(refused.value) == "Parameter «cycle» wajib diisi."


def test_text_param_strips_and_refuses_a_nul():
    assert (text_param(QueryDict("q=%20posyandu%20"), "q"), text_param(QueryDict(""), "q")) == (
        "posyandu",
        "",
    )
    with pytest.raises(BadRequest) as refused:
        text_param(QueryDict("q=a%00b"), "q")

    assert str(refused.value) == "Parameter «q» memuat karakter yang tidak diizinkan."


def test_texts_param_refuses_a_nul_in_any_item():
    assert texts_param(QueryDict("name=A&name=%20B"), "name") == ["A", " B"]
    with pytest.raises(BadRequest) as refused:
        texts_param(QueryDict("name=A&name=%00"), "name")

    assert str(refused.value) == "Parameter «name» memuat karakter yang tidak diizinkan."


def test_choice_param_takes_only_its_choices():
    choices = ["draft", "diajukan"]
    assert choice_param(QueryDict("status=diajukan"), "status", choices) == "diajukan"
    assert choice_param(QueryDict("status="), "status", choices) == ""
    with pytest.raises(BadRequest) as refused:
        choice_param(QueryDict("status=lain"), "status", choices)

    assert str(refused.value) == "Parameter «status» tidak dikenal: «lain»."


@pytest.mark.django_db
def test_bad_parameter_answers_400_with_its_message_in_the_portal_layout(client, operator_a, cycle):
    client.force_login(operator_a)

    response = client.get(reverse("submissions:list"), {"opd": "abc"})

    assert response.status_code == 400
    assert response.templates[0].name == "errors/400.html"
    assert "Parameter «opd» harus bilangan bulat, bukan «abc»." in response.content.decode()


@pytest.mark.django_db
def test_suspicious_request_answers_400_without_its_details(client):
    response = client.get(reverse("accounts:login"), HTTP_HOST="jahat.example")

    assert response.status_code == 400
    assert "jahat.example" not in response.content.decode()

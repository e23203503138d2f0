"""The joint-look lists ask the database a fixed number of times, however many looks, notes or people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.chain.selectors import access_for
from tillit.dialogue import services

pytestmark = pytest.mark.integration


def _queries(get) -> int:
    get()  # warm: sessions, caches, the chart cache
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return len(captured)


def _open_looks(person, unit, count, start=0):
    access = access_for(person=person)
    return [
        services.joint_look_open(actor=person, access=access, unit=unit, subject=f"Titta {i}")
        for i in range(start, start + count)
    ]


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_looks_of_a_branch_need_the_same_queries_for_one_or_many_looks(
    client, api, where, home_care_north, same_unit
):
    branch = home_care_north.parent
    if where == "page":
        client.force_login(same_unit)
        url = reverse("dialogue:unit-looks", args=[branch.pk])
        get = client.get
    else:
        url = f"/api/v1/units/{branch.pk}/joint-looks"
        get = api(same_unit).get
    _open_looks(same_unit, home_care_north, 1)
    few = _queries(lambda: get(url))

    _open_looks(same_unit, home_care_north, 8, start=1)
    many = _queries(lambda: get(url))

    assert "Titta 8" in get(url).content.decode()
    assert many == few


@pytest.mark.parametrize("where", ["page", "api"])
def test_one_look_needs_the_same_queries_for_one_or_many_notes(
    client, api, where, home_care_north, same_unit
):
    (look,) = _open_looks(same_unit, home_care_north, 1)
    access = access_for(person=same_unit)
    if where == "page":
        client.force_login(same_unit)
        url = reverse("dialogue:look-detail", args=[look.pk])
        get = client.get
    else:
        url = f"/api/v1/joint-looks/{look.pk}"
        get = api(same_unit).get
    services.joint_look_note_add(actor=same_unit, access=access, look=look, text="Första")
    few = _queries(lambda: get(url))

    for i in range(6):
        services.joint_look_note_add(actor=same_unit, access=access, look=look, text=f"Anteckning {i}")
    many = _queries(lambda: get(url))

    assert "Anteckning 5" in get(url).content.decode()
    assert many == few

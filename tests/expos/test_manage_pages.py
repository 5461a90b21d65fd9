"""The organisers' pages that create and edit expos and halls: they write through the services,
show a refusal next to its field and create nothing, and keep to the expos the user organises
(another department's are a 404, founders are refused)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from expos.models import Expo, Hall
from tests import factories

from .factories import ExpoFactory, HallFactory

pytestmark = pytest.mark.django_db

EXPO = {
    "name": "Startup Expo Busan",
    "city": "Busan",
    "venue": "BEXCO",
    "starts_on": "2027-05-10",
    "ends_on": "2027-05-11",
    "applications_open_on": "2027-03-01",
    "applications_close_on": "2027-04-01",
    "day_starts_at": "09:00",
    "day_ends_at": "17:00",
    "slot_minutes": "30",
    "slot_value": "150000.00",
    "min_stage": "prototype",
    "registered_only": "on",
}
# The expo's page: the session, the user, the roles, the unread count, the expo (with its
# department) and its halls.
QUERIES_EXPO_DETAIL = 6


def _body(response) -> str:
    return response.content.decode()


def test_the_expo_list_links_to_a_new_expo_and_the_page_creates_one_of_the_organisers_department(
    client, organiser, department
):
    client.force_login(organiser)
    assert reverse("expos:expo_create") in _body(client.get(reverse("expos:expo_list")))
    form = client.get(reverse("expos:expo_create")).context["form"]
    assert list(form.fields["department"].queryset) == [department]

    response = client.post(reverse("expos:expo_create"), {**EXPO, "department": department.pk})

    expo = Expo.objects.get()
    assert response.status_code == 302 and response.url == reverse("expos:expo_detail", args=[expo.pk])
    assert (expo.department, expo.created_by, expo.slot_value, expo.min_stage, expo.registered_only) == (
        department,
        organiser,
        Decimal("150000.00"),
        "prototype",
        True,
    )
    assert (expo.starts_on, expo.day_ends_at) == (datetime.date(2027, 5, 10), datetime.time(17, 0))


def test_an_admin_may_create_an_expo_for_any_department(client, admin_user):
    department = factories.DepartmentFactory()
    client.force_login(admin_user)
    response = client.post(reverse("expos:expo_create"), {**EXPO, "department": department.pk})
    assert response.status_code == 302 and Expo.objects.get().department == department


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": "2027-05-09"}, "ends_on", "The expo cannot end before it starts."),
        ({"applications_close_on": "2027-02-01"}, "applications_close_on", "Applications cannot close"),
        ({"day_ends_at": "08:00"}, "day_ends_at", "The day must end after it starts."),
        ({"day_ends_at": "09:20"}, "slot_minutes", "The day is shorter than one slot."),
        ({"slot_value": "-1.00"}, "slot_value", "greater than or equal to 0"),
        ({"slot_value": "1.005"}, "slot_value", "2 decimal places"),
        ({"slot_minutes": "4"}, "slot_minutes", "greater than or equal to 5"),
        ({"starts_on": "10 May"}, "starts_on", "Enter a valid date."),
        ({"name": "Expo\nBcc: x"}, "name", "control characters"),
        ({"min_stage": "unicorn"}, "min_stage", "Select a valid choice."),
    ],
)
def test_bad_input_on_the_new_expo_page_is_a_form_error_and_creates_nothing(
    client, organiser, department, change, field, message
):
    client.force_login(organiser)
    response = client.post(reverse("expos:expo_create"), {**EXPO, "department": department.pk, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in _body(response)
    assert Expo.objects.count() == 0


def test_an_organiser_cannot_create_an_expo_of_another_department(client, organiser):
    other = factories.DepartmentFactory()
    client.force_login(organiser)
    response = client.post(reverse("expos:expo_create"), {**EXPO, "department": other.pk})
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert Expo.objects.count() == 0


def test_founders_may_not_reach_the_management_pages(client, founder, expo):
    hall = HallFactory(expo=expo)
    client.force_login(founder)
    assert client.get(reverse("expos:expo_create")).status_code == 403
    assert (
        client.post(reverse("expos:expo_create"), {**EXPO, "department": expo.department_id}).status_code
        == 403
    )
    for url in (
        reverse("expos:expo_edit", args=[expo.pk]),
        reverse("expos:hall_create", args=[expo.pk]),
        reverse("expos:hall_edit", args=[hall.pk]),
    ):
        assert (client.get(url).status_code, client.post(url, {"name": "X"}).status_code) == (404, 404)
    assert Expo.objects.count() == 1 and Hall.objects.count() == 1


def test_another_departments_organiser_gets_404_and_changes_nothing(client, other_organiser, expo):
    hall = HallFactory(expo=expo, name="Hall A")
    client.force_login(other_organiser)
    assert client.get(reverse("expos:expo_edit", args=[expo.pk])).status_code == 404
    edit = {**EXPO, "name": "Taken over"}
    assert client.post(reverse("expos:expo_edit", args=[expo.pk]), edit).status_code == 404
    new_hall = {"name": "Hall Z", "capacity": "1"}
    assert client.post(reverse("expos:hall_create", args=[expo.pk]), new_hall).status_code == 404
    assert client.post(reverse("expos:hall_edit", args=[hall.pk]), new_hall).status_code == 404
    expo.refresh_from_db()
    hall.refresh_from_db()
    assert (expo.name != "Taken over", list(expo.halls.values_list("name", flat=True))) == (True, ["Hall A"])


def test_the_edit_page_shows_the_expo_and_saves_through_the_service(client, organiser, expo):
    client.force_login(organiser)
    url = reverse("expos:expo_edit", args=[expo.pk])
    assert url in _body(client.get(reverse("expos:expo_detail", args=[expo.pk])))
    page = client.get(url)
    assert "department" not in page.context["form"].fields
    # The date and time inputs are given their values as the browser reads them.
    assert f'value="{expo.starts_on.isoformat()}"' in _body(page) and 'value="09:00"' in _body(page)

    response = client.post(url, {**EXPO, "name": "Renamed", "slot_value": "99000.50"})

    expo.refresh_from_db()
    assert response.status_code == 302 and (expo.name, expo.slot_value) == ("Renamed", Decimal("99000.50"))


def test_bad_input_on_the_edit_page_changes_nothing(client, organiser, expo):
    client.force_login(organiser)
    before = Expo.objects.values().get(pk=expo.pk)
    response = client.post(reverse("expos:expo_edit", args=[expo.pk]), {**EXPO, "ends_on": "2027-05-01"})
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    assert Expo.objects.values().get(pk=expo.pk) == before


def test_halls_are_added_and_edited_from_the_expo_page(client, organiser, expo):
    client.force_login(organiser)
    assert reverse("expos:hall_create", args=[expo.pk]) in _body(
        client.get(reverse("expos:expo_detail", args=[expo.pk]))
    )
    response = client.post(
        reverse("expos:hall_create", args=[expo.pk]),
        {"name": "Hall A", "capacity": "40", "features": "power, large_screen, power"},
    )
    hall = Hall.objects.get()
    assert response.status_code == 302 and response.url == reverse("expos:expo_detail", args=[expo.pk])
    assert (hall.expo, hall.capacity, hall.features) == (expo, 40, ["power", "large_screen"])

    edit_url = reverse("expos:hall_edit", args=[hall.pk])
    detail = _body(client.get(reverse("expos:expo_detail", args=[expo.pk])))
    assert edit_url in detail and "power, large_screen" in detail
    assert 'value="power, large_screen"' in _body(client.get(edit_url))
    response = client.post(edit_url, {"name": "Hall North", "capacity": "12", "features": "water"})
    hall.refresh_from_db()
    assert response.status_code == 302 and (hall.name, hall.capacity, hall.features) == (
        "Hall North",
        12,
        ["water"],
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "hall a", "capacity": "1"}, "name", "The expo has a hall of this name already."),
        ({"name": "Hall B", "capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"name": "Hall B", "capacity": "many"}, "capacity", "Enter a whole number."),
        ({"name": "  ", "capacity": "1"}, "name", "This field is required."),
        (
            {"name": "Hall B", "capacity": "1", "features": ",".join(f"f{n}" for n in range(21))},
            "features",
            "At most 20 items",
        ),
    ],
)
def test_bad_input_on_the_hall_pages_is_a_form_error_and_changes_nothing(
    client, organiser, expo, data, field, message
):
    HallFactory(expo=expo, name="Hall A")
    hall = HallFactory(expo=expo, name="Hall C", capacity=5, features=["power"])
    client.force_login(organiser)
    for url in (reverse("expos:hall_create", args=[expo.pk]), reverse("expos:hall_edit", args=[hall.pk])):
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
    hall.refresh_from_db()
    assert (Hall.objects.count(), hall.name, hall.capacity, hall.features) == (2, "Hall C", 5, ["power"])


def test_a_hall_of_another_expo_is_edited_from_its_own_expo_only(client, organiser, department):
    expo = ExpoFactory(department=department)
    hall = HallFactory(expo=ExpoFactory(department=department), name="Hall A")
    HallFactory(expo=expo, name="Hall A")
    client.force_login(organiser)
    # Another expo's hall of the same name is no clash.
    response = client.post(reverse("expos:hall_edit", args=[hall.pk]), {"name": "Hall A", "capacity": "3"})
    hall.refresh_from_db()
    assert response.status_code == 302 and hall.capacity == 3


@pytest.mark.parametrize("halls", [1, 3])
def test_the_expo_page_with_its_hall_links_has_a_constant_query_count(
    client, organiser, expo, django_assert_num_queries, halls
):
    HallFactory.create_batch(halls, expo=expo)
    client.force_login(organiser)
    client.get(reverse("expos:expo_detail", args=[expo.pk]))
    with django_assert_num_queries(QUERIES_EXPO_DETAIL):
        response = client.get(reverse("expos:expo_detail", args=[expo.pk]))
    assert _body(response).count("/edit/") == halls + 1


def test_the_new_expo_page_speaks_korean(client, organiser, settings):
    client.force_login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = _body(client.get(reverse("expos:expo_create")))
    assert "새 박람회" in page and "시간대 하나의 가치" in page and "모든 단계" in page

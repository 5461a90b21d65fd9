"""The expo pages: organisers' expos, halls and review page with bulk decisions and release;
founders' application form and their showcases with the status they may see."""
import pytest
from django.urls import reverse

from expos.models import Showcase, ShowcaseReview
from tests import factories

from .factories import ExpoFactory, HallFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db
# The expos' list: the session, the user, the roles, the unread count, the count of the expos and
# their page (with their departments).
QUERIES_EXPO_LIST = 6


def test_expo_list_shows_the_organisers_department_only(client, organiser, expo):
    other = ExpoFactory()
    client.force_login(organiser)
    response = client.get(reverse("expos:expo_list"))
    assert (response.status_code, [e.pk for e in response.context["page"].object_list]) == (200, [expo.pk])
    assert other.name not in response.content.decode()


def test_expo_list_is_403_for_founders(client, founder):
    client.force_login(founder)
    assert client.get(reverse("expos:expo_list")).status_code == 403


def test_expo_detail_lists_the_halls(client, organiser, expo):
    HallFactory(expo=expo, name="Hall North", features=["power"])
    client.force_login(organiser)
    response = client.get(reverse("expos:expo_detail", args=[expo.pk]))
    assert (response.status_code, "Hall North" in response.content.decode()) == (200, True)


def test_expo_detail_of_another_department_is_404(client, other_organiser, expo):
    client.force_login(other_organiser)
    assert client.get(reverse("expos:expo_detail", args=[expo.pk])).status_code == 404
    assert client.get(reverse("expos:expo_review", args=[expo.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_expo_review_query_count_does_not_grow(client, organiser, expo, django_assert_num_queries, rows):
    for showcase in ShowcaseFactory.create_batch(rows, expo=expo):
        ShowcaseReview.objects.create(showcase=showcase, reviewer=organiser, score=3)
    client.force_login(organiser)
    client.get(reverse("expos:expo_review", args=[expo.pk]))
    with django_assert_num_queries(7):
        response = client.get(reverse("expos:expo_review", args=[expo.pk]))
    assert len(response.context["page"].object_list) == rows


def test_expo_review_sorts_by_mean_score_and_filters_by_sector(client, organiser, expo):
    low, high = ShowcaseFactory(expo=expo), ShowcaseFactory(expo=expo)
    ShowcaseFactory(expo=expo, sector="biotech")
    ShowcaseReview.objects.create(showcase=low, reviewer=organiser, score=1)
    ShowcaseReview.objects.create(showcase=high, reviewer=organiser, score=5)
    client.force_login(organiser)
    response = client.get(reverse("expos:expo_review", args=[expo.pk]), {"sector": "software", "order": "-score"})
    assert [s.pk for s in response.context["page"].object_list] == [high.pk, low.pk]


def test_bulk_decisions_are_held_until_released_on_the_founders_page(client, organiser, founder, expo, startup):
    mine = ShowcaseFactory(expo=expo, startup=startup)
    other = ShowcaseFactory(expo=expo)
    client.force_login(organiser)
    client.post(reverse("expos:expo_review", args=[expo.pk]), {"decision": "accept", "showcase": [mine.pk, other.pk]})
    assert sorted(Showcase.objects.values_list("decision", "status")) == [("accepted", "submitted")] * 2

    client.force_login(founder)
    page = client.get(reverse("expos:mine")).content.decode()
    assert ("Submitted" in page, "Accepted" in page) == (True, False)

    client.force_login(organiser)
    client.post(reverse("expos:expo_release", args=[expo.pk]))
    client.force_login(founder)
    page = client.get(reverse("expos:mine")).content.decode()
    assert ("Accepted" in page, "Submitted" in page) == (True, False)


def test_bulk_decision_with_a_bad_decision_changes_nothing(client, organiser, expo):
    showcase = ShowcaseFactory(expo=expo)
    client.force_login(organiser)
    client.post(reverse("expos:expo_review", args=[expo.pk]), {"decision": "maybe", "showcase": [showcase.pk]})
    assert Showcase.objects.get().decision == ""


def test_review_form_bad_score_creates_nothing(client, organiser, expo):
    showcase = ShowcaseFactory(expo=expo)
    client.force_login(organiser)
    client.post(reverse("expos:showcase_review", args=[showcase.pk]), {"score": "9"})
    assert ShowcaseReview.objects.count() == 0
    client.post(reverse("expos:showcase_review", args=[showcase.pk]), {"score": "4", "comment": "Fine"})
    assert list(ShowcaseReview.objects.values_list("score", flat=True)) == [4]


def test_review_form_by_a_founder_is_403(client, founder, expo, startup):
    showcase = ShowcaseFactory(expo=expo, startup=startup)
    client.force_login(founder)
    response = client.post(reverse("expos:showcase_review", args=[showcase.pk]), {"score": "4"})
    assert (response.status_code, ShowcaseReview.objects.count()) == (403, 0)


def test_apply_form_creates_a_submitted_showcase(client, founder, expo, startup):
    client.force_login(founder)
    response = client.post(
        reverse("expos:apply", args=[expo.pk]),
        {"startup": startup.pk, "title": "Robot", "sector": "hardware", "needs": "power, water",
         "available_days": [expo.starts_on.isoformat()]},
    )
    assert response.status_code == 302
    showcase = Showcase.objects.get()
    assert (showcase.status, showcase.needs) == ("submitted", ["power", "water"])


def test_apply_form_duplicate_is_a_form_error(client, founder, expo, startup):
    ShowcaseFactory(expo=expo, startup=startup)
    client.force_login(founder)
    response = client.post(
        reverse("expos:apply", args=[expo.pk]), {"startup": startup.pk, "title": "Robot", "sector": "hardware"}
    )
    assert (response.status_code, Showcase.objects.count()) == (200, 1)
    assert response.context["form"].errors == {"startup": ["This startup has applied to this expo already."]}


@pytest.mark.parametrize("rows", [1, 3])
def test_my_showcases_query_count_does_not_grow(client, founder, django_assert_num_queries, rows):
    for _ in range(rows):
        ShowcaseFactory(startup=factories.StartupFactory(owner=founder))
    client.force_login(founder)
    client.get(reverse("expos:mine"))
    with django_assert_num_queries(7):
        response = client.get(reverse("expos:mine"))
    assert len(response.context["page"].object_list) == rows


def test_review_page_speaks_korean(client, organiser, expo):
    client.force_login(organiser)
    response = client.get(reverse("expos:expo_review", args=[expo.pk]), HTTP_ACCEPT_LANGUAGE="ko")
    assert "결정 공개" in response.content.decode()


def test_my_showcases_link_a_released_slot_to_its_programme_page_and_ical(client, founder, startup):
    from expos import programme
    from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place

    expo = make_expo()
    released = make_showcase(expo, startup, title="On stage")
    place(released, make_hall(expo, "Main hall"), at(expo, 0, 10))
    programme.release_create(expo=expo, by=organiser(expo.department))
    waiting = make_showcase(make_expo(name="Busan Expo"), startup, title="Waiting")
    client.force_login(founder)
    body = client.get(reverse("expos:mine")).content.decode()
    assert reverse("programme:showcase", args=[released.pk]) in body
    assert reverse("programme:startup_ics", args=[expo.pk, startup.pk]) in body
    assert "Main hall" in body
    assert reverse("programme:showcase", args=[waiting.pk]) not in body
    assert "Record the outcome" not in body  # the expo is still to come


def test_my_showcases_offer_the_outcome_form_once_the_expo_is_over(client, founder, startup):
    from expos import programme
    from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place

    expo = make_expo(starts_in_days=-3)
    showcase = make_showcase(expo, startup)
    place(showcase, make_hall(expo), at(expo, 0, 10))
    programme.release_create(expo=expo, by=organiser(expo.department))
    client.force_login(founder)
    body = client.get(reverse("expos:mine")).content.decode()
    assert f'href="{reverse("programme:showcase", args=[showcase.pk])}#outcome-heading"' in body
    page = client.get(reverse("programme:showcase", args=[showcase.pk])).content.decode()
    assert 'name="visitors"' in page and 'id="outcome-heading"' in page


@pytest.mark.parametrize("rows", [1, 3])
def test_expo_list_query_count_does_not_grow(client, organiser, department, django_assert_num_queries, rows):
    ExpoFactory.create_batch(rows, department=department)
    client.force_login(organiser)
    client.get(reverse("expos:expo_list"))
    with django_assert_num_queries(QUERIES_EXPO_LIST):
        response = client.get(reverse("expos:expo_list"))
    assert response.content.decode().count('/schedule/"') == rows
    assert len(response.context["page"].object_list) == rows

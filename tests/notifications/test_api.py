import pytest

from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def _notes(user, count, **fields):
    return [Notification.objects.create(recipient=user, subject=f"Note {n}", **fields) for n in range(count)]


def test_list_shows_only_the_callers_notifications_newest_first(founder_api, founder):
    first, second = _notes(founder, 2)
    _notes(factories.UserFactory(), 1)

    response = founder_api.get(URL)

    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [second.pk, first.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_list_costs_the_same_queries_for_one_and_three(founder_api, founder, rows, django_assert_num_queries):
    _notes(founder, rows)
    with django_assert_num_queries(1):  # the page (force_authenticate: no token query)
        response = founder_api.get(URL)
    assert len(response.json()["results"]) == rows


def test_unread_filter_and_count(founder_api, founder):
    unread, read = _notes(founder, 2)
    read.read_at = read.created_at
    read.save()

    assert [n["id"] for n in founder_api.get(URL, {"unread": "true"}).json()["results"]] == [unread.pk]
    assert founder_api.get(URL + "unread-count/").json() == {"unread": 1}


def test_read_marks_one_and_read_all_marks_the_rest(founder_api, founder):
    one, two = _notes(founder, 2)

    response = founder_api.post(f"{URL}{one.pk}/read/")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert founder_api.post(URL + "read-all/").json() == {"unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_someone_elses_notification_is_a_404(founder_api):
    other = _notes(factories.UserFactory(), 1)[0]

    assert founder_api.get(f"{URL}{other.pk}/").status_code == 404
    assert founder_api.post(f"{URL}{other.pk}/read/").status_code == 404


def test_anonymous_is_refused(api):
    assert api.get(URL).status_code == 401

"""The people API: tokens, registration, me, staff accounts, departments."""
from decimal import Decimal

import pytest
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import Department, User
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
REGISTER_URL = "/api/v1/auth/register/"
ME_URL = "/api/v1/me/"
USERS_URL = "/api/v1/users/"
DEPARTMENTS_URL = "/api/v1/departments/"

pytestmark = pytest.mark.django_db


# --- token -------------------------------------------------------------------------------------


def test_token_right_password_answers_200_with_a_working_token(api, founder):
    response = api.post(TOKEN_URL, {"username": founder.username, "password": PASSWORD})

    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert api.get(ME_URL).data["username"] == founder.username


def test_token_wrong_password_answers_400(api, founder):
    response = api.post(TOKEN_URL, {"username": founder.username, "password": "wrong-password"})

    assert response.status_code == 400
    assert "token" not in response.data


def test_token_missing_fields_answers_400(api):
    assert api.post(TOKEN_URL, {}).status_code == 400


def test_token_inactive_user_answers_400(api):
    user = UserFactory(roles=["founder"], is_active=False)

    assert api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}).status_code == 400


def test_token_after_failure_limit_locks_out_even_the_right_password(api, founder, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(TOKEN_URL, {"username": founder.username, "password": "wrong-password"})

    response = api.post(TOKEN_URL, {"username": founder.username, "password": PASSWORD})

    assert response.status_code in (403, 429)
    assert "token" not in response.data


def test_token_below_failure_limit_still_logs_in(api, founder, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api.post(TOKEN_URL, {"username": founder.username, "password": "wrong-password"})

    assert api.post(TOKEN_URL, {"username": founder.username, "password": PASSWORD}).status_code == 200


def _auth_rate_limit():
    allowed, _seconds = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["auth"])
    return allowed


def test_register_past_auth_throttle_rate_answers_429(api):
    for n in range(_auth_rate_limit()):
        assert api.post(REGISTER_URL, {"username": f"x{n}"}).status_code == 400

    response = api.post(REGISTER_URL, {"username": "late", "email": "late@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert not User.objects.filter(username="late").exists()


def test_token_past_auth_throttle_rate_answers_429(api):
    for n in range(_auth_rate_limit()):
        # A different unknown user each time: the throttle answers, not the lock-out.
        api.post(TOKEN_URL, {"username": f"nobody{n}", "password": "x"})

    assert api.post(TOKEN_URL, {"username": "nobody", "password": "x"}).status_code == 429


# --- register ----------------------------------------------------------------------------------


def test_register_answers_201_with_a_founder(api):
    response = api.post(REGISTER_URL, {"username": "minji", "email": "minji@example.com", "password": PASSWORD})

    assert response.status_code == 201
    user = User.objects.get(username="minji")
    assert response.data == {"id": user.pk, "username": "minji", "email": "minji@example.com", "roles": ["founder"]}
    assert user.check_password(PASSWORD)
    assert not user.is_staff


@pytest.mark.parametrize(
    "body",
    [
        {"username": "minji", "email": "minji@example.com", "password": "123"},  # weak
        {"username": "minji", "email": "minji@example.com", "password": "password"},  # common
        {"username": "minji", "email": "not-an-address", "password": PASSWORD},
        {"username": "min ji", "email": "minji@example.com", "password": PASSWORD},
        {"username": "minji", "email": "minji@example.com"},
        {"email": "minji@example.com", "password": PASSWORD},
    ],
)
def test_register_bad_input_answers_400_and_creates_nothing(api, body):
    before = User.objects.count()

    response = api.post(REGISTER_URL, body)

    assert response.status_code == 400
    assert User.objects.count() == before


def test_register_duplicate_username_answers_400(api, founder):
    before = User.objects.count()

    response = api.post(
        REGISTER_URL, {"username": founder.username.upper(), "email": "other@example.com", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "username" in response.data
    assert User.objects.count() == before


def test_register_duplicate_email_answers_400(api, founder):
    before = User.objects.count()

    response = api.post(
        REGISTER_URL, {"username": "someone-else", "email": founder.email.upper(), "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "email" in response.data
    assert User.objects.count() == before


# --- me ----------------------------------------------------------------------------------------


def test_me_answers_the_caller_with_roles(founder_api, founder):
    response = founder_api.get(ME_URL)

    assert response.status_code == 200
    assert response.data == {"id": founder.pk, "username": founder.username, "email": founder.email, "roles": ["founder"]}


def test_me_superuser_is_admin(api):
    root = UserFactory(is_superuser=True, is_staff=True)
    api.force_authenticate(root)

    assert api.get(ME_URL).data["roles"] == ["admin"]


def test_me_without_credentials_answers_401(api):
    assert api.get(ME_URL).status_code == 401


def test_me_with_a_bad_token_answers_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api.get(ME_URL).status_code == 401


# --- staff accounts ----------------------------------------------------------------------------


def test_users_create_by_admin_answers_201_with_roles_department_and_limit(admin_api):
    department = DepartmentFactory()

    response = admin_api.post(
        USERS_URL,
        {
            "username": "approver1",
            "email": "approver1@gov.example",
            "password": PASSWORD,
            "roles": ["reviewer", "approver"],
            "department": department.pk,
            "approval_limit": "50000000.00",
        },
    )

    assert response.status_code == 201
    user = User.objects.get(username="approver1")
    assert response.data == {
        "id": user.pk,
        "username": "approver1",
        "email": "approver1@gov.example",
        "roles": ["approver", "reviewer"],
        "department": department.pk,
        "approval_limit": "50000000.00",
    }
    assert user.department == department
    assert user.approval_limit == Decimal("50000000.00")
    assert not user.is_staff


def test_users_create_admin_role_opens_the_django_admin(admin_api):
    response = admin_api.post(
        USERS_URL, {"username": "admin2", "email": "admin2@gov.example", "password": PASSWORD, "roles": ["admin"]}
    )

    assert response.status_code == 201
    assert User.objects.get(username="admin2").is_staff


@pytest.mark.parametrize("roles", [["founder"], ["reviewer"], ["approver"], ["space_manager"], ["expo_organiser"]])
def test_users_create_by_non_admin_answers_403_and_creates_nothing(api, roles):
    api.force_authenticate(UserFactory(roles=roles))
    before = User.objects.count()

    response = api.post(
        USERS_URL, {"username": "sneaky", "email": "sneaky@example.com", "password": PASSWORD, "roles": ["admin"]}
    )

    assert response.status_code == 403
    assert User.objects.count() == before


def test_users_create_without_credentials_answers_401(api):
    response = api.post(USERS_URL, {"username": "x", "email": "x@example.com", "password": PASSWORD, "roles": ["admin"]})

    assert response.status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        {"roles": []},
        {"roles": ["emperor"]},
        {"roles": "admin"},
        {"approval_limit": "-1.00"},
        {"approval_limit": "not a number"},
        {"approval_limit": "1234567890123456.00"},
        {"department": 999999},
        {"password": "short"},
        {"email": "nope"},
        {"username": ""},
    ],
)
def test_users_create_bad_input_answers_400_and_creates_nothing(admin_api, changes):
    body = {"username": "newstaff", "email": "newstaff@gov.example", "password": PASSWORD, "roles": ["reviewer"]}
    body.update(changes)
    before = User.objects.count()

    response = admin_api.post(USERS_URL, body)

    assert response.status_code == 400
    assert User.objects.count() == before


def test_users_create_duplicate_username_answers_400(admin_api, founder):
    response = admin_api.post(
        USERS_URL, {"username": founder.username, "email": "fresh@gov.example", "password": PASSWORD, "roles": ["reviewer"]}
    )

    assert response.status_code == 400
    assert "username" in response.data


def test_users_list_by_non_admin_answers_403(founder_api):
    assert founder_api.get(USERS_URL).status_code == 403


def test_users_retrieve_by_admin_answers_the_account(admin_api, founder):
    response = admin_api.get(f"{USERS_URL}{founder.pk}/")

    assert response.status_code == 200
    assert response.data["roles"] == ["founder"]


@pytest.mark.parametrize("rows", [1, 3])
def test_users_list_query_count_does_not_grow(admin_api, django_assert_num_queries, rows):
    for _ in range(rows - 1):  # the admin is the first row
        UserFactory(roles=["reviewer", "approver"])

    with django_assert_num_queries(4):  # the caller's roles, COUNT, users, their roles
        response = admin_api.get(USERS_URL)

    assert response.status_code == 200
    assert len(response.data["results"]) == rows


# --- departments -------------------------------------------------------------------------------


def test_departments_create_by_admin_answers_201(admin_api):
    response = admin_api.post(
        DEPARTMENTS_URL, {"name": "Ministry of SMEs and Startups", "code": "mss", "email": "mss@gov.example"}
    )

    assert response.status_code == 201
    department = Department.objects.get(code="mss")
    assert response.data == {
        "id": department.pk,
        "name": "Ministry of SMEs and Startups",
        "code": "mss",
        "email": "mss@gov.example",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Dup", "code": "taken", "email": "dup@gov.example"},
        {"name": "Bad code", "code": "not a slug", "email": "x@gov.example"},
        {"name": "Bad mail", "code": "bad-mail", "email": "nope"},
        {"code": "no-name", "email": "x@gov.example"},
    ],
)
def test_departments_create_bad_input_answers_400_and_creates_nothing(admin_api, body):
    DepartmentFactory(code="taken")
    before = Department.objects.count()

    response = admin_api.post(DEPARTMENTS_URL, body)

    assert response.status_code == 400
    assert Department.objects.count() == before


def test_departments_create_by_reviewer_answers_403(api):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.post(DEPARTMENTS_URL, {"name": "X", "code": "x", "email": "x@gov.example"})

    assert response.status_code == 403
    assert not Department.objects.exists()


def test_departments_list_by_staff_answers_200(api):
    DepartmentFactory(name="Ministry")
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.get(DEPARTMENTS_URL)

    assert response.status_code == 200
    assert [d["name"] for d in response.data["results"]] == ["Ministry"]


def test_departments_list_by_founder_answers_403(founder_api):
    assert founder_api.get(DEPARTMENTS_URL).status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_departments_list_query_count_does_not_grow(admin_api, django_assert_num_queries, rows):
    DepartmentFactory.create_batch(rows)

    with django_assert_num_queries(3):  # the caller's roles, COUNT, departments
        response = admin_api.get(DEPARTMENTS_URL)

    assert len(response.data["results"]) == rows

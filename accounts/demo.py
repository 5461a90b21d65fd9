"""Demo data for people: two departments and one login per role (`manage.py seed_demo`).

Every row is fetched or created by a natural key, so seeding twice creates nothing twice.
An existing demo account is left as it is (its password too).
"""
from decimal import Decimal

from django.db import transaction

from .enums import RoleCode
from .models import Department, Role, User

DEMO_PASSWORD = "demo-pass-2026"

DEPARTMENTS = [
    # (code, name, generic e-mail address)
    ("mss", "Ministry of SMEs and Startups", "startups@mss.gov.example"),
    ("seoul-econ", "Seoul Economic Development Office", "economy@seoul.gov.example"),
]

# username -> (role, department code or None, approval limit or None)
DEMO_USERS = {
    "demo-founder": (RoleCode.FOUNDER, None, None),
    "demo-reviewer": (RoleCode.REVIEWER, "mss", None),
    "demo-approver": (RoleCode.APPROVER, "mss", Decimal("50000000.00")),
    "demo-space": (RoleCode.SPACE_MANAGER, "seoul-econ", None),
    "demo-expo": (RoleCode.EXPO_ORGANISER, "seoul-econ", None),
    "demo-admin": (RoleCode.ADMIN, None, None),
}


def demo_user(username: str) -> User:
    """One of the demo accounts, for other apps' demo data (seeded by now: accounts comes first)."""
    return User.objects.get(username=username)


def login_lines() -> list[str]:
    return [f"  {username:<15} {DEMO_PASSWORD}   ({role.label})" for username, (role, _d, _l) in DEMO_USERS.items()]


@transaction.atomic
def seed(stdout) -> None:
    departments = {}
    for code, name, email in DEPARTMENTS:
        departments[code], created = Department.objects.get_or_create(
            code=code, defaults={"name": name, "email": email}
        )
        stdout.write(f"department {code}: {'created' if created else 'exists'}")
    for username, (role, department_code, approval_limit) in DEMO_USERS.items():
        is_admin = role == RoleCode.ADMIN
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.org",
                "department": departments.get(department_code),
                "approval_limit": approval_limit,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.roles.add(Role.objects.get(code=role))
        stdout.write(f"user {username}: {'created' if created else 'exists'}")

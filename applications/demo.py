"""Demo data for letters (`manage.py seed_demo`): the ministry's review queue with the demo
reviewer, and a submitted letter, which the Celery worker routes once `make run`
starts it. Idempotent: the queue is found by name, letters by subject."""
from django.db import transaction

from accounts.demo import demo_user
from accounts.models import Department
from startups.demo import DEMO_STARTUP
from startups.models import Startup

from .enums import Category
from .models import Letter, ReviewQueue
from .services import drafts, queues

QUEUE_NAME = "Startup support desk"

LETTERS = [
    # (subject, category, body, submit?)
    (
        "Help registering our warehouse robot with the safety authority",
        Category.REGISTRATION,
        "Our robot needs a safety registration before the pilot with a logistics partner. "
        "Could the department tell us which certificate applies and help us file it?",
        True,
    ),
]


@transaction.atomic
def seed(stdout) -> None:
    admin, founder = demo_user("demo-admin"), demo_user("demo-founder")
    queue = ReviewQueue.objects.filter(name=QUEUE_NAME).first()
    if queue is None:
        queue = queues.queue_create(
            name=QUEUE_NAME,
            department=Department.objects.get(code="mss"),
            sla_hours=16,
            reviewers=[demo_user("demo-reviewer")],
            is_default=True,
            by=admin,
        )
    stdout.write(f"review queue {QUEUE_NAME!r}: ready")
    startup = Startup.objects.get(name=DEMO_STARTUP)
    for subject, category, body, submit in LETTERS:
        if Letter.objects.filter(startup=startup, subject=subject).exists():
            stdout.write(f"letter {subject[:40]!r}: exists")
            continue
        letter = drafts.letter_create_draft(
            startup=startup, category=category, subject=subject, body=body, by=founder
        )
        if submit:
            drafts.letter_submit(letter=letter, by=founder)
        stdout.write(f"letter {subject[:40]!r}: created")

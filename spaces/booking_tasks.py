"""Beat tasks of bookings and charges (loaded through CELERY_IMPORTS: spaces/tasks.py is the
allocations')."""

from celery import shared_task

from . import bookings, charges


@shared_task
def task_release_no_shows():
    """Beat (every minute): free the rooms of bookings not checked in 15 minutes after their start."""
    return bookings.bookings_release_no_shows()


@shared_task
def task_issue_monthly_charges():
    """Beat (daily): write last month's charges; once written, a rerun writes nothing."""
    return len(charges.charges_issue(month=charges.previous_month(), by=None))

from applications.models import Letter
from applications.selectors import letter_counts
from tests import factories


def test_letter_counts_count_each_status_and_the_open_overdue_ones(db, django_assert_num_queries):
    factories.letter_in_state("draft")
    factories.letter_in_state("in_review", is_overdue=True)
    factories.letter_in_state("in_review")
    factories.letter_in_state("rejected", is_overdue=True)  # closed: no longer counts as overdue

    with django_assert_num_queries(1):
        counts = letter_counts(Letter.objects.all())

    by_status = {status.value: count for status, count in counts["by_status"]}
    assert by_status["draft"] == 1
    assert by_status["in_review"] == 2
    assert by_status["rejected"] == 1
    assert by_status["approved"] == 0
    assert counts["overdue"] == 1

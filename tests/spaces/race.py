from tests.race import count_rows, race  # noqa: F401 - the race helpers now live in tests/race.py, shared by every app

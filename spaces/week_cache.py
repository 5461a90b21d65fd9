"""The week calendars, kept in the shared cache until a booking or a unit of the site changes.

A page of a site's week holds ten rooms and some 280 bookings: counting and reading the rooms,
reading the bookings and drawing them cost as much as the rest of the request
(bench/space_bookings.py). What is drawn is kept under the site's token, and every write of a
booking (spaces/bookings.py) or a unit (spaces/services/sites.py, the admin) deletes the
site's token once it commits. The next request, in any process, reads the token first and the
rows after it, so it draws them afresh under a new token; what was kept under the old one is
never read again and expires. A startup's name is drawn in its bookings' cells, and a new name
shows when they expire (SPACES_WEEK_CACHE_SECONDS): `startups` knows nothing of `spaces` to tell
it, and a rename does not justify a query on every page.

Only weeks within a year of today are kept: the week comes from the address, and no one may
fill the cache with the weeks of other centuries.

It needs a cache that the web server shares with the Celery workers, where the no-show release
runs: without Redis, SPACES_WEEK_CACHE_SECONDS is 0 and every request draws its weeks.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from . import week_grid
from .booking_selectors import rooms_week, site_rooms

ROOMS_PER_PAGE = 10  # a week of ten rooms fits a screen; the rest are pages
KEPT_WEEKS = 53


@dataclass(frozen=True)
class WeekRow:
    """A room's row in a site's week: its name, the address of its own week and its seven
    cells, drawn."""

    room_name: str
    room_url: str
    cells: list[SafeString]


def site_week(site, monday: datetime.date, page_number) -> tuple[Page, list[WeekRow]]:
    """A page of the site's meeting rooms (`page_number` as given in the address: the last
    page when too large) and their week from `monday`. Queries: none when kept, else three."""
    token = _site_token(site.pk) if _kept(monday) else None
    count = _kept_or_drawn(token and f"spaces:rooms:{site.pk}:{token}", lambda: site_rooms(site).count())
    # The page of a range as long as the rooms: its number, bounds and links, without the rooms.
    page = Paginator(range(count), ROOMS_PER_PAGE).get_page(page_number)
    offset = (page.number - 1) * ROOMS_PER_PAGE
    rows = _kept_or_drawn(
        token and f"spaces:site-week:{site.pk}:{token}:{monday.isoformat()}:{get_language()}:{page.number}",
        lambda: _rows(site_rooms(site)[offset : offset + ROOMS_PER_PAGE], monday),
    )
    return page, rows


def room_week(room, monday: datetime.date) -> list[SafeString]:
    """The room's seven cells from `monday`."""
    token = _site_token(room.site_id) if _kept(monday) else None
    return _kept_or_drawn(
        token and f"spaces:room-week:{room.site_id}:{token}:{monday.isoformat()}:{get_language()}:{room.pk}",
        lambda: _rows([room], monday)[0].cells,
    )


def forget_weeks(site_ids: Iterable[int]) -> None:
    """The bookings or units of these sites change in the current transaction: once it commits,
    their week calendars are drawn afresh (nothing changes if it rolls back)."""
    if not settings.SPACES_WEEK_CACHE_SECONDS:
        return
    keys = [_token_key(site_id) for site_id in set(site_ids)]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _kept(monday: datetime.date) -> bool:
    if not settings.SPACES_WEEK_CACHE_SECONDS:
        return False
    return abs((monday - timezone.localdate()).days) <= KEPT_WEEKS * 7


def _kept_or_drawn(key: str | None, draw):
    """What is kept under `key`, or `draw()` (kept under it, unless there is no key)."""
    if key is None:
        return draw()
    value = cache.get(key)
    if value is None:
        value = draw()
        cache.set(key, value, timeout=settings.SPACES_WEEK_CACHE_SECONDS)
    return value


def _token_key(site_id: int) -> str:
    return f"spaces:week-token:{site_id}"


def _site_token(site_id: int) -> str:
    token = cache.get(_token_key(site_id))
    if token is None:
        # `add`: of two requests that find no token, both use the one stored first.
        cache.add(_token_key(site_id), uuid.uuid4().hex, timeout=None)
        token = cache.get(_token_key(site_id))
    return token


def _rows(rooms, monday: datetime.date) -> list[WeekRow]:
    rooms = list(rooms)
    days = rooms_week(rooms, monday)
    return [
        WeekRow(room.name, reverse("room_bookings:week", args=[room.pk]), week_grid.cells(days[room.pk]))
        for room in rooms
    ]

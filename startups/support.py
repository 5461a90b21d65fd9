"""The startup's one ledger of public support: every kind it received, in one list.

`startups` knows nothing of the apps that give support. Each registers a source for its kind
in its `AppConfig.ready()`:

    register_support_source("subsidy", entries)   # entries(startup) -> Iterable[SupportEntry]

A source reads one query (or a constant few) per call, whatever the startup received, so the
ledger costs the same for a startup with one entry or a thousand. `support_of(startup)` asks
every source and adds it up: `by_kind` always holds every kind of `KINDS` (0.00 when none),
and the entries come newest first.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import ZERO

# The kinds of public support, in the order people read them.
SUBSIDY, SPACE, EXPO = "subsidy", "space", "expo"
KINDS = (SUBSIDY, SPACE, EXPO)


@dataclass(frozen=True)
class SupportEntry:
    kind: str  # one of KINDS
    date: datetime.date
    amount: Decimal
    description: str  # already translated text for people


@dataclass(frozen=True)
class Support:
    total: Decimal
    by_kind: dict[str, Decimal]
    entries: list[SupportEntry] = field(default_factory=list)


_sources: dict[str, Callable[[object], Iterable[SupportEntry]]] = {}


def register_support_source(kind: str, entries: Callable[[object], Iterable[SupportEntry]]) -> None:
    """Register `entries(startup)` as the source of `kind` (one of KINDS); registering a kind
    again replaces its source (a reloaded app config registers once more)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of support: {kind!r}")
    _sources[kind] = entries


def registered_kinds() -> list[str]:
    return [kind for kind in KINDS if kind in _sources]


def support_of(startup) -> Support:
    """Every kind of public support `startup` received: the total, the total of each kind of
    KINDS (0.00 for a kind without entries or without a source) and the entries, newest first
    (ties by kind's order)."""
    entries: list[SupportEntry] = []
    for kind in KINDS:
        source = _sources.get(kind)
        if source is not None:
            entries.extend(source(startup))
    by_kind = {kind: ZERO for kind in KINDS}
    for entry in entries:
        by_kind[entry.kind] += entry.amount
    entries.sort(key=lambda e: (e.date, -KINDS.index(e.kind)), reverse=True)
    return Support(total=sum(by_kind.values(), ZERO), by_kind=by_kind, entries=entries)


def monthly_series(support: Support) -> list[tuple[datetime.date, dict[str, Decimal]]]:
    """The support by month, oldest first: (the month's first day, {kind: amount}), with every
    month from the first entry's to the last one's (a month without support holds zeros)."""
    if not support.entries:
        return []
    months: dict[datetime.date, dict[str, Decimal]] = {}
    for entry in support.entries:
        month = entry.date.replace(day=1)
        months.setdefault(month, {kind: ZERO for kind in KINDS})[entry.kind] += entry.amount
    first, last = min(months), max(months)
    series = []
    month = first
    while month <= last:
        series.append((month, months.get(month, {kind: ZERO for kind in KINDS})))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return series

"""Aggregates for a researcher's overview: quotations over time, top speakers, outlets, balance of voices.

Functions over a store's Backend (`store.db`), one SQL text for SQLite and PostgreSQL, every value a bound
parameter; column expressions come from fixed tables in this module, never from a request. The database
groups by article day (and outlet, speaker); weeks and months are formed here from the days, because ISO weeks
are spelled differently in each dialect.

    scope = Scope(since="2024-01-01", source="taz")
    timeline(store.db, scope, "month")        -> [Count("2024-01", 12), ...]
    voice_shares(store.db, scope, "gender", by="source")
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..resolve.gender import FEMALE, GENDERED_KINDS, MALE, UNKNOWN, speaker_gender
from .backends import Backend
from .queries import STATEMENT

PERIODS = ("day", "week", "month")
LOW_CONFIDENCE = 0.5  # below this a quotation counts as low-confidence
UNRESOLVED = "unresolved"  # the "kind" of a quotation whose speaker is no entity
GENDERS = (FEMALE, MALE, UNKNOWN)
KINDS = ("person", "organisation", "state", "medium", "anonymous", UNRESOLVED)
DIMENSIONS = {"type": "q.type", "medium": "coalesce(q.medium, 'none')", "source": "coalesce(a.source, '')"}
_CHUNK = 500  # bound parameters per IN list, far below either database's limit


@dataclass(frozen=True)
class Scope:
    """Which quotations an aggregate counts; None means any. Dates are inclusive YYYY-MM-DD article dates."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    type: str | None = None
    medium: str | None = None


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True)
class Share:
    """`count` quotations of `category` within `group` (a period, an outlet or "all"), `share` of the group."""

    group: str
    category: str
    count: int
    share: float


@dataclass(frozen=True)
class Speaker:
    """An entity with its quotation count in scope and the gender its texts state (with the evidence)."""

    entity_id: str
    name: str
    kind: str
    gender: str
    evidence: str
    count: int


@dataclass(frozen=True)
class PeriodSpeaker:
    period: str
    rank: int
    entity_id: str
    name: str
    count: int


@dataclass(frozen=True)
class Quality:
    """How much of the scope the numbers can be trusted for: speakerless, low-confidence and undated shares."""

    total: int
    unresolved: int
    low_confidence: int
    undated: int


def _where(scope: Scope) -> tuple[str, list[Any]]:
    """WHERE on `quotations q JOIN articles a`; the same date semantics as the search filters."""
    conditions, params = ["1 = 1"], []
    if scope.since:
        conditions.append("q.article_date >= ?")
        params.append(scope.since)
    if scope.until:
        conditions.append("q.article_date <= ? AND q.article_date <> ''")
        params.append(scope.until + "\uffff")
    for column, value in (("a.source", scope.source), ("q.type", scope.type), ("q.medium", scope.medium)):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    return " WHERE " + " AND ".join(conditions), params


_FROM = " FROM quotations q JOIN articles a ON a.id = q.article_id"
_DAY = "substr(q.article_date, 1, 10)"


def period_of(day: str, period: str) -> str:
    """The period label of an article day: 2024-05-17 → day 2024-05-17, week 2024-W20, month 2024-05."""
    if period == "month":
        return day[:7]
    if period == "week":
        year, week, _ = date.fromisoformat(day).isocalendar()
        return f"{year}-W{week:02d}"
    return day


def _dated(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def timeline(db: Backend, scope: Scope, period: str = "month") -> list[Count]:
    """Quotations per period, oldest first (quotations without a readable article date are left out)."""
    where, params = _where(scope)
    rows = db.execute(f"SELECT {_DAY} AS day, count(*) AS n{_FROM}{where} GROUP BY {_DAY}", params)
    counts: Counter[str] = Counter()
    for r in rows:
        if _dated(r["day"]):
            counts[period_of(r["day"], period)] += r["n"]
    return [Count(key, n) for key, n in sorted(counts.items())]


def counts_by(db: Backend, scope: Scope, dimension: str) -> list[Count]:
    """Quotations per type, medium or source (outlet), most first."""
    column = DIMENSIONS[dimension]
    where, params = _where(scope)
    rows = db.execute(
        f"SELECT {column} AS label, count(*) AS n{_FROM}{where} GROUP BY {column} ORDER BY n DESC, label", params
    )
    return [Count(r["label"], r["n"]) for r in rows]


def quality(db: Backend, scope: Scope, low_confidence: float = LOW_CONFIDENCE) -> Quality:
    where, params = _where(scope)
    row = db.execute(
        "SELECT count(*) AS total, "
        "coalesce(sum(CASE WHEN q.entity_id IS NULL THEN 1 ELSE 0 END), 0) AS unresolved, "
        "coalesce(sum(CASE WHEN q.confidence < ? THEN 1 ELSE 0 END), 0) AS low, "
        "coalesce(sum(CASE WHEN q.article_date = '' THEN 1 ELSE 0 END), 0) AS undated"
        f"{_FROM}{where}",
        [low_confidence, *params],
    )[0]
    return Quality(int(row["total"]), int(row["unresolved"]), int(row["low"]), int(row["undated"]))


def _speaker_rows(db: Backend, scope: Scope, key: str) -> list[tuple[str, str | None, int]]:
    """(day or outlet, entity id or None, quotations) for every pair in scope."""
    column = _DAY if key == "day" else DIMENSIONS["source"]
    where, params = _where(scope)
    where += f" AND {STATEMENT}"
    rows = db.execute(
        f"SELECT {column} AS k, q.entity_id AS entity, count(*) AS n{_FROM}{where} GROUP BY {column}, q.entity_id",
        params,
    )
    return [(r["k"], r["entity"], r["n"]) for r in rows]


def speakers(db: Backend, entity_ids: Iterable[str]) -> dict[str, Speaker]:
    """Entities by id with the gender their descriptors, aliases and mentions state (count left 0)."""
    ids = sorted(set(entity_ids))
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first : first + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in db.execute(f"SELECT id, name, kind, descriptors FROM entities WHERE id IN ({marks})", chunk):
            found[r["id"]] = {"row": r, "aliases": [], "mentions": []}
        for r in db.execute(f"SELECT entity_id, alias FROM aliases WHERE entity_id IN ({marks})", chunk):
            found[r["entity_id"]]["aliases"].append(r["alias"])
        for r in db.execute(
            f"SELECT DISTINCT entity_id, speaker_text FROM quotations WHERE entity_id IN ({marks})", chunk
        ):
            found[r["entity_id"]]["mentions"].append(r["speaker_text"])
    out = {}
    for entity_id, item in found.items():
        row = item["row"]
        gender = speaker_gender(row["kind"], json.loads(row["descriptors"]), item["aliases"], item["mentions"])
        out[entity_id] = Speaker(entity_id, row["name"], row["kind"], gender.value, gender.evidence, 0)
    return out


def top_speakers(db: Backend, scope: Scope, limit: int = 20) -> list[Speaker]:
    """The most quoted speakers in scope, most first (ties by name)."""
    return _ranked(db, scope, (), limit)


def _ranked(db: Backend, scope: Scope, kinds: Sequence[str], limit: int) -> list[Speaker]:
    """Speakers in scope (only these kinds, if any given), most quoted first, ties by name."""
    where, params = _where(scope)
    where += f" AND {STATEMENT}"
    if kinds:
        where += f" AND e.kind IN ({','.join('?' * len(kinds))})"
    rows = db.execute(
        f"SELECT q.entity_id AS entity, count(*) AS n{_FROM} JOIN entities e ON e.id = q.entity_id{where} "
        "GROUP BY q.entity_id, e.name ORDER BY n DESC, e.name, q.entity_id LIMIT ?",
        [*params, *kinds, int(limit)],
    )
    known = speakers(db, [r["entity"] for r in rows])
    return [_with_count(known[r["entity"]], r["n"]) for r in rows if r["entity"] in known]


def _with_count(speaker: Speaker, count: int) -> Speaker:
    return Speaker(speaker.entity_id, speaker.name, speaker.kind, speaker.gender, speaker.evidence, count)


def top_speakers_per_period(db: Backend, scope: Scope, period: str = "month", limit: int = 5) -> list[PeriodSpeaker]:
    """The `limit` most quoted speakers of each period, oldest period first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for day, entity_id, n in _speaker_rows(db, scope, "day"):
        if entity_id is not None and _dated(day):
            counts[period_of(day, period)][entity_id] += n
    names = {s.entity_id: s.name for s in speakers(db, {e for c in counts.values() for e in c}).values()}
    out = []
    for key in sorted(counts):
        ranked = sorted(counts[key].items(), key=lambda item: (-item[1], names.get(item[0], ""), item[0]))
        out += [
            PeriodSpeaker(key, rank, entity_id, names.get(entity_id, entity_id), n)
            for rank, (entity_id, n) in enumerate(ranked[:limit], start=1)
        ]
    return out


def speaker_trend(db: Backend, scope: Scope, entity_ids: Sequence[str], period: str = "month") -> list[Share]:
    """Quotations per period of each given speaker (group = period, category = entity id), for a trend chart."""
    wanted = set(entity_ids)
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for day, entity_id, n in _speaker_rows(db, scope, "day"):
        if _dated(day):
            totals[period_of(day, period)] += n
            if entity_id in wanted:
                counts[(period_of(day, period), entity_id)] += n
    return [Share(key, entity_id, n, n / totals[key]) for (key, entity_id), n in sorted(counts.items())]


def voice_shares(
    db: Backend, scope: Scope, dimension: str, *, by: str | None = None, period: str = "month"
) -> list[Share]:
    """Quotations per gender or speaker kind, overall (group "all"), per period (`by="period"`) or per outlet.

    Gender counts the quotations of persons and anonymous voices only (female, male, unknown); kinds count
    every quotation, a quotation without a speaker entity as "unresolved".
    """
    rows = _speaker_rows(db, scope, "source" if by == "source" else "day")
    known = speakers(db, {entity_id for _, entity_id, _ in rows if entity_id is not None})
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, entity_id, n in rows:
        speaker = known.get(entity_id) if entity_id is not None else None
        category = _category(speaker, dimension)
        if category is None or (by == "period" and not _dated(key)):
            continue
        group = "all" if by is None else period_of(key, period) if by == "period" else key
        counts[group][category] += n
    order = GENDERS if dimension == "gender" else KINDS
    return [
        Share(group, category, counts[group][category], counts[group][category] / sum(counts[group].values()))
        for group in sorted(counts)
        for category in order
        if counts[group][category]
    ]


def _category(speaker: Speaker | None, dimension: str) -> str | None:
    """A quotation's gender or kind category; None for a quotation the gender shares do not count."""
    if dimension == "kind":
        return speaker.kind if speaker else UNRESOLVED
    if speaker is None or speaker.kind not in GENDERED_KINDS:
        return None
    return speaker.gender


def speaker_genders(db: Backend, scope: Scope, limit: int = 100) -> list[Speaker]:
    """The most quoted persons and anonymous voices in scope with their gender and its evidence."""
    return _ranked(db, scope, GENDERED_KINDS, limit)

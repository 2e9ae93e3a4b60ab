"""A researcher's overview: corpus dashboard, outlets (one and two side by side), balance of voices.

Every view is a set of named flat tables (from wortlaut/store/analytics.py) plus charts drawn from them:
the page shows both in the reader's language (web/i18n.py, German by default), `/api/...` returns the tables
as JSON with English keys and values, and the same URL with `format=csv|jsonl&table=...` downloads one table.
All filters live in the query string, so every view has a shareable URL.

    app.include_router(overview_router(store))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ..api import Store, table_file
from ..api import analytics as an
from ..document import MEDIA, QUOTATION_TYPES
from . import i18n, templating
from .schemas import ErrorOut, OptionalDate, OptionalMedium, OptionalType, text_param

Row = dict[str, Any]
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The view's tables as JSON, or with format=csv|jsonl one table (`table`) as a file",
        "content": {"text/csv": {}, "application/x-ndjson": {}},
    },
    404: {"model": ErrorOut, "description": "No such outlet, or no such table for a download"},
}
TOP = 10  # speakers in top lists and trend lines
QUALITY = {  # field of an.Quality -> the measure's name in the tables (English, like every key of the API)
    "total": "quotations",
    "unresolved": "unresolved speaker",
    "low_confidence": f"confidence below {an.LOW_CONFIDENCE}",
    "undated": "no article date",
}
MEASURES = {name: field for field, name in QUALITY.items()}
VALUE_KEYS = {  # table column -> catalogue prefixes of its values
    "type": ("type.",),
    "medium": ("medium.",),
    "gender": ("ov.gender.",),
    "kind": ("ov.kind.",),
    "category": ("ov.gender.", "ov.kind."),
}
EVIDENCE = {"pronoun ": "ov.evidence.pronoun", "role noun ": "ov.evidence.role"}  # as resolve/gender.py words it
CONFLICTING = "conflicting: "
WEEK = re.compile(r"(\d{4})-W(\d{2})")
GERMAN_DIGITS = str.maketrans(",.", ".,")
# d3-format's locale for the chart axes (vega-embed's `formatLocale`); English keeps Vega's default.
NUMBER_LOCALES: dict[str, dict[str, Any] | None] = {
    "de": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"], "percent": " %"},
    "en": None,
}


class ViewOut(BaseModel):
    """One overview view: the filters it was computed with and its tables (lists of flat rows)."""

    view: str
    filters: dict[str, str] = Field(description="the query parameters in effect (as in the shareable URL)")
    tables: dict[str, list[dict[str, str | int | float | None]]] = Field(
        description="named tables; each row is flat, so a table downloads as CSV or JSONL unchanged"
    )


@dataclass(frozen=True)
class Params:
    """The query parameters a view was asked for: scope, period and (for downloads) format and table."""

    scope: an.Scope
    period: str
    query: list[tuple[str, str]]


@dataclass
class Chart:
    """A Vega-Lite spec with the words that stand in for it (aria-label, figcaption)."""

    name: str
    title: str
    summary: str
    spec: dict[str, Any]
    table: str


@dataclass(frozen=True)
class Labels:
    """The reader's words for the tables' English column names and values; the data itself stays English."""

    t: i18n.Messages

    def column(self, name: str) -> str:
        return self.t(f"ov.col.{name}")

    def period_name(self, period: str) -> str:
        return self.t(f"ov.period.{period}")

    def number(self, value: float, digits: int = 0) -> str:
        text = f"{value:,.{digits}f}"
        return text.translate(GERMAN_DIGITS) if self.t.lang == "de" else text

    def percent(self, share: float, digits: int = 1) -> str:
        return f"{self.number(share * 100, digits)} %"

    def period(self, key: str) -> str:
        """A day, ISO week or month key in the reader's format (17.05.2024, KW 20/2024, Mai 2024)."""
        week = WEEK.fullmatch(key)
        if week:
            return self.t("ov.week", year=week[1], week=int(week[2]))
        return self.t.date(key)

    def measure(self, name: str) -> str:
        field = MEASURES.get(name)
        return self.t(f"ov.quality.{field}", threshold=self.number(an.LOW_CONFIDENCE, 1)) if field else name

    def evidence(self, text: str) -> str:
        """resolve/gender.py's evidence ("role noun Ministerin; Frau Weber") with its English words translated."""
        body = text.removeprefix(CONFLICTING)
        items = "; ".join(self._evidence_item(item) for item in body.split("; "))
        return self.t("ov.evidence.conflicting", items=items) if body != text else items

    def _evidence_item(self, item: str) -> str:
        for prefix, key in EVIDENCE.items():
            if item.startswith(prefix):
                return self.t(key, word=item.removeprefix(prefix))
        return item

    def value(self, column: str, value: Any) -> str:
        """One table cell as the page shows it; a value the catalogue does not know is shown as it is."""
        if value is None:
            return "–"
        if column.startswith("share"):
            return self.percent(value)
        if isinstance(value, int):
            return self.number(value)
        text = str(value)
        if column == "period":
            return self.period(text)
        if column == "measure":
            return self.measure(text)
        if column == "evidence":
            return self.evidence(text)
        if column == "group" and text == "all":
            return self.t("ov.all")
        known = i18n.MESSAGES[self.t.lang]
        return next((self.t(prefix + text) for prefix in VALUE_KEYS.get(column, ()) if prefix + text in known), text)

    def chart_options(self) -> dict[str, Any]:
        """vega-embed's menu words and number format, for static/overview.js."""
        return {
            "i18n": {
                "CLICK_TO_VIEW_ACTIONS": self.t("ov.chart.actions"),
                "PNG_ACTION": self.t("ov.chart.png"),
                "SVG_ACTION": self.t("ov.chart.svg"),
            },
            "formatLocale": NUMBER_LOCALES[self.t.lang],
            "error": self.t("ov.chart.error"),
        }


def scope_params(
    since: Annotated[OptionalDate, Query(description="first article date, YYYY-MM-DD")] = None,
    until: Annotated[OptionalDate, Query(description="last article date, YYYY-MM-DD")] = None,
    period: Annotated[str, Query(pattern="^(day|week|month)$", description="time buckets")] = "month",
    type: Annotated[OptionalType, Query(description="only this quotation type")] = None,
    medium: Annotated[OptionalMedium, Query(description="only this medium")] = None,
    source: Annotated[str | None, text_param("only this outlet (article source), exactly")] = None,
) -> Params:
    """FastAPI dependency shared by every view: the date range and filters, checked once."""
    if since and until and since > until:
        raise RequestValidationError(
            [{"loc": ("query", "until"), "msg": f"until ({until}) is before since ({since})", "type": "value_error"}]
        )
    values = {
        "since": since.isoformat() if isinstance(since, date) else None,
        "until": until.isoformat() if isinstance(until, date) else None,
        "type": type.value if type else None,
        "medium": medium.value if medium else None,
        "source": source.strip() if source and source.strip() else None,
    }
    scope = an.Scope(**values)
    query = [(k, v) for k, v in values.items() if v] + ([("period", period)] if period != "month" else [])
    return Params(scope, period, query)


def output_params(
    format: Annotated[
        str, Query(pattern="^(json|csv|jsonl)$", description="json: all tables; csv/jsonl: one")
    ] = "json",
    table: Annotated[str | None, Query(max_length=40, description="the table to download as csv or jsonl")] = None,
) -> tuple[str, str | None]:
    return format, table


ScopeDep = Annotated[Params, Depends(scope_params)]
OutputDep = Annotated[tuple[str, str | None], Depends(output_params)]
Outlet = Annotated[str, Query(min_length=1, max_length=200, description="an outlet (article source), exactly")]


def rows(items: Sequence[Any]) -> list[Row]:
    return [asdict(item) for item in items]


def share_rows(counts: Sequence[an.Count], key: str) -> list[Row]:
    """Counts with their share of the total, for type, medium and outlet lists."""
    total = sum(c.count for c in counts) or 1
    return [{key: c.key, "count": c.count, "share": round(c.count / total, 4)} for c in counts]


def quality_rows(quality: an.Quality) -> list[Row]:
    total = quality.total or 1
    counts = {field: getattr(quality, field) for field in QUALITY}
    return [
        {"measure": name, "count": counts[field], "share": round(counts[field] / total, 4)}
        for field, name in QUALITY.items()
    ]


def speaker_rows(speakers: Sequence[an.Speaker]) -> list[Row]:
    return [
        {"entity_id": s.entity_id, "name": s.name, "kind": s.kind, "gender": s.gender, "count": s.count}
        for s in speakers
    ]


def trend_rows(store: Store, params: Params, top: Sequence[an.Speaker]) -> list[Row]:
    names = {s.entity_id: s.name for s in top}
    trend = an.speaker_trend(store.db, params.scope, list(names), params.period)
    return [
        {"period": t.group, "entity_id": t.category, "name": names[t.category], "count": t.count, "share": t.share}
        for t in trend
    ]


def voice_rows(shares: Sequence[an.Share], group: str) -> list[Row]:
    return [{group: s.group, "category": s.category, "count": s.count, "share": round(s.share, 4)} for s in shares]


# ---- charts (Vega-Lite specs; data inline, drawn by static/overview.js) ----------------------------------------
# The data keep their English field names; what a reader sees (values, axis and tooltip titles) is translated.


def _spec(values: list[Row], mark: dict[str, Any], encoding: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
    }


def _tooltip(labels: Labels, fields: dict[str, str]) -> list[dict[str, Any]]:
    """Tooltip fields with the reader's titles; `fields` maps each field to the column whose title it takes."""
    return [
        {"field": field, "title": labels.column(column), "type": "nominal"}
        if column not in ("count", "share")
        else {"field": field, "title": labels.column(column), "type": "quantitative"}
        | ({"format": ".1%"} if column == "share" else {})
        for field, column in fields.items()
    ]


def line_chart(name: str, title: str, rows: list[Row], labels: Labels, color: str | None = None) -> Chart:
    """Quotations per period, one line per `color` value; the periods in time order, in the reader's format."""
    periods = sorted({r["period"] for r in rows})
    values = [{**r, "period": labels.period(r["period"])} for r in rows]
    encoding: dict[str, Any] = {
        "x": {
            "field": "period",
            "type": "ordinal",
            "sort": [labels.period(p) for p in periods],
            "title": None,
            "axis": {"labelAngle": -45, "labelOverlap": True},
        },
        "y": {"field": "count", "type": "quantitative", "title": labels.t("ov.chart.quotations")},
        "tooltip": _tooltip(labels, {"period": "period", **({color: color} if color else {}), "count": "count"}),
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
    peak = max(rows, key=lambda r: r["count"]) if rows else None
    summary = (
        labels.t("ov.summary.line", n=len(periods), peak=labels.number(peak["count"]), at=labels.period(peak["period"]))
        if peak
        else labels.t("ov.summary.undated")
    )
    return Chart(name, title, summary, _spec(values, {"type": "line", "point": True}, encoding), name)


def bar_chart(name: str, title: str, rows: list[Row], category: str, labels: Labels, table: str | None = None) -> Chart:
    values = [{category: labels.value(category, r[category]), "count": r["count"]} for r in rows]
    encoding = {
        "y": {"field": category, "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "count", "type": "quantitative", "title": labels.t("ov.chart.quotations")},
        "tooltip": _tooltip(labels, {category: category, "count": "count"}),
    }
    summary = ", ".join(f"{r[category]} {labels.number(r['count'])}" for r in values[:5])
    return Chart(
        name, title, summary or labels.t("ov.summary.empty"), _spec(values, {"type": "bar"}, encoding), table or name
    )


def stacked_chart(
    name: str, title: str, rows: list[Row], group: str, dimension: str, order: Sequence[str], labels: Labels
) -> Chart:
    """Shares of each category (a gender or kind) per group as 100% bars; unknown is a category like the others."""
    groups = sorted({r[group] for r in rows})
    domain = [labels.value(dimension, category) for category in order]
    values = [
        {
            group: labels.value(group, r[group]),
            "category": labels.value(dimension, r["category"]),
            "count": r["count"],
            "share": r["share"],
            "rank": list(order).index(r["category"]),
        }
        for r in rows
    ]
    encoding = {
        "y": {"field": group, "type": "nominal", "sort": [labels.value(group, g) for g in groups], "title": None},
        "x": {
            "field": "share",
            "type": "quantitative",
            "stack": "normalize",
            "title": labels.t("ov.chart.share"),
            "axis": {"format": "%"},
        },
        "color": {
            "field": "category",
            "type": "nominal",
            "sort": domain,
            "scale": {"domain": domain},
            "title": None,
            "legend": {"orient": "bottom"},
        },
        "order": {"field": "rank", "type": "quantitative"},
        "tooltip": _tooltip(labels, {group: group, "category": dimension, "count": "count", "share": "share"}),
    }
    summary = "; ".join(
        f"{labels.value(group, g)}: "
        + ", ".join(
            f"{labels.value(dimension, r['category'])} {labels.percent(r['share'], 0)}" for r in rows if r[group] == g
        )
        for g in groups[:4]
    )
    return Chart(name, title, summary or labels.t("ov.summary.empty"), _spec(values, {"type": "bar"}, encoding), name)


def side_by_side_chart(tables: dict[str, list[Row]], a: str, b: str, labels: Labels) -> Chart:
    """Each of the most quoted speakers' share of either outlet's quotations, as paired bars."""
    top = tables["speakers"][:TOP]
    bars = [
        {"name": r["name"], "outlet": outlet, "share": r[f"share_{side}"]}
        for r in top
        for side, outlet in (("a", a), ("b", b))
    ]
    spec = _spec(
        bars,
        {"type": "bar"},
        {
            "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "outlet"},
            "x": {
                "field": "share",
                "type": "quantitative",
                "title": labels.t("ov.share_of_outlet"),
                "axis": {"format": "%"},
            },
            "color": {"field": "outlet", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "tooltip": _tooltip(labels, {"name": "name", "outlet": "outlet", "share": "share"}),
        },
    )
    summary = ", ".join(
        f"{r['name']} {labels.percent(r['share_a'], 0)} / {labels.percent(r['share_b'], 0)}" for r in top[:5]
    )
    title = labels.t("ov.pair_shares", a=a, b=b)
    return Chart("speakers", title, summary or labels.t("ov.summary.empty"), spec, "speakers")


# ---- views: tables (the API's and the page's) and the page's charts of them --------------------------------------


def dashboard_tables(store: Store, params: Params) -> dict[str, list[Row]]:
    scope, period = params.scope, params.period
    return {
        "timeline": [{"period": c.key, "count": c.count} for c in an.timeline(store.db, scope, period)],
        "top_speakers": speaker_rows(an.top_speakers(store.db, scope, limit=20)),
        "top_per_period": rows(an.top_speakers_per_period(store.db, scope, period, limit=5)),
        "types": share_rows(an.counts_by(store.db, scope, "type"), "type"),
        "media": share_rows(an.counts_by(store.db, scope, "medium"), "medium"),
        "outlets": share_rows(an.counts_by(store.db, scope, "source"), "source"),
        "quality": quality_rows(an.quality(store.db, scope)),
    }


def dashboard_charts(tables: dict[str, list[Row]], labels: Labels) -> list[Chart]:
    t = labels.t
    return [
        line_chart("timeline", t("ov.timeline"), tables["timeline"], labels),
        bar_chart("top_speakers", t("ov.top_speakers"), tables["top_speakers"][:TOP], "name", labels),
        bar_chart("types", t("ov.types"), tables["types"], "type", labels),
        bar_chart("media", t("help.media"), tables["media"], "medium", labels),
    ]


def outlet_tables(store: Store, params: Params) -> dict[str, list[Row]]:
    scope = params.scope
    top = an.top_speakers(store.db, scope, limit=20)
    return {
        "speakers": speaker_rows(top),
        "trend": trend_rows(store, params, top[:5]),
        "timeline": [{"period": c.key, "count": c.count} for c in an.timeline(store.db, scope, params.period)],
        "types": share_rows(an.counts_by(store.db, scope, "type"), "type"),
    }


def outlet_charts(tables: dict[str, list[Row]], period: str, labels: Labels) -> list[Chart]:
    t = labels.t
    return [
        bar_chart("speakers", t("ov.top_speakers"), tables["speakers"][:TOP], "name", labels),
        line_chart("trend", t("ov.top_five", period=labels.period_name(period)), tables["trend"], labels, "name"),
    ]


def compare_tables(store: Store, params: Params, a: str, b: str) -> dict[str, list[Row]]:
    """Two outlets side by side: every speaker either quotes most, with counts and shares in both."""
    scope = params.scope
    sides = {
        side: an.Scope(scope.since, scope.until, name, scope.type, scope.medium) for side, name in (("a", a), ("b", b))
    }
    everyone = {side: an.top_speakers(store.db, s, limit=100_000) for side, s in sides.items()}
    totals = {side: an.quality(store.db, s).total or 1 for side, s in sides.items()}
    counts = {side: {s.entity_id: s.count for s in found} for side, found in everyone.items()}
    names = {s.entity_id: s.name for found in everyone.values() for s in found[:20]}
    speakers: list[Row] = []
    for entity_id, name in names.items():
        row: Row = {"entity_id": entity_id, "name": name}
        for side in sides:
            row[f"count_{side}"] = counts[side].get(entity_id, 0)
            row[f"share_{side}"] = round(counts[side].get(entity_id, 0) / totals[side], 4)
        speakers.append(row)
    timelines = {side: an.timeline(store.db, s, params.period) for side, s in sides.items()}
    return {
        "speakers": sorted(speakers, key=lambda r: (-(r["share_a"] + r["share_b"]), r["name"])),
        "timeline": [
            {"period": c.key, "outlet": name, "count": c.count}
            for side, name in (("a", a), ("b", b))
            for c in timelines[side]
        ],
        "gender": voice_rows(
            [s for side in sides.values() for s in an.voice_shares(store.db, side, "gender", by="source")], "source"
        ),
    }


def compare_charts(tables: dict[str, list[Row]], a: str, b: str, labels: Labels) -> list[Chart]:
    t = labels.t
    return [
        side_by_side_chart(tables, a, b, labels),
        line_chart("timeline", t("ov.timeline"), tables["timeline"], labels, "outlet"),
        stacked_chart("gender", t("ov.gender_quoted"), tables["gender"], "source", "gender", an.GENDERS, labels),
    ]


def balance_tables(store: Store, params: Params) -> dict[str, list[Row]]:
    scope, period = params.scope, params.period
    return {
        "gender": voice_rows(an.voice_shares(store.db, scope, "gender"), "group"),
        "gender_over_time": voice_rows(
            an.voice_shares(store.db, scope, "gender", by="period", period=period), "period"
        ),
        "gender_by_outlet": voice_rows(an.voice_shares(store.db, scope, "gender", by="source"), "source"),
        "kinds": voice_rows(an.voice_shares(store.db, scope, "kind"), "group"),
        "kinds_over_time": voice_rows(an.voice_shares(store.db, scope, "kind", by="period", period=period), "period"),
        "kinds_by_outlet": voice_rows(an.voice_shares(store.db, scope, "kind", by="source"), "source"),
        "speakers": [{**speaker_rows([s])[0], "evidence": s.evidence} for s in an.speaker_genders(store.db, scope)],
    }


def balance_charts(tables: dict[str, list[Row]], period: str, labels: Labels) -> list[Chart]:
    t, per = labels.t, labels.period_name(period)
    genders, kinds = an.GENDERS, an.KINDS
    return [
        stacked_chart(
            "gender_over_time",
            t("ov.gender_per", period=per),
            tables["gender_over_time"],
            "period",
            "gender",
            genders,
            labels,
        ),
        stacked_chart(
            "gender_by_outlet",
            t("ov.gender_per_outlet"),
            tables["gender_by_outlet"],
            "source",
            "gender",
            genders,
            labels,
        ),
        stacked_chart(
            "kinds_over_time",
            t("ov.kinds_per", period=per),
            tables["kinds_over_time"],
            "period",
            "kind",
            kinds,
            labels,
        ),
        stacked_chart(
            "kinds_by_outlet", t("ov.kinds_per_outlet"), tables["kinds_by_outlet"], "source", "kind", kinds, labels
        ),
    ]


def outlet_url(source: str) -> str:
    """The outlet page's path with the name percent-encoded (a slash or a '?' in a source stays in the path)."""
    return "/outlets/" + quote(source, safe="")


# ---- output -------------------------------------------------------------------------------------------------------


def download(tables: dict[str, list[Row]], view: str, fmt: str, table: str | None) -> Response:
    """One table as a CSV or JSONL attachment (404 for a table the view does not have)."""
    if table not in tables:
        raise HTTPException(404, f"{view} has no table {table!r}; tables: {', '.join(tables)}")
    body = table_file(tables[table], fmt)
    media = "application/x-ndjson; charset=utf-8" if fmt == "jsonl" else "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{view}-{table}.{fmt}"'}
    return Response(body, media_type=media, headers=headers)


def overview_router(store: Store) -> APIRouter:
    """Pages /dashboard, /outlets, /outlets/compare, /outlets/{source}, /balance and their /api twins."""
    router = APIRouter()

    def respond(
        view: str, query: list[tuple[str, str]], tables: dict[str, list[Row]], output: tuple[str, str | None]
    ) -> Any:
        fmt, table = output
        if fmt != "json":
            return download(tables, view, fmt, table)
        return ViewOut(view=view, filters=dict(query), tables=tables)

    def page(
        request: Request,
        template: str,
        api_path: str,
        params: Params,
        tables: dict[str, list[Row]],
        draw: Callable[[Labels], list[Chart]],
        **context: Any,
    ) -> HTMLResponse:
        """The view's page in the reader's language; `draw` makes its charts with the reader's words."""
        labels = Labels(templating.messages(request))
        charts = draw(labels)
        query = params.query + [(k, v) for k, v in context.pop("extra_query", [])]

        def download_url(table: str, fmt: str) -> str:
            return f"{api_path}?{urlencode([*query, ('format', fmt), ('table', table)])}"

        return templating.page(
            request,
            template,
            **{
                "tables": tables,
                "charts": charts,
                "specs": {c.name: c.spec for c in charts},
                "chart_options": labels.chart_options(),
                "labels": labels,
                "params": dict(params.query) | {"period": params.period},
                "download_url": download_url,
                "api_url": f"{api_path}?{urlencode(query)}" if query else api_path,
                "types": QUOTATION_TYPES,
                "media": MEDIA,
                "sources": [name for name, _ in store.sources()],
                "outlet_url": outlet_url,
                **context,
            },
        )

    def outlet_or_404(source: str) -> str:
        if source not in {name for name, _ in store.sources()}:
            raise HTTPException(404, f"no outlet {source!r}")
        return source

    def with_source(params: Params, source: str) -> Params:
        s = params.scope
        return Params(an.Scope(s.since, s.until, source, s.type, s.medium), params.period, params.query)

    def without_source(params: Params) -> Params:
        return Params(params.scope, params.period, [(k, v) for k, v in params.query if k != "source"])

    # ---- JSON API (and downloads) -------------------------------------------------------------------------------

    @router.get("/api/dashboard", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_dashboard(params: ScopeDep, output: OutputDep) -> Any:
        """Corpus overview: `timeline`, `top_speakers`, `top_per_period`, `types`, `media`, `outlets`, `quality`
        (unresolved, low-confidence and undated shares)."""
        return respond("dashboard", params.query, dashboard_tables(store, params), output)

    @router.get("/api/outlets", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_outlets(params: ScopeDep, output: OutputDep) -> Any:
        """Outlets (article sources) with their quotation counts: table `outlets`."""
        outlets = share_rows(an.counts_by(store.db, params.scope, "source"), "source")
        return respond("outlets", params.query, {"outlets": outlets}, output)

    @router.get("/api/outlets/compare", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_compare(a: Outlet, b: Outlet, params: ScopeDep, output: OutputDep) -> Any:
        """Two outlets side by side: `speakers` (counts and shares in each), `timeline`, `gender`."""
        params = without_source(params)
        tables = compare_tables(store, params, outlet_or_404(a), outlet_or_404(b))
        return respond("compare", [("a", a), ("b", b), *params.query], tables, output)

    @router.get("/api/outlets/{outlet:path}", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_outlet(outlet: str, params: ScopeDep, output: OutputDep) -> Any:
        """One outlet (percent-encoded in the path): its most quoted `speakers`, their `trend`, its `timeline`
        and `types`."""
        params = with_source(without_source(params), outlet_or_404(outlet))
        return respond("outlet", params.query, outlet_tables(store, params), output)

    @router.get("/api/balance", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_balance(params: ScopeDep, output: OutputDep) -> Any:
        """Balance of voices: gender as the texts state it (`gender`, `gender_over_time`, `gender_by_outlet`,
        `speakers` with the evidence) and kinds of speaker (`kinds`, `kinds_over_time`, `kinds_by_outlet`)."""
        return respond("balance", params.query, balance_tables(store, params), output)

    # ---- pages --------------------------------------------------------------------------------------------------

    @router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False, name="dashboard_page")
    def dashboard_page(request: Request, params: ScopeDep) -> HTMLResponse:
        tables = dashboard_tables(store, params)
        return page(request, "dashboard.html", "/api/dashboard", params, tables, partial(dashboard_charts, tables))

    @router.get("/outlets", response_class=HTMLResponse, include_in_schema=False, name="outlets_page")
    def outlets_page(request: Request, params: ScopeDep) -> HTMLResponse:
        params = without_source(params)
        outlets = share_rows(an.counts_by(store.db, params.scope, "source"), "source")
        return page(request, "outlets.html", "/api/outlets", params, {"outlets": outlets}, lambda _: [])

    @router.get("/outlets/compare", response_class=HTMLResponse, include_in_schema=False, name="compare_page")
    def compare_page(request: Request, params: ScopeDep, a: Outlet, b: Outlet) -> HTMLResponse:
        params = without_source(params)
        tables = compare_tables(store, params, outlet_or_404(a), outlet_or_404(b))
        draw = partial(compare_charts, tables, a, b)
        extra = [("a", a), ("b", b)]
        return page(request, "compare.html", "/api/outlets/compare", params, tables, draw, a=a, b=b, extra_query=extra)

    @router.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False, name="outlet_page")
    def outlet_page(request: Request, outlet: str, params: ScopeDep) -> HTMLResponse:
        params = with_source(without_source(params), outlet_or_404(outlet))
        api_path = "/api" + outlet_url(outlet)
        tables = outlet_tables(store, params)
        draw = partial(outlet_charts, tables, params.period)
        return page(request, "outlet.html", api_path, params, tables, draw, source=outlet)

    @router.get("/balance", response_class=HTMLResponse, include_in_schema=False, name="balance_page")
    def balance_page(request: Request, params: ScopeDep) -> HTMLResponse:
        tables = balance_tables(store, params)
        return page(
            request, "balance.html", "/api/balance", params, tables, partial(balance_charts, tables, params.period)
        )

    return router

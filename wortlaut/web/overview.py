"""A researcher's overview: corpus dashboard, outlets (one and two side by side), balance of voices.

Every view is a set of named flat tables (from wortlaut/store/analytics.py) plus charts drawn from them:
the page shows both, `/api/...` returns the tables as JSON, and the same URL with `format=csv|jsonl&table=...`
downloads one table. All filters live in the query string, so every view has a shareable URL.

    app.include_router(overview_router(store))
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ..api import Store
from ..api import analytics as an
from ..document import MEDIA, QUOTATION_TYPES
from . import templating
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
    return [
        {"measure": name, "count": n, "share": round(n / total, 4)}
        for name, n in (
            ("quotations", quality.total),
            ("unresolved speaker", quality.unresolved),
            (f"confidence below {an.LOW_CONFIDENCE}", quality.low_confidence),
            ("no article date", quality.undated),
        )
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


def _spec(values: list[Row], mark: dict[str, Any], encoding: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "mark": {"tooltip": True, **mark},
        "encoding": encoding,
    }


def line_chart(name: str, title: str, values: list[Row], x: str, y: str, color: str | None = None) -> Chart:
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "ordinal", "title": None, "axis": {"labelAngle": -45, "labelOverlap": True}},
        "y": {"field": y, "type": "quantitative", "title": y},
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
    peak = max(values, key=lambda r: r[y]) if values else None
    summary = (
        f"{len({r[x] for r in values})} periods; highest {peak[y]} in {peak[x]}" if peak else "no dated quotations"
    )
    return Chart(name, title, summary, _spec(values, {"type": "line", "point": True}, encoding), name)


def bar_chart(name: str, title: str, values: list[Row], category: str, table: str | None = None) -> Chart:
    encoding = {
        "y": {"field": category, "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "count", "type": "quantitative", "title": "quotations"},
    }
    summary = ", ".join(f"{r[category]} {r['count']}" for r in values[:5]) or "nothing in this range"
    return Chart(name, title, summary, _spec(values, {"type": "bar"}, encoding), table or name)


def stacked_chart(name: str, title: str, values: list[Row], group: str, order: Sequence[str]) -> Chart:
    """Shares of each category per group as 100% bars; the unknown share is a category like the others."""
    encoding = {
        "y": {"field": group, "type": "nominal", "title": None},
        "x": {
            "field": "share",
            "type": "quantitative",
            "stack": "normalize",
            "title": "share",
            "axis": {"format": "%"},
        },
        "color": {
            "field": "category",
            "type": "nominal",
            "sort": list(order),
            "scale": {"domain": list(order)},
            "title": None,
            "legend": {"orient": "bottom"},
        },
        "order": {"field": "rank", "type": "quantitative"},
    }
    ranked = [{**r, "rank": list(order).index(r["category"])} for r in values]
    groups = sorted({r[group] for r in values})
    summary = "; ".join(
        f"{g}: " + ", ".join(f"{r['category']} {r['share']:.0%}" for r in values if r[group] == g) for g in groups[:4]
    )
    return Chart(name, title, summary or "nothing in this range", _spec(ranked, {"type": "bar"}, encoding), name)


# ---- views --------------------------------------------------------------------------------------------------------


def dashboard_view(store: Store, params: Params) -> tuple[dict[str, list[Row]], list[Chart]]:
    scope, period = params.scope, params.period
    tables = {
        "timeline": [{"period": c.key, "count": c.count} for c in an.timeline(store.db, scope, period)],
        "top_speakers": speaker_rows(an.top_speakers(store.db, scope, limit=20)),
        "top_per_period": rows(an.top_speakers_per_period(store.db, scope, period, limit=5)),
        "types": share_rows(an.counts_by(store.db, scope, "type"), "type"),
        "media": share_rows(an.counts_by(store.db, scope, "medium"), "medium"),
        "outlets": share_rows(an.counts_by(store.db, scope, "source"), "source"),
        "quality": quality_rows(an.quality(store.db, scope)),
    }
    charts = [
        line_chart("timeline", f"Quotations per {period}", tables["timeline"], "period", "count"),
        bar_chart("top_speakers", "Most quoted speakers", tables["top_speakers"][:TOP], "name"),
        bar_chart("types", "Quotation types", tables["types"], "type"),
        bar_chart("media", "Media", tables["media"], "medium"),
    ]
    return tables, charts


def outlet_view(store: Store, params: Params) -> tuple[dict[str, list[Row]], list[Chart]]:
    scope = params.scope
    top = an.top_speakers(store.db, scope, limit=20)
    tables = {
        "speakers": speaker_rows(top),
        "trend": trend_rows(store, params, top[:5]),
        "timeline": [{"period": c.key, "count": c.count} for c in an.timeline(store.db, scope, params.period)],
        "types": share_rows(an.counts_by(store.db, scope, "type"), "type"),
    }
    charts = [
        bar_chart("speakers", "Most quoted speakers", tables["speakers"][:TOP], "name"),
        line_chart("trend", f"Top five speakers per {params.period}", tables["trend"], "period", "count", "name"),
    ]
    return tables, charts


def compare_view(store: Store, params: Params, a: str, b: str) -> tuple[dict[str, list[Row]], list[Chart]]:
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
    tables = {
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
    bars = [
        {"name": r["name"], "outlet": outlet, "share": r[f"share_{side}"]}
        for r in tables["speakers"][:TOP]
        for side, outlet in (("a", a), ("b", b))
    ]
    side_by_side = _spec(
        bars,
        {"type": "bar"},
        {
            "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "outlet"},
            "x": {
                "field": "share",
                "type": "quantitative",
                "title": "share of the outlet's quotations",
                "axis": {"format": "%"},
            },
            "color": {"field": "outlet", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
        },
    )
    charts = [
        Chart(
            "speakers",
            f"Speakers' shares: {a} and {b}",
            ", ".join(f"{r['name']} {r['share_a']:.0%} / {r['share_b']:.0%}" for r in tables["speakers"][:5])
            or "nothing in this range",
            side_by_side,
            "speakers",
        ),
        line_chart("timeline", f"Quotations per {params.period}", tables["timeline"], "period", "count", "outlet"),
        stacked_chart("gender", "Gender of quoted persons", tables["gender"], "source", an.GENDERS),
    ]
    return tables, charts


def balance_view(store: Store, params: Params) -> tuple[dict[str, list[Row]], list[Chart]]:
    scope, period = params.scope, params.period
    tables = {
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
    genders, kinds = an.GENDERS, an.KINDS
    charts = [
        stacked_chart("gender_over_time", f"Gender per {period}", tables["gender_over_time"], "period", genders),
        stacked_chart("gender_by_outlet", "Gender per outlet", tables["gender_by_outlet"], "source", genders),
        stacked_chart("kinds_over_time", f"Kinds of speaker per {period}", tables["kinds_over_time"], "period", kinds),
        stacked_chart("kinds_by_outlet", "Kinds of speaker per outlet", tables["kinds_by_outlet"], "source", kinds),
    ]
    return tables, charts


def outlet_url(source: str) -> str:
    """The outlet page's path with the name percent-encoded (a slash or a '?' in a source stays in the path)."""
    return "/outlets/" + quote(source, safe="")


# ---- output -------------------------------------------------------------------------------------------------------


def download(tables: dict[str, list[Row]], view: str, fmt: str, table: str | None) -> Response:
    """One table as a CSV or JSONL attachment (404 for a table the view does not have)."""
    if table not in tables:
        raise HTTPException(404, f"{view} has no table {table!r}; tables: {', '.join(tables)}")
    found = tables[table]
    filename = f"{view}-{table}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found)
        return Response(body, media_type="application/x-ndjson; charset=utf-8", headers=headers)
    out = io.StringIO()
    columns = list(found[0]) if found else []
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


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
        view: tuple[dict[str, list[Row]], list[Chart]],
        **context: Any,
    ) -> HTMLResponse:
        tables, charts = view
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
        return respond("dashboard", params.query, dashboard_view(store, params)[0], output)

    @router.get("/api/outlets", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_outlets(params: ScopeDep, output: OutputDep) -> Any:
        """Outlets (article sources) with their quotation counts: table `outlets`."""
        outlets = share_rows(an.counts_by(store.db, params.scope, "source"), "source")
        return respond("outlets", params.query, {"outlets": outlets}, output)

    @router.get("/api/outlets/compare", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_compare(a: Outlet, b: Outlet, params: ScopeDep, output: OutputDep) -> Any:
        """Two outlets side by side: `speakers` (counts and shares in each), `timeline`, `gender`."""
        params = without_source(params)
        tables = compare_view(store, params, outlet_or_404(a), outlet_or_404(b))[0]
        return respond("compare", [("a", a), ("b", b), *params.query], tables, output)

    @router.get("/api/outlets/{outlet:path}", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_outlet(outlet: str, params: ScopeDep, output: OutputDep) -> Any:
        """One outlet (percent-encoded in the path): its most quoted `speakers`, their `trend`, its `timeline`
        and `types`."""
        params = with_source(without_source(params), outlet_or_404(outlet))
        return respond("outlet", params.query, outlet_view(store, params)[0], output)

    @router.get("/api/balance", response_model=ViewOut, responses=RESPONSES, tags=["overview"])
    def api_balance(params: ScopeDep, output: OutputDep) -> Any:
        """Balance of voices: gender as the texts state it (`gender`, `gender_over_time`, `gender_by_outlet`,
        `speakers` with the evidence) and kinds of speaker (`kinds`, `kinds_over_time`, `kinds_by_outlet`)."""
        return respond("balance", params.query, balance_view(store, params)[0], output)

    # ---- pages --------------------------------------------------------------------------------------------------

    @router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False, name="dashboard_page")
    def dashboard_page(request: Request, params: ScopeDep) -> HTMLResponse:
        return page(request, "dashboard.html", "/api/dashboard", params, dashboard_view(store, params))

    @router.get("/outlets", response_class=HTMLResponse, include_in_schema=False, name="outlets_page")
    def outlets_page(request: Request, params: ScopeDep) -> HTMLResponse:
        params = without_source(params)
        outlets = share_rows(an.counts_by(store.db, params.scope, "source"), "source")
        return page(request, "outlets.html", "/api/outlets", params, ({"outlets": outlets}, []))

    @router.get("/outlets/compare", response_class=HTMLResponse, include_in_schema=False, name="compare_page")
    def compare_page(request: Request, params: ScopeDep, a: Outlet, b: Outlet) -> HTMLResponse:
        params = without_source(params)
        view = compare_view(store, params, outlet_or_404(a), outlet_or_404(b))
        extra = [("a", a), ("b", b)]
        return page(request, "compare.html", "/api/outlets/compare", params, view, a=a, b=b, extra_query=extra)

    @router.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False, name="outlet_page")
    def outlet_page(request: Request, outlet: str, params: ScopeDep) -> HTMLResponse:
        params = with_source(without_source(params), outlet_or_404(outlet))
        api_path = "/api" + outlet_url(outlet)
        return page(request, "outlet.html", api_path, params, outlet_view(store, params), source=outlet)

    @router.get("/balance", response_class=HTMLResponse, include_in_schema=False, name="balance_page")
    def balance_page(request: Request, params: ScopeDep) -> HTMLResponse:
        return page(request, "balance.html", "/api/balance", params, balance_view(store, params))

    return router

"""What the pages and the JSON API both ask of the store: one page of a listing, a speaker, the network."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request

from ..api import NetworkEdge, Store
from . import render
from .schemas import Count, EntityOut, LinkOut, NetworkOut, NodeOut, Paging, SpeakerOut

T = TypeVar("T")


def store_of(request: Request) -> Store:
    """The app's one open store (the caller of create_app owns and closes it)."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(store_of)]


def found(item: T | None, message: str) -> T:
    """The item, or a 404 with a message that names what was missing."""
    if item is None:
        raise HTTPException(404, message)
    return item


PastLast = Callable[[int, int], str]


def paginate(
    fetch: Callable[[int, int], Sequence[Any]], total: int, paging: Paging, past_last: PastLast
) -> tuple[list[Any], int]:
    """Items of the requested page; a page past the last one is a 404 (`past_last(page, pages)` says so)."""
    pages = max(1, math.ceil(total / paging.per_page))
    if paging.page > pages:
        raise HTTPException(404, past_last(paging.page, pages))
    return list(fetch(paging.per_page, paging.offset)), pages


def speaker_out(store: Store, entity_id: str, missing: str) -> SpeakerOut:
    """The speaker with its aggregates (404 with `missing` when unknown)."""
    entity = found(store.entity(entity_id), missing)
    profile = store.entity_profile(entity_id)

    def counts(pairs: Sequence[tuple[str, int]]) -> list[Count]:
        return [Count(key=k, count=n) for k, n in pairs]

    return SpeakerOut(
        **EntityOut.of(entity).model_dump(),
        types=counts(profile.types),
        media=counts(profile.media),
        addressees=counts(profile.addressees),
        timeline=counts(render.timeline_buckets(profile.dates)),
    )


def network_edges(store: Store, kind: str | None, min_weight: int) -> list[NetworkEdge]:
    return [e for e in store.network(min_weight=min_weight) if kind is None or e.kind == kind]


def network_out(edges: Sequence[NetworkEdge], speaker_url: Callable[[str], str]) -> NetworkOut:
    """Nodes (weighted by the quotations on their edges) and links for the network page's force layout."""
    nodes: dict[str, NodeOut] = {}
    links = []
    for edge in edges:
        ends = []
        for node in (edge.source, edge.target):
            key = f"{node.kind}:{node.id}"
            if key not in nodes:
                kind = "speaker" if node.kind == "entity" else node.kind
                url = speaker_url(node.id) if node.kind == "entity" else None
                nodes[key] = NodeOut(id=key, label=node.label, kind=kind, weight=0, url=url)
            nodes[key].weight += edge.weight
            ends.append(key)
        links.append(LinkOut(source=ends[0], target=ends[1], kind=edge.kind, weight=edge.weight))
    return NetworkOut(nodes=list(nodes.values()), links=links)

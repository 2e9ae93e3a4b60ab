"""Changes to speaker entities by hand: rename, set kind, merge, split, and undoing any of them.

Each is one entry of the append-only correction log (who, when, before → after), named by the speaker it leaves
(`e:<id>`) and linked to the others it concerns, so it shows in the history of every speaker involved. A merge
records which names and quotations moved, a split which quotations and alias rows; that is what an undo puts
back. An undo is refused as stale when a later change concerns the same speakers (optimistic locking, as for
quotations). Merges and splits live on as manual aliases, so they hold through `ingest --reanalyze`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..document import ENTITY_KINDS
from ..resolve import normalize_alias, slug
from ..review import Anchor, Correction, CorrectionError
from .backends import Backend
from .catalogue import Catalogue
from .review_log import ReviewLog, StaleEdit, now

#: The field each simple change sets; undoing one is refused when the same field of the speaker was changed since
#: (a change undone since and its undo cancel out).
FIELD_CHANGES = {"rename": "name", "set_kind": "kind"}


class SpeakerEdits:
    """The Store's speaker corrections (see wortlaut.store.core for the whole API)."""

    db: Backend
    _catalogue: Catalogue | None

    if TYPE_CHECKING:  # provided by the Store's other parts

        def _writing(self) -> AbstractContextManager[None]: ...
        def catalogue(self) -> Catalogue: ...
        @property
        def review_log(self) -> ReviewLog: ...

    # ---- rename and kind

    def rename_entity(self, entity_id: str, name: str, *, reviewer: str) -> int:
        name = " ".join(name.split())
        if not name:
            raise CorrectionError("a speaker needs a name")
        return self._change_field(entity_id, "rename", name, reviewer)

    def set_entity_kind(self, entity_id: str, kind: str, *, reviewer: str) -> int:
        if kind not in ENTITY_KINDS:
            raise CorrectionError(f"kind {kind!r}: expected one of {', '.join(ENTITY_KINDS)}")
        return self._change_field(entity_id, "set_kind", kind, reviewer)

    def entity_history(self, entity_id: str) -> list[Correction]:
        """Every change that concerns the speaker: its renames and kinds, and the merges and splits it was in."""
        return self.review_log.entity_changes([entity_id])

    def _change_field(
        self, entity_id: str, action: str, value: str, reviewer: str, undoing: Correction | None = None
    ) -> int:
        """Set the speaker's name or kind; `undoing` a change, refused when that field was changed since."""
        self.review_log.require_user(reviewer)
        column = FIELD_CHANGES[action]
        with self._writing():
            rows = self.db.execute(f"SELECT {column} AS value FROM entities WHERE id = ?", [entity_id])
            if not rows:
                raise KeyError(f"no speaker {entity_id!r}")
            before = {"entity": entity_id, column: rows[0]["value"]}
            after: dict[str, Any] = {"entity": entity_id, column: value}
            if undoing is not None:
                later = standing(self.review_log.entity_changes([entity_id], since=undoing.id or 0))
                if [c for c in later if action in (c.action, c.after.get("undid"))]:
                    raise stale(undoing, later)
                action, after = "undo", {**after, "correction": undoing.id, "undid": action}
            number = self._log(action, before, after, reviewer)
            self.db.execute(f"UPDATE entities SET {column} = ? WHERE id = ?", [value, entity_id])
        self._catalogue = None
        return number

    # ---- merge

    def merge_entities(self, keep: str, other: str, *, reviewer: str) -> str:
        """Merge entity `other` into `keep` (ids or unambiguous names); its names become manual aliases of
        `keep`, so later ingests and --reanalyze merge them too. Logged and undoable. Returns the kept id."""
        self.review_log.require_user(reviewer)
        keep_id, other_id = self._resolve_entity_ref(keep), self._resolve_entity_ref(other)
        if keep_id == other_id:
            raise ValueError(f"{keep!r} and {other!r} are the same entity")
        with self._writing():
            merged = self._entity_row(other_id)
            kept = self._entity_row(keep_id)
            own = self.db.execute("SELECT alias, manual FROM aliases WHERE entity_id = ?", [other_id])
            names = sorted({r["alias"] for r in own} | {normalize_alias(merged["name"])})
            moved = self._quotations_of([other_id])
            descriptors = [d for d in merged["descriptors"] if d not in kept["descriptors"]]
            before = {
                **merged,
                "aliases": sorted([r["alias"], bool(r["manual"])] for r in own),
                "displaced": self._alias_rows(names, but=other_id, claimed_by=keep_id),
            }
            after = {
                "entity": keep_id,
                "name": kept["name"],
                "merged": other_id,
                "merged_name": merged["name"],
                "aliases": names,
                "descriptors": descriptors,
                "quotations": [q[:2] for q in moved],
            }
            self._log("merge", before, after, reviewer, also=[other_id])
            self.db.execute("UPDATE quotations SET entity_id = ? WHERE entity_id = ?", [keep_id, other_id])
            self._set_descriptors(keep_id, kept["descriptors"] + descriptors)
            self.db.execute("DELETE FROM aliases WHERE entity_id = ?", [other_id])
            self.db.execute("DELETE FROM entities WHERE id = ?", [other_id])
            self._set_manual_aliases(names, keep_id)
        self._catalogue = None
        return keep_id

    def _undo_merge(self, merge: Correction, reviewer: str) -> int:
        """The merged-away speaker back, with its names, descriptors and the quotations that moved."""
        keep_id, restored = str(merge.after["entity"]), merge.before
        other_id = str(restored["entity"])
        with self._writing():
            self._refuse_if_changed_since(merge, [keep_id, other_id])
            if self._exists(other_id):
                raise StaleEdit(f"the id {other_id} belongs to a new speaker since; merge or split by hand instead")
            kept = self._entity_row(keep_id)
            self.db.execute(
                "INSERT INTO entities (id, name, kind, descriptors) VALUES (?, ?, ?, ?)",
                [other_id, restored["name"], restored["kind"], json.dumps(restored["descriptors"], ensure_ascii=False)],
            )
            added = set(merge.after["descriptors"])
            self._set_descriptors(keep_id, [d for d in kept["descriptors"] if d not in added])
            for alias in merge.after["aliases"]:
                self.db.execute("DELETE FROM aliases WHERE alias = ? AND entity_id = ? AND manual", [alias, keep_id])
            rows = [[a, other_id, manual] for a, manual in restored["aliases"]] + restored["displaced"]
            self._insert_alias_rows(rows)
            self._move_quotations(merge.after["quotations"], keep_id, lambda _: other_id)
            after = {"entity": keep_id, "correction": merge.id, "undid": "merge", "restored": other_id}
            number = self._log("undo", {"entity": keep_id}, after, reviewer, also=[other_id])
        self._catalogue = None
        return number

    # ---- split

    def split_alias(self, alias: str, *, reviewer: str) -> str:
        """Give `alias` its own entity: quotations whose speaker mention is that alias move to it, and a manual
        alias keeps it apart on later ingests and --reanalyze. Logged and undoable. Returns the new entity's id."""
        self.review_log.require_user(reviewer)
        key = normalize_alias(alias)
        with self._writing():
            rows = self.db.execute("SELECT alias, entity_id, manual FROM aliases WHERE alias = ?", [key])
            if not rows:
                raise KeyError(f"no entity has the alias {alias!r}")
            old_ids = sorted({r["entity_id"] for r in rows})
            kind = self._entity_row(old_ids[0])["kind"]
            new_id = self.catalogue().new_id(f"{kind}:{slug(alias)}")
            moved = [q for q in self._quotations_of(old_ids) if normalize_alias(q[3]) == key]
            before = {
                "entity": old_ids[0],
                "entities": old_ids,
                "aliases": sorted([r["alias"], r["entity_id"], bool(r["manual"])] for r in rows),
            }
            after = {"entity": new_id, "name": alias.strip(), "kind": kind, "alias": key, "quotations": moved}
            self._log("split", before, after, reviewer, also=old_ids)
            self.db.execute(
                "INSERT INTO entities (id, name, kind, descriptors) VALUES (?, ?, ?, '[]')",
                [new_id, alias.strip(), kind],
            )
            self._move_quotations([q[:2] for q in moved], old_ids, lambda _: new_id)
            self.db.execute("DELETE FROM aliases WHERE alias = ?", [key])
            self._set_manual_aliases([key], new_id)
        self._catalogue = None
        return new_id

    def _undo_split(self, split: Correction, reviewer: str) -> int:
        """The split-off speaker gone again: its quotations back with the speakers they came from, the name too."""
        new_id, old_ids = str(split.after["entity"]), [str(e) for e in split.before["entities"]]
        with self._writing():
            self._refuse_if_changed_since(split, [new_id, *old_ids])
            for old_id in old_ids:
                if not self._exists(old_id):
                    raise StaleEdit(f"the speaker {old_id} is gone since; split or merge by hand instead")
            came_from = {(q[0], q[1]): q[2] for q in split.after["quotations"]}
            self._move_quotations([q[:2] for q in split.after["quotations"]], new_id, lambda q: came_from[q])
            # quotations stored since with the split-off name go where the name goes back to
            self.db.execute("UPDATE quotations SET entity_id = ? WHERE entity_id = ?", [old_ids[0], new_id])
            self.db.execute("DELETE FROM aliases WHERE entity_id = ?", [new_id])
            self.db.execute("DELETE FROM entities WHERE id = ?", [new_id])
            self._insert_alias_rows(split.before["aliases"])
            after = {"entity": old_ids[0], "correction": split.id, "undid": "split", "removed": new_id}
            number = self._log("undo", {"entity": new_id}, after, reviewer, also=[new_id, *old_ids])
        self._catalogue = None
        return number

    # ---- undo

    def _undo_speaker_change(self, original: Correction, reviewer: str) -> int:
        """Take back a change to a speaker (called by Reviews.undo); refused when stale."""
        self.review_log.require_user(reviewer)
        if original.action == "merge":
            return self._undo_merge(original, reviewer)
        if original.action == "split":
            return self._undo_split(original, reviewer)
        if original.action not in FIELD_CHANGES:
            raise CorrectionError(f"correction {original.id} is an undo: change the speaker again instead")
        entity_id, value = str(original.before["entity"]), str(original.before[FIELD_CHANGES[original.action]])
        return self._change_field(entity_id, original.action, value, reviewer, undoing=original)

    def _refuse_if_changed_since(self, original: Correction, entity_ids: Iterable[str]) -> None:
        later = standing(self.review_log.entity_changes(entity_ids, since=original.id or 0))
        if later:
            raise stale(original, later)

    # ---- helpers

    def _log(
        self, action: str, before: dict[str, Any], after: dict[str, Any], reviewer: str, also: Iterable[str] = ()
    ) -> int:
        change = Correction("", Anchor(0, 0), action, after=after, before=before, reviewer=reviewer, at=now())
        return self.review_log.append_entity_change(change, also)

    def _exists(self, entity_id: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM entities WHERE id = ?", [entity_id]))

    def _entity_row(self, entity_id: str) -> dict[str, Any]:
        rows = self.db.execute("SELECT id, name, kind, descriptors FROM entities WHERE id = ?", [entity_id])
        if not rows:
            raise KeyError(f"no speaker {entity_id!r}")
        row = rows[0]
        descriptors = json.loads(row["descriptors"])
        return {"entity": row["id"], "name": row["name"], "kind": row["kind"], "descriptors": descriptors}

    def _set_descriptors(self, entity_id: str, descriptors: list[str]) -> None:
        self.db.execute(
            "UPDATE entities SET descriptors = ? WHERE id = ?", [json.dumps(descriptors, ensure_ascii=False), entity_id]
        )

    def _quotations_of(self, entity_ids: list[str]) -> list[list[str]]:
        """[article, anchor, entity, speaker mention] of the quotations credited to these speakers, in order."""
        marks = ", ".join("?" * len(entity_ids))
        rows = self.db.execute(
            f"SELECT article_id, anchor, entity_id, speaker_text FROM quotations WHERE entity_id IN ({marks}) "
            "ORDER BY article_id, start_char, end_char",
            entity_ids,
        )
        return [[r["article_id"], r["anchor"], r["entity_id"], r["speaker_text"]] for r in rows]

    def _move_quotations(
        self, quotations: Iterable[list[str]], away_from: str | list[str], to: Callable[[tuple[str, str]], str]
    ) -> None:
        """Credit each [article, anchor] still credited to `away_from` to `to((article, anchor))`."""
        sources = [away_from] if isinstance(away_from, str) else away_from
        marks = ", ".join("?" * len(sources))
        for article_id, anchor in quotations:
            self.db.execute(
                f"UPDATE quotations SET entity_id = ? WHERE article_id = ? AND anchor = ? AND entity_id IN ({marks})",
                [to((article_id, anchor)), article_id, anchor, *sources],
            )

    def _alias_rows(self, names: list[str], *, but: str, claimed_by: str) -> list[list[Any]]:
        """[alias, entity, manual] rows that making `names` manual aliases of `claimed_by` replaces (other than
        those of `but`, the speaker they come from)."""
        found = []
        for name in names:
            rows = self.db.execute(
                "SELECT alias, entity_id, manual FROM aliases WHERE alias = ? AND entity_id <> ? "
                "AND (manual OR entity_id = ?)",
                [name, but, claimed_by],
            )
            found += [[r["alias"], r["entity_id"], bool(r["manual"])] for r in rows]
        return sorted(found)

    def _insert_alias_rows(self, rows: Iterable[list[Any]]) -> None:
        """Put alias rows back; a name claimed by hand since keeps its new speaker."""
        for alias, entity_id, manual in rows:
            if manual and self.db.execute("SELECT 1 FROM aliases WHERE alias = ? AND manual", [alias]):
                continue
            self.db.execute(
                "INSERT INTO aliases (alias, entity_id, manual) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [alias, entity_id, manual],
            )

    def _resolve_entity_ref(self, ref: str) -> str:
        """An entity id, or a name/alias that identifies exactly one entity."""
        if self._exists(ref):
            return ref
        rows = self.db.execute(
            "SELECT DISTINCT entity_id FROM aliases WHERE alias = ? "
            "UNION SELECT id FROM entities WHERE lower(name) = ?",
            [normalize_alias(ref), ref.casefold()],
        )
        if len(rows) != 1:
            reason = "no entity" if not rows else f"{len(rows)} entities ({', '.join(r['entity_id'] for r in rows)})"
            raise KeyError(f"{ref!r} names {reason}; use an entity id")
        return str(rows[0]["entity_id"])

    def _set_manual_aliases(self, aliases: Iterable[str], entity_id: str) -> None:
        for alias in aliases:
            self.db.execute("DELETE FROM aliases WHERE alias = ? AND (manual OR entity_id = ?)", [alias, entity_id])
            self.db.execute("INSERT INTO aliases (alias, entity_id, manual) VALUES (?, ?, ?)", [alias, entity_id, True])


def standing(changes: list[Correction]) -> list[Correction]:
    """The changes that still stand: a merge or split undone among them cancels out with its undo."""
    undone = {int(c.after["correction"]) for c in changes if c.action == "undo"}
    numbers = {c.id for c in changes}
    return [c for c in changes if c.id not in undone and not (c.action == "undo" and c.after["correction"] in numbers)]


def stale(original: Correction, later: list[Correction]) -> StaleEdit:
    newest = later[-1]
    return StaleEdit(
        f"correction {original.id} cannot be undone: the speaker was changed since "
        f"({newest.action} by {newest.reviewer}, correction {newest.id}); undo that first"
    )

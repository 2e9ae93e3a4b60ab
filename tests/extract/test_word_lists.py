"""Word lists hold each entry once: a repeated word is a copy-paste slip, and a key given twice in a dict
literal silently keeps only its last value."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "wortlaut"
WORD_LIST_MODULES = sorted([*(PACKAGE / "extract").glob("*.py"), *(PACKAGE / "resolve").glob("*.py")])


def _strings(nodes: list[ast.expr | None]) -> list[str] | None:
    """The string constants of a literal's elements, or None when any element is not one."""
    out = []
    for node in nodes:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return None
        out.append(node.value)
    return out


def _fromkeys_list(node: ast.expr | None) -> list[ast.expr | None]:
    """The keys of `dict.fromkeys([...], value)`, empty for anything else."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "fromkeys"
        and node.args
        and isinstance(node.args[0], ast.List | ast.Tuple | ast.Set)
    ):
        return list(node.args[0].elts)
    return []


def _dict_keys(node: ast.Dict) -> list[ast.expr | None]:
    """Keys written in a dict literal, including those unpacked from `**dict.fromkeys([...], value)`."""
    keys: list[ast.expr | None] = []
    for key, value in zip(node.keys, node.values, strict=True):
        keys.extend(_fromkeys_list(value) if key is None else [key])
    return keys


def _literal_words(tree: ast.AST) -> Iterator[tuple[int, list[str]]]:
    """(line, words) of every set, list, tuple and dict-key literal made of strings only.

    A tuple of two is a pair of values (`or ("", "")`), not a word list, and may repeat.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            continue
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            words = _strings(list(node.elts))
        elif isinstance(node, ast.Dict):
            words = _strings(_dict_keys(node))
        else:
            continue
        if words:
            yield node.lineno, words


def _overwritten_keys(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """`NAME["key"] = ...` at module level, for a NAME bound to a dict literal: a key given twice."""
    dicts = {
        target.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(stmt.value, ast.Dict)
        for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        if isinstance(target, ast.Name)
    }
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in dicts
                ):
                    yield stmt.lineno, target.value.id


def repeated_entries(source: str) -> list[str]:
    """Every repeat in the module's string literals, as 'line N: word'."""
    tree = ast.parse(source)
    found = [
        f"line {line}: {word!r} repeated"
        for line, words in _literal_words(tree)
        for word, n in Counter(words).items()
        if n > 1
    ]
    found += [f"line {line}: {name}[...] assigned after the literal" for line, name in _overwritten_keys(tree)]
    return found


@pytest.mark.parametrize("path", WORD_LIST_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_word_lists_hold_each_entry_once(path: Path) -> None:
    assert repeated_entries(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source, problem",
    [
        ('CUES = ("sagen", "meinen", "sagen")', "'sagen' repeated"),
        ('VERBS = {"sagen", "meinen", "sagen"}', "'sagen' repeated"),
        ('MEDIUM = {"sagen": "Speech", "schreiben": "Writing", "sagen": "SW"}', "'sagen' repeated"),
        ('MEDIUM = {**dict.fromkeys(["sagen", "meinen"], "Speech"), **dict.fromkeys(["meinen"], "ST")}', "'meinen'"),
        ('MEDIUM = {"sagen": "Speech"}\nMEDIUM["sagen"] = "SW"', "MEDIUM[...] assigned"),
    ],
)
def test_repeats_are_found(source: str, problem: str) -> None:
    assert any(problem in found for found in repeated_entries(source))


def test_distinct_entries_pass() -> None:
    assert repeated_entries('CUES = ("sagen", "meinen")\nMEDIUM = {"sagen": "Speech", "schreiben": "Writing"}') == []

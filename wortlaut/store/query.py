"""The search-box language, parsed once into a small tree that each backend renders in its own dialect.

Syntax (documented for users in the CLI help and the README):
    Rente Zukunft        both words (AND is implied; `Rente AND Zukunft` says the same)
    Merz OR Scholz       either word; OR binds tighter than AND: `Merz OR Scholz Rente` = (Merz OR Scholz) AND Rente
    -Rente, NOT Rente    without the word
    "sehr deutlich"      the words next to each other, in this order
    Bundes*              words starting with "Bundes" (also `"Die Ren"*` for a phrase whose last word is a prefix)
    ( … )                grouping
    article:Klima        in the article (title and text) the quotation comes from; also article:"…" and article:( … )
Operators are upper case; lower-case `or`, `and`, `not` are ordinary words.

Text and query are folded the same way, so spellings meet: case-insensitive, ä=ae, ö=oe, ü=ue, ß=ss, and every
character other than a letter or digit separates words (quotation marks „…“ »…«, hyphens, apostrophes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

FIELDS = ("quote", "article")  # quote: the quotation's text and speaker mention (the default)
OPERATORS = ("AND", "OR", "NOT")

_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Runs of word characters plus combining marks, so a decomposed "a\u0308" stays inside its word until NFC.
_WORD_RUN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_QUERY_TOKEN = re.compile(r'\s+|"[^"]*"\*?|"|\(|\)|[^\s"()]+')


class QueryError(ValueError):
    """A search query that cannot be read (unbalanced quotes or parentheses, an operator without a word)."""


@dataclass(frozen=True)
class Term:
    """A folded word or phrase (`words` in order); `prefix` when the last word may continue (`Bundes*`)."""

    words: tuple[str, ...]
    prefix: bool = False
    field: str = "quote"


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Term | Not | And | Or


def _is_word_char(char: str) -> bool:
    """Letters and decimal digits, as PostgreSQL's ICU `[:alnum:]` sees them (so both stores split alike)."""
    return char.isalpha() or char.isdecimal()


def _folded_words(run: str) -> list[str]:
    """The index words of one run of word characters: NFC, lower case, umlauts and ß spelled out."""
    folded = unicodedata.normalize("NFC", run).lower().translate(_SPELLED_OUT)
    if folded.isalpha() or folded.isdecimal():
        return [folded]
    return "".join(c if _is_word_char(c) else " " for c in folded).split()


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for every word of the text, with offsets into the original text."""
    for match in _WORD_RUN.finditer(text):
        for word in _folded_words(match.group()):
            yield match.start(), match.end(), word


def fold(text: str) -> str:
    """The text as the full-text indexes store it: folded words separated by single spaces.

    Migration 003 spells out the same steps in SQL for PostgreSQL (`wortlaut_fold`); SQLite calls this function.
    """
    return " ".join(word for _, _, word in word_spans(text))


def words(text: str) -> list[str]:
    """The folded words of a text, ignoring any query syntax."""
    return fold(text).split()


def all_words(text: str) -> Node | None:
    """Every word of the text required, any syntax ignored (for a name typed into the speaker box)."""
    terms = tuple(Term((word,)) for word in words(text))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


def parse_query(text: str) -> Node:
    """The query as a tree of terms; raises QueryError with a one-line reason when it cannot be read.

    A query without a single word (only punctuation or emoji) is an error rather than a match-everything.
    """
    parser = _Parser(_tokens(text))
    node = parser.conjunction()
    if parser.peek() is not None:  # only a ")" stops a top-level conjunction early
        raise QueryError(f"unbalanced ) in query {text!r}")
    if node is None:
        raise QueryError(f"no words to search for in {text!r}")
    return node


def positive_terms(node: Node) -> list[Term]:
    """The terms a hit can contain (those under a NOT are left out), for highlighting."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [term for operand in node.operands for term in positive_terms(operand)]


def highlight_terms(text: str | None) -> list[Term]:
    """The quote-field terms of a query to mark in results; none for an empty or unreadable query."""
    if not text or not text.strip():
        return []
    try:
        node = parse_query(text)
    except QueryError:
        return []
    return [term for term in positive_terms(node) if term.field == "quote"]


def _tokens(text: str) -> list[str]:
    """Phrases (with their closing quote), parentheses, `-` before a word, and bare runs; whitespace dropped."""
    tokens = []
    for match in _QUERY_TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            continue
        if token == '"':
            raise QueryError(f'unbalanced " in query {text!r}')
        while token.startswith("-") and len(token) > 1 and not token.startswith("--"):
            tokens.append("-")
            token = token[1:]
        field, colon, rest = token.partition(":")
        if colon and field.lower() in FIELDS:
            tokens.append(field.lower() + ":")
            token = rest
        if token:
            tokens.append(token)
    return tokens


class _Parser:
    """Recursive descent over the tokens: conjunction := disjunction+, disjunction := unary (OR unary)*."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def conjunction(self) -> Node | None:
        operands: list[Node] = []
        while self.peek() not in (None, ")"):
            if self.peek() == "AND":
                self.take()
                if not operands or self.peek() in (None, ")", "AND", "OR"):
                    raise QueryError("AND needs a word on both sides")
                continue
            operand = self.disjunction()
            if operand is not None:
                operands.append(operand)
        if not operands:
            return None
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def disjunction(self) -> Node | None:
        first = self.unary()
        operands = [] if first is None else [first]
        while self.peek() == "OR":
            self.take()
            operand = self.unary()
            if not operands or operand is None:
                raise QueryError("OR needs a word on both sides")
            operands.append(operand)
        if not operands:
            return None
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def unary(self, field: str = "quote") -> Node | None:
        token = self.peek()
        if token is None or token in (")", "AND"):
            return None
        if token == "OR":
            raise QueryError("OR needs a word on both sides")
        self.take()
        if token in ("-", "NOT"):
            operand = self.unary(field)
            if operand is None:
                raise QueryError(f"{token} needs a word after it")
            return Not(operand)
        if token.endswith(":") and token[:-1] in FIELDS:
            operand = self.unary(token[:-1])
            if operand is None:
                raise QueryError(f"{token} needs a word, phrase or group after it")
            return operand
        if token == "(":
            group = self.conjunction()
            if self.peek() != ")":
                raise QueryError("unbalanced ( in query")
            self.take()
            if group is None:
                raise QueryError("empty ( ) in query")
            return _in_field(group, field)
        if token == ")":
            raise QueryError("unbalanced ) in query")
        return _term(token, field)


def _term(token: str, field: str) -> Term | None:
    """A bare word or a "phrase", optionally ending in `*`; None when it holds no word (e.g. only punctuation)."""
    prefix = token.endswith("*")
    body = token.rstrip("*")
    if body.startswith('"'):
        body = body[1:-1]
    found = tuple(words(body))
    if not found:
        if prefix:
            raise QueryError(f"* must follow a word, not {token!r}")
        return None
    return Term(found, prefix=prefix, field=field)


def _in_field(node: Node, field: str) -> Node:
    """The group with every term moved to the field written before it (`article:( … )`)."""
    if field == "quote":
        return node
    if isinstance(node, Term):
        return Term(node.words, node.prefix, field)
    if isinstance(node, Not):
        return Not(_in_field(node.operand, field))
    operands = tuple(_in_field(operand, field) for operand in node.operands)
    return And(operands) if isinstance(node, And) else Or(operands)

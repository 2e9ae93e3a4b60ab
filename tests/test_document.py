"""Document.sentence_tokens: the one grouping of a document's tokens into sentences that every stage shares."""

from __future__ import annotations

import re

from wortlaut.document import Document, Token

TEXT = "Anna Berg sagte, sie komme morgen. Der Verein lehnte ab. Ben lachte."


def tokenized(text: str, skip_sentence: int | None = None) -> Document:
    """Words and punctuation as tokens, a new sentence after each full stop (ids jump past `skip_sentence`)."""
    doc = Document(text=text, id="d1")
    sent = 0
    for n, m in enumerate(re.finditer(r"\w+|[^\w\s]", text)):
        if sent == skip_sentence:
            sent += 1
        doc.tokens.append(Token(i=n, start=m.start(), end=m.end(), text=m.group(), sent=sent))
        sent += m.group() == "."
    return doc


def texts(sentences: list[list[Token]]) -> list[str]:
    return [" ".join(t.text for t in sent) for sent in sentences]


def test_tokens_are_grouped_by_their_sentence_id() -> None:
    doc = tokenized(TEXT)
    assert texts(doc.sentence_tokens()) == [
        "Anna Berg sagte , sie komme morgen .",
        "Der Verein lehnte ab .",
        "Ben lachte .",
    ]
    verein = next(t for t in doc.tokens if t.text == "Verein")
    assert doc.sentence_of(verein) is doc.sentence_tokens()[1]


def test_a_sentence_id_no_token_carries_is_an_empty_sentence_so_ids_still_index() -> None:
    doc = tokenized(TEXT, skip_sentence=1)
    assert texts(doc.sentence_tokens()) == [
        "Anna Berg sagte , sie komme morgen .",
        "",
        "Der Verein lehnte ab .",
        "Ben lachte .",
    ]
    ben = next(t for t in doc.tokens if t.text == "Ben")
    assert texts([doc.sentence_of(ben)]) == ["Ben lachte ."]


def test_the_grouping_is_kept_until_the_tokens_change() -> None:
    doc = tokenized(TEXT)
    first = doc.sentence_tokens()
    assert doc.sentence_tokens() is first
    doc.tokens = tokenized("Sie schwieg. Er ging.").tokens
    assert texts(doc.sentence_tokens()) == ["Sie schwieg .", "Er ging ."]
    doc.tokens.append(Token(i=6, start=0, end=1, text="Ja", sent=2))
    assert texts(doc.sentence_tokens()) == ["Sie schwieg .", "Er ging .", "Ja"]


def test_a_document_without_tokens_has_no_sentences() -> None:
    doc = Document(text="Noch nicht zerlegt.")
    assert doc.sentence_tokens() == []

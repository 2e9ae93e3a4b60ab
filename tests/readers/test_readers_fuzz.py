"""Any bytes under any reader's suffix give Documents or one-line IngestErrors, never an exception.

Each format gets random bytes and random splices of the pieces its parser looks for (tags, JSON, feed and
WARC headers), so the examples reach past the first check of each reader.
"""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wortlaut.document import Document
from wortlaut.readers import IngestError, read_sources

SENTENCE = "Die Ärztin sagte, die Lage sei „angespannt“."


def warc_bytes(payload: bytes, content_type: str) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record("https://example.org/", "response", payload=BytesIO(payload), http_headers=headers)
    )
    return out.getvalue()


PIECES: dict[str, list[bytes]] = {
    ".txt": [
        b"date 2024-01-02 ",
        b"Schlagzeile (Foto: dpa)",
        b"\n",
        b"\r\n",
        b"\xef\xbb\xbf",
        SENTENCE.encode(),
        b"\x00",
        b"\xff",
    ],
    ".html": [
        b"<html>",
        b"<head><title>",
        b"</title>",
        b"<body>",
        b"<div>" * 300,
        b"</div>",
        b"<p>",
        b"</p>",
        b"<script>",
        b"</script>",
        b"<!--",
        b"-->",
        b"<![CDATA[",
        b"&amp;",
        b"&#x110000;",
        b"<meta charset='latin1'>",
        SENTENCE.encode(),
        b"\xff",
    ],
    ".jsonl": [
        b"{",
        b"}",
        b"\n",
        b'"text": ',
        b'"id": ',
        b'"url": ',
        b'"title": ',
        b"[1, 2]",
        b"null",
        b"17",
        b"1e999",
        b",",
        json.dumps(SENTENCE).encode(),
        b'"\\ud800"',
        b"NaN",
        b'{"text": "x", "id": {"a": 1}}\n',
    ],
    ".rss": [
        b'<?xml version="1.0"?>',
        b"<rss><channel>",
        b"</channel></rss>",
        b"<item>",
        b"</item>",
        b"<title>",
        b"</title>",
        b"<description>",
        b"</description>",
        b"<link>",
        b"</link>",
        b"&lt;p&gt;",
        b"<![CDATA[<p>",
        b"]]>",
        b"<pubDate>Tue, 99 Foo 2025</pubDate>",
        SENTENCE.encode(),
        b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
        b"&a;",
    ],
    ".warc": [
        warc_bytes(f"<html><body><p>{SENTENCE}</p></body></html>".encode(), "text/html; charset=utf-8"),
        warc_bytes(b"<div>" * 400 + SENTENCE.encode(), "text/html; charset=nonsense"),
        warc_bytes(b"\xff\xfe\x00", "text/html"),
        b"WARC/1.0\r\n",
        b"Content-Length: 99999\r\n",
        b"WARC-Type: response\r\n",
        b"\r\n",
    ],
}
PIECES[".xml"] = PIECES[".rss"]
PIECES[".warc.gz"] = [gzip.compress(piece) for piece in PIECES[".warc"]] + [b"\x1f\x8b\x08\x00"]


def inputs(suffix: str) -> st.SearchStrategy[bytes]:
    spliced = st.lists(st.one_of(st.sampled_from(PIECES[suffix]), st.binary(max_size=12)), max_size=12).map(b"".join)
    return st.one_of(st.binary(max_size=200), spliced)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("suffix", list(PIECES))
def test_any_bytes_give_documents_or_errors(folder, suffix):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(inputs(suffix))
    def read_back(data: bytes) -> None:
        path = folder / f"eingabe{suffix}"
        path.write_bytes(data)
        items = list(read_sources([str(path)]))
        for item in items:
            assert isinstance(item, (Document, IngestError)), item
            if isinstance(item, IngestError):
                assert str(path) in str(item) and "\n" not in str(item)
            else:
                assert item.text.strip()

    read_back()

"""Feeds and WARC archives, written here with real RSS/Atom XML and warcio's own writer."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wortlaut import settings
from wortlaut.document import Document
from wortlaut.readers import IngestError, feeds, read_sources, warc

PARAGRAPH = (
    "Der Bürgermeister sagte am Montag, die Stadt werde die Brücke bis zum Herbst sanieren. "
    "„Wir haben lange genug gewartet“, erklärte er vor Journalisten im Rathaus der Stadt. "
)
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Stadtanzeiger</title>
<item><title>Brücke wird saniert</title><link>https://example.org/bruecke</link>
<guid>https://example.org/bruecke</guid><pubDate>Tue, 04 Mar 2025 10:00:00 +0100</pubDate>
<author>Eva Muster</author>
<content:encoded><![CDATA[<p>{PARAGRAPH}</p><p>Zweiter <b>Absatz</b> mit &amp; Zeichen.</p>]]></content:encoded></item>
<item><title>Leerer Eintrag</title><link>https://example.org/leer</link></item>
<item><title>Nur Zusammenfassung</title><link>https://example.org/kurz</link>
<description>Die Ministerin sagte, sie sei zufrieden.</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom-Blatt</title>
<entry><title>Atom-Artikel</title><link href="https://example.org/atom1"/><id>urn:1</id>
<updated>2024-12-01T08:00:00Z</updated><content type="html">&lt;p&gt;{PARAGRAPH}&lt;/p&gt;</content></entry>
</feed>"""


def html_page(title: str) -> bytes:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    return (
        f"<html><head><title>{title}</title><meta name='author' content='Max Beispiel'></head>"
        f"<body><nav>Startseite | Politik</nav><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], gzip: bool) -> None:
    """records: (url, status line, payload, content type) as HTTP responses, plus one request record."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, status, payload, ctype in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(payload), http_headers=headers)
            )
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=request))


def split(items):
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, IngestError)]
    return docs, errors


def test_rss_entries_become_documents_and_bad_entries_errors(tmp_path):
    feed = tmp_path / "stadt.rss"
    feed.write_text(RSS, encoding="utf-8")
    docs, errors = split(list(read_sources([str(feed)])))
    assert [d.title for d in docs] == ["Brücke wird saniert", "Nur Zusammenfassung"]
    first = docs[0]
    assert first.text.startswith("Brücke wird saniert\n\nDer Bürgermeister sagte")
    assert "\n\nZweiter Absatz mit & Zeichen." in first.text
    assert (first.date, first.url, first.source, first.author) == (
        "2025-03-04",
        "https://example.org/bruecke",
        "Stadtanzeiger",
        "Eva Muster",
    )
    [error] = errors
    assert "entry 2 (Leerer Eintrag)" in str(error) and "no text" in str(error)


def test_atom_feed(tmp_path):
    feed = tmp_path / "blatt.atom"
    feed.write_text(ATOM, encoding="utf-8")
    [doc] = list(feeds.read_feed(feed))
    assert doc.date == "2024-12-01" and doc.source == "Atom-Blatt" and "Bürgermeister" in doc.text


def test_file_that_is_not_a_feed_is_one_error(tmp_path):
    feed = tmp_path / "kaputt.xml"
    feed.write_text("<html><body>kein Feed", encoding="utf-8")
    [error] = list(feeds.read_feed(feed))
    assert isinstance(error, IngestError) and "not an RSS/Atom feed" in error.message


@pytest.mark.parametrize("name, gzip", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses_become_documents(tmp_path, name, gzip):
    path = tmp_path / name
    write_warc(
        path,
        [
            ("https://example.org/a", "200 OK", html_page("Brücke wird saniert"), "text/html; charset=utf-8"),
            ("https://example.org/logo.png", "200 OK", b"\x89PNG....", "image/png"),
            ("https://example.org/alt", "301 Moved", b"", "text/html"),
            (
                "https://example.org/b",
                "200 OK",
                html_page("Zweite Seite").decode().encode("cp1252"),
                "text/html; charset=windows-1252",
            ),
        ],
        gzip=gzip,
    )
    docs, errors = split(list(read_sources([str(path)])))
    assert errors == []
    assert [d.url for d in docs] == ["https://example.org/a", "https://example.org/b"]
    assert docs[0].title == "Brücke wird saniert" and "Bürgermeister" in docs[0].text
    assert "Startseite" not in docs[0].text  # boilerplate left out by trafilatura
    assert "Bürgermeister" in docs[1].text  # decoded with the charset the header names


def test_page_without_text_and_oversized_page_are_reported(tmp_path, monkeypatch):
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path,
        [
            ("https://example.org/leer", "200 OK", b"<html><body></body></html>", "text/html"),
            ("https://example.org/riesig", "200 OK", html_page("Riesig"), "text/html"),
            ("https://example.org/gut", "200 OK", html_page("Gut"), "text/html"),
        ],
        gzip=True,
    )
    monkeypatch.setattr(settings, "MAX_HTML_BYTES", len(html_page("Riesig")) - 1)
    docs, errors = split(list(warc.read_warc(path)))
    assert [d.url for d in docs] == ["https://example.org/gut"]  # shorter title: just under the limit
    messages = [str(e) for e in errors]
    assert any("leer" in m and "no article text" in m for m in messages)
    assert any("riesig" in m and "larger than" in m for m in messages)


def test_truncated_warc_keeps_pages_before_the_damage(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(
        path,
        [
            ("https://example.org/a", "200 OK", html_page("Erste"), "text/html"),
            ("https://example.org/b", "200 OK", html_page("Zweite"), "text/html"),
        ],
        gzip=True,
    )
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    docs, errors = split(list(warc.read_warc(path)))
    assert [d.url for d in docs] == ["https://example.org/a"]
    [error] = errors
    assert str(path) in str(error)

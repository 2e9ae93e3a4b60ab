"""The page cache (wortlaut/web/cache.py): pages for visitors who are not signed in are kept until the store
changes, whichever process changes it; signed-in reviewers always get pages rendered for their session; the
cache stays within its bounds.

Run as a script (`python test_page_cache.py URL ID WORDS`), this file stores one article into a store: the
write from another process that the first test needs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.store import open_store
from wortlaut.web.app import create_app
from wortlaut.web.cache import Cached, PageCache

PASSWORD = "lange-genug-1"


def article(article_id: str, words: str) -> Document:
    """An analysed article whose one quotation (by Jana Wolf) says `words`."""
    text = f"„{words}“, sagte Bürgermeisterin Jana Wolf am Montag."
    quote_end = len(words) + 1
    speaker = text.index("Bürgermeisterin Jana Wolf")
    cue = text.index("sagte")
    return Document(
        text=text,
        id=article_id,
        title=f"Wolf zu {article_id}",
        date="2025-05-05",
        source="Stadtbote",
        quotations=[
            Quotation(
                "q1",
                "Direct",
                "Speech",
                quote=[Span(1, quote_end, words)],
                cue=[Span(cue, cue + 5, "sagte")],
                speaker=[Span(speaker, speaker + 25, "Bürgermeisterin Jana Wolf")],
                speaker_entity=Entity("person:jana-wolf", "Jana Wolf", "person", [], ["Wolf"]),
            )
        ],
    )


def store_in_another_process(url: str, article_id: str, words: str) -> None:
    """Store the article from a new Python process, as an `ingest` beside the server would."""
    command = [sys.executable, __file__, url, article_id, words]
    subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def test_a_write_by_another_process_shows_on_the_next_request(store_url: str) -> None:
    with open_store(store_url) as store:
        store.add_documents([article("rathaus-1", "Die Brücke wird im Sommer saniert")])
        client = TestClient(create_app(store, secret="test-secret"))
        searched = {"q": "Windräder"}
        for _ in range(2):  # the second answer comes from the cache
            assert "Die Brücke wird im Sommer saniert" in client.get("/speakers/person%3Ajana-wolf").text
            assert client.get("/api/quotations", params=searched).json()["total"] == 0
            assert client.get("/api/articles/rathaus-2").status_code == 404
        assert client.app.state.page_cache.kept, "the anonymous pages were not kept"

        store_in_another_process(store_url, "rathaus-2", "Die Windräder kommen an den Stadtrand")

        assert client.get("/api/quotations", params=searched).json()["total"] == 1
        assert client.get("/api/articles/rathaus-2").status_code == 200
        speaker_page = client.get("/speakers/person%3Ajana-wolf").text
        assert "Die Windräder kommen an den Stadtrand" in speaker_page
        assert "Wolf zu rathaus-2" in client.get("/search", params=searched).text


def csrf_of(html: str) -> str | None:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    return found.group(1) if found else None


def signed_in(client: TestClient, name: str) -> TestClient:
    token = csrf_of(client.get("/anmelden").text)
    response = client.post(
        "/anmelden", data={"name": name, "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


def test_signed_in_reviewers_never_get_a_kept_page(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store.sqlite")) as store:
        store.add_documents([article("rathaus-1", "Die Brücke wird im Sommer saniert")])
        for name in ("anna", "bert"):
            store.add_user(name, "reviewer", PASSWORD)
        app = create_app(store, secret="test-secret")
        visitor = TestClient(app)
        first = visitor.get("/articles/rathaus-1").text
        assert csrf_of(first) is None and visitor.get("/articles/rathaus-1").text == first

        anna, bert = signed_in(TestClient(app), "anna"), signed_in(TestClient(app), "bert")
        anna_token = csrf_of(anna.get("/articles/rathaus-1").text)
        bert_token = csrf_of(bert.get("/articles/rathaus-1").text)
        assert anna_token and bert_token and anna_token != bert_token
        assert csrf_of(anna.get("/articles/rathaus-1").text) == anna_token
        assert csrf_of(visitor.get("/articles/rathaus-1").text) is None


def kept(body: bytes) -> Cached:
    return Cached({"type": "http.response.start", "status": 200, "headers": []}, body)


def key(n: int) -> tuple[str, bytes, str, str]:
    return (f"/articles/{n}", b"", "", "2025-05-05")


def test_the_cache_is_bounded_in_entries_and_bytes_and_emptied_by_a_write() -> None:
    cache = PageCache(entries=3, size=100, largest=60)
    cache.get(key(0), generation=1)
    for n in range(5):
        cache.put(key(n), 1, kept(b"x" * 10))
    assert list(cache.kept) == [key(2), key(3), key(4)]
    assert cache.get(key(2), generation=1) is not None  # now the most recently used
    cache.put(key(5), 1, kept(b"x" * 10))
    assert list(cache.kept) == [key(4), key(2), key(5)]

    cache.put(key(6), 1, kept(b"x" * 61))  # larger than any page it keeps
    cache.put(key(7), 1, kept(b"x" * 50))
    cache.put(key(8), 1, kept(b"x" * 45))
    assert key(6) not in cache.kept and list(cache.kept) == [key(7), key(8)] and cache.bytes == 95

    cache.put(key(9), 0, kept(b"x"))  # made from an older generation than the cache's
    assert key(9) not in cache.kept
    assert cache.get(key(8), generation=2) is None and not cache.kept and cache.bytes == 0


if __name__ == "__main__":
    with open_store(sys.argv[1]) as target:
        target.add_documents([article(sys.argv[2], sys.argv[3])])

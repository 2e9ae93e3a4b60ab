"""Speed and memory on very long articles (10 KB … 10 MB), the way `wortlaut ingest` analyses them.

Analysis must stay linear in an article's length: a 10 MB article should cost about a thousand times a
10 KB one, and memory must not grow with it. The articles are built here from German news-like sentences
with every kind of quotation the extractors know, so the figure needs no data set. Each size runs in a
fresh interpreter, so its peak memory is its own and not the largest size's so far.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time

from .. import api
from ..document import Document
from .common import BenchConfig, Figures, peak_rss_mb

SIZES = {"10kb": 10_000, "100kb": 100_000, "1mb": 1_000_000, "10mb": 10_000_000}
SEED = 16

SPEAKERS = (
    "Bürgermeisterin Anna Keller",
    "der Innenminister Jörg Brandt",
    "Gewerkschaftschef Markus Vogel",
    "die Sprecherin der Polizei, Sabine Roth,",
    "Professor Thomas Albrecht",
    "die Grünen-Politikerin Lena Hartmann",
    "der Vorstandsvorsitzende Peter Lindner",
    "eine Sprecherin des Ministeriums",
    "Trainer Stefan Kuhn",
    "die Ärztin Miriam Scholz",
)
SUBJECTS = ("Keller", "Brandt", "Vogel", "Roth", "Albrecht", "Hartmann", "Lindner", "Kuhn", "Scholz", "Er", "Sie")
CUES = ("sagte", "erklärte", "betonte", "kritisierte", "warnte", "räumte ein", "versicherte", "teilte mit")
PLACES = ("Hamburg", "Leipzig", "Köln", "Freiburg", "Kassel", "Rostock", "Augsburg", "Bielefeld", "Mainz", "Erfurt")
THINGS = (
    "der Ausbau der Radwege",
    "die neue Schwimmhalle",
    "das Sparpaket",
    "die Reform der Grundsteuer",
    "der Streik im Nahverkehr",
    "die Sanierung der Brücke",
    "das Hochwasser",
    "die Impfkampagne",
    "der Neubau des Rathauses",
    "die Schließung der Klinik",
)
DIRECT = (
    "Wir werden das nicht einfach hinnehmen",
    "Das ist ein guter Tag für unsere Stadt",
    "Ich habe davon erst aus der Zeitung erfahren",
    "Die Lage ist ernst, aber beherrschbar",
    "Wir brauchen jetzt schnelle Entscheidungen",
    "So kann es nicht weitergehen",
)
INDIRECT = (
    "die Kosten seien deutlich höher als geplant",
    "man habe die Bürger zu spät informiert",
    "die Arbeiten könnten im Herbst beginnen",
    "es gebe keinen Grund zur Sorge",
    "die Stadt müsse mehr Geld bereitstellen",
    "das Projekt werde sich um ein Jahr verzögern",
)
CONTINUATION = (
    "Man werde die Lage genau prüfen.",
    "Die Entscheidung sei längst gefallen.",
    "Zudem fehle es an Personal.",
    "Die Verwaltung habe alle Fristen eingehalten.",
)
NARRATION = (
    "In {place} ist {thing} seit Wochen umstritten.",
    "Am Montag trafen sich die Beteiligten im Rathaus von {place}.",
    "Nach Angaben der Verwaltung kostet {thing} rund {n} Millionen Euro.",
    "Die Sitzung dauerte mehr als {n} Stunden.",
    "Rund {n} Menschen demonstrierten am Wochenende in {place}.",
    "Eine Entscheidung wird für den {n}. Mai erwartet.",
)


def quotation_sentence(rng: random.Random) -> str:
    """One sentence with a quotation: direct, indirect, colon-introduced, 'laut', continuation or reported."""
    speaker, cue, subject = rng.choice(SPEAKERS), rng.choice(CUES), rng.choice(SUBJECTS)
    direct, indirect, thing = rng.choice(DIRECT), rng.choice(INDIRECT), rng.choice(THINGS)
    verb, particle = [*cue.split(), ""][:2]
    templates = (
        f"„{direct}“, {verb} {speaker} {particle}.",
        f"{subject} {verb} {particle}, {indirect}.",
        f"{speaker[0].upper()}{speaker[1:]} {verb} {particle}: „{direct}.“",
        f"Laut {subject if subject not in ('Er', 'Sie') else 'Keller'} wird {thing} teurer als erwartet.",
        rng.choice(CONTINUATION),
        f"{subject} kritisierte {thing} scharf.",
        f"„{direct}“, {verb} {subject} {particle}, „und das sage ich ganz deutlich.“",
    )
    return re.sub(r" +([,.:])", r"\1", " ".join(rng.choice(templates).split()))


def narration_sentence(rng: random.Random) -> str:
    return rng.choice(NARRATION).format(place=rng.choice(PLACES), thing=rng.choice(THINGS), n=rng.randint(2, 90))


def paragraph(rng: random.Random) -> str:
    """Three to six sentences, about half of them quoting someone."""
    sentences = [
        quotation_sentence(rng) if rng.random() < 0.5 else narration_sentence(rng) for _ in range(rng.randint(3, 6))
    ]
    sentences[0] = sentences[0][0].upper() + sentences[0][1:]
    return " ".join(sentences)


def long_article(chars: int, seed: int = SEED) -> str:
    """A German news-like article of about `chars` characters: paragraphs separated by blank lines."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    length = 0
    while length < chars:
        paragraphs.append(paragraph(rng))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def measure(chars: int, extractor: str | None = None) -> dict[str, float]:
    """Seconds to analyse one article of `chars` characters, and this process's memory before and at peak."""
    api.analyze_article(Document(text=long_article(2_000, seed=SEED + 1), id="warm-up"), extractor=extractor)
    text = long_article(chars)
    base_mb = peak_rss_mb()
    start = time.perf_counter()
    doc = api.analyze_article(Document(text=text, id="long"), extractor=extractor)
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    return {
        "chars": len(text),
        "seconds": seconds,
        "quotations": len(doc.quotations),
        "base_mb": base_mb,
        "peak_mb": peak_mb,
    }


def measure_in_child(chars: int, extractor: str | None = None) -> dict[str, float]:
    """measure() in a fresh interpreter: peak resident memory only ever grows within one process."""
    probe = f"import json; from wortlaut.bench.long import measure; print(json.dumps(measure({chars}, {extractor!r})))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return figures


def long_articles(extractor: str | None = None, sizes: dict[str, int] = SIZES) -> dict[str, float]:
    """Per size: seconds per MB of text, peak memory, and how much of it the article itself added."""
    figures: dict[str, float] = {}
    for label, chars in sizes.items():
        run = measure_in_child(chars, extractor)
        figures[f"{label}_s_per_mb"] = run["seconds"] / (run["chars"] / 1e6)
        figures[f"{label}_peak_mb"] = run["peak_mb"]
        figures[f"{label}_growth_mb"] = run["peak_mb"] - run["base_mb"]
        figures[f"{label}_quotations"] = run["quotations"]
    return figures


def long_section(config: BenchConfig) -> Figures:
    """`wortlaut bench --only long`; `--limit N` keeps the first N sizes (the 10 MB article takes minutes)."""
    sizes = dict(list(SIZES.items())[: config.limit]) if config.limit else SIZES
    return long_articles(config.extractor, sizes)

"""Train the learned extractor (wortlaut/extract/model.py) on the annotated corpus, on CPU, in minutes.

Gold character spans are mapped onto wortlaut's own tokens (wortlaut.nlp.tokenize on the gold text), so
training and inference see identical tokenisation. Tokenising is the slow part (~1 min for the corpus), so
tokenised documents are cached by the data file's content hash. Hyper-parameters are tuned on dev only;
the models are trained on train only.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite

from .. import nlp, settings
from ..document import Document, Quotation, Token
from ..extract.calibration import Calibration
from ..extract.features import (
    CueLexicon,
    medium_features,
    quote_features,
    quote_labels,
    role_features,
    role_window,
    token_base,
    view,
)
from ..extract.lexicon import CUE_LEMMAS
from ..extract.model import (
    ARTIFACT_FILES,
    INHERITING_TYPES,
    MEDIUM_FILE,
    META_FILE,
    MODEL_DIR,
    QUOTES_FILE,
    ROLE_LETTERS,
    ROLES_FILE,
    SCORER_FILE,
    QuotationModel,
    finished,
)
from ..extract.scorer import QuotationScorer, is_real
from .evaluate import Report, evaluate, quotation_right, token_sets
from .gold import read_gold
from .tagger_lexicon import write_lexicon

#: (c1, c2) grids searched by `tune`; the defaults are the values tuning on dev picked.
QUOTE_GRID = ((0.5, 0.05), (2.0, 0.05), (5.0, 0.05), (2.0, 0.5))
ROLE_GRID = ((0.05, 0.01), (0.5, 0.05), (2.0, 0.05))
#: One CRF training sequence: the feature strings of each item and its label.
Labelled = tuple[list[list[str]], list[str]]
#: One tuning trial as recorded: the stage, its c1 and c2 and the dev F1 it reached.
Trial = dict[str, str | float]


@dataclass
class TrainConfig:
    """Everything that determines a trained model; the same config and data give the same artifact."""

    seed: int = 13
    quote_c: tuple[float, float] = (2.0, 0.05)
    role_c: tuple[float, float] = (0.5, 0.05)
    medium_c: tuple[float, float] = (0.1, 0.01)
    iterations: int = 150
    scorer_folds: int = 3
    calibration_folds: int = 5
    scorer_threshold: float = 0.3
    min_cue_count: int = 2
    limit: int | None = None
    dev_limit: int | None = None


@dataclass
class TrainResult:
    config: TrainConfig
    seconds: float
    dev: Report | None = None
    tuning: list[Trial] = field(default_factory=list)


def _file_hash(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]


def load_corpus(
    path: str | Path, cache_dir: Path | None = settings.CACHE_DIR, limit: int | None = None
) -> list[Document]:
    """Gold documents re-tokenised with wortlaut.nlp, gold quotations kept.

    The tokens are cached (gzip'd JSON) under the hashes of the data file and of the nlp package, so a
    changed tokeniser never meets stale tokens.
    """
    path = Path(path)
    nlp_files = sorted(Path(nlp.__file__).parent.glob("*.py"))
    nlp_hash = hashlib.sha1(b"".join(file.read_bytes() for file in nlp_files)).hexdigest()[:8]
    key = f"{path.stem}-{_file_hash(path)}-{nlp_hash}-{limit}"
    cache = cache_dir / f"{key}.json.gz" if cache_dir else None
    docs = [
        Document(text=gold.text, id=gold.id, title=gold.title, date=gold.date, quotations=gold.quotations)
        for gold in read_gold(path, limit=limit)
    ]
    cached = _read_token_cache(cache) if cache and cache.is_file() else None
    if cached is not None:
        return [_with_cached_tokens(doc, tokens) for doc, tokens in zip(docs, cached, strict=True)]
    docs = [nlp.tokenize(doc) for doc in docs]
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_bytes(gzip.compress(json.dumps([_token_cache_entry(doc) for doc in docs]).encode(), mtime=0))
        tmp.replace(cache)
    return docs


def _token_cache_entry(doc: Document) -> dict[str, Any]:
    """A token's text and number follow from its offsets and place, so only the analysis is kept."""
    tokens = [[t.start, t.end, t.sent, t.pos, t.lemma, t.mood, t.space_after] for t in doc.tokens]
    return {"tokens": tokens, "sentences": doc.sentences}


def _read_token_cache(cache: Path) -> list[dict[str, Any]] | None:
    """The cached entries, or None for an unreadable cache, which is then rebuilt."""
    try:
        entries: list[dict[str, Any]] = json.loads(gzip.decompress(cache.read_bytes()))
        return entries
    except (OSError, EOFError, ValueError):
        return None


def _with_cached_tokens(doc: Document, entry: dict[str, Any]) -> Document:
    doc.tokens = [
        Token(i, start, end, doc.text[start:end], sent, pos, lemma, mood, space_after)
        for i, (start, end, sent, pos, lemma, mood, space_after) in enumerate(entry["tokens"])
    ]
    doc.sentences = [tuple(sentence) for sentence in entry["sentences"]]
    return doc


def role_label(i: int, parts: dict[str, set[int]]) -> str:
    return "".join(letter for letter, part in ROLE_LETTERS.items() if i in parts[part]) or "O"


def learn_lexicon(docs: list[Document], min_count: int) -> CueLexicon:
    """Cue and speaker strengths and cue media from the gold parts of the training documents."""
    cues: list[tuple[str, str]] = []
    speakers: Counter[str] = Counter()
    lemmas: Counter[str] = Counter()
    empty = CueLexicon()
    for doc in docs:
        v = view(doc, empty)
        lemmas.update(v.lemmas)
        for q in doc.quotations:
            if q.nested_in:
                continue
            cues += [(v.lemmas[i], q.medium) for i in doc.token_ids(q.cue) if doc.tokens[i].pos[:1] in "VNA"]
            speakers.update(v.lemmas[i] for i in doc.token_ids(q.speaker) if doc.tokens[i].pos in ("NN", "NE", "PPER"))
    lexicon = CueLexicon.learn(cues, speakers, lemmas, min_count)
    for lemma in CUE_LEMMAS:
        lexicon.medium.setdefault(lemma, CUE_LEMMAS[lemma])
    return lexicon


def quote_sequences(pairs: list[tuple[Document, CueLexicon]]) -> Iterator[Labelled]:
    for doc, lexicon in pairs:
        if doc.tokens:
            v = view(doc, lexicon)
            yield quote_features(doc, v, token_base(doc, v)), quote_labels(doc, doc.quotations)


def role_sequences(pairs: list[tuple[Document, CueLexicon]]) -> Iterator[Labelled]:
    """One window per top-level gold quotation whose parts are tagged (not inherited)."""
    for doc, lexicon in pairs:
        v = view(doc, lexicon)
        base = token_base(doc, v)
        for q in doc.quotations:
            ids = doc.token_ids(q.quote)
            if q.nested_in or q.type in INHERITING_TYPES or not ids:
                continue
            window = role_window(doc, v, ids)
            parts = {part: set(doc.token_ids(q.part(part))) for part in ROLE_LETTERS.values()}
            yield role_features(doc, v, base, window, set(ids), q.type), [role_label(i, parts) for i in window]


def medium_sequences(pairs: list[tuple[Document, CueLexicon]]) -> Iterator[Labelled]:
    """One single-item sequence per gold quotation: a CRF over one item is a maximum-entropy classifier."""
    for doc, lexicon in pairs:
        v = view(doc, lexicon)
        for q in doc.quotations:
            if not q.nested_in:
                parts = {part: doc.token_ids(q.part(part)) for part in ("quote", *ROLE_LETTERS.values())}
                yield [medium_features(doc, v, q.type, parts)], [q.medium]


def train_crf(sequences: Iterator[Labelled], c: tuple[float, float], iterations: int, path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c[0], "c2": c[1], "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(path))


def write_meta(directory: Path, lexicon: CueLexicon, config: TrainConfig) -> None:
    meta = {
        "lexicon": lexicon.to_json(),
        "config": {k: v for k, v in vars(config).items()},
    }
    (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def fit_taggers(train_docs: list[Document], config: TrainConfig, directory: Path) -> None:
    """Train the three taggers into `directory` (quotes, roles and medium taggers, model.json)."""
    docs = list(train_docs)
    random.Random(config.seed).shuffle(docs)
    lexicon = learn_lexicon(docs, config.min_cue_count)
    pairs = [(doc, lexicon) for doc in docs]
    directory.mkdir(parents=True, exist_ok=True)
    train_crf(quote_sequences(pairs), config.quote_c, config.iterations, directory / QUOTES_FILE)
    train_crf(role_sequences(pairs), config.role_c, config.iterations, directory / ROLES_FILE)
    train_crf(medium_sequences(pairs), config.medium_c, config.iterations, directory / MEDIUM_FILE)
    write_meta(directory, lexicon, config)


@dataclass
class HeldOut:
    """One training document with the candidates of taggers that never saw it."""

    doc: Document
    fold: int
    candidates: list[Quotation]
    rows: list[list[float]]
    speaker: list[float]


def tagger_key(directory: Path, train_docs: list[Document]) -> str:
    """What fixes the fold taggers of a trained model: its taggers and lexicon (which follow from code, data
    and tagger settings), the seed that splits the folds and the training documents, so a fold cache is never
    reused for another model."""
    digest = hashlib.sha1()
    for name in (QUOTES_FILE, ROLES_FILE, MEDIUM_FILE):
        digest.update((directory / name).read_bytes())
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    digest.update(json.dumps([meta["lexicon"], meta["config"]["seed"]], sort_keys=True).encode())
    for doc in train_docs:
        digest.update(doc.text.encode())
    return digest.hexdigest()[:16]


def fold_taggers(
    train_docs: list[Document], config: TrainConfig, folds: int, folds_dir: Path
) -> Iterator[tuple[set[int], Path]]:
    """Per fold, the held-out document numbers and the directory of taggers trained on the other folds.

    Taggers already in `folds_dir` are reused, so the calibration can be refitted without retraining a CRF.
    """
    order = list(range(len(train_docs)))
    random.Random(config.seed).shuffle(order)
    for k in range(folds):
        held = set(order[k::folds])
        directory = folds_dir / f"fold{k}of{folds}"
        if not (directory / META_FILE).is_file():
            staging = Path(tempfile.mkdtemp(prefix=f"fold{k}-", dir=folds_dir))
            fit_taggers([d for n, d in enumerate(train_docs) if n not in held], config, staging)
            try:
                staging.replace(directory)
            except OSError:  # a training running at the same time put the same taggers there first
                shutil.rmtree(staging, ignore_errors=True)
        yield held, directory


def held_out_candidates(train_docs: list[Document], config: TrainConfig, folds: int, folds_dir: Path) -> list[HeldOut]:
    """Scorer and calibration training data: candidates of taggers that never saw their document (k-fold).

    Candidates of taggers trained on the same documents would look far better than those the scorer meets
    at run time, so each fold is tagged by taggers trained on the other folds (kept in `folds_dir`).
    """
    held_out: list[HeldOut] = []
    for k, (held, directory) in enumerate(fold_taggers(train_docs, config, folds, folds_dir)):
        model = QuotationModel.load(directory, with_scorer=False)
        for n in sorted(held):
            doc = train_docs[n]
            fresh = Document(text=doc.text, tokens=doc.tokens, sentences=doc.sentences)
            held_out.append(HeldOut(doc, k, *model.candidates(fresh)))
    return held_out


def fit_scorer(held_out: list[HeldOut], config: TrainConfig) -> QuotationScorer:
    rows = [row for h in held_out for row in h.rows]
    labels = [is_real(h.doc, q, h.doc.quotations) for h in held_out for q in h.candidates]
    return QuotationScorer.fit(rows, labels, config.scorer_threshold, config.seed)


def calibration_data(held_out: list[HeldOut], config: TrainConfig) -> tuple[list[list[float]], list[bool]]:
    """Calibration features and "quotation and speaker right" labels of the quotations users would get.

    Each held-out document goes through the whole run-time pipeline after its taggers (scorer, nested
    quotations, post-processing; model.finished), with scorer probabilities from scorers fitted on the other
    folds' candidates (cross-fitting): the final scorer has seen every training document and is
    over-confident on them. The quotations are paired with gold the way `wortlaut eval` pairs them.
    """
    features: list[list[float]] = []
    right: list[bool] = []
    for k in sorted({h.fold for h in held_out}):
        scorer = fit_scorer([h for h in held_out if h.fold != k], config)
        for h in (h for h in held_out if h.fold == k):
            candidates = copy.deepcopy(h.candidates)
            real = scorer.probability(h.rows)
            quotations, inputs = finished(h.doc, candidates, h.rows, real, h.speaker, scorer.threshold)
            features += inputs
            right += quotation_right(token_sets(h.doc), h.doc.quotations, quotations)
    return features, right


def add_calibration(directory: Path, calibration: Calibration, folds: int) -> None:
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta["calibration"] = calibration.to_json()
    meta["config"]["calibration_folds"] = folds
    (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


@contextmanager
def folds_directory(directory: Path, train_docs: list[Document], cache_dir: Path | None) -> Iterator[Path]:
    """Where the fold taggers of the model in `directory` live: kept under the cache directory, so that
    `train --calibration-only` finds them again, or in a temporary directory without a cache."""
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="wortlaut-folds-") as tmp:
            yield Path(tmp)
        return
    folds = cache_dir / "folds" / tagger_key(directory, train_docs)
    folds.mkdir(parents=True, exist_ok=True)
    yield folds


def fit(train_docs: list[Document], config: TrainConfig, directory: Path, cache_dir: Path | None) -> None:
    """Train every stage into `directory`: the taggers, then the candidate scorer on held-out candidates, then
    the confidence calibration on held-out candidates of `calibration_folds` folds: five folds' taggers see
    four fifths of train instead of the scorer's two thirds, which ranked better out of fold (MODEL_CARD.md,
    "Confidence")."""
    fit_taggers(train_docs, config, directory)
    with folds_directory(directory, train_docs, cache_dir) as folds:
        held_out = held_out_candidates(train_docs, config, config.scorer_folds, folds)
        calibration_held_out = (
            held_out
            if config.calibration_folds == config.scorer_folds
            else held_out_candidates(train_docs, config, config.calibration_folds, folds)
        )
    fit_scorer(held_out, config).save(directory / SCORER_FILE)
    calibration = Calibration.fit(*calibration_data(calibration_held_out, config))
    add_calibration(directory, calibration, config.calibration_folds)


def trained_config(directory: Path) -> TrainConfig:
    """The configuration a model directory was trained with, as its model.json records it."""
    recorded: dict[str, Any] = json.loads((directory / META_FILE).read_text(encoding="utf-8"))["config"]
    config = TrainConfig()
    for name, value in recorded.items():
        setattr(config, name, tuple(value) if isinstance(value, list) else value)
    return config


def refit_calibration(
    train_path: str | Path,
    directory: Path,
    cache_dir: Path | None = settings.CACHE_DIR,
    extra: Sequence[Path] = (),
    log: Callable[[str], None] = print,
) -> None:
    """Fit only the confidence calibration of the trained model in `directory` anew, with the current
    run-time pipeline (e.g. after the post-processing changed); taggers and scorer stay byte for byte.

    The fold taggers come from the cache `wortlaut train` filled for this model, or are trained once when
    it is missing (the model's own taggers are never retrained). The training data must be the model's own:
    the same train file and --extra files, which model.json names.
    """
    directory = Path(directory)
    config = trained_config(directory)
    train_docs = load_corpus(train_path, cache_dir, config.limit)
    recorded = json.loads((directory / META_FILE).read_text(encoding="utf-8")).get("extra_training", [])
    given = [{"file": path.name, "sha1": _file_hash(path)} for path in extra]
    if [{"file": r["file"], "sha1": r["sha1"]} for r in recorded] != given:
        names = ", ".join(r["file"] for r in recorded) or "none"
        raise ValueError(f"{directory / META_FILE}: the model was trained with --extra {names}; pass the same files")
    for path in extra:
        train_docs += load_corpus(path, cache_dir)
    started = time.perf_counter()
    with folds_directory(directory, train_docs, cache_dir) as folds:
        held_out = held_out_candidates(train_docs, config, config.calibration_folds, folds)
    log(f"held-out candidates of {len(held_out)} training documents ready ({time.perf_counter() - started:.0f}s)")
    add_calibration(directory, Calibration.fit(*calibration_data(held_out, config)), config.calibration_folds)


def predict(model: QuotationModel, docs: list[Document]) -> list[Document]:
    """Copies of the documents (our tokens, gold hidden) with the model's quotations."""
    out = []
    for doc in docs:
        fresh = Document(text=doc.text, id=doc.id, tokens=doc.tokens, sentences=doc.sentences)
        out.append(model(fresh))
    return out


def score(directory: Path, dev_docs: list[Document], gold_dev: list[Document], with_scorer: bool = True) -> Report:
    return evaluate(gold_dev, predict(QuotationModel.load(directory, with_scorer), dev_docs))


def tune(
    train_docs: list[Document],
    dev_docs: list[Document],
    gold_dev: list[Document],
    config: TrainConfig,
    log: Callable[[str], None] = print,
) -> tuple[TrainConfig, list[Trial]]:
    """Pick c1/c2 for each tagger on dev (quote F1, then joint F1), scoring the taggers without the scorer."""
    trials: list[Trial] = []
    with tempfile.TemporaryDirectory() as tmp:
        best = config
        for stage, grid, measure in (("quote_c", QUOTE_GRID, "quote"), ("role_c", ROLE_GRID, "joint")):
            scored = []
            for c in grid:
                trial = TrainConfig(**{**vars(best), stage: c})
                fit_taggers(train_docs, trial, Path(tmp))
                f1 = score(Path(tmp), dev_docs, gold_dev, with_scorer=False).parts[measure].f1
                trials.append({"stage": stage, "c1": c[0], "c2": c[1], measure + "_f1": round(f1, 4)})
                log(f"{stage} c1={c[0]} c2={c[1]}: dev {measure} F1 {f1:.4f}")
                scored.append((f1, c))
            best = TrainConfig(**{**vars(best), stage: max(scored, key=lambda x: x[0])[1]})
    return best, trials


def record_extra(directory: Path, extra: list[tuple[str, str, int]]) -> None:
    """Name the extra training files in the model's metadata, so the model card can say what was added."""
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    meta["extra_training"] = [{"file": name, "sha1": sha, "documents": n} for name, sha, n in extra]
    (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def train(
    train_path: str | Path,
    dev_path: str | Path | None,
    output: Path = MODEL_DIR,
    config: TrainConfig | None = None,
    cache_dir: Path | None = settings.CACHE_DIR,
    search: bool = False,
    log: Callable[[str], None] = print,
    extra: Sequence[Path] = (),
) -> TrainResult:
    """Train on train_path (plus `extra` files in the same format, e.g. reviewed articles from `wortlaut
    corrections export`), optionally tune on dev_path, write the artifact to `output` and score it on dev."""
    config = config or TrainConfig()
    started = time.perf_counter()
    train_docs = load_corpus(train_path, cache_dir, config.limit)
    added = [(path, load_corpus(path, cache_dir)) for path in extra]
    for _, docs in added:
        train_docs += docs
    log(f"{len(train_docs)} training documents ready ({time.perf_counter() - started:.0f}s)")
    dev_docs = load_corpus(dev_path, cache_dir, config.dev_limit) if dev_path else []
    gold_dev = list(read_gold(dev_path, limit=config.dev_limit)) if dev_path else []
    trials: list[Trial] = []
    if search and dev_docs:
        config, trials = tune(train_docs, dev_docs, gold_dev, config, log)
    output = Path(output)
    staging = Path(tempfile.mkdtemp(prefix="wortlaut-model-"))
    try:
        fit(train_docs, config, staging, cache_dir)
        output.mkdir(parents=True, exist_ok=True)
        for name in ARTIFACT_FILES:
            shutil.copyfile(staging / name, output / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record_extra(output, [(path.name, _file_hash(path), len(docs)) for path, docs in added])
    write_lexicon(train_path, output, config.limit)
    report = score(output, dev_docs, gold_dev) if dev_docs else None
    return TrainResult(config, time.perf_counter() - started, report, trials)

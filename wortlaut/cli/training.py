"""Training and measuring the extractor: `train`, `eval`, `eval-speakers`, `bench`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .. import settings
from .common import err_console, fail, require_extra

commands: typer.Typer = typer.Typer()


def dataset_missing(path: Path, option: str) -> typer.Exit:
    """One line for a user without the dataset: where to get it and the layout expected."""
    return fail(
        f"{path}: not found. Get the German news quotation attribution dataset from {settings.DATA_HOME}; "
        f"wortlaut expects its train.jsonl and dev.jsonl (the dataset's JSONL format) in {settings.DATA_DIR} "
        f"(or $WORTLAUT_SHARED/data/quotations-de), or pass {option}"
    )


@commands.command("eval")
def eval_command(
    gold: Path = typer.Argument(
        settings.DEV_GOLD, help="Gold JSONL in the dataset's format (default: the dataset's dev.jsonl)."
    ),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N documents."),
    official: bool = typer.Option(False, "--official", help="Also score with the official SpkAtt-2023 scorer."),
    scorer_dir: Path | None = typer.Option(
        None, help="The official scorer's directory (default ../shared/eval/spkatt)."
    ),
) -> None:
    """Score the pipeline against gold quotations: token P/R/F1 per part, attribution, type accuracy, confidence
    calibration; with --official also the shared task's own figures."""
    if not gold.is_file():
        raise dataset_missing(gold, "the gold file")
    require_extra(("scipy",), "train", "wortlaut eval")
    from ..training.evaluate import evaluate, predict_gold
    from ..training.spkatt import ScorerMissing, official_scores, scorer_runner

    if official:
        try:
            scorer_runner(scorer_dir)
        except ScorerMissing as error:
            raise fail(str(error)) from None
    gold_docs, predicted = predict_gold(gold, extractor=extractor, limit=limit)
    report = evaluate(gold_docs, predicted)
    scores = official_scores(gold, predicted, limit, scorer_dir) if official else None
    if json_output:
        print(json.dumps({**report.to_json(), **({"official": scores} if scores else {})}, indent=2))
        return
    console = Console()
    console.print(report.table(title=f"{gold.name} ({extractor or 'default'} extractor)"))
    for table in report.confidence_tables():
        console.print(table)
    if scores:
        console.print(official_table(scores))


def official_table(scores: dict[str, dict[str, float]]) -> Table:
    table = Table(title="official SpkAtt-2023 scorer")
    for column in ("measure", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, s in scores.items():
        table.add_row(name, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}")
    return table


@commands.command("train")
def train_command(
    data_dir: Path = typer.Option(settings.DATA_DIR, help="Directory with the dataset's train.jsonl and dev.jsonl."),
    output: Path | None = typer.Option(None, help="Artifact directory (default: wortlaut/models, loaded by default)."),
    seed: int = typer.Option(13, help="Shuffles the training order; same seed and data, same artifact."),
    tune: bool = typer.Option(False, "--tune", help="Search c1/c2 per stage on dev before the final training."),
    iterations: int = typer.Option(150, help="L-BFGS iterations per CRF."),
    limit: int | None = typer.Option(None, help="Only the first N training documents."),
    dev_limit: int | None = typer.Option(None, help="Only the first N dev documents."),
    cache_dir: Path | None = typer.Option(
        None, help="Where tokenised documents are cached (default ~/.cache/wortlaut)."
    ),
    extra: list[Path] = typer.Option(
        [], "--extra", help="More training data in the dataset's format, e.g. `corrections export` (repeatable)."
    ),
    calibration_only: Path | None = typer.Option(
        None,
        "--calibration-only",
        metavar="MODEL_DIR",
        help="Refit only the confidence calibration of the trained model in MODEL_DIR (taggers and scorer stay).",
    ),
) -> None:
    """Train the learned extractor on train.jsonl (tuning on dev.jsonl) and write its artifact."""
    train_path, dev_path = data_dir / "train.jsonl", data_dir / "dev.jsonl"
    if not train_path.is_file():
        raise dataset_missing(train_path, "--data-dir")
    for path in extra:
        if not path.is_file():
            raise fail(f"{path}: no such file (--extra)")
    require_extra(("scipy", "sklearn", "wordfreq"), "train", "wortlaut train")
    if calibration_only is not None:
        refit_calibration_command(train_path, dev_path, calibration_only, cache_dir, extra)
        return
    from ..training.train import TrainConfig, train

    config = TrainConfig(seed=seed, iterations=iterations, limit=limit, dev_limit=dev_limit)
    result = train(
        train_path,
        dev_path if dev_path.is_file() else None,
        output=output or settings.MODEL_DIR,
        config=config,
        cache_dir=cache_dir or settings.CACHE_DIR,
        search=tune,
        log=lambda line: err_console.print(line, highlight=False),
        extra=extra,
    )
    err_console.print(f"trained in {result.seconds:.0f}s → {output or settings.MODEL_DIR}", highlight=False)
    if result.dev is not None:
        Console().print(result.dev.table(title="dev"))


def refit_calibration_command(
    train_path: Path, dev_path: Path, directory: Path, cache_dir: Path | None, extra: list[Path]
) -> None:
    """`train --calibration-only`: refit the calibration in place and show dev's confidence tables."""
    from ..extract.model import ARTIFACT_FILES
    from ..training.gold import read_gold
    from ..training.train import load_corpus, refit_calibration, score

    missing = [name for name in ARTIFACT_FILES if not (directory / name).is_file()]
    if missing:
        raise fail(f"{directory / missing[0]}: model artifact missing (--calibration-only needs a trained model)")
    cache = cache_dir or settings.CACHE_DIR
    try:
        refit_calibration(train_path, directory, cache, extra, lambda line: err_console.print(line, highlight=False))
    except ValueError as error:
        raise fail(str(error)) from None
    err_console.print(f"calibration refitted → {directory}", highlight=False)
    if dev_path.is_file():
        report = score(directory, load_corpus(dev_path, cache), list(read_gold(dev_path)))
        for table in report.confidence_tables():
            Console().print(table)


@commands.command("eval-speakers")
def eval_speakers_command(
    data_dir: Path | None = typer.Option(None, help="Directory with the dataset's dev.jsonl and train.jsonl."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N dev articles for the shares."),
) -> None:
    """Speaker resolution: unresolved/anonymous share on dev, antecedent accuracy, cross-article merge P/R."""
    from ..training.eval_speakers import evaluate_speakers, figures_table

    data_dir = data_dir or settings.DATA_DIR
    if not (data_dir / "dev.jsonl").is_file():
        raise dataset_missing(data_dir / "dev.jsonl", "--data-dir")
    figures = evaluate_speakers(data_dir, limit=limit)
    if json_output:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        Console().print(figures_table(figures))


@commands.command("bench")
def bench_command(
    gold: Path | None = typer.Option(None, help="Articles to analyse (default: the dataset's dev.jsonl)."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    only: list[str] = typer.Option([], "--only", help="Run only this section (repeatable)."),
    limit: int | None = typer.Option(None, help="Only the first N articles."),
) -> None:
    """Start-up time, throughput (articles/s, tokens/s) and peak memory of the pipeline."""
    from ..bench import BenchConfig, run, table

    gold = gold or settings.DEV_GOLD
    if not gold.is_file():
        raise dataset_missing(gold, "--gold")
    try:
        results = run(BenchConfig(gold=gold, extractor=extractor, limit=limit), only)
    except KeyError as err:
        err_console.print(f"[red]error[/red]: {err.args[0]}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if json_output:
        print(json.dumps(results, indent=2))
    else:
        Console().print(table(results))

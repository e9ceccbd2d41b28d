"""``rashomon eval ...``: evaluation commands. Each takes the dataset path as an argument.

The public research datasets are not part of a clone (their licences forbid copying them
here): in the examples ``DATASETS/`` stands for the folder where you unpacked them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from rashomon.cli import eval_app
from rashomon.errors import Errors


def _need(path: Path | None, example: str) -> Path:
    if path is None or not path.exists():
        shown = path if path is not None else "(no dataset folder given)"
        typer.echo(Errors.E303.format(path=shown, example=example), err=True)
        raise typer.Exit(2)
    return path


def _show(result: Any) -> None:
    if isinstance(result, str):
        typer.echo(result)
    else:
        typer.echo(json.dumps(result, indent=2, default=str))


@eval_app.command("attribution")
def attribution(
    polnear: Annotated[Path | None, typer.Option(help="PolNeAR folder.")] = None,
    split: Annotated[str, typer.Option(help="dev or test.")] = "dev",
    save: Annotated[Path | None, typer.Option(help="Also write predicted spans as .ann files here.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles (smoke runs).")] = None,
) -> None:
    """Source/cue/content span P/R/F1 on PolNeAR at overlap 0.3 and 0.8.

    Example: rashomon eval attribution --polnear DATASETS/polnear --split dev
    """
    from rashomon.eval import polnear as pn

    path = _need(polnear, "polnear")
    result = pn.evaluate_polnear(path, split=split, save=save, limit=limit)
    _show(pn.format_results(result) if hasattr(pn, "format_results") else result)


@eval_app.command("events")
def events(
    ecbplus: Annotated[Path | None, typer.Option(help="ECB+ folder.")] = None,
    split: Annotated[str, typer.Option(help="train, dev or test.")] = "dev",
    save: Annotated[Path | None, typer.Option(help="Also write predictions as JSON here.")] = None,
    baseline_docs: Annotated[bool, typer.Option("--baseline-docs", help="Cluster documents with the TF-IDF baseline instead of the product's linker.")] = False,
) -> None:
    """Document clustering (the product's linker, as `rashomon analyze` runs it) and
    cross-document event coreference on ECB+ (baseline mention-pair model).

    Example: rashomon eval events --ecbplus DATASETS/ecbplus --split dev
    """
    from rashomon.eval import ecbplus as ecb

    path = _need(ecbplus, "ecbplus")
    result = ecb.evaluate_ecbplus(path, split=split, save=save, baseline_docs=baseline_docs)
    _show(ecb.format_results(result) if hasattr(ecb, "format_results") else result)


@eval_app.command("techniques")
def techniques(
    semeval2023: Annotated[Path | None, typer.Option(help="SemEval-2023 Task 3 English folder.")] = None,
    ptc: Annotated[Path | None, typer.Option(help="PTC (SemEval-2020 Task 11) folder.")] = None,
    split: Annotated[str, typer.Option(help="PTC split to score (dev).")] = "dev",
    predict: Annotated[Path | None, typer.Option(help="Folder of articles to predict.")] = None,
    template: Annotated[Path | None, typer.Option(help="Template listing the paragraphs to predict.")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write predictions.")] = None,
    cv: Annotated[bool, typer.Option("--cv", help="Also run 5-fold CV on train, grouped by article (optimistic; about an hour here).")] = False,
    framing: Annotated[str | None, typer.Option("--framing", help="Model for --predict: fast (TF-IDF + LR) or accurate (fine-tuned MiniLM); default: the framing setting.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the document-disjoint report as JSON here.")] = None,
) -> None:
    """Persuasion techniques: document-disjoint F1 with baselines, PTC span F1, or predictions.

    With --semeval2023 and --ptc: the document-disjoint split in the official subtask-3
    format (the 75 PTC-dev articles held out), the frequency baseline, the TF-IDF model
    (--framing fast) and the encoder (--framing accurate) side by side with a per-label
    table; then the PTC span-classification figure. --cv adds 5-fold CV by article.

    Example: rashomon eval techniques --semeval2023 DATASETS/semeval2023-task3-en --ptc DATASETS/ptc-semeval2020-task11
    Example: rashomon eval techniques --predict DIR --template FILE --out FILE --framing accurate
    """
    from rashomon.eval import semeval as se

    if predict is not None:
        if template is None or out is None:
            typer.echo("[E307] --predict needs --template FILE and --out FILE.", err=True)
            raise typer.Exit(2)
        from rashomon.errors import RashomonError
        from rashomon.framing.techniques import load_technique_model

        try:
            model = load_technique_model(framing)
        except RashomonError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
        se.predict_template(model, _need(predict, "semeval2023-task3-en/train-articles"), template, out)
        typer.echo(f"Predictions written to {out}")
        return
    if semeval2023 is None and ptc is None:
        typer.echo("[E308] Give --semeval2023 PATH and/or --ptc PATH.", err=True)
        raise typer.Exit(2)
    if semeval2023 is not None:
        path = _need(semeval2023, "semeval2023-task3-en")
        if ptc is not None:  # the document-disjoint split is defined by the PTC dev ids
            report = se.dev_report(path, _need(ptc, "ptc-semeval2020-task11"))
            typer.echo(se.format_report(report))
            if json_out is not None:
                json_out.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
        if cv or ptc is None:
            _show(_brief(se.cv_techniques(path)))
    if ptc is not None:
        _show(se.eval_ptc(_need(ptc, "ptc-semeval2020-task11"), split=split))


def _brief(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "per_label"}


@eval_app.command("genre")
def genre(
    semeval2023: Annotated[Path | None, typer.Option(help="SemEval-2023 Task 3 English folder.")] = None,
    polnear: Annotated[Path | None, typer.Option(help="PolNeAR folder (news-desk and wire reports).")] = None,
    gva: Annotated[Path | None, typer.Option(help="GVA folder (local news reports).")] = None,
    real_dev: Annotated[Path | None, typer.Option(help="Also list the genre of each .txt in this folder.")] = None,
    shipped: Annotated[bool, typer.Option("--shipped", help="Score the shipped model instead of training one on the train side.")] = False,
    crossfit: Annotated[bool, typer.Option("--crossfit", help="Also a 5-fold stratified cross-fit over all SemEval articles (satire on all 10).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
) -> None:
    """Genre (opinion / reporting / satire): per-class P/R/F1 and macro-F1 on the held-out
    side of the genre split (SemEval by article id, PolNeAR dev, GVA held-out incidents),
    plus the bundled sample's wire reports.

    Example: rashomon eval genre --semeval2023 DATASETS/semeval2023-task3-en --polnear DATASETS/polnear --gva DATASETS/gva --shipped
    """
    from rashomon.eval import genre as eg
    from rashomon.framing.genre import GenreModel

    path = _need(semeval2023, "semeval2023-task3-en")
    result = eg.evaluate_genre(
        path,
        _need(polnear, "polnear") if polnear is not None else None,
        _need(gva, "gva") if gva is not None else None,
        model=GenreModel.load() if shipped else None, crossfit=crossfit,
        real_dev=_need(real_dev, "../corpus/real-dev/articles") if real_dev is not None else None,
    )
    _show(result if as_json else eg.format_results(result))


@eval_app.command("seeds")
def seeds(
    path: Annotated[Path | None, typer.Option("--seeds", help="Folder with the two seed articles.")] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold facts (default: eval/gold/seeds_facts.yaml).")] = None,
) -> None:
    """Slot-level precision/recall of facts on the seeds, and the Kerman story statuses.

    Example: rashomon eval seeds --seeds DATASETS/seeds
    """
    from rashomon.eval import seeds as sd

    result = sd.evaluate_seeds(_need(path, "../corpus/seeds"), gold or sd.GOLD)
    _show(result)


@eval_app.command("gva")
def gva(
    dataset: Annotated[Path | None, typer.Argument(help="The GVA folder (articles.jsonl, gold.json).")] = None,
    db: Annotated[Path | None, typer.Option(help="Keep the analyzed database here (a new path).")] = None,
) -> None:
    """Story clustering and casualty counts on the held-out GVA incidents.

    Runs exactly what `rashomon analyze --no-framing` runs on the held-out fifth of the
    incidents (eval/gva_split.py), then scores as the shared tools/score_gva.py does,
    beside its TF-IDF + 3-day baseline.

    Example: rashomon eval gva DATASETS/gva
    """
    from rashomon.eval import gva as gv

    path = _need(dataset, "../shared/datasets/gva")
    gv.evaluate_gva(path, db)

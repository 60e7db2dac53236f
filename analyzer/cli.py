"""`contract-analyzer`: a thin face over the library. Bad input -> one line on stderr, exit 3."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from analyzer.errors import BadInputError

EXIT_BAD_INPUT = 3


def _write(path: str, data: bytes) -> None:
    """Write atomically, so a failure never leaves a half-written file behind."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _emit(text: str | bytes, out: str | None) -> None:
    if out:
        _write(out, text.encode("utf-8") if isinstance(text, str) else text)
    else:
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        if isinstance(text, str) and not text.endswith("\n"):
            sys.stdout.write("\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from analyzer.extract import extract
    from analyzer.report.build import dumps, extraction_report
    from analyzer.segment import segment

    doc = extract(args.file, ocr=args.ocr)
    clauses = segment(doc)
    if args.format == "json":
        _emit(dumps(extraction_report(doc, clauses)), args.out)
    else:
        _emit(doc.text, args.out)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from analyzer.api import analyze
    from analyzer.report.build import dumps, to_report

    trip = None
    if args.dispatch:
        from analyzer.requirements.dispatch import load_trip

        trip = load_trip(args.dispatch)
    if args.format == "docx" and not args.out:
        raise BadInputError("--format docx writes a Word file: give it a name with --out FILE")
    analysis = analyze(args.files, use_model=not args.no_model, trip=trip, ocr=args.ocr)
    report = to_report(analysis)
    if args.format == "json":
        output: str | bytes = dumps(report)
    elif args.format == "markdown":
        from analyzer.report.markdown import render_markdown

        output = render_markdown(report)
    elif args.format == "html":
        from analyzer.report.html import render_html

        output = render_html(report)
    else:
        from analyzer.report.docx import render_docx

        output = render_docx(report)
    if args.letter:
        if analysis.dispatch is None:
            raise BadInputError("--letter needs the trip facts: add --dispatch trip.toml")
        from analyzer.report.letter import render_letter

        letter = render_letter(report)
        _emit(output, args.out)
        _write(args.letter, letter)
        return 0
    _emit(output, args.out)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from analyzer.batch import run_batch

    summary = run_batch(args.paths, args.out, workers=args.workers, engine=args.engine, scheduler=args.scheduler,
                        use_model=not args.no_model, ocr=args.ocr)
    print(summary.message(), file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from analyzer.corpus import validate_corpus

    problems = validate_corpus(args.corpus)
    for problem in problems:
        print(problem)
    print(f"{args.corpus}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_train(args: argparse.Namespace) -> int:
    from analyzer.classify.train import train

    result = train(args.corpus, args.out)
    combined = result.metrics["systems"]["combined"]
    print(f"saved {result.model} and {result.card}")
    print(f"test split: macro-F1 {combined['macro_f1']:.3f}, contract-level accuracy "
          f"{combined['contract_accuracy']:.3f}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from analyzer.evaluate import evaluate_corpus, summary_table, write_outputs

    model = None
    if args.model:
        from analyzer.classify.model import load

        model = load(args.model)
    result = evaluate_corpus(args.corpus, args.split, model=model, extras=not args.quick)
    print(summary_table(result.metrics))
    if args.out:
        for path in write_outputs(result, Path(args.out)):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contract-analyzer",
        description="Find after-sales service duties in a contract and check the business-visitor requirements.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the text, pages and clauses of a contract")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.add_argument("--out", help="write to this file instead of stdout")
    p.add_argument("--ocr", action="store_true", help="read scanned PDFs with Tesseract OCR")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("analyze", help="service statuses, evidence and requirement verdicts")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="one contract, or several files of one deal (the first is taken as the original contract)")
    p.add_argument("--format", choices=["json", "markdown", "html", "docx"], default="json")
    p.add_argument("--out", help="write the report to this file instead of stdout")
    p.add_argument("--no-model", action="store_true", help="rules only, without the trained classifier")
    p.add_argument("--dispatch", metavar="TRIP.toml", help="trip facts for the dispatch check")
    p.add_argument("--letter", metavar="FILE.docx", help="also write the support-letter draft (needs --dispatch)")
    p.add_argument("--ocr", action="store_true", help="read scanned PDFs with Tesseract OCR")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("batch", help="analyse many contracts (files, folders, ZIPs) into one JSONL or CSV file")
    p.add_argument("paths", nargs="+", metavar="PATH", help="contract files, folders and ZIP files")
    p.add_argument("--out", required=True, metavar="RESULTS.jsonl|csv",
                   help="JSONL: one record with the full report per file; CSV: one summary row per file. "
                        "A rerun with the same file skips what it already holds")
    p.add_argument("--workers", type=int, help="parallel processes for the local engine (default: all cores)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask)")
    p.add_argument("--no-model", action="store_true", help="rules only, without the trained classifier")
    p.add_argument("--ocr", action="store_true", help="read scanned PDFs with Tesseract OCR")
    p.set_defaults(func=cmd_batch)
    p = sub.add_parser("validate-corpus", help="check a labelled corpus (annotations, offsets, split)")
    p.add_argument("corpus", nargs="?", default="corpus")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("train", help="train the status classifier on a labelled corpus and save it with skops")
    p.add_argument("--corpus", default="corpus")
    p.add_argument("--out", default="models", help="folder for the model and its model card")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="measure the classifier on a labelled corpus")
    p.add_argument("--corpus", default="corpus")
    p.add_argument("--split", choices=["train", "dev", "test"], default="test")
    p.add_argument("--out", help="write metrics.json, errors.json and confusion matrices here")
    p.add_argument("--model", help="a skops model file instead of the shipped one")
    p.add_argument("--quick", action="store_true", help="skip cross-validation, ablation and learning curve")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BadInputError as exc:
        print(f"contract-analyzer: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("contract-analyzer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

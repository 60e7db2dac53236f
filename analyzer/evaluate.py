"""Measure the status classifier on a labelled corpus: ours, or an analyst's own in the same format.

Mentions are found by the spaCy stage on the extracted text of each contract, so the figures
include extraction and detection, not only the classifier.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.api import analyze
from analyzer.classify.features import mention_record
from analyzer.classify.model import SEED, build_pipeline, frame, sentence_average
from analyzer.corpus import LabelledContract, gold_status, load_corpus
from analyzer.results import SERVICES, STATUSES, Analysis
from analyzer.status import contract_status

SYSTEMS = ("rules", "classifier", "combined")
LEARNING_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
CV_FOLDS = 5


@dataclass
class ContractData:
    """One contract's analysis (rules only) with each mention's classifier input and gold label."""

    contract: LabelledContract
    analysis: Analysis
    records: list[dict]
    gold: list[str]

    def texts(self) -> dict:
        return {None: self.analysis.documents[0].text}


_COLLECTED: dict[tuple, ContractData] = {}


def collect(contracts: list[LabelledContract]) -> list[ContractData]:
    """Rules-only analysis of each contract, once per process and file version (training,
    cross-validation and the learning curve all read the same contracts)."""
    out = []
    for c in contracts:
        stat = c.path.stat()
        key = (str(c.path.resolve()), stat.st_mtime_ns, stat.st_size, json.dumps(c.annotation, sort_keys=True))
        if key not in _COLLECTED:
            a = analyze(c.path, use_model=False, requirements=False)
            text = a.documents[0].text
            records = [mention_record(m, text, a.contract.kind, a.aliases) for m in a.mentions]
            _COLLECTED[key] = ContractData(c, a, records, [gold_status(m, c.spans) for m in a.mentions])
        out.append(_COLLECTED[key])
    return out


def fit(data: list[ContractData], text: bool = True, cues: bool = True):
    """The classifier fitted on `data`, with one BLAS / OpenMP thread: the solver's small steps gain
    nothing from more, and on a busy two-core machine threads fighting for the cores made a fit
    about ten times slower. One thread also keeps the sums in one order, so a refit reproduces the
    shipped model to the last digit. The pipeline is built first, so that scikit-learn's native
    libraries are loaded before the limit is set (threadpoolctl limits only loaded libraries)."""
    from threadpoolctl import threadpool_limits

    records = [r for d in data for r in d.records]
    labels = [g for d in data for g in d.gold]
    pipeline = build_pipeline(text=text, cues=cues)
    with threadpool_limits(limits=1):
        return pipeline.fit(frame(records), labels)


def predict(data: list[ContractData], model=None) -> list[list[tuple[str, float]]]:
    """(status, score) per mention per contract: the model's, or the rules' when model is None."""
    if model is None:
        return [[(m.rule_status, m.score) for m in d.analysis.mentions] for d in data]
    records = [r for d in data for r in d.records]
    if not records:
        return [[] for _ in data]
    proba = model.predict_proba(frame(records))
    labels = list(model.classes_)
    out, i = [], 0
    for d in data:  # averaged within each contract: offsets of different contracts must not meet
        rows = sentence_average(d.analysis.mentions, proba[i:i + len(d.records)])
        out.append([(str(labels[int(row.argmax())]), float(row.max())) for row in rows])
        i += len(d.records)
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def _per_status(pairs: list[tuple[str, str]]) -> dict:
    out = {}
    for s in STATUSES:
        tp = sum(1 for g, p in pairs if g == s and p == s)
        fp = sum(1 for g, p in pairs if g != s and p == s)
        fn = sum(1 for g, p in pairs if g == s and p != s)
        out[s] = _prf(tp, fp, fn)
    return out


def score(data: list[ContractData], predictions: list[list[tuple[str, float]]]) -> dict:
    """Mention-level P/R/F1 per status and per service, macro-F1, and contract-level accuracy."""
    pairs, by_service = [], {s: [] for s in SERVICES}
    contract_hits, contract_total = Counter(), Counter()
    for d, preds in zip(data, predictions, strict=True):
        for m, g, (p, sc) in zip(d.analysis.mentions, d.gold, preds, strict=True):
            pairs.append((g, p))
            by_service[m.service].append((g, p))
            m.status, m.score = p, sc
        statuses = contract_status(d.analysis.mentions, {None: d.analysis.documents[0]})
        for s in SERVICES:
            contract_total[s] += 1
            contract_hits[s] += statuses[s].status == d.contract.services[s]
    per_status = _per_status(pairs)
    present = [s for s in STATUSES if per_status[s]["support"]]
    return {
        "mentions": len(pairs),
        "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else 0.0,
        "macro_f1": round(sum(per_status[s]["f1"] for s in present) / len(present), 4) if present else 0.0,
        "per_status": per_status,
        "per_service": {s: _per_status(v) for s, v in by_service.items()},
        "contract_accuracy": round(sum(contract_hits.values()) / max(sum(contract_total.values()), 1), 4),
        "contract_accuracy_per_service": {s: round(contract_hits[s] / max(contract_total[s], 1), 4)
                                          for s in SERVICES},
    }


def confusion(data: list[ContractData], predictions) -> dict:
    labels = list(STATUSES)
    matrix = [[0] * len(labels) for _ in labels]
    for d, preds in zip(data, predictions, strict=True):
        for g, (p, _) in zip(d.gold, preds, strict=True):
            matrix[labels.index(g)][labels.index(p)] += 1
    return {"labels": labels, "rows": "gold", "columns": "predicted", "matrix": matrix}


def errors(data: list[ContractData], predictions) -> list[dict]:
    out = []
    for d, preds in zip(data, predictions, strict=True):
        text = d.analysis.documents[0].text
        for m, g, (p, sc) in zip(d.analysis.mentions, d.gold, preds, strict=True):
            if g != p:
                out.append({"contract": d.contract.id, "clause": m.clause, "page": m.page, "service": m.service,
                            "gold": g, "predicted": p, "confidence": round(sc, 3),
                            "text": text[m.sent_start:m.sent_end]})
    return out


def detection_recall(data: list[ContractData]) -> float:
    """Share of gold spans that the spaCy stage found at least one mention of the same service in."""
    hit = total = 0
    for d in data:
        for sp in d.contract.spans:
            total += 1
            hit += any(m.service == sp.service and m.start < sp.end and m.end > sp.start
                       for m in d.analysis.mentions)
    return round(hit / total, 4) if total else 0.0


def cross_validate(data: list[ContractData], folds: int = CV_FOLDS) -> dict:
    """k-fold cross-validation grouped by contract (no contract is split across folds)."""
    order = sorted(data, key=lambda d: d.contract.id)
    random.Random(SEED).shuffle(order)
    k = min(folds, len(order))
    results = []
    for i in range(k):
        held = order[i::k]
        rest = [d for d in order if d not in held]
        s = score(held, predict(held, fit(rest)))
        results.append({"macro_f1": s["macro_f1"], "contract_accuracy": s["contract_accuracy"]})

    def mean_std(key: str) -> tuple[float, float]:
        vals = [r[key] for r in results]
        m = sum(vals) / len(vals)
        return round(m, 4), round((sum((v - m) ** 2 for v in vals) / len(vals)) ** 0.5, 4)

    return {"folds": k, "by_fold": results, "macro_f1_mean_std": mean_std("macro_f1"),
            "contract_accuracy_mean_std": mean_std("contract_accuracy")}


def learning_curve(train: list[ContractData], test: list[ContractData]) -> list[dict]:
    order = sorted(train, key=lambda d: d.contract.id)
    random.Random(SEED).shuffle(order)
    out = []
    for frac in LEARNING_FRACTIONS:
        part = order[:max(2, round(frac * len(order)))]
        s = score(test, predict(test, fit(part)))
        out.append({"train_contracts": len(part), "macro_f1": s["macro_f1"],
                    "contract_accuracy": s["contract_accuracy"]})
    return out


@dataclass
class EvalResult:
    metrics: dict
    errors: list[dict] = field(default_factory=list)


def evaluate_corpus(root: str | Path, split: str = "test", model=None, extras: bool = True) -> EvalResult:
    """Figures for the shipped (or given) model on `split`, with the ablation, grouped
    cross-validation and learning curve trained afresh on the corpus's train split."""
    from analyzer.classify.model import shipped_model

    root = Path(root)
    test = collect(load_corpus(root, split))
    if model is None:
        model = shipped_model()
    systems: dict[str, dict] = {"rules": score(test, predict(test))}
    preds = predict(test, model) if model is not None else predict(test)
    metrics = {"corpus": str(root), "split": split, "contracts": len(test),
               "detection_span_recall": detection_recall(test)}
    if extras:
        train = collect(load_corpus(root, "train"))
        systems["classifier"] = score(test, predict(test, fit(train, text=True, cues=False)))
        metrics["cross_validation"] = cross_validate(train + collect(load_corpus(root, "dev")))
        metrics["learning_curve"] = learning_curve(train, test)
    systems["combined"] = score(test, preds)
    metrics["systems"] = systems
    metrics["confusion"] = confusion(test, preds)
    metrics["model"] = "shipped" if model is not None else "none (rules)"
    return EvalResult(metrics, errors(test, preds))


def write_outputs(result: EvalResult, out: Path) -> list[Path]:
    """metrics.json, errors.json, confusion.json and confusion.png under `out`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, payload in (("metrics.json", result.metrics), ("errors.json", result.errors),
                          ("confusion.json", result.metrics["confusion"])):
        (out / name).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(out / name)
    cm = result.metrics["confusion"]
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.imshow(cm["matrix"], cmap="Blues")
    ax.set_xticks(range(len(cm["labels"])), cm["labels"], rotation=30, ha="right")
    ax.set_yticks(range(len(cm["labels"])), cm["labels"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(cm["matrix"]):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8)
    ax.set_title(f"Mention status, {result.metrics['split']} split")
    fig.tight_layout()
    fig.savefig(out / "confusion.png", dpi=120)
    plt.close(fig)
    files.append(out / "confusion.png")
    return files


def summary_table(metrics: dict) -> str:
    """The printed summary: one row per system, then per-status figures of the combined system."""
    lines = [f"{metrics['contracts']} contracts, split {metrics['split']}, "
             f"detection span recall {metrics['detection_span_recall']:.3f}",
             f"{'system':<11} {'macro-F1':>8} {'accuracy':>8} {'contract acc':>12}"]
    for name in SYSTEMS:
        s = metrics["systems"].get(name)
        if s:
            lines.append(f"{name:<11} {s['macro_f1']:>8.3f} {s['accuracy']:>8.3f} {s['contract_accuracy']:>12.3f}")
    lines.append(f"{'status':<11} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for status, v in metrics["systems"]["combined"]["per_status"].items():
        lines.append(f"{status:<11} {v['precision']:>6.3f} {v['recall']:>6.3f} {v['f1']:>6.3f} {v['support']:>5}")
    if "cross_validation" in metrics:
        cv = metrics["cross_validation"]
        lines.append(f"{cv['folds']}-fold CV by contract: macro-F1 {cv['macro_f1_mean_std'][0]:.3f} "
                     f"± {cv['macro_f1_mean_std'][1]:.3f}, contract acc {cv['contract_accuracy_mean_std'][0]:.3f}")
    return "\n".join(lines)



"""Train the shipped classifier from a labelled corpus, deterministically, and write its model card.

The model is fitted on the train and dev splits (dev chose the settings), and measured on the
held-out test split, which never reaches `fit`.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path

from analyzer.classify.model import MODEL_NAME, SEED, save
from analyzer.corpus import load_corpus, load_split
from analyzer.evaluate import collect, evaluate_corpus, fit

CARD = "MODEL_CARD.md"
META = "status-classifier.json"


@dataclass
class TrainResult:
    model: Path
    card: Path
    metrics: dict


def _versions() -> dict:
    import numpy
    import sklearn
    import skops
    import spacy

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "spacy": spacy.__version__, "numpy": numpy.__version__}


def train(corpus: str | Path, out_dir: str | Path) -> TrainResult:
    corpus, out_dir = Path(corpus), Path(out_dir)
    data = collect(load_corpus(corpus, "train") + load_corpus(corpus, "dev"))
    model = fit(data)
    path = out_dir / MODEL_NAME
    save(model, path)
    result = evaluate_corpus(corpus, "test", model=model)
    split = load_split(corpus)
    meta = {
        "model": MODEL_NAME,
        "seed": SEED,
        "labels": [str(c) for c in model.classes_],
        "training_mentions": sum(len(d.records) for d in data),
        "split": {k: len(v) for k, v in split.items()},
        "versions": _versions(),
        "test": {name: {k: s[k] for k in ("macro_f1", "accuracy", "contract_accuracy")}
                 for name, s in result.metrics["systems"].items()},
    }
    (out_dir / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    card = out_dir / CARD
    card.write_text(model_card(meta, result.metrics), encoding="utf-8")
    return TrainResult(path, card, result.metrics)


def model_card(meta: dict, metrics: dict) -> str:
    combined = metrics["systems"]["combined"]
    rows = "\n".join(
        f"| {name} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | {s['contract_accuracy']:.3f} |"
        for name, s in metrics["systems"].items()
    )
    per_status = "\n".join(
        f"| {status} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
        for status, v in combined["per_status"].items()
    )
    per_service = "\n".join(f"| {s} | {acc:.3f} |" for s, acc in combined["contract_accuracy_per_service"].items())
    cv = metrics["cross_validation"]
    curve = "\n".join(f"| {p['train_contracts']} | {p['macro_f1']:.3f} | {p['contract_accuracy']:.3f} |"
                      for p in metrics["learning_curve"])
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    return f"""# Model card: service-status classifier

`{meta['model']}` decides the status of each service mention the spaCy stage finds
(`obligated`, `customer`, `excluded`, `optional`, `absent`, as defined in
`../shared/status-guidelines.md`). The contract-level status of a service follows from its
mentions by the precedence rule (obligated > customer > optional > excluded > absent).

## Model

A scikit-learn `Pipeline`: a `ColumnTransformer` (TF-IDF word uni- and bigrams of the words left
and right of the service term and of its sentence, party names folded to SUPPLIER / CUSTOMER;
the service term itself with its service, one-hot (`repair:correct`); one-hot cues from the
rules: obligor, modality, negation, condition, context, rule status, contract kind; positional
cue words, including the lead-in or table header above the sentence and the column of a scope
table a row is ticked in) feeding a `LogisticRegression` (class-balanced) calibrated by
`CalibratedClassifierCV` (sigmoid, 5 stratified folds). The probabilities of the mentions of one
service in one sentence are averaged before the most probable status is taken, since the status
belongs to the sentence and the service. The averaged probability is the report's `confidence`.
Seed {meta['seed']}; saved with skops and loaded only with an explicit list of trusted types
(`analyzer/classify/model.py`). Versions: {versions}.

## Data

The team's corpus (`corpus/`, {sum(meta['split'].values())} contracts written for this project; see
`corpus/README.md`), split by contract: train {meta['split']['train']}, dev {meta['split']['dev']},
test {meta['split']['test']}. The model is fitted on train + dev ({meta['training_mentions']}
mentions); the settings, the rules' cues and the pattern vetoes were chosen on train + dev (grouped
cross-validation and error analysis); test is held out. `contract-analyzer train` reproduces this
model and these figures exactly.

## Test-split results ({metrics['contracts']} contracts, {combined['mentions']} mentions)

Detection: {metrics['detection_span_recall']:.3f} of the labelled spans hold a mention the spaCy stage finds.

| system | mention macro-F1 | mention accuracy | contract-level status accuracy |
|---|---|---|---|
{rows}

`rules` = the rule-based status alone (`analyze --no-model`); `classifier` = the classifier on the
words alone, without the rules' cues; `combined` = the shipped model.

| status (combined) | precision | recall | F1 | mentions |
|---|---|---|---|---|
{per_status}

| service | contract-level accuracy (combined) |
|---|---|
{per_service}

{cv['folds']}-fold cross-validation grouped by contract (train + dev): macro-F1
{cv['macro_f1_mean_std'][0]:.3f} ± {cv['macro_f1_mean_std'][1]:.3f}, contract-level accuracy
{cv['contract_accuracy_mean_std'][0]:.3f} ± {cv['contract_accuracy_mean_std'][1]:.3f}.

Learning curve (fitted on part of the train split, measured on test):

| train contracts | macro-F1 | contract accuracy |
|---|---|---|
{curve}

## Known limits

- The corpus is written by the team: varied in style, but smaller and cleaner than real
  contracts. Figures on real contracts will be lower; `../shared/realworld/` is kept out of
  training and tuning as an outside check.
- A service named without any of the pattern words (e.g. "parts, labour and travel are on us")
  is not detected, and so cannot be classified; see the detection figure above.
- English, with common French terms for bilingual Canadian contracts; no other language.
- Statuses read one sentence (plus a list's lead-in or a table's header row); a duty defined far
  away ("the Services described in Schedule C") is only as good as the words around the mention.
- A service word inside a sentence about another service ("train the operators on maintenance
  and repair", "calibrate the sensors during commissioning") is often read as a duty of its own
  service; so are generic words ("support", "correct", "replace") used loosely.
- A scope-table row is matched to its header's columns only when it has as many cells as the
  header; where extraction drops empty cells (some PDF tables) the row's own words decide.
- Party names fold to SUPPLIER / CUSTOMER only when the party's side is known: from its defined
  role, or, for a company defined by a short name ("Acme"), from what the contract says it does
  or as the other party of a two-party deal. A wrong side there misleads every mention that names
  the party.
"""

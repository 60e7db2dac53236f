"""The mention-status classifier: a scikit-learn Pipeline saved with skops, loaded with an explicit
list of trusted types so a tampered or foreign file is refused instead of run."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from analyzer.classify.features import CATEGORY_COLUMNS, COLUMNS, CUE_COLUMN, TERM_COLUMN, mention_record
from analyzer.errors import BadInputError
from analyzer.results import Mention

MODEL_NAME = "status-classifier.skops"
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / MODEL_NAME
SEED = 20261123
# Every type the shipped Pipeline is made of; skops refuses to build anything else.
TRUSTED_TYPES = [
    "builtins.slice",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.CountVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.model_selection._split.StratifiedKFold",
]


class ModelError(BadInputError):
    """The model file cannot be trusted or read."""


def build_pipeline(text: bool = True, cues: bool = True):
    """The classifier as an inspectable Pipeline; `text`/`cues` switch feature groups off for the
    ablation (classifier only = text alone)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    parts = []
    if text:
        parts += [
            ("left", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+"), "left"),
            ("right", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+"), "right"),
            ("sentence", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+"),
             "sentence"),
            ("term", OneHotEncoder(handle_unknown="ignore"), [TERM_COLUMN]),
        ]
    if cues:
        parts += [
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORY_COLUMNS)),
            ("cues", CountVectorizer(token_pattern=r"\S+", binary=True), CUE_COLUMN),
        ]
    else:
        parts.append(("categories", OneHotEncoder(handle_unknown="ignore"), ["service", "kind"]))
    features = ColumnTransformer(parts, sparse_threshold=1.0)
    base = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, random_state=SEED)
    clf = CalibratedClassifierCV(base, method="sigmoid", cv=StratifiedKFold(5, shuffle=True, random_state=SEED))
    return Pipeline([("features", features), ("classifier", clf)])


def frame(records: list[dict]):
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def save(pipeline, path: Path) -> None:
    import zipfile

    import skops.io as sio

    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(pipeline, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)  # vocabularies compress 6x
    untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    if untrusted:
        path.unlink()
        raise ModelError(f"the trained model holds types outside TRUSTED_TYPES: {sorted(untrusted)}")


def load(path: str | Path):
    """Load a skops model, refusing any type outside TRUSTED_TYPES (no pickle is ever run)."""
    import zipfile

    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no model file")
    # One pass: skops audits every type before it builds anything (a separate get_untrusted_types
    # call walked the file's 50,000 nodes a second time, half a second of every start-up).
    try:
        return sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        found = str(exc).splitlines()[0].removeprefix("Untrusted types found in the file: ").rstrip(".")
        raise ModelError(f"{path}: the model holds untrusted types {found}; refusing to load it") from None
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: not a skops model file ({type(exc).__name__}); refusing to load it") from None
    except Exception as exc:  # a skops file that does not rebuild is damaged or tampered
        raise ModelError(f"{path}: the model file is damaged ({type(exc).__name__}); refusing to load it") from None


def model_path() -> Path:
    return Path(os.environ.get("CONTRACT_ANALYZER_MODEL", DEFAULT_MODEL))


@lru_cache(maxsize=4)
def _cached(path: str):
    return load(path)


def shipped_model():
    """The model in use (CONTRACT_ANALYZER_MODEL or models/), loaded once per process; None when
    there is no model file, so callers fall back to the rules."""
    path = model_path()
    return _cached(str(path)) if path.exists() else None


def sentence_average(mentions: list[Mention], proba):
    """Each mention's probabilities averaged over the mentions of the same service in the same
    sentence: the status belongs to the sentence and the service (a sentence that names
    maintenance three times gives it one status), so its mentions vote together."""
    import numpy as np

    groups: dict[tuple, list[int]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault((m.file, m.service, m.sent_start), []).append(i)
    out = np.array(proba, dtype=float, copy=True)
    for rows in groups.values():
        if len(rows) > 1:
            out[rows] = out[rows].mean(axis=0)
    return out


def apply_model(mentions: list[Mention], texts: dict[str | None, str], kind: str,
                aliases: dict[str, str]) -> list[str]:
    """Set each mention's status and score from the classifier, all mentions in one call.
    Returns warnings (no model found: the rules decide alone)."""
    if not mentions:
        return []
    pipeline = shipped_model()
    if pipeline is None:
        return [f"no trained model at {model_path()}; statuses come from the rules alone"]
    records = [mention_record(m, texts[m.file], kind, aliases) for m in mentions]
    proba = sentence_average(mentions, pipeline.predict_proba(frame(records)))
    labels = list(pipeline.classes_)
    for m, row in zip(mentions, proba, strict=True):
        best = int(row.argmax())
        m.status, m.score = str(labels[best]), float(row[best])
    return []

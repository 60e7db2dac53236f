"""The shipped classifier: loads only trusted types, refuses tampered files, and retrains to itself."""

from __future__ import annotations

import json
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from analyzer.classify.model import DEFAULT_MODEL, TRUSTED_TYPES, ModelError, frame, load
from analyzer.corpus import load_corpus
from tests.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "analyzer" / "samples" / "sample-purchase-agreement.pdf"


def test_shipped_model_is_skops_with_trusted_types_only():
    import skops.io as sio

    assert DEFAULT_MODEL.suffix == ".skops"
    assert set(sio.get_untrusted_types(file=DEFAULT_MODEL)) <= set(TRUSTED_TYPES)
    model = load(DEFAULT_MODEL)
    assert sorted(model.classes_) == ["absent", "customer", "excluded", "obligated", "optional"]
    assert not list((ROOT / "models").glob("*.pkl")) and not list((ROOT / "models").glob("*.joblib"))


def _swap_type(node, cls: str, module: str, new_cls: str) -> bool:
    """Rewrite the first object of class `cls` in a skops schema; True when one was found."""
    if isinstance(node, dict):
        if node.get("__class__") == cls:
            node["__module__"], node["__class__"] = module, new_cls
            return True
        return any(_swap_type(v, cls, module, new_cls) for v in node.values())
    if isinstance(node, list):
        return any(_swap_type(v, cls, module, new_cls) for v in node)
    return False


def _tampered(tmp_path: Path) -> Path:
    """The shipped model with one object's type swapped for os.system, as an attacker would."""
    target = tmp_path / "tampered.skops"
    with zipfile.ZipFile(DEFAULT_MODEL) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "schema.json":
                schema = json.loads(data)
                assert _swap_type(schema, "LogisticRegression", "os", "system")
                data = json.dumps(schema).encode()
            dst.writestr(item, data)
    return target


def test_tampered_skops_file_is_refused(tmp_path):
    with pytest.raises(ModelError, match="refusing to load"):
        load(_tampered(tmp_path))
    r = run("analyze", str(SAMPLE), env={"CONTRACT_ANALYZER_MODEL": str(_tampered(tmp_path))})
    assert r.returncode == 3
    assert len(r.stderr.strip().splitlines()) == 1 and "refusing to load" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


class _Exploit:
    """A pickle that would create a file when unpickled; it must never be."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_renamed_as_the_model_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    fake = tmp_path / "status-classifier.skops"
    fake.write_bytes(pickle.dumps(_Exploit(marker)))
    with pytest.raises(ModelError, match="not a skops model file"):
        load(fake)
    r = run("analyze", str(SAMPLE), env={"CONTRACT_ANALYZER_MODEL": str(fake)})
    assert r.returncode == 3 and "not a skops model file" in r.stderr
    assert not marker.exists()


def test_no_model_flag_uses_the_rules(tmp_path):
    r = run("analyze", str(SAMPLE), "--no-model", env={"CONTRACT_ANALYZER_MODEL": str(tmp_path / "missing.skops")})
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["services"]["repair"]["status"] == "obligated"
    assert not any("no trained model" in w for w in report["warnings"])


def test_missing_model_falls_back_to_rules_with_a_warning(tmp_path):
    r = run("analyze", str(SAMPLE), env={"CONTRACT_ANALYZER_MODEL": str(tmp_path / "missing.skops")})
    assert r.returncode == 0
    assert any("no trained model" in w for w in json.loads(r.stdout)["warnings"])


@pytest.mark.slow
def test_training_from_the_corpus_reproduces_the_shipped_model(tmp_path):
    """What `contract-analyzer train` fits (train + dev splits, fixed seeds) predicts exactly what
    the shipped model predicts on the held-out test split."""
    from analyzer.evaluate import collect, fit

    corpus = ROOT / "corpus"
    model = fit(collect(load_corpus(corpus, "train") + load_corpus(corpus, "dev")))
    test = collect(load_corpus(corpus, "test"))
    records = frame([r for d in test for r in d.records])
    shipped = load(DEFAULT_MODEL)
    assert list(model.classes_) == list(shipped.classes_)
    assert np.allclose(model.predict_proba(records), shipped.predict_proba(records), atol=1e-9)
    meta = json.loads((ROOT / "models" / "status-classifier.json").read_text())
    assert meta["training_mentions"] == sum(len(d.records) for d in collect(
        load_corpus(corpus, "train") + load_corpus(corpus, "dev")))
    shutil.rmtree(tmp_path, ignore_errors=True)

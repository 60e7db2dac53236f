"""Corpora in the documented format: ours validates clean; an analyst's own is checked and measured."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from analyzer.cli import main
from analyzer.corpus import validate_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _small_corpus(tmp_path: Path, ids: dict[str, list[str]]) -> Path:
    """A corpus of a few of our contracts, as an analyst would lay out their own."""
    root = tmp_path / "mine"
    (root / "annotations").mkdir(parents=True)
    (root / "contracts").mkdir()
    for cid in (i for group in ids.values() for i in group):
        ann = json.loads((CORPUS / "annotations" / f"{cid}.json").read_text())
        shutil.copy(CORPUS / ann["file"], root / ann["file"])
        (root / "annotations" / f"{cid}.json").write_text(json.dumps(ann))
    (root / "split.json").write_text(json.dumps(ids))
    return root


def test_the_team_corpus_validates_clean():
    assert validate_corpus(CORPUS) == []


def test_validator_names_each_problem(tmp_path):
    root = _small_corpus(tmp_path, {"train": ["pur-003"], "dev": [], "test": ["lea-002"]})
    ann_path = root / "annotations" / "pur-003.json"
    ann = json.loads(ann_path.read_text())
    ann["spans"][0]["status"] = "mandatory"
    ann["spans"][1]["start"] += 5
    ann["services"]["training"] = "obligated" if ann["services"]["training"] != "obligated" else "absent"
    ann_path.write_text(json.dumps(ann))
    evil = json.loads((root / "annotations" / "lea-002.json").read_text())
    evil["file"] = "../../../../etc/passwd"
    (root / "annotations" / "lea-002.json").write_text(json.dumps(evil))
    problems = validate_corpus(root)
    assert any("pur-003.json: span 0: status 'mandatory' unknown" in p for p in problems)
    assert any("lea-002.json: file '../../../../etc/passwd' is outside the corpus folder" in p for p in problems)
    json.dumps(problems)  # plain strings, printable by the CLI


def test_eval_runs_on_an_analysts_own_corpus(tmp_path, capsys):
    root = _small_corpus(tmp_path, {"train": ["pur-003", "svc-004"], "dev": [], "test": ["lea-002", "lic-006"]})
    out = tmp_path / "out"
    assert main(["eval", "--corpus", str(root), "--split", "test", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "combined" in printed and "macro-F1" in printed
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["contracts"] == 2
    assert set(metrics["systems"]) == {"rules", "combined"}
    assert 0 <= metrics["systems"]["combined"]["contract_accuracy"] <= 1
    assert (out / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    errors = json.loads((out / "errors.json").read_text())
    assert all({"contract", "clause", "gold", "predicted", "confidence", "text"} <= set(e) for e in errors)

"""`analyze` on every contract we have: the team's corpus and the real contracts beside the project.

Each gives a report that validates against the shipped JSON Schema, with evidence that is the
text of the extraction at its offsets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.batch import run_batch
from analyzer.report.build import validate

ROOT = Path(__file__).resolve().parents[1]
REALWORLD = ROOT.parent / "shared" / "realworld" / "contracts"


def _check(folder: Path, out: Path) -> int:
    summary = run_batch([str(folder)], out, workers=2, progress=False)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    failed = [(r["file"], r["error"]) for r in records if r["status"] != "ok"]
    assert not failed
    for r in records:
        validate(r["report"])
        for service in r["report"]["services"].values():
            assert all(e["start"] < e["end"] for e in service["evidence"])
    return summary.analysed


@pytest.mark.slow
def test_every_corpus_contract_gives_a_valid_report(tmp_path):
    folder = ROOT / "corpus" / "contracts"
    assert _check(folder, tmp_path / "corpus.jsonl") == len(list(folder.iterdir()))


@pytest.mark.slow
@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not present")
def test_every_realworld_contract_gives_a_valid_report(tmp_path):
    expected = len(list(REALWORLD.glob("*.pdf")) + list(REALWORLD.glob("*.txt")))
    assert _check(REALWORLD, tmp_path / "realworld.jsonl") == expected

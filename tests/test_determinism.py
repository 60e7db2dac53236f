"""The same input gives the same bytes: the JSON report (and its Markdown and HTML renderings) is
byte-identical across processes with different hash seeds (set and dict order cannot leak in), across
repeated and interleaved analyses in one process (no state carried from one contract to the next), and
through the command line. Across batch worker counts: tests/test_batch.py
(test_one_worker_writes_the_same_bytes_as_two).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from analyzer.api import analyze
from analyzer.report.build import dumps, to_report
from tests import badfiles

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "analyzer" / "samples" / "sample-purchase-agreement.pdf"
CORPUS = ROOT / "corpus" / "contracts"
SEPARATOR = "\n\x1e\n"
RENDER = f"""
import json, sys
from analyzer.api import analyze
from analyzer.report.build import dumps, to_report
from analyzer.report.html import render_html
from analyzer.report.markdown import render_markdown
for deal in json.loads(sys.argv[1]):
    report = to_report(analyze(deal))
    sys.stdout.write({SEPARATOR!r}.join([dumps(report), render_markdown(report), render_html(report), ""]))
"""


def _deals(folder: Path) -> list[list[str]]:
    """One-file deals in each format, a three-file deal, the sample, and corpus contracts of each kind."""
    files = {"contract.pdf": badfiles.contract_pdf(), "contract.docx": badfiles.contract_docx(),
             "contract.txt": badfiles.contract_text().encode()}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    deals = [[str(folder / n)] for n in files] + [[str(folder / n) for n in files], [str(SAMPLE)]]
    corpus = sorted(CORPUS.glob("lea-00[123].*")) if CORPUS.is_dir() else []  # one of each format
    return deals + [[str(p)] for p in corpus]


def _render(deals: list[list[str]], seeds: tuple[str, ...]) -> list[str]:
    """The renderings of `deals` by one process per hash seed, the processes run side by side."""
    procs = [subprocess.Popen([sys.executable, "-c", RENDER, json.dumps(deals)], cwd=ROOT, text=True,
                              env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed, "HOME": str(Path.home())},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for seed in seeds]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(out)
    return outputs


def test_reports_are_byte_identical_across_processes_and_hash_seeds(tmp_path):
    deals = _deals(tmp_path)
    first, second = _render(deals, ("1", "2741"))
    outputs = first.split(SEPARATOR)
    assert len(outputs) == 3 * len(deals) + 1 and all(outputs[:-1])
    assert first == second
    cli = subprocess.run([sys.executable, "-m", "analyzer.cli", "analyze", *deals[3]], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == outputs[3 * 3] + "\n"  # the three-file deal, as the command line prints it


def test_repeated_and_interleaved_analyses_in_one_process_agree():
    pdf, txt, docx = badfiles.contract_pdf(), badfiles.contract_text().encode(), badfiles.contract_docx()
    sample = SAMPLE.read_bytes()

    def report(data: bytes, name: str) -> str:
        return dumps(to_report(analyze(data, names=[name])))

    first = report(pdf, "contract.pdf")
    report(sample, "sample.pdf")
    report(txt, "contract.txt")
    deal = dumps(to_report(analyze([docx, txt], names=["terms.docx", "schedule.txt"])))
    assert report(pdf, "contract.pdf") == first
    assert dumps(to_report(analyze([docx, txt], names=["terms.docx", "schedule.txt"]))) == deal
    assert json.loads(first)["services"]["installation"]["status"] == "obligated"

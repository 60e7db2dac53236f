"""Nothing unsafe loads: no eval/exec, no pickle-family loader, no shell, anywhere in the package or the
app (an AST scan, itself checked on code that does each thing); no pickle file ships; and every data
file the analyzer reads is checked when loaded, so a damaged or edited file fails naming itself instead
of changing results quietly. (The model's own loading, skops with trusted types, is tested with the
classifier.)
"""

from __future__ import annotations

import ast
import gzip
import json
from fnmatch import fnmatch
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "analyzer", ROOT / "app.py", ROOT / "app_pages"]
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "marshal", "shelve",
                  "jsonpickle", "pickletools", "copyreg"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}
UNSAFE_ATTRIBUTES = {  # (module alias as written, attribute) or (None, attribute) for any object
    ("yaml", "load"), ("yaml", "load_all"), ("yaml", "unsafe_load"), ("yaml", "full_load"),
    ("yaml", "unsafe_load_all"), ("torch", "load"), ("os", "system"), ("os", "popen"),
    (None, "read_pickle"), (None, "to_pickle"), (None, "loads_pickle"),
}
PICKLE_SUFFIXES = {".pkl", ".pickle", ".joblib", ".dill", ".pt", ".pth", ".npy", ".npz", ".sav"}


def unsafe_uses(source: str, filename: str = "<source>") -> list[str]:
    """Each unsafe import or call in `source`, as "file:line: what"."""
    found = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{filename}:{node.lineno}: {what}")

    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UNSAFE_MODULES:
                    flag(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in UNSAFE_MODULES:
                flag(node, f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in UNSAFE_BUILTINS:
                flag(node, f"{func.id}()")
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else None
                if (owner, func.attr) in UNSAFE_ATTRIBUTES or (None, func.attr) in UNSAFE_ATTRIBUTES:
                    flag(node, f"{owner or '...'}.{func.attr}()")
            for kw in node.keywords:
                true = isinstance(kw.value, ast.Constant) and kw.value.value is True
                if kw.arg in ("shell", "allow_pickle", "trusted") and true:
                    flag(node, f"{kw.arg}=True")
    return found


def _python_files() -> list[Path]:
    files = []
    for target in SCANNED:
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return files


def test_no_eval_exec_pickle_or_shell_in_the_package_or_the_app():
    files = _python_files()
    assert any("classify" in str(f) for f in files) and len(files) > 30
    found = [hit for f in files for hit in unsafe_uses(f.read_text(encoding="utf-8"), str(f.relative_to(ROOT)))]
    assert found == []


def test_the_scan_finds_each_unsafe_use():
    source = """
import pickle, joblib as jl
from marshal import loads
import yaml, os, subprocess, numpy as np, skops.io as sio
eval("1"); exec("x = 1"); compile("1", "f", "eval"); __import__("os")
yaml.load(data); yaml.unsafe_load(data); os.system("ls"); os.popen("ls")
subprocess.run("ls", shell=True); np.load("a.npy", allow_pickle=True); frame.read_pickle("x")
sio.load("m.skops", trusted=True)
yaml.safe_load(data); subprocess.run(["ls"]); np.load("a.npy"); re.compile("x"); sio.load("m", trusted=["a"])
"""
    found = sorted(hit.split(": ", 1)[1] for hit in unsafe_uses(source))
    assert found == sorted(["import pickle", "import joblib", "from marshal import ...", "eval()", "exec()",
                            "compile()", "__import__()", "yaml.load()", "yaml.unsafe_load()", "os.system()",
                            "os.popen()", "shell=True", "allow_pickle=True", "frame.read_pickle()", "trusted=True"])


def test_no_pickle_file_ships_and_the_model_is_a_skops_archive():
    shipped = [p for d in (ROOT / "analyzer", ROOT / "models") if d.exists() for p in d.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    for path in shipped:
        assert path.suffix.lower() not in PICKLE_SUFFIXES, path
        head = path.read_bytes()[:2]
        assert not (head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")), f"{path} is a pickle"
    for model in (ROOT / "models").glob("*.skops"):
        assert model.read_bytes()[:4] == b"PK\x03\x04", f"{model} is not a skops (ZIP) archive"


# -- data files are checked when loaded ---------------------------------------------------------------


def _write(path: Path, lines: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def _fresh_pipeline():
    """The pipeline as config.cfg builds it, before the shipped patterns are added."""
    from analyzer.nlp.pipeline import HERE

    return spacy.util.load_model_from_config(spacy.util.load_config(HERE / "config.cfg"), auto_fill=True)


def test_service_patterns_with_an_unknown_service_or_pattern_shape_name_file_and_line(tmp_path):
    from analyzer.nlp.pipeline import read_service_patterns

    good = {"label": "repair", "pattern": "repair"}
    with pytest.raises(ValueError, match=r"services\.jsonl: line 2: label must be one of"):
        read_service_patterns(_write(tmp_path / "services.jsonl", [good, {"label": "repairs", "pattern": "fix"}]))
    with pytest.raises(ValueError, match=r"line 3: 'pattern' must be a token list or a phrase"):
        read_service_patterns(_write(tmp_path / "services.jsonl", [good, good, {"label": "repair", "pattern": 7}]))


def test_token_patterns_are_validated_against_spacys_pattern_schema(tmp_path):
    from analyzer.nlp.components import ServiceCues

    nlp = _fresh_pipeline()  # config.cfg sets validate = true on the service ruler
    with pytest.raises(ValueError, match="LOWERR"):
        nlp.get_pipe("service_ruler").add_patterns([{"label": "repair", "pattern": [{"LOWERR": "fix"}]}])
    with pytest.raises(ValueError, match="LOWERR"):
        ServiceCues(nlp, _write(tmp_path / "cues.jsonl", [{"label": "DUTY", "pattern": [{"LOWERR": "shall"}]}]),
                    "services")
    with pytest.raises(ValueError, match=r"line 2 needs a string 'label' and a token 'pattern' list"):
        ServiceCues(nlp, _write(tmp_path / "cues.jsonl", [{"label": "DUTY", "pattern": [{"LOWER": "shall"}]},
                                                          {"label": "DUTY", "pattern": "shall"}]), "services")


def test_the_lemma_table_and_the_party_vocabulary_are_checked(tmp_path, monkeypatch):
    from analyzer.nlp import parties
    from analyzer.nlp.components import ContractLemmatizer

    table = tmp_path / "lemmas.json.gz"
    with gzip.open(table, "wt", encoding="utf-8") as fh:
        json.dump({"installs": ["install"]}, fh)
    with pytest.raises(ValueError, match="not a lemma lookup table"):
        ContractLemmatizer(table)

    shipped = json.loads(parties.DATA.read_text(encoding="utf-8"))
    broken = tmp_path / "parties.json"
    for edit, message in ((lambda d: d.pop("roles"), "missing 'roles'"),
                          (lambda d: d["kinds"].update(rental=["rent"]), "unknown kinds"),
                          (lambda d: d["roles"].update(vendor=["Vendor"]), "supplier or customer")):
        data = json.loads(json.dumps(shipped))
        edit(data)
        broken.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setattr(parties, "DATA", broken)
        parties.vocab.cache_clear()
        with pytest.raises(ValueError, match=message):
            parties.vocab()
    monkeypatch.undo()
    parties.vocab.cache_clear()


def test_the_report_schema_is_valid_and_refuses_a_report_outside_it():
    import jsonschema

    from analyzer.report.build import schema, validate

    jsonschema.Draft202012Validator.check_schema(schema())
    report = {"schema_version": 1, "source": {"path": "c.txt", "format": "txt", "sha256": "0" * 64, "pages": 1},
              "contract": {"kind": "purchase", "parties": [], "commercial_use": None},
              "services": {s: {"status": "absent", "confidence": 0.9, "evidence": []}
                           for s in ("installation", "repair", "maintenance", "upgrade", "training")},
              "requirements": [], "warnings": []}
    validate(report)
    report["services"]["repair"]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        validate(report)


# Each data file the analyzer reads and the test that shows a broken copy refused on load.
PATTERN_SCHEMA = "tests/test_security.py::test_token_patterns_are_validated_against_spacys_pattern_schema"
CHECKED_BY = {
    "nlp/config.cfg": PATTERN_SCHEMA,
    "nlp/patterns/services.jsonl":
        "tests/test_security.py::test_service_patterns_with_an_unknown_service_or_pattern_shape_name_file_and_line",
    "nlp/patterns/cues.jsonl": PATTERN_SCHEMA,
    "nlp/data/lemmas.json.gz": "tests/test_security.py::test_the_lemma_table_and_the_party_vocabulary_are_checked",
    "nlp/data/parties.json": "tests/test_security.py::test_the_lemma_table_and_the_party_vocabulary_are_checked",
    "report/schema.json": "tests/test_security.py::test_the_report_schema_is_valid_and_refuses_a_report_outside_it",
    "requirements/catalogue.toml": "tests/test_requirements_catalogue.py::test_misspelt_field_is_refused",
    "requirements/cues.toml":
        "tests/test_requirements_facts.py::test_bad_cue_regex_is_reported_with_its_section_and_key",
    "samples/trip-*.toml": "tests/test_dispatch.py::test_unknown_fact_and_unknown_event_are_refused",
}


def test_every_data_file_in_the_package_has_a_load_check():
    from analyzer.requirements.dispatch import load_trip

    package = ROOT / "analyzer"
    data = sorted(str(p.relative_to(package)) for p in package.rglob("*")
                  if p.is_file() and p.suffix in (".json", ".jsonl", ".toml", ".cfg", ".gz", ".yaml", ".yml"))
    unchecked = [f for f in data if not any(fnmatch(f, pattern) for pattern in CHECKED_BY)]
    assert unchecked == [], "name the test that shows a broken copy of these refused on load"
    assert all(any(fnmatch(f, pattern) for f in data) for pattern in CHECKED_BY), "a data file was removed"
    for where in CHECKED_BY.values():
        path, test = where.split("::")
        assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), where
    for trip in sorted((package / "samples").glob("trip-*.toml")):
        load_trip(trip)  # the samples pass the check they document

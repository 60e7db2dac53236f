"""Nothing leaves the machine: analyses through the CLI, the app under AppTest and the real server on
localhost run with every outside connection and name lookup refused and recorded, and none is tried.

The guard is checked first on a call that does go out, so "no attempt recorded" cannot pass by a
guard that records nothing. Also here: a Word file's external references are never fetched, nothing
of an upload is written to disk, and no log line at INFO or above holds contract text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from analyzer.api import analyze
from analyzer.errors import BadInputError
from tests import badfiles
from tests.appserver import app_server
from tests.netguard import ROOT, Guard, child_env, read_log

SAMPLE_SENTENCE = "Seller shall supervise the installation"  # in the bundled sample contract
ANALYSIS_SECONDS = 180


def _statuses(analysis) -> dict[str, str]:
    return {name: r.status for name, r in analysis.services.items()}


def test_the_guard_refuses_and_records_what_goes_out_and_lets_localhost_through(tmp_path):
    with Guard() as guard, socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass  # loopback is allowed: the app's own server must stay reachable
        with socket.socket() as out, pytest.raises(OSError):
            out.connect(("192.0.2.10", 443))
        with pytest.raises(OSError):
            socket.getaddrinfo("example.com", 443)
    assert [a["kind"] for a in guard.attempts] == ["connect", "getaddrinfo"]

    env, log = child_env(tmp_path)
    code = "import urllib.request; urllib.request.urlopen('http://example.com/', timeout=5)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert any("example.com" in a["target"] for a in read_log(log)), "the child process is not guarded"


def test_cli_analysis_of_a_deal_sends_nothing(tmp_path):
    files = {"contract.pdf": badfiles.contract_pdf(),
             "terms.docx": badfiles.docx_external_relationships(badfiles.contract_docx()),
             "schedule.txt": badfiles.contract_text().encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    env, log = child_env(tmp_path)
    done = subprocess.run([sys.executable, "-m", "analyzer.cli", "analyze", *files], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=ANALYSIS_SECONDS)
    assert done.returncode == 0, done.stderr
    assert badfiles.MARKER not in done.stderr
    assert read_log(log) == []
    report = json.loads(done.stdout)
    assert {k: v["status"] for k, v in report["services"].items()} == badfiles.EXPECTED
    assert {e["file"] for r in report["services"].values() for e in r["evidence"]} == set(files)


def test_word_external_references_and_entities_are_never_fetched():
    data = badfiles.docx_external_relationships(badfiles.contract_docx())
    with Guard() as guard:
        analysis = analyze(data, names=["terms.docx"])
    assert guard.attempts == []
    assert _statuses(analysis) == badfiles.EXPECTED
    text = analysis.documents[0].text
    assert "See the online terms." in text  # the hyperlink's text is read, its target is not
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in text  # the external entity was not expanded
    assert "example.invalid" not in text


def _new_files_holding(needle: bytes, since: float, folders: list[Path]) -> list[Path]:
    """Files modified after `since` under `folders` whose bytes contain `needle`."""
    found = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in (".venv", ".git", "node_modules")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= since and needle in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_app_analysis_of_uploads_sends_nothing_and_writes_nothing_to_disk():
    from streamlit.testing.v1 import AppTest

    contract = badfiles.contract_text().encode()
    terms = badfiles.docx_external_relationships(badfiles.contract_docx())
    since = time.time() - 1
    with Guard() as guard:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=ANALYSIS_SECONDS)
        at.run()
        at.file_uploader[0].set_value([("contract.txt", contract, "text/plain"),
                                       ("terms.docx", terms, "application/octet-stream")])
        next(b for b in at.button if b.label == "Analyse").click().run()
    assert not at.exception
    assert guard.attempts == []
    assert at.header[0].value == "contract.txt, terms.docx"
    badges = [m.value for m in at.markdown if m.value.startswith(":green-badge[")]
    assert len(badges) == 3  # installation, repair and training are the supplier's duty
    leaked = _new_files_holding(badfiles.MARKER.encode(), since, [Path(tempfile.gettempdir()), ROOT])
    assert leaked == []


async def _press_analyse(url: str) -> tuple[object, list]:
    """Open a session the way the browser does, then press Analyse with the bundled sample selected.
    Returns the session's settings and the elements of the analysed page."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def run(ws, buttons=()):
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        for button_id in buttons:
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id, widget.trigger_value = button_id, True
        await ws.send(msg.SerializeToString())
        elements, session = [], None
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), ANALYSIS_SECONDS))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                session = fwd.new_session
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements.append(fwd.delta.new_element)
            elif kind == "script_finished":
                return session, elements

    async with websockets.connect(f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None) as ws:
        session, first = await run(ws)
        submit = [e.button.id for e in first if e.WhichOneof("type") == "button" and e.button.is_form_submitter]
        assert len(submit) == 1, "the Review page should have one form with an Analyse button"
        _, analysed = await run(ws, submit)
        return session, analysed


@pytest.fixture
def server(tmp_path):
    """`streamlit run app.py` as `make app` starts it (the repository's .streamlit/config.toml), under the guard."""
    env, log = child_env(tmp_path)
    with app_server(tmp_path / "server.log", "localhost", env=env) as (url, proc):
        yield url, proc, log, tmp_path / "server.log"


def test_the_real_server_on_localhost_analyses_a_contract_and_sends_nothing(server):
    url, proc, log, server_log = server
    session, elements = asyncio.run(_press_analyse(url.replace("http", "ws")))
    assert not session.config.gather_usage_stats  # the browser is told not to send usage statistics
    markdown = [e.markdown.body for e in elements if e.WhichOneof("type") == "markdown"]
    assert sum(bool(re.match(r":\w+-badge\[", m)) for m in markdown) == 5, markdown  # a status for each service
    assert not [e for e in elements if e.WhichOneof("type") == "exception"]
    proc.terminate()
    proc.wait(timeout=20)
    assert read_log(log) == []
    output = server_log.read_text()
    assert "External URL" not in output and SAMPLE_SENTENCE not in output


def test_no_log_record_at_info_or_above_holds_contract_text(caplog, capfd):
    caplog.set_level(logging.DEBUG)
    for name, data in (("contract.pdf", badfiles.contract_pdf()), ("contract.docx", badfiles.contract_docx()),
                       ("contract.txt", badfiles.contract_text().encode())):
        assert _statuses(analyze(data, names=[name])) == badfiles.EXPECTED
    with pytest.raises(BadInputError) as refused:
        analyze(badfiles.docm_renamed(badfiles.contract_docx()), names=["macro.docx"])
    assert badfiles.MARKER not in str(refused.value)
    words = [badfiles.MARKER, "shall install", "routine maintenance"]
    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in loud if any(w in r.getMessage() for w in words)]
    printed = capfd.readouterr()
    assert not any(w in printed.out + printed.err for w in words)

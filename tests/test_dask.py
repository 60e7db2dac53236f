"""`--engine dask`: the same batch on a Dask distributed cluster gives the same results as the local engine."""

from __future__ import annotations

import zipfile

import pytest

from analyzer.batch import run_batch
from analyzer.errors import BadInputError
from tests.builders import pdf_pages
from tests.test_batch import LEASE, SUPPLY, _docx

distributed = pytest.importorskip("distributed")


@pytest.fixture
def contracts(tmp_path):
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "supply.pdf").write_bytes(pdf_pages([SUPPLY]))
    (folder / "lease.docx").write_bytes(_docx(LEASE))
    (folder / "supply.txt").write_text("\n\n".join(SUPPLY), encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with zipfile.ZipFile(tmp_path / "more.zip", "w") as zf:
        zf.writestr("lease.txt", "\n\n".join(LEASE))
    return [str(folder), str(tmp_path / "more.zip")]


def test_a_two_worker_local_cluster_gives_the_local_engines_results(contracts, tmp_path):
    local = tmp_path / "local.jsonl"
    run_batch(contracts, local, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask.jsonl"
        summary = run_batch(contracts, out, engine="dask", scheduler=cluster.scheduler_address)
        assert {w["nthreads"] for w in cluster.scheduler_info["workers"].values()} == {1}
        assert len(cluster.scheduler_info["workers"]) == 2
    assert (summary.analysed, summary.errors) == (5, 1)
    assert out.read_bytes() == local.read_bytes()


def test_an_unreachable_scheduler_is_reported_as_bad_input(contracts, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(BadInputError, match="cannot reach the Dask scheduler"):
        run_batch(contracts, tmp_path / "r.jsonl", engine="dask", scheduler="tcp://127.0.0.1:9")

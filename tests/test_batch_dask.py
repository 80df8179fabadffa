"""The Dask backend (a LocalCluster) gives the same handouts and manifest as the process pool."""

from __future__ import annotations

from pathlib import Path

import distributed  # noqa: F401  (the dask extra; a missing one fails, never skips)

from routinekit.batch import run_batch
from routinekit.batch.manifest import MANIFEST_NAME

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "patients.csv"


def test_dask_local_cluster_is_byte_identical_to_the_process_pool(tmp_path: Path) -> None:
    local = run_batch(EXAMPLE, "back-spasm-acute", tmp_path / "local", jobs=2)
    dask = run_batch(EXAMPLE, "back-spasm-acute", tmp_path / "dask", jobs=2, scheduler="local")
    assert local.ok and dask.ok and local.written == dask.written == 8
    assert (tmp_path / "local" / MANIFEST_NAME).read_bytes() == (
        tmp_path / "dask" / MANIFEST_NAME
    ).read_bytes()
    pdfs = sorted(p.name for p in (tmp_path / "local").glob("*.pdf"))
    assert len(pdfs) == 8
    for name in pdfs:
        assert (tmp_path / "local" / name).read_bytes() == (
            tmp_path / "dask" / name
        ).read_bytes(), name
        assert (tmp_path / "dask" / name).stat().st_mode & 0o777 == 0o600

    again = run_batch(EXAMPLE, "back-spasm-acute", tmp_path / "dask", jobs=2, scheduler="local")
    assert (again.kept, again.written) == (8, 0)  # the same resume semantics

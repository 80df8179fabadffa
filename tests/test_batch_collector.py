"""A pool worker settles its garbage collector (issue 20: ~5% of a varied row was full
collections walking the worker's long-lived objects); any other process is left alone."""

from __future__ import annotations

import types

import pytest

from routinekit.batch import worker

CONFIG = types.SimpleNamespace(coordinator=None)


class FakeGC:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.threshold = (700, 10, 10)

    def collect(self) -> int:
        self.calls.append("collect")
        return 0

    def freeze(self) -> None:
        self.calls.append("freeze")

    def get_threshold(self) -> tuple[int, int, int]:
        return self.threshold

    def set_threshold(self, *t: int) -> None:
        self.calls.append("threshold")
        self.threshold = t  # type: ignore[assignment]


@pytest.fixture
def fake_gc(monkeypatch: pytest.MonkeyPatch) -> FakeGC:
    fake = FakeGC()
    monkeypatch.setattr(worker, "gc", fake)
    monkeypatch.setattr(worker, "_SETTLED", [0])
    monkeypatch.setattr(worker.lifeline, "watch", lambda coordinator: None)
    monkeypatch.setattr(worker.signal, "signal", lambda *a: None)
    # a worker state writing nowhere (no local folder: no ChunkCommit)
    state = types.SimpleNamespace(journal=None, storage=types.SimpleNamespace(local=None))
    monkeypatch.setattr(worker, "state_for", lambda config: state)
    return fake


def test_a_pool_worker_freezes_what_it_loaded_and_collects_young_objects_less_often(
    fake_gc: FakeGC,
) -> None:
    worker.init_worker(CONFIG)  # type: ignore[arg-type]
    assert fake_gc.calls == ["collect", "freeze", "threshold"]  # collected before frozen
    assert fake_gc.threshold == (worker.GC_YOUNG, 10, 10)


def test_a_worker_settles_again_after_its_first_chunk_only(
    fake_gc: FakeGC, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "build_one", lambda state, job, commit=None: job)
    worker.init_worker(CONFIG)  # type: ignore[arg-type]
    fake_gc.calls.clear()
    worker.run_chunk(object(), [1, 2])  # type: ignore[arg-type, list-item]
    assert fake_gc.calls.count("freeze") == 1
    worker.run_chunk(object(), [3])  # type: ignore[arg-type, list-item]
    assert fake_gc.calls.count("freeze") == 1


def test_run_chunk_outside_a_pool_worker_leaves_the_collector_alone(
    fake_gc: FakeGC, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Executor of the caller's own (threads, in-process) runs run_chunk in a process
    whose collector belongs to its application."""
    monkeypatch.setattr(worker, "build_one", lambda state, job, commit=None: job)
    worker.run_chunk(object(), [1])  # type: ignore[arg-type, list-item]
    assert fake_gc.calls == []


def test_a_collector_turned_off_stays_off(fake_gc: FakeGC) -> None:
    fake_gc.threshold = (0, 10, 10)
    worker.settle_collector()
    assert "threshold" not in fake_gc.calls

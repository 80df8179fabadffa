"""The PDF renderer's caches keep shared text only, and stay bounded.

A batch worker renders thousands of patients: their names, dates and notes must not
pile up in (or linger in) the cache, so its size must not grow with patients at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import types
from collections.abc import Iterator
from typing import Any

import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.model import Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.html import render_html
from routinekit.render.pdf import render_pdf, textflow
from routinekit.text import scripts
from tests.conftest import EXAMPLES

FIRST = ["Zoë", "Liam", "José", "Amelia", "Noor", "Ivan", "Mei", "Olu"]
LAST = ["Łukasiewicz", "Nguyen", "Schröder", "Παπαδοπούλου", "Okafor", "Rossi"]


def _patients(n: int) -> list[Patient]:
    return [
        Patient(
            name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}-{i}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            therapist=f"Therapist {i}",
            notes=f"Private note {i} for this patient only",
        )
        for i in range(n)
    ]


@pytest.fixture
def recorded_keys(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every runs tuple that reaches the cached wrapper (a fresh, empty cache)."""
    keys: list[tuple[Any, ...]] = []
    cached = textflow.functools.lru_cache(maxsize=textflow.WRAP_CACHE_SIZE)(textflow._wrap_lines)

    def recording(runs: tuple[Any, ...], size: float, frame: textflow.Frame) -> Any:
        keys.append(runs)
        return cached(runs, size, frame)

    recording.cache_info = cached.cache_info  # type: ignore[attr-defined]
    monkeypatch.setattr(textflow, "_wrap", recording)
    return keys


def test_many_patients_neither_grow_the_cache_nor_enter_it(
    recorded_keys: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    shared = scripts._shared_missing

    def recording_check(text: str) -> str | None:
        checked.append(text)
        return shared(text)

    monkeypatch.setattr(scripts, "_shared_missing", recording_check)
    host = PluginHost(entry_points=False)
    routine = api.load_routine("back-spasm-acute", host=host)
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    patients = _patients(24)
    sizes = []
    for patient in patients:
        handout = api.build_handout(
            routine, patient=patient, clinic=clinic, strategy="as-written", host=host
        ).handout
        render_pdf(handout, RenderOptions())
        sizes.append(textflow._wrap.cache_info().currsize)  # type: ignore[attr-defined]
    # the first handout fills the cache with the routine's text; later patients add nothing
    assert sizes[0] > 50
    assert sizes[-1] == sizes[0]
    assert sizes[-1] <= textflow.WRAP_CACHE_SIZE
    cached_text = " ".join(run.text for runs in recorded_keys for run in runs)
    for patient in patients:
        assert patient.name not in cached_text
        assert patient.therapist not in cached_text
        assert str(patient.notes) not in cached_text
        assert patient.name.split()[0] + " " not in cached_text
        # the printable-script check keeps shared text only, too
        assert not any(patient.name in text or str(patient.notes) in text for text in checked)
    assert len(checked) > 20


_LRU_TYPE = type(functools.lru_cache(maxsize=1)(lambda: None))
#: Objects whose contents are code, not cached data: the walk does not enter them.
_OPAQUE = (
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    type,
)


def _cached_text() -> Iterator[str]:
    """Every string (and decodable bytes) held by any cache of routinekit's code.

    The caches are found, not listed: every ``functools`` cache whose function lives in
    a ``routinekit`` module, and every bounded bytes cache (``_LruBytes``), walked
    through their keys and results (containers, structs, dataclasses, objects).
    """
    roots: list[Any] = []
    for obj in gc.get_objects():
        if isinstance(obj, _LRU_TYPE):
            if str(getattr(obj, "__module__", "")).startswith("routinekit"):
                roots.extend(r for r in gc.get_referents(obj) if not isinstance(r, _OPAQUE))
        elif type(obj).__name__ == "_LruBytes" and type(obj).__module__.startswith("routinekit"):
            roots.append(obj)
    assert len(roots) > 20, "the walk should find the renderer's caches"
    seen: set[int] = set()
    stack = roots
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            yield obj
        elif isinstance(obj, bytes | bytearray):
            yield bytes(obj).decode("utf-8", "ignore")
        else:
            stack.extend(gc.get_referents(obj))
            if hasattr(obj, "__slots__") and not isinstance(obj, tuple):
                for name in getattr(type(obj), "__struct_fields__", ()) or ():
                    stack.append(getattr(obj, name, None))


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
def test_no_patient_detail_in_any_cache_after_rendering(large_print: bool) -> None:
    """Names, therapists and notes must not stay in any of the process's caches.

    Large print wraps "Prepared for NAME ..." over lines in the footer, which measures
    every trial line; regular print measures it whole.
    """
    host = PluginHost(entry_points=False)
    routine = api.load_routine("back-spasm-acute", host=host)
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    patients = _patients(6)
    for patient in patients:
        handout = api.build_handout(
            routine, patient=patient, clinic=clinic, strategy="as-written", host=host
        ).handout
        options = RenderOptions(large_print=large_print)
        render_pdf(handout, options)
        render_html(handout, options)
    del handout
    text = "\n".join(_cached_text())
    assert "Cat-Cow" in text  # the walk reaches the shared text
    for patient in patients:
        first, last = patient.name.split(" ", 1)
        for detail in (last, patient.therapist, str(patient.notes), f"{first} {last[:4]}"):
            assert detail not in text, f"{detail!r} is in a cache"


def test_cache_is_bounded() -> None:
    assert textflow._wrap.cache_info().maxsize == textflow.WRAP_CACHE_SIZE <= 1024
    frame = textflow.fixed(200.0)
    for i in range(textflow.WRAP_CACHE_SIZE + 50):
        textflow.wrap([textflow.Run(f"text number {i}")], 10.0, frame)
    assert textflow._wrap.cache_info().currsize <= textflow.WRAP_CACHE_SIZE


def test_uncached_wrap_matches_cached() -> None:
    runs = textflow.labelled("Patient:", "Zoë Łukasiewicz with a rather long name to wrap")
    frame = textflow.fixed(90.0, 4.0)
    textflow._wrap.cache_clear()
    assert textflow.wrap(runs, 10.0, frame, cache=False) == textflow.wrap(runs, 10.0, frame)
    assert textflow._wrap.cache_info().currsize == 1

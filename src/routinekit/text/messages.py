"""Every fixed string a handout can print, for the catalogs and their completeness test.

Three sources: ``_("literal")`` calls in the code (found by Babel at development time,
see ``tools/i18n_catalog.py``), tables of words renderers look up by key (month names,
section titles, body positions), and the group titles and intros strategies write, found
by running every registered strategy on varied sets of exercises.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

from routinekit.library import library_for
from routinekit.model import Candidate, Movement, SequenceRequest, StrategyOptions
from routinekit.plugins.host import PluginHost

#: Module attributes holding words a renderer passes through ``_()`` by key or index.
TABLES: tuple[tuple[str, str], ...] = (
    ("routinekit.render.words", "MONTHS"),
    ("routinekit.render.words", "SECTION_TITLES"),
    ("routinekit.render.words", "RED_FLAG_TITLES"),
    ("routinekit.render.pdf.cards", "POSITION_WORDS"),
    ("routinekit.render.content", "INSTEAD_WORDS"),
)


def table_messages() -> list[str]:
    out: list[str] = []
    for module, name in TABLES:
        try:
            table = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        out.extend(table.values() if isinstance(table, dict) else table)
    return out


def _candidate_sets(host: PluginHost) -> Iterator[tuple[Candidate, ...]]:
    library = list(library_for(host))
    pool = [Candidate(exercise=e, dose=e.dose, position=i) for i, e in enumerate(library)]
    yield tuple(pool)
    from routinekit.files.routine_file import load_routine_file

    for ident in host.templates():
        path = host.template(ident).path
        ids = [e.id for e in load_routine_file(path).routine.exercises]
        yield tuple(c for c in pool if c.exercise.id in ids)
    for left_out in ([m] for m in Movement):
        yield tuple(c for c in pool if not any(c.exercise.has_movement(m) for m in left_out))
    yield tuple(
        c
        for c in pool
        if not (
            c.exercise.has_movement(Movement.ROTATION)
            or c.exercise.has_movement(Movement.EXTENSION)
        )
    )


def strategy_messages(host: PluginHost) -> list[str]:
    """Group titles and intros every registered strategy writes (on varied exercise sets)."""
    out: list[str] = []
    for ident in host.strategies():
        strategy = host.strategy(ident)
        for cands in _candidate_sets(host):
            if not cands:
                continue
            request = SequenceRequest(
                candidates=cands, routine_id="messages", options=StrategyOptions()
            )
            plan = strategy.sequence(request)
            for g in plan.groups:
                out.extend(t for t in (g.title, g.intro) if t)
            for e in (*(plan.education or ()), *plan.more_education):
                out += [e.heading, e.text]
            out.extend((*(plan.self_care or ()), *plan.more_self_care))
    return out


def unique(messages: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(m for m in messages if m))

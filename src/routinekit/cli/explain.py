"""Why each exercise is where it is (``build --explain`` and ``routinekit sequence``).

:func:`explanation_lines` and :func:`explanation_data` are pure: they read a
:class:`~routinekit.pipeline.BuildResult` and never draw or write anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from routinekit.model import SECTIONS
from routinekit.pipeline import BuildResult
from routinekit.text import dose_text, frequency_words, regimen_text

_SECTION_NAMES = {
    "education": "education",
    "self_care": "self-care",
    "red_flags": "red flags",
    "exercises": "exercises",
    "phases": "programme phases",
    "tracking_log": "tracking log",
}


def phase_lines(result: BuildResult, strategy_names: Mapping[str, str] | None = None) -> list[str]:
    """The programme's phases, each with its strategy and the rule for moving on."""
    names = strategy_names or {}
    lines: list[str] = []
    for i, ph in enumerate(result.handout.phases, 1):
        head = f"  {i}. {ph.name}"
        if ph.strategy:
            label = names.get(ph.strategy)
            head += f" — strategy {ph.strategy}" + (f" ({label})" if label else "")
            if result.handout.stage is None and ph.strategy == result.handout.strategy_id:
                head += " [this handout]"
        if result.handout.stage == i:
            head += " [you are here]"
        lines.append(head)
        if ph.when:
            lines.append(f"     when: {ph.when}")
        if ph.move_on:
            lines.append(f"     move on: {ph.move_on}")
    return lines


def explanation_lines(
    result: BuildResult, strategy_names: Mapping[str, str] | None = None
) -> list[str]:
    """The explanation as plain text lines."""
    h = result.handout
    lines = [f"Strategy: {h.strategy_name} ({h.strategy_id})"]
    for g in h.groups:
        if g.title:
            lines += ["", g.title]
        for item in g.items:
            lines.append(f"  {item.number}. {item.exercise.name} — {dose_text(item.dose)}")
            if item.reason:
                lines.append(f"     why: {item.reason}")
            if item.replaces is not None:
                lines.append(
                    f"     in place of: {item.replaces.name} ({item.replaces.reason}); "
                    "this is its alternative, and it meets every limit"
                )
            lines.append(
                f"     positions: {', '.join(item.positions) or '-'}; "
                f"needs: {', '.join(item.needs) or 'nothing'}"
            )
    if not h.items:
        lines += ["", "No exercises were placed."]
    if h.left_out:
        lines += ["", "Left out:"]
        lines += [f"  - {lo.name}: {lo.reason}" for lo in h.left_out]
    for note in h.strategy_notes:
        lines += ["", f"Note: {note}"]
    lines += ["", f"Regimen: {regimen_text(h.regimen)}"]
    if h.regimen.change_seconds:
        lines.append(
            f"  (doses as printed, plus about {round(h.regimen.change_seconds)} s "
            "to change position)"
        )
    if h.section_order != SECTIONS:
        order = ", ".join(_SECTION_NAMES.get(s, s) for s in h.section_order)
        lines.append(f"Sections in this order: {order}")
    if h.phases:
        lines += ["", "Programme phases:", *phase_lines(result, strategy_names)]
    return lines


def explanation_data(result: BuildResult) -> dict[str, Any]:
    """The explanation as plain data, for ``--json``."""
    h = result.handout
    return {
        "routine": h.routine_id,
        "strategy": {"id": h.strategy_id, "name": h.strategy_name},
        "groups": [
            {
                "title": g.title,
                "intro": g.intro,
                "items": [
                    {
                        "number": i.number,
                        "id": i.exercise.id,
                        "name": i.exercise.name,
                        "dose": dose_text(i.dose),
                        "seconds_low": i.dose.seconds("low"),
                        "reason": i.reason,
                        "positions": list(i.positions),
                        "needs": list(i.needs),
                        "replaces": i.replaces.exercise_id if i.replaces else None,
                    }
                    for i in g.items
                ],
            }
            for g in h.groups
        ],
        "left_out": [
            {"id": lo.exercise_id, "name": lo.name, "reason": lo.reason} for lo in h.left_out
        ],
        "notes": list(h.strategy_notes),
        "regimen": {
            "text": regimen_text(h.regimen),
            "minutes_low": h.regimen.minutes_low,
            "minutes_high": h.regimen.minutes_high,
            "times_per_day": (
                frequency_words(h.regimen.times_per_day) if h.regimen.times_per_day else None
            ),
        },
        "section_order": list(h.section_order),
        "phases": [
            {"name": p.name, "strategy": p.strategy, "when": p.when, "move_on": p.move_on}
            for p in h.phases
        ],
    }


def print_explanation(result: BuildResult, strategy_names: Mapping[str, str] | None = None) -> None:
    if strategy_names is None:
        from routinekit.plugins.host import get_host

        strategy_names = {k: r.obj.name for k, r in get_host().strategies().items()}
    for line in explanation_lines(result, strategy_names):
        click.echo(line)

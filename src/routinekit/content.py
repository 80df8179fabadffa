"""The built-in clinical content as a list of facts, each with its sources.

A *fact* is one thing the built-in library, templates or strategies tell a patient or
decide for them: an exercise's name, steps, position, dose, each caution; a template's
education, self-care lines, red flags, stage rules, notes and doses; a strategy's rules
and the texts it prints. Every fact names the seed passage it rests on, or is marked as
the project's clinical default with a reason (``routinekit.model.provenance``).

From these facts come:

* :func:`missing` — the facts without a source (``tests/test_provenance.py`` wants none);
* :func:`content_version` — a short hash of every fact and its sources, which a clinic's
  lead therapist names when signing off (``ClinicProfile.content_signoff``);
* :func:`document` — ``docs/clinical-content.md``, the reviewer's document
  (``routinekit content doc``; a test checks the committed one is current).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from routinekit.model import ClinicProfile, Exercise, Routine, Source
from routinekit.model.routine import RedFlag

#: The fields of an exercise that are clinical facts, in the order the document lists them.
EXERCISE_FIELDS = ("name", "objective", "steps", "position", "movements", "difficulty", "phases")


@dataclass(frozen=True)
class Fact:
    """One built-in fact: where it lives, what it says, and its sources (maybe none)."""

    where: str
    """E.g. ``exercise childs-pose: dose`` or ``template back-spasm-acute: red_flags[2]``."""
    text: str
    sources: tuple[Source, ...]


def _exercise_value(ex: Exercise, field: str) -> str:
    value = getattr(ex, field)
    if field == "steps":
        return " / ".join(value)
    if field in ("movements", "phases"):
        return ", ".join(str(v.value) for v in value) or "-"
    if field == "position":
        return str(value.value)
    return str(value)


def exercise_facts(ex: Exercise) -> Iterator[Fact]:
    """The facts of one exercise (with empty sources where it has no provenance)."""
    from routinekit.text import dose_text

    pv = ex.provenance
    head = f"exercise {ex.id}"
    for field in EXERCISE_FIELDS:
        yield Fact(f"{head}: {field}", _exercise_value(ex, field), getattr(pv, field, ()))
    yield Fact(f"{head}: dose", dose_text(ex.dose) or "-", pv.dose if pv else ())
    for i, caution in enumerate(ex.cautions):
        got = pv.cautions[i] if pv and i < len(pv.cautions) else ()
        yield Fact(f"{head}: cautions[{i}]", caution, got)
    for i, alt in enumerate(ex.alternatives):
        got = pv.alternatives[i] if pv and i < len(pv.alternatives) else ()
        yield Fact(f"{head}: alternatives[{i}]", alt.text, got)


def _at(items: Sequence[tuple[Source, ...]], i: int) -> tuple[Source, ...]:
    return items[i] if i < len(items) else ()


def routine_facts(routine: Routine) -> Iterator[Fact]:
    """The facts of one routine: its education, self-care, red flags, stages, notes, doses."""
    from routinekit.text import dose_text

    pv = routine.provenance
    head = f"template {routine.id}"
    for i, sec in enumerate(routine.education):
        yield Fact(
            f"{head}: education[{i}]",
            f"{sec.heading} {sec.text}",
            _at(pv.education, i) if pv else (),
        )
    for i, line in enumerate(routine.self_care):
        yield Fact(f"{head}: self_care[{i}]", line, _at(pv.self_care, i) if pv else ())
    for i, flag in enumerate(routine.red_flags):
        text = (
            f"[{flag.level.value}] {flag.text}" if isinstance(flag, RedFlag) else f"[call] {flag}"
        )
        yield Fact(f"{head}: red_flags[{i}]", text, _at(pv.red_flags, i) if pv else ())
    for i, ph in enumerate(routine.phases):
        text = " ".join(t for t in (ph.name, ph.when, ph.move_on) if t)
        if ph.strategy:
            text += f" (strategy {ph.strategy})"
        yield Fact(f"{head}: phases[{i}]", text, _at(pv.phases, i) if pv else ())
    for entry in routine.exercises:
        if entry.note:
            got = pv.notes.get(entry.id, ()) if pv else ()
            yield Fact(f"{head}: note of {entry.id}", entry.note, got)
        if entry.dose is not None and not entry.dose.is_empty:
            got = pv.doses.get(entry.id, ()) if pv else ()
            yield Fact(f"{head}: dose of {entry.id}", dose_text(entry.dose), got)


def builtin_facts() -> list[Fact]:
    """Every fact of the built-in library, templates and strategies, in a stable order."""
    from routinekit.builtins.templates import TEMPLATE_DIR
    from routinekit.files.routine_file import load_routine_file
    from routinekit.library import BUILTIN_FILE, load_exercise_file
    from routinekit.strategies import builtin_strategies

    out: list[Fact] = []
    for ex in load_exercise_file(BUILTIN_FILE):
        out += exercise_facts(ex)
    for path in sorted(Path(TEMPLATE_DIR).glob("*.yaml")):
        out += routine_facts(load_routine_file(path).routine)
    for strategy in builtin_strategies():
        if not strategy.rules:
            out.append(Fact(f"strategy {strategy.id}", "(no rules listed)", ()))
        for i, r in enumerate(strategy.rules):
            out.append(Fact(f"strategy {strategy.id}: rules[{i}]", r.rule, r.sources))
    return out


def missing(facts: Sequence[Fact] | None = None) -> list[str]:
    """Where a built-in fact has no source (neither a seed passage nor a clinical default)."""
    return [f.where for f in (builtin_facts() if facts is None else facts) if not f.sources]


def content_version(facts: Sequence[Fact] | None = None) -> str:
    """``content-`` and 12 hex digits: a hash of every fact and its sources.

    Any change of a text, dose, rule or source gives a new version, so a sign-off names
    exactly the content its reviewer read.
    """
    h = hashlib.sha256()
    for f in builtin_facts() if facts is None else facts:
        h.update(f"{f.where}\x1f{f.text}\x1f".encode())
        for s in f.sources:
            h.update(f"{s.seed}\x1f{s.quote}\x1f{s.default}\x1e".encode())
    return f"content-{h.hexdigest()[:12]}"


@cache
def current_version() -> str:
    """:func:`content_version` of the installed content, computed once per process."""
    return content_version()


def _sources_md(sources: tuple[Source, ...]) -> str:
    if not sources:
        return "**no source**"
    return "<br>".join(_md(s.text()) for s in sources)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document(facts: Sequence[Fact] | None = None) -> str:
    """``docs/clinical-content.md``: every built-in fact with its source, for review."""
    facts = builtin_facts() if facts is None else list(facts)
    version = content_version(facts)
    defaults = sum(1 for f in facts if f.sources and all(s.is_default for s in f.sources))
    lines = [
        "# Clinical content: every built-in fact and its source",
        "",
        "Generated from the library, the templates and the strategies by `routinekit content doc`",
        "(`tests/test_provenance.py` checks this file is current). Do not edit it by hand.",
        "",
        f"Content version: **{version}** ({len(facts)} facts; {defaults} rest only on the",
        "project's clinical default, each with its reason).",
        "",
        "Seeds are the source documents (`seed 000` .. `seed 004`, see the seeds README); a",
        "quote is a short locator of the passage, not a copy of it. *Clinical default* marks a",
        "fact the sources do not give, chosen by the project, with the reason.",
        "",
        "## How a clinic signs off",
        "",
        "A clinic's lead therapist reads this document for the version above, then records the",
        "review in the clinic profile (`routinekit content signoff --by NAME` prints the lines",
        "to add). Handouts built with that profile carry the sign-off in their PDF metadata",
        "(who, when, which content version; never anything about a patient). When the content",
        "changes, the version changes, and `routinekit build` warns that the sign-off is for",
        "another version.",
        "",
    ]
    section = None
    for f in facts:
        kind, _, rest = f.where.partition(": ")
        if kind != section:
            section = kind
            lines += ["", f"## {kind}", "", "| fact | says | source |", "| --- | --- | --- |"]
        lines.append(f"| {_md(rest or '-')} | {_md(f.text)} | {_sources_md(f.sources)} |")
    return "\n".join(lines) + "\n"


def signoff_yaml(by: str, date: str, version: str | None = None) -> str:
    """The lines to add to a clinic profile to record a review of ``version``."""
    version = version or content_version()
    quoted = by.replace("\\", "\\\\").replace('"', '\\"')
    return f'content_signoff:\n  by: "{quoted}"\n  date: {date}\n  content_version: {version}\n'


def signoff_keywords(clinic: ClinicProfile | None) -> str:
    """The PDF keywords that carry a clinic's content sign-off (clinic staff, never a patient).

    Empty without a sign-off; says so when the sign-off is for another content version.
    """
    signoff = clinic.content_signoff if clinic else None
    if signoff is None:
        return ""
    now = current_version()
    if signoff.content_version != now:
        return (
            f"routinekit {now}; not signed off (the clinic's sign-off is for "
            f"{signoff.content_version})"
        )
    return f"routinekit {now}; content reviewed by {signoff.by} on {signoff.date.isoformat()}"


def signoff_warning(clinic: ClinicProfile | None) -> str | None:
    """A one-line warning when the clinic's sign-off is for another content version."""
    signoff = clinic.content_signoff if clinic else None
    if signoff is None or signoff.content_version == current_version():
        return None
    return (
        f"the clinic's content sign-off is for {signoff.content_version}, but this build uses "
        f"{current_version()}"
    )

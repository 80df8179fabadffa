"""Test helpers for plugin authors, loaded by pytest through the ``pytest11`` entry point.

With routinekit installed, every test session can use these fixtures without
importing anything:

``routinekit_host``
    A factory: ``routinekit_host(my_plugin)`` returns a :class:`PluginHost` with the
    built-ins plus your plugin registered for this one test (installed plugins are
    not loaded, so other people's plugins cannot change your results).
``routinekit_routine``
    The sample routine (built-in exercises) as a loaded routine file.
``routinekit_patient``
    A sample patient with a non-ASCII name, a date, notes and a dose override.
``routinekit_build``
    ``routinekit_build(my_plugin, format="md")`` runs the whole pipeline and returns
    the rendered bytes.

The same helpers work without pytest: :func:`make_host`, :func:`sample_routine`,
:func:`sample_patient`, :func:`sample_handout`, :func:`build_bytes`, and the contract
checks :func:`check_source`, :func:`check_strategy` and :func:`check_renderer`, which
raise :class:`ContractError` saying what the plugin got wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from routinekit.contracts import ExerciseSource, Renderer, RenderOptions, Strategy
    from routinekit.files.routine_file import RoutineFile
    from routinekit.model import Candidate, Exercise, Handout, Patient, SequencePlan
    from routinekit.plugins.host import PluginHost

#: The built-in exercises the sample routine uses (easy to rotational, with a timed one).
SAMPLE_EXERCISES: tuple[str, ...] = (
    "childs-pose",
    "knees-to-chest",
    "cat-cow",
    "supine-spinal-rotation",
    "walking",
)

#: A fixed date so that rendered bytes do not change from day to day.
SAMPLE_DATE = dt.date(2026, 1, 15)


class ContractError(AssertionError):
    """A plugin does not keep routinekit's contract; the message says which rule it broke."""


# -- building blocks --------------------------------------------------------------------------


def make_host(*plugins: object, entry_points: bool = False) -> PluginHost:
    """A plugin host with the built-ins and ``plugins`` (modules or objects with hooks).

    Installed plugins are left out unless ``entry_points`` is true. Plugin faults
    raise (strict mode), so a test sees them at once.
    """
    from routinekit.plugins.host import PluginHost

    return PluginHost(entry_points=entry_points, extra=plugins, strict=True, allow=None, block=())


def sample_routine_text(
    exercises: Sequence[str] = SAMPLE_EXERCISES, *, strategy: str = "as-written"
) -> str:
    """The YAML of a small routine using ``exercises`` (ids), with every section filled in."""
    lines = [
        "routinekit: 1",
        "id: sample-routine",
        "title: Sample Stretches",
        "condition: Low back stiffness",
        "language: en",
        f"strategy: {strategy}",
        "education:",
        "  - heading: Why stretch?",
        "    text: Gentle stretching helps tight muscles relax.",
        "self_care:",
        "  - Keep moving. Take short walks during the day.",
        "red_flags:",
        "  - New numbness in a leg",
        "exercises:",
    ]
    for i, ident in enumerate(exercises):
        lines.append(f"  - id: {ident}")
        if i == 0:
            lines.append("    note: Start with this one.")
    return "\n".join(lines) + "\n"


def sample_routine(
    exercises: Sequence[str] = SAMPLE_EXERCISES, *, strategy: str = "as-written"
) -> RoutineFile:
    """A loaded sample routine (see :func:`sample_routine_text`)."""
    from routinekit.files.routine_file import load_routine_text

    return load_routine_text(
        sample_routine_text(exercises, strategy=strategy), source="sample-routine.yaml"
    )


def sample_patient(*, notes: str | None = "Walk for 5 minutes after each session.") -> Patient:
    """A sample patient: non-ASCII name, fixed date, notes (or none), one dose override."""
    from routinekit.model import Dose, Patient, Range

    return Patient(
        name="Zoë Łukasiewicz",
        date=SAMPLE_DATE,
        therapist="Sam Rivera, PT",
        notes=notes,
        doses={"childs-pose": Dose(hold=Range(20, 30))},
    )


def sample_clinic() -> Any:
    """An example clinic profile (example.org addresses)."""
    from routinekit.model import ClinicProfile

    return ClinicProfile(
        name="Example Physical Therapy",
        phone="555-0100",
        website="https://www.example-clinic.org",
        video_url_pattern="https://videos.example-clinic.org/exercises/{id}",
    )


def sample_handout(
    host: PluginHost | None = None,
    *,
    routine: RoutineFile | None = None,
    patient: Patient | None = None,
    clinic: Any = None,
    strategy: str | None = None,
) -> Handout:
    """Run the pipeline up to rendering on the sample routine; return the handout."""
    from routinekit.api import build_handout

    host = host or make_host()
    result = build_handout(
        routine or sample_routine(),
        host=host,
        patient=patient,
        clinic=clinic,
        strategy=strategy,
        date=SAMPLE_DATE,
    )
    return result.handout


def build_bytes(
    *plugins: object,
    format: str = "json",
    routine: RoutineFile | None = None,
    patient: Patient | None = None,
    clinic: Any = None,
    strategy: str | None = None,
    options: RenderOptions | None = None,
    host: PluginHost | None = None,
) -> bytes:
    """Run the whole pipeline (resolve, sequence, personalise, adjust, render); return bytes."""
    from routinekit.stages import render

    host = host or make_host(*plugins)
    handout = sample_handout(
        host, routine=routine, patient=patient, clinic=clinic, strategy=strategy
    )
    return render(handout, host, format=format, options=options)


# -- contract checks ----------------------------------------------------------------------------


def _fail(what: str, rule: str) -> ContractError:
    return ContractError(f"{what}: {rule}")


def _class_id(obj: object, kind: str) -> str:
    ident = getattr(obj, "id", None)
    if not isinstance(ident, str) or not ident:
        raise _fail(f"{kind} {type(obj).__name__}", "needs a class attribute 'id' (short string)")
    return ident


def check_source(source: ExerciseSource) -> list[Exercise]:
    """Check an exercise source; return its exercises.

    Rules: it is an ExerciseSource with an id; ``exercises()`` returns Exercise
    values that pass the same validation as the built-in library (ids, lengths,
    difficulty 1-5, http(s) video links); ids are unique and do not clash with the
    built-in library; two calls give the same exercises in the same order.
    """
    import msgspec

    from routinekit.contracts import ExerciseSource
    from routinekit.library import BUILTIN_FILE, load_exercise_file
    from routinekit.model import Exercise
    from routinekit.model.dose import dec_hook, enc_hook

    if not isinstance(source, ExerciseSource):
        raise _fail(type(source).__name__, "is not a routinekit.contracts.ExerciseSource")
    what = f"source '{_class_id(source, 'source')}'"
    first = list(source.exercises())
    second = list(source.exercises())
    builtin = {e.id for e in load_exercise_file(BUILTIN_FILE)}
    seen: set[str] = set()
    for ex in first:
        if not isinstance(ex, Exercise):
            raise _fail(what, f"returned {type(ex).__name__}, not routinekit.model.Exercise")
        try:
            again = msgspec.convert(
                msgspec.to_builtins(ex, enc_hook=enc_hook), Exercise, dec_hook=dec_hook
            )
        except msgspec.ValidationError as exc:
            raise _fail(what, f"exercise '{ex.id}' does not validate: {exc}") from None
        if again != ex:
            raise _fail(what, f"exercise '{ex.id}' changes when validated")
        if ex.id in seen:
            raise _fail(what, f"gives exercise id '{ex.id}' twice")
        if ex.id in builtin:
            raise _fail(what, f"exercise id '{ex.id}' clashes with the built-in library")
        seen.add(ex.id)
    if first != second:
        raise _fail(what, "is not deterministic: two calls to exercises() differ")
    return first


def sample_candidates(exercises: Iterable[str] = SAMPLE_EXERCISES) -> tuple[Candidate, ...]:
    """Candidates (built-in exercises with their library doses) for strategy checks."""
    from routinekit.library import BUILTIN_FILE, load_exercise_file
    from routinekit.model import Candidate

    by_id = {e.id: e for e in load_exercise_file(BUILTIN_FILE)}
    return tuple(
        Candidate(exercise=by_id[i], dose=by_id[i].dose, position=n)
        for n, i in enumerate(exercises)
    )


def check_strategy(
    strategy: Strategy, candidates: Sequence[Candidate] | None = None
) -> SequencePlan:
    """Check a strategy on the sample candidates (or yours); return its plan.

    Rules: it is a Strategy with an id and a name; it returns a SequencePlan; it
    places and omits only exercises it was given, each at most once, each placement
    with a reason; it is deterministic; it copes with no candidates and with every
    option (time budget, difficulty cap, phase).
    """
    from routinekit.contracts import Strategy
    from routinekit.errors import PluginError
    from routinekit.model import Phase, SequenceRequest, StrategyOptions
    from routinekit.stages.sequence import validate_plan

    if not isinstance(strategy, Strategy):
        raise _fail(type(strategy).__name__, "is not a routinekit.contracts.Strategy")
    ident = _class_id(strategy, "strategy")
    what = f"strategy '{ident}'"
    if not getattr(strategy, "name", None):
        raise _fail(what, "needs a class attribute 'name'")
    given = tuple(candidates) if candidates is not None else sample_candidates()
    option_sets = (
        StrategyOptions(),
        StrategyOptions(minutes=3),
        StrategyOptions(max_difficulty=1),
        StrategyOptions(phase=Phase.ACUTE),
        StrategyOptions(phase=Phase.PREVENTION, minutes=60, max_difficulty=5),
    )
    plan = None
    for cands in (given, ()):
        for options in option_sets:
            request = SequenceRequest(candidates=cands, options=options, routine_id="sample")
            result = strategy.sequence(request)
            try:
                validate_plan(result, ident, "plugin under test", cands)
            except PluginError as exc:
                raise _fail(what, exc.message) from None
            for p in result.placements:
                if not p.reason or not p.reason.strip():
                    raise _fail(what, f"placed '{p.exercise_id}' without a reason")
            ids = {c.exercise.id for c in cands}
            for o in result.omitted:
                if o.exercise_id not in ids:
                    raise _fail(what, f"omitted '{o.exercise_id}', which it was not given")
            if strategy.sequence(request) != result:
                raise _fail(what, f"is not deterministic (options {options})")
            if plan is None:
                plan = result
    assert plan is not None
    return plan


def check_renderer(renderer: Renderer, *, host: PluginHost | None = None) -> bytes:
    """Check a renderer on sample handouts; return the bytes of the full one.

    Rules: it is a Renderer with id, name and extension; it returns non-empty bytes;
    the same handout gives the same bytes; it copes with a patient without notes,
    with no patient at all, with a clinic profile, and with a handout whose every
    exercise was left out.
    """
    import msgspec

    from routinekit.contracts import Renderer, RenderOptions

    if not isinstance(renderer, Renderer):
        raise _fail(type(renderer).__name__, "is not a routinekit.contracts.Renderer")
    what = f"renderer '{_class_id(renderer, 'renderer')}'"
    for attr in ("name", "extension"):
        if not isinstance(getattr(renderer, attr, None), str) or not getattr(renderer, attr):
            raise _fail(what, f"needs a class attribute '{attr}'")
    if renderer.extension.startswith("."):
        raise _fail(what, "extension must not start with a dot")
    host = host or make_host()
    full = sample_handout(host, patient=sample_patient(), clinic=sample_clinic())
    cases: list[tuple[str, Handout, RenderOptions]] = [
        ("full handout", full, RenderOptions()),
        (
            "patient without notes",
            sample_handout(host, patient=sample_patient(notes=None)),
            RenderOptions(),
        ),
        ("no patient", sample_handout(host), RenderOptions(show_reasons=True, page_size="a4")),
        (
            "every exercise left out",
            msgspec.structs.replace(full, groups=()),
            RenderOptions(exercise_qr=False, large_print=True),
        ),
    ]
    out = b""
    for label, handout, options in cases:
        data = renderer.render(handout, options)
        if not isinstance(data, bytes | bytearray) or not data:
            raise _fail(what, f"returned no bytes for the {label}")
        if renderer.render(handout, options) != data:
            raise _fail(what, f"is not deterministic (the {label} rendered twice differs)")
        if not out:
            out = bytes(data)
    return out


# -- pytest fixtures ------------------------------------------------------------------------------


@pytest.fixture
def routinekit_host() -> Callable[..., PluginHost]:
    """Factory: ``routinekit_host(plugin, ...)`` → a host with the built-ins and these plugins."""
    return make_host


@pytest.fixture
def routinekit_routine() -> RoutineFile:
    """The sample routine (built-in exercises, every section filled in)."""
    return sample_routine()


@pytest.fixture
def routinekit_patient() -> Patient:
    """A sample patient (non-ASCII name, notes, a dose override, fixed date)."""
    return sample_patient()


@pytest.fixture
def routinekit_build() -> Callable[..., bytes]:
    """``routinekit_build(*plugins, format=..., strategy=..., patient=...)`` → rendered bytes."""
    return build_bytes


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``hook`` marker: ``@pytest.mark.hook("adjust_handout")`` names the hooks a
    test exercises (routinekit's own meta-test checks that every hook has one)."""
    config.addinivalue_line("markers", "hook(*names): the routinekit hooks this test exercises")

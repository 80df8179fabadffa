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
    the rendered bytes (``format`` defaults to ``json``: the resolved handout).

``pip install "routinekit[test]"`` brings what this module needs (pytest).

The same helpers work without pytest: :func:`make_host`, :func:`sample_routine`,
:func:`sample_patient`, :func:`sample_handout`, :func:`build_bytes`, and the contract
checks :func:`check_source`, :func:`check_strategy`, :func:`check_renderer` and
:func:`check_prop`, which
raise :class:`ContractError` saying what the plugin got wrong.
:func:`check_limits` checks that your exercises are tagged truthfully (positions, needs,
the pose's keyframes) and that no handout built from them asks a patient for what their
limits rule out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from routinekit.contracts import ExerciseSource, Renderer, RenderOptions, Strategy
    from routinekit.files.routine_file import RoutineFile
    from routinekit.illustrations.props import PropShape
    from routinekit.illustrations.shapes import Shape
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


#: A routine's strategy: an id, or the whole ``strategy:`` block with settings.
StrategyBlock = str | Mapping[str, Any]


def sample_routine_text(
    exercises: Sequence[str] = SAMPLE_EXERCISES, *, strategy: StrategyBlock = "as-written"
) -> str:
    """The YAML of a small routine using ``exercises`` (ids), with every section filled in.

    ``strategy`` is an id or a mapping written as the ``strategy:`` block, e.g.
    ``{"id": "knee-oa-graded", "standing": False}`` (a strategy's own settings).
    """
    block = strategy if isinstance(strategy, str) else json.dumps(dict(strategy))
    lines = [
        "routinekit: 1",
        "id: sample-routine",
        "title: Sample Stretches",
        "condition: Low back stiffness",
        "language: en",
        f"strategy: {block}",
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
    exercises: Sequence[str] = SAMPLE_EXERCISES, *, strategy: StrategyBlock = "as-written"
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


def load_routine(routine: RoutineFile | str | Path | None, host: PluginHost) -> RoutineFile:
    """``routine`` as a loaded routine: a path to a YAML file, a template id, or the sample."""
    from routinekit.files.routine_file import RoutineFile, load_routine_file

    if routine is None:
        return sample_routine()
    if isinstance(routine, RoutineFile):
        return routine
    path = Path(routine)
    if path.suffix in (".yaml", ".yml", ".json") or path.is_file():
        return load_routine_file(path)
    return load_routine_file(host.template(str(routine)).path)


def sample_handout(
    host: PluginHost | None = None,
    *,
    routine: RoutineFile | str | Path | None = None,
    patient: Patient | None = None,
    clinic: Any = None,
    strategy: str | None = None,
    language: str | None = None,
    format: str = "json",
) -> Handout:
    """Run the pipeline up to rendering on the sample routine (or ``routine``: a loaded
    routine, a file or a template id); return the handout. ``language`` works like
    ``--lang``; ``format`` is what ``adjust_handout`` hooks are told the output will be."""
    from routinekit.api import build_handout, make_request
    from routinekit.request import BuildOptions

    host = host or make_host()
    rf = load_routine(routine, host)
    request = make_request(
        rf,
        patient=patient,
        clinic=clinic,
        strategy=strategy,
        options=BuildOptions(language=language),
        date=SAMPLE_DATE,
        format=format,
    )
    return build_handout(rf, request=request, host=host).handout


def build_bytes(
    *plugins: object,
    format: str = "json",
    routine: RoutineFile | str | Path | None = None,
    patient: Patient | None = None,
    clinic: Any = None,
    strategy: str | None = None,
    language: str | None = None,
    options: RenderOptions | None = None,
    host: PluginHost | None = None,
) -> bytes:
    """Run the whole pipeline (resolve, sequence, personalise, adjust, render); return bytes.

    ``format`` defaults to ``json`` (the resolved handout, easy to assert on:
    ``json.loads(data)``); pass ``format="pdf"`` for the printed handout.
    """
    from routinekit.stages import render

    host = host or make_host(*plugins)
    handout = sample_handout(
        host,
        routine=routine,
        patient=patient,
        clinic=clinic,
        strategy=strategy,
        language=language,
        format=format,
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
    difficulty 1-5, http(s) video links); every pose can be drawn, with props that
    an installed plugin registers (drawn once, as a build would); ids are unique and
    do not clash with the built-in library; two calls give the same exercises in the same order.
    """
    import msgspec

    from routinekit.contracts import ExerciseSource
    from routinekit.illustrations import check_drawable
    from routinekit.illustrations.scene import PoseError
    from routinekit.library import BUILTIN_FILE, load_exercise_file
    from routinekit.model import Exercise
    from routinekit.model.file_form import from_file, to_file_builtins

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
            again = from_file(to_file_builtins(ex), Exercise)
        except msgspec.ValidationError as exc:
            raise _fail(what, f"exercise '{ex.id}' does not validate: {exc}") from None
        if again != ex:
            raise _fail(what, f"exercise '{ex.id}' changes when validated")
        try:
            check_drawable(ex)
        except PoseError as exc:
            raise _fail(what, exc.message) from None
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
    option (time budget, difficulty cap, phase), in English and Spanish; its
    ``settings_type``, if any, is a Struct whose every field has a default.
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
    settings_type = getattr(strategy, "settings_type", None)
    if settings_type is not None:
        from routinekit.plugin_settings import check_settings_type

        try:
            check_settings_type(settings_type, what)
        except TypeError as exc:
            raise _fail(what, str(exc).split(": ", 1)[-1]) from None
    settings = settings_type() if settings_type is not None else None
    option_sets = (
        StrategyOptions(),
        StrategyOptions(minutes=3),
        StrategyOptions(max_difficulty=1),
        StrategyOptions(phase=Phase.ACUTE),
        StrategyOptions(phase=Phase.PREVENTION, minutes=60, max_difficulty=5),
    )
    plan = None
    for cands, language in ((given, "en"), ((), "en"), (given, "es")):
        for options in option_sets:
            request = SequenceRequest(
                candidates=cands,
                options=options,
                routine_id="sample",
                language=language,
                settings=settings,
            )
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
    with no patient at all, with a clinic profile, with a handout whose every
    exercise was left out, and with a Spanish handout.
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
        (
            "Spanish handout",
            sample_handout(host, patient=sample_patient(), language="es"),
            RenderOptions(),
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


def check_prop(prop: PropShape) -> list[Shape]:
    """Check an illustration prop; return its outlines at a sample place.

    Rules: it is a PropShape with an id (lower-case letters, digits, hyphens, at most 40)
    that no built-in prop has, a description and a size of 0 or more cm; ``shapes()``
    returns Shape outlines with finite coordinates, for either side and both views, the
    same every time.
    """
    import math
    import re

    from routinekit.illustrations.props import BUILTIN_PROPS, PropPlace, PropShape
    from routinekit.illustrations.shapes import Shape

    if not isinstance(prop, PropShape):
        raise _fail(type(prop).__name__, "is not a routinekit.illustrations.props.PropShape")
    ident = _class_id(prop, "prop")
    what = f"prop '{ident}'"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident) or len(ident) > 40:
        raise _fail(what, "id must be lower-case letters, digits and hyphens (at most 40)")
    if ident in {p.id for p in BUILTIN_PROPS}:
        raise _fail(what, "id clashes with a built-in prop")
    if not prop.description:
        raise _fail(what, "needs a description")
    if not (isinstance(prop.size, int | float) and math.isfinite(prop.size) and prop.size >= 0):
        raise _fail(what, "size must be a number of centimetres, 0 or more")
    first: list[Shape] = []
    for side in ("left", "right"):
        for view in ("side", "top"):
            place = PropPlace(x=0.0, top=prop.size or 10.0, side=side, span=(-60, 60), view=view)
            shapes = prop.shapes(place)
            if not isinstance(shapes, list) or not all(isinstance(x, Shape) for x in shapes):
                raise _fail(what, "shapes() must return a list of Shape")
            for shape in shapes:
                coords = [c for pt in shape.points for c in pt] + [shape.radius]
                if not all(isinstance(c, int | float) and math.isfinite(c) for c in coords):
                    raise _fail(what, f"drew a {shape.kind} with a coordinate that is not finite")
            if prop.shapes(place) != shapes:
                raise _fail(what, "is not deterministic: two calls to shapes() differ")
            if side == "left" and view == "side":
                first = shapes
    if not first:
        raise _fail(what, "drew nothing in a side view")
    return first


def check_limits(*plugins: object, exercise_ids: Iterable[str] | None = None) -> None:
    """Check exercises against every limit (``floor``, ``kneeling``, ``no-chair``, ...).

    Rules: each exercise's positions and needs agree with its steps ("Sit on the floor"
    needs ``floor-sitting``), with its pose's keyframes and with its alternatives; and for
    every limit word and every strategy, nothing a handout of it prints (card or "another
    way") breaks the limit. ``exercise_ids`` defaults to the exercises your plugins add.
    """
    from routinekit.library import BUILTIN_FILE, library_for, load_exercise_file
    from routinekit.tag_check import limit_problems, tag_problems

    host = make_host(*plugins)
    library = {e.id: e for e in library_for(host)}
    builtin = {e.id for e in load_exercise_file(BUILTIN_FILE)}
    ids = list(exercise_ids) if exercise_ids is not None else sorted(set(library) - builtin)
    problems: list[str] = []
    for ident in ids:
        if ident not in library:
            raise _fail("check_limits", f"no exercise '{ident}' in the library")
        problems += tag_problems(library[ident], None, library)
    problems += limit_problems(host, ids)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise _fail("limits", problems[0] + more)


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
    """``routinekit_build(*plugins, format="json", strategy=..., routine=..., language=...,
    patient=..., clinic=...)`` → rendered bytes (JSON unless you name a format)."""
    return build_bytes


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``hook`` marker: ``@pytest.mark.hook("adjust_handout")`` names the hooks a
    test exercises (routinekit's own meta-test checks that every hook has one)."""
    config.addinivalue_line("markers", "hook(*names): the routinekit hooks this test exercises")

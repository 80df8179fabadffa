"""What each kind of plugin adds to a generated package: a module, its tests, its words."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    """One kind of plugin: the module ``<kind>.py``, its tests and its Spanish words."""

    hook: str
    summary: str
    use: str
    module: str
    tests: str
    messages: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Other files, by path inside the package folder ``src/MODULE``."""


SOURCE = Kind(
    hook="register_sources",
    summary="an exercise source",
    use="routinekit exercises                     # lists __NAME__-seated-breathing",
    module='''\
"""An exercise source: the exercises this plugin adds to routinekit's library."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.model import Dose, Exercise, ExerciseText, Movement, Position, Range

#: Every exercise id starts with the plugin's name, so it never clashes with the library
#: or another plugin (ids are unique across every installed source).
PREFIX = "__NAME__-"


class __CLASS__Source(ExerciseSource):
    """Exercises from __NAME__. Replace the example with your own."""

    id = "__NAME__"
    description = "Exercises from __NAME__"

    def exercises(self) -> Iterable[Exercise]:
        return (
            Exercise(
                id=PREFIX + "seated-breathing",
                name="Seated Breathing",
                objective="Helps you relax before you stretch.",
                steps=(
                    "Sit tall in a chair with your feet flat.",
                    "Breathe in slowly through your nose.",
                    "Breathe out slowly through your mouth.",
                ),
                position=Position.SEATED,
                movements=(Movement.BREATHING,),
                dose=Dose(reps=Range(5, 10)),
                # The exercise's own words in other languages (routinekit picks them).
                translations={
                    "es": ExerciseText(
                        name="Respiración sentado",
                        objective="Le ayuda a relajarse antes de estirar.",
                        steps=(
                            "Siéntese derecho en una silla con los pies apoyados.",
                            "Inhale despacio por la nariz.",
                            "Exhale despacio por la boca.",
                        ),
                    )
                },
            ),
        )


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(__CLASS__Source())
''',
    tests='''\
"""The exercise source keeps the contract and its exercises reach a handout."""

from __future__ import annotations

import json

import __MODULE__
from __MODULE__.source import __CLASS__Source
from routinekit.testing import check_source, sample_routine


def test_it_keeps_the_contract() -> None:
    exercises = check_source(__CLASS__Source())
    assert exercises and all(e.id.startswith("__NAME__-") for e in exercises)


def test_a_build_uses_it(routinekit_build) -> None:
    routine = sample_routine(["childs-pose", "__NAME__-seated-breathing"])
    handout = json.loads(routinekit_build(__MODULE__, routine=routine))
    ids = [i["exercise"]["id"] for g in handout["groups"] for i in g["items"]]
    assert ids == ["childs-pose", "__NAME__-seated-breathing"]


def test_its_words_are_translated(routinekit_build) -> None:
    routine = sample_routine(["__NAME__-seated-breathing"])
    handout = json.loads(routinekit_build(__MODULE__, routine=routine, language="es"))
    assert handout["groups"][0]["items"][0]["exercise"]["name"] == "Respiración sentado"
''',
)

STRATEGY = Kind(
    hook="register_strategies",
    summary="a sequencing strategy",
    use="routinekit build back-spasm-acute --strategy __NAME__ --lang es -o out.pdf",
    module='''\
"""A sequencing strategy: the easiest exercises first, with a setting and its own words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import msgspec

from routinekit.contracts import Strategy
from routinekit.hookspecs import hookimpl
from routinekit.i18n import N_, translator
from routinekit.model import Omission, Placement, PlanGroup, SequencePlan, SequenceRequest

# Words are marked with N_() where they are written and translated where they are used,
# into the handout's language (locale/es/LC_MESSAGES/__MODULE__.po holds the Spanish).
TITLE = N_("Easiest first")
REASON = N_("easier exercises come first")
LEFT_OUT = N_("left out to keep the session short")


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a routine's ``strategy:`` block (or the clinic's ``plugins:`` block) may set:

    strategy: {id: __NAME__, limit: 4}
    """

    limit: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None
    """At most this many exercises (the easiest); none means all of them."""


class __CLASS__Strategy(Strategy):
    """Easiest exercises first; ties keep the routine's order."""

    id = "__NAME__"
    name = "__TITLE__"
    description = "Puts the easiest exercises first; 'limit' keeps only the easiest few."
    settings_type = Settings

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        _ = translator(request.language, domain=__package__)
        settings = request.settings if isinstance(request.settings, Settings) else Settings()
        ordered = sorted(request.candidates, key=lambda c: (c.exercise.difficulty, c.position))
        kept = ordered[: settings.limit] if settings.limit else ordered
        items = tuple(Placement(exercise_id=c.exercise.id, reason=_(REASON)) for c in kept)
        omitted = tuple(
            Omission(exercise_id=c.exercise.id, reason=_(LEFT_OUT)) for c in ordered[len(kept) :]
        )
        return SequencePlan(groups=(PlanGroup(title=_(TITLE), items=items),), omitted=omitted)


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    register(__CLASS__Strategy())
''',
    tests='''\
"""The strategy keeps the contract, reads its setting and speaks the handout's language."""

from __future__ import annotations

import json

import pytest

import __MODULE__
from __MODULE__.strategy import __CLASS__Strategy
from routinekit.errors import UserError
from routinekit.testing import check_strategy, sample_routine


def test_it_keeps_the_contract() -> None:
    check_strategy(__CLASS__Strategy())


def test_a_build_uses_it(routinekit_build) -> None:
    handout = json.loads(routinekit_build(__MODULE__, strategy="__NAME__"))
    assert handout["strategy_id"] == "__NAME__"
    assert handout["groups"][0]["title"] == "Easiest first"


def test_its_setting_is_read_from_the_routine(routinekit_build) -> None:
    routine = sample_routine(strategy={"id": "__NAME__", "limit": 2})
    handout = json.loads(routinekit_build(__MODULE__, routine=routine))
    assert len(handout["groups"][0]["items"]) == 2


def test_a_bad_setting_is_a_one_line_error(routinekit_build) -> None:
    routine = sample_routine(strategy={"id": "__NAME__", "limit": 0})
    with pytest.raises(UserError, match=r"line \\d+, field 'strategy.limit'"):
        routinekit_build(__MODULE__, routine=routine)


def test_its_words_are_translated(routinekit_build) -> None:
    handout = json.loads(routinekit_build(__MODULE__, strategy="__NAME__", language="es"))
    assert handout["groups"][0]["title"] == "Primero los más fáciles"
''',
    messages={
        "Easiest first": "Primero los más fáciles",
        "easier exercises come first": "los ejercicios más fáciles van primero",
        "left out to keep the session short": "se dejó fuera para que la sesión sea corta",
    },
)

RENDERER = Kind(
    hook="register_renderers",
    summary="a plain-text renderer",
    use="routinekit build back-spasm-acute --format __NAME__ -o out.txt",
    module='''\
"""A renderer: the handout as plain text, worded by routinekit's renderer helpers."""

from __future__ import annotations

from collections.abc import Callable

from routinekit import renderkit
from routinekit.contracts import Renderer, RenderOptions
from routinekit.hookspecs import hookimpl
from routinekit.i18n import N_
from routinekit.model import Handout

HEADING = N_("Your exercises for today")


class __CLASS__Renderer(Renderer):
    """Title, regimen, then one numbered line per exercise with its dose."""

    id = "__NAME__"
    name = "__TITLE__ (plain text)"
    extension = "txt"
    media_type = "text/plain"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        # this plugin's words, falling back to routinekit's own ("No exercises ...")
        _ = renderkit.words(handout, __package__)
        lines = [handout.title, renderkit.regimen_text(handout), "", _(HEADING)]
        for item in handout.items:
            dose = renderkit.dose_text(handout, item)
            lines.append(f"{item.number}. {item.exercise.name}: {dose}")
            if item.note:
                lines.append(f"   {item.note}")
        if not handout.items:
            lines.append(_("No exercises on this handout."))
        return ("\\n".join(lines) + "\\n").encode("utf-8")


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(__CLASS__Renderer())
''',
    tests='''\
"""The renderer keeps the contract and prints the handout in its language."""

from __future__ import annotations

import __MODULE__
from __MODULE__.renderer import __CLASS__Renderer
from routinekit.testing import check_renderer


def test_it_keeps_the_contract() -> None:
    check_renderer(__CLASS__Renderer())


def test_a_build_uses_it(routinekit_build) -> None:
    text = routinekit_build(__MODULE__, format="__NAME__").decode()
    assert text.startswith("Sample Stretches\\nAbout ")
    assert "Your exercises for today" in text


def test_its_words_are_translated(routinekit_build) -> None:
    text = routinekit_build(__MODULE__, format="__NAME__", language="es").decode()
    assert "Sus ejercicios de hoy" in text and "About" not in text
''',
    messages={"Your exercises for today": "Sus ejercicios de hoy"},
)

ADJUST = Kind(
    hook="adjust_handout",
    summary="a change to every printed handout",
    use="routinekit build back-spasm-acute -o out.pdf   # ends its advice with this plugin's line",
    module='''\
"""Changes every printed handout: one line of advice, in the handout's language."""

from __future__ import annotations

import msgspec

from routinekit import renderkit
from routinekit.hookspecs import hookimpl
from routinekit.i18n import N_
from routinekit.model import Handout

ADVICE = N_("Bring this sheet to your next visit.")

#: The advice is for paper: data formats (json) are left as they are.
PRINTED = frozenset({"pdf", "html"})


@hookimpl
def adjust_handout(handout: Handout, format: str) -> Handout | None:
    """Every build on the machine runs this: change only what this plugin is for."""
    if format not in PRINTED:
        return None
    advice = renderkit.words(handout, __package__)(ADVICE)
    if advice in handout.self_care:
        return None
    return msgspec.structs.replace(handout, self_care=(*handout.self_care, advice))
''',
    tests='''\
"""The advice reaches printed handouts, in their language, and nothing else."""

from __future__ import annotations

import pytest

import __MODULE__


@pytest.mark.hook("adjust_handout")
def test_printed_handouts_get_the_advice(routinekit_build) -> None:
    html = routinekit_build(__MODULE__, format="html").decode()
    assert "Bring this sheet to your next visit." in html


def test_data_exports_are_left_alone(routinekit_build) -> None:
    assert b"Bring this sheet" not in routinekit_build(__MODULE__, format="json")


def test_its_words_are_translated(routinekit_build) -> None:
    html = routinekit_build(__MODULE__, format="html", language="es").decode()
    assert "Traiga esta hoja a su próxima visita." in html
''',
    messages={"Bring this sheet to your next visit.": "Traiga esta hoja a su próxima visita."},
)

TEMPLATE = Kind(
    hook="register_templates",
    summary="a starter routine",
    use="routinekit new --template __NAME__ -o my-routine.yaml",
    module='''\
"""A starter routine: ``routinekit new --template __NAME__`` copies it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from routinekit.contracts import RoutineTemplate
from routinekit.hookspecs import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_templates(register: Callable[[RoutineTemplate], None]) -> None:
    register(
        RoutineTemplate(
            id="__NAME__",
            title="__TITLE__ stretches",
            path=HERE / "templates" / "__NAME__.yaml",
            description="A short starter routine; replace it with your own.",
        )
    )
''',
    tests='''\
"""The template is registered, ships inside the package and builds."""

from __future__ import annotations

import json

import __MODULE__


def test_it_is_registered(routinekit_host) -> None:
    template = routinekit_host(__MODULE__).template("__NAME__")
    assert template.path.is_file()


def test_a_build_uses_it(routinekit_build) -> None:
    handout = json.loads(routinekit_build(__MODULE__, routine="__NAME__"))
    assert handout["routine_id"] == "__NAME__"
    assert handout["title"] == "__TITLE__ stretches"


def test_its_words_are_translated(routinekit_build) -> None:
    handout = json.loads(routinekit_build(__MODULE__, routine="__NAME__", language="es"))
    assert handout["title"] == "Estiramientos: __TITLE__"
''',
    files={
        "templates/__NAME__.yaml": """\
# A starter routine. Edit it, or copy it with: routinekit new --template __NAME__
routinekit: 1
id: __NAME__
title: __TITLE__ stretches
strategy: as-written
exercises:
  - childs-pose
  - cat-cow
  - knees-to-chest
translations:
  es:
    title: "Estiramientos: __TITLE__"
"""
    },
)

PROP = Kind(
    hook="register_props",
    summary="a prop for the illustrations",
    use="# name it in a pose: props: [{kind: __NAME__-step}]",
    module='''\
"""A prop the illustrations can draw: ``props: [{kind: __NAME__-step}]`` in a pose."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.hookspecs import hookimpl
from routinekit.illustrations.props import PropPlace, PropShape
from routinekit.illustrations.shapes import Shape


class __CLASS__Prop(PropShape):
    """A single stair step; the foot rests on its top."""

    id = "__NAME__-step"  # starts with the plugin's name: prop ids are shared too
    description = "A single stair step"
    size = 18.0

    def shapes(self, place: PropPlace) -> list[Shape]:
        x0, x1 = place.x - 15.0, place.x + 15.0
        outline = ((x0, 0.0), (x1, 0.0), (x1, place.top), (x0, place.top))
        return [Shape("poly", outline, width=0.8)]


@hookimpl
def register_props(register: Callable[[PropShape], None]) -> None:
    register(__CLASS__Prop())
''',
    tests='''\
"""The prop keeps the contract: an id, a size, outlines that can be drawn."""

from __future__ import annotations

from __MODULE__.prop import __CLASS__Prop
from routinekit.testing import check_prop


def test_it_keeps_the_contract() -> None:
    shapes = check_prop(__CLASS__Prop())
    assert shapes
''',
)

KINDS: dict[str, Kind] = {
    "source": SOURCE,
    "strategy": STRATEGY,
    "renderer": RENDERER,
    "adjust": ADJUST,
    "template": TEMPLATE,
    "prop": PROP,
}

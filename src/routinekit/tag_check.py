"""Checks that an exercise's positions and needs say what its words and its pose say.

A wrong tag is a safety problem: an exercise tagged ``chair-sitting`` whose first step is
"Sit on the floor" reaches a patient who cannot get down to the floor. These checks read
the English steps for the plain phrases a position or a need shows up in, and the pose's
keyframes for the position each one names. :func:`tag_problems` is pure; the built-in
library's tests and :func:`routinekit.testing.check_exercise_tags` use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from routinekit.library import library_for
from routinekit.model import Exercise, Need, Position
from routinekit.model.pose import Pose

if TYPE_CHECKING:
    from routinekit.plugins.host import PluginHost

#: phrase in the steps -> positions of which the exercise must use at least one
POSITION_PHRASES: tuple[tuple[str, frozenset[Position]], ...] = (
    (r"\bsit(ting)? (down )?on the floor\b", frozenset({Position.FLOOR_SITTING})),
    (
        r"\b(lie|lying) (down )?on your back\b|\bon your back\b",
        frozenset({Position.SUPINE}),
    ),
    (
        r"\b(lie|lying) (down )?on your (stomach|belly|front)\b|\bface down\b",
        frozenset({Position.PRONE}),
    ),
    (r"\b(lie|lying) (down )?on your side\b", frozenset({Position.SIDE_LYING})),
    (r"\bhands and knees\b|\ball fours\b", frozenset({Position.QUADRUPED})),
    (r"\bkneel", frozenset({Position.KNEELING, Position.QUADRUPED})),
    (
        r"\b(sit|sitting) (on|in) a (sturdy )?chair\b|\bsturdy chair\b",
        frozenset({Position.CHAIR_SITTING}),
    ),
    (r"^stand\b|\bstand (up|tall|with|facing)\b", frozenset({Position.STANDING})),
)

#: phrase in the steps -> the thing the exercise must list in ``needs``
NEED_PHRASES: tuple[tuple[str, Need], ...] = (
    (r"\b(sit|sitting) (on|in) a (sturdy )?chair\b|\bsturdy chair\b", Need.CHAIR),
    (r"\b(against|facing|on) (a|the) wall\b", Need.WALL),
    (r"\b(a|the) (kitchen )?counter\b", Need.COUNTER),
    (r"\b(a|the) towel\b", Need.TOWEL),
    (r"\b(a|the) (exercise |massage )?ball\b", Need.BALL),
    (r"\b(a|the|an) (exercise |elastic |resistance )?band\b", Need.BAND),
)


def tag_problems(
    ex: Exercise, pose: Pose | None = None, library: Mapping[str, Exercise] | None = None
) -> list[str]:
    """Every way the exercise's tags disagree with its words, its pose or its alternatives."""
    problems: list[str] = []
    positions = set(ex.body_positions)
    needs = set(ex.all_needs)
    if Position.SEATED in positions:
        problems.append(
            f"'{ex.id}' says 'seated': say chair-sitting or floor-sitting, so a patient who "
            "cannot get down to the floor is never given it by mistake"
        )
    for n, step in enumerate(ex.steps, 1):
        text = step.lower()
        for pattern, wanted in POSITION_PHRASES:
            if re.search(pattern, text) and not (wanted & positions):
                names = " or ".join(sorted(p.value for p in wanted))
                problems.append(f"'{ex.id}' step {n} says '{step}' but no position is {names}")
        for pattern, need in NEED_PHRASES:
            if re.search(pattern, text) and need not in needs:
                problems.append(f"'{ex.id}' step {n} says '{step}' but needs has no {need.value}")
    pose = pose if pose is not None else ex.pose
    if pose is not None:
        for k, frame in enumerate(pose.keyframes):
            if frame.position is not None and frame.position not in positions:
                problems.append(
                    f"'{ex.id}' keyframe {k} shows {frame.position.value}, which is not "
                    f"one of its positions ({', '.join(p.value for p in ex.body_positions)})"
                )
        sits = any(p.kind == "chair" and p.sit for p in pose.props)
        if sits and Need.CHAIR not in needs:
            problems.append(f"'{ex.id}' is drawn sitting on a chair but needs has no chair")
    for alt in ex.alternatives:
        other = library.get(alt.exercise) if library is not None and alt.exercise else None
        if other is not None and other.position is not alt.position:
            problems.append(
                f"'{ex.id}' alternative '{alt.exercise}' is listed as {alt.position.value} "
                f"but that exercise is done {other.position.value}"
            )
    return problems


def limit_problems(host: PluginHost, exercise_ids: Iterable[str] | None = None) -> list[str]:
    """Build a handout of each exercise under each limit; list anything printed that breaks it.

    For every exercise (default: the whole library) and every limit word, the pipeline runs
    on a routine of that one exercise with that limit, with every built-in strategy. A card,
    or another way printed on it, that asks for what the limit rules out is a problem.
    """
    from routinekit.constraints import known_words, parse_exclusions
    from routinekit.errors import UserError
    from routinekit.files.routine_file import load_routine_text
    from routinekit.pipeline import prepare
    from routinekit.request import BuildOptions, BuildRequest

    library = library_for(host)
    ids = list(exercise_ids) if exercise_ids is not None else [e.id for e in library]
    problems: list[str] = []
    for ident in ids:
        text = f"id: limits\ntitle: Limits\nred_flags: [Numbness in a leg]\nexercises: [{ident}]\n"
        rf = load_routine_text(text, source="limits.yaml")
        for word in known_words():
            limits = parse_exclusions([word], [e.id for e in library])
            for strategy in host.strategies():
                try:
                    request = BuildRequest(
                        routine=rf.source,
                        default_clinic=False,
                        options=BuildOptions(strategy=strategy, exclude=(word,)),
                    )
                    result = prepare(request, host, routine_file=rf)
                except UserError as exc:
                    problems.append(f"'{ident}' with '{word}' ({strategy}): {exc.one_line()}")
                    continue
                for item in result.handout.items:
                    why = limits.why(item.exercise)
                    if why:
                        problems.append(f"'{ident}' with '{word}' ({strategy}) prints: {why}")
                    for alt in item.exercise.alternatives:
                        if limits.alternative_reason(alt):
                            problems.append(
                                f"'{ident}' with '{word}' ({strategy}) prints another way "
                                f"({alt.position.value}) that breaks it"
                            )
    return problems

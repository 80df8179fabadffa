"""``spine-sparing``: keep the spine straight during a spasm (seed 003).

Seed 003, a physical therapist's blog, takes the opposite view to stretching into the
pain: "If you are already having a back spasm, the goal is to keep the back straight and
not overstress the lower back", because "bending and twisting are two of the worst things
for the spine", and the toe-touch stretch is for later: "just don't do it if you have low
back spasms". What it does instead: relax the muscle ("Try 30 deep breaths", lying on
your back), posture ("bringing their head back against the headrest"), "Build Hip and
Core Strength", and the hip hinge ("Differentiate the Hips and Spine").

So this strategy prints only exercises that keep the spine straight (movements breathing,
neutral or aerobic): no forward or backward bending stretch, no twist, no bending with
twisting. It adds seed 003's own work from the library when the routine lacks it (deep
breathing, Hip Lift, Hip Hinge, and walking, which seeds 000, 002 and 004 give for keeping
active), and replaces the routine's education and self-care with its own (keep the spine
straight, stretching can make it worse during a spasm, heat for tightness), so the
handout never says "stretching helps".
"""

from __future__ import annotations

from enum import IntEnum

from routinekit.contracts import Strategy
from routinekit.model import (
    Candidate,
    EducationSection,
    Exercise,
    Movement,
    Omission,
    Placement,
    PlanGroup,
    SequencePlan,
    SequenceRequest,
)
from routinekit.strategies.common import (
    N_,
    budget_note,
    fit_budget,
    in_routine_order,
    routine_order,
    screen,
)
from routinekit.strategies.sources import default, prints, prints_section, rule, seed

#: Movements that keep the spine straight: everything else bends or twists it.
STRAIGHT = frozenset({Movement.NEUTRAL, Movement.BREATHING, Movement.AEROBIC})

#: Seed 003's own programme, added from the library when the routine lacks it, in order.
ADDED = ("deep-breathing", "hip-lift", "hip-hinge", "walking")

RELAX_TITLE = N_("Relax, then work the hips with a straight back")
MOVE_TITLE = N_("Keep moving")
RELAX_INTRO = N_(
    "Keep your back straight in every exercise. Stop if your back hurts more afterwards."
)

EDUCATION = (
    EducationSection(
        heading=N_("Why keep your back straight?"),
        text=N_(
            "During a spasm, bending and twisting put the most strain on your back. "
            "Keeping your spine straight lets the tight muscle calm down."
        ),
    ),
    EducationSection(
        heading=N_("Should I stretch it?"),
        text=N_(
            "Not during a spasm: stretching can make it worse. Leave toe touches, deep bends "
            "and twists until the spasm has passed."
        ),
    ),
    EducationSection(
        heading=N_("What helps the muscle relax?"),
        text=N_(
            "Slow, deep breaths while lying on your back. Good posture, with your head back. "
            "Strong hips and a strong core take strain off your back."
        ),
    ),
)
SELF_CARE = (
    N_(
        "New to exercise, or have other health problems? "
        "Ask your doctor or therapist before you start."
    ),
    N_("Keep your back straight when you sit, stand and lift. Bend at your hips, not your waist."),
    N_("At a screen, sit back with your head against the headrest."),
    N_("If your back feels tight, use heat for about 15 minutes."),
    N_("In the first days, ice can ease the pain: 15-20 minutes, wrapped in a thin towel."),
    N_("Keep moving with short walks. Do not stay in bed over a day or two."),
)


class Kind(IntEnum):
    RELAX = 0
    STRENGTH = 1
    MOVE = 2


def kind_of(ex: Exercise) -> Kind:
    if Movement.BREATHING in ex.movements:
        return Kind.RELAX
    if Movement.AEROBIC in ex.movements:
        return Kind.MOVE
    return Kind.STRENGTH


def left_out_reason(ex: Exercise) -> str | None:
    """Why the spine-sparing approach leaves an exercise out, or None if it keeps it."""
    moves = set(ex.movements)
    if moves <= STRAIGHT:
        return None
    if ex.flexion_with_rotation:
        return (
            "bends forward and twists at the same time; the spine-sparing approach leaves this "
            "out during a spasm, because bending and twisting together put the most strain on "
            "the back"
        )
    if Movement.ROTATION in moves:
        return "twists the spine; the spine-sparing approach keeps the back straight during a spasm"
    if Movement.FLEXION in moves:
        return (
            "bends the back forward into a stretch; the spine-sparing approach says stretching "
            "can make a spasm worse"
        )
    return (
        "bends the back backward; the spine-sparing approach keeps the back straight and does "
        "not overstress it"
    )


_WHY = {
    Kind.RELAX: "slow breathing relaxes the tight muscles, so it comes first",
    Kind.STRENGTH: "keeps the spine straight (neutral) while the hips and trunk work",
    Kind.MOVE: "walking keeps the back moving without bending or twisting",
}


def placement_reason(c: Candidate, added: bool) -> str:
    why = _WHY[kind_of(c.exercise)]
    if added:
        return f"{why}; added from the library, because seed 003's approach includes it"
    return why


class SpineSparing(Strategy):
    """Only straight-spine work: breathing, hip and core strength, walking (seed 003)."""

    id = "spine-sparing"
    name = "Spine-sparing"
    description = (
        "Keeps the spine straight: no bending or twisting stretches; relaxed breathing, hip "
        "and core work and walking, with its own advice (seed 003)."
    )
    rules = (
        rule(
            "leaves out every exercise that bends the spine forward or backward or twists it",
            seed("003", "the goal is to keep the back straight and not overstress the lower back"),
            seed("003", "bending and twisting are two of the worst things for the spine"),
        ),
        rule(
            "leaves out the toe-touch (hamstring) stretch during a spasm",
            seed("003", "just don't do it if you have low back spasms"),
        ),
        rule(
            "adds deep breathing lying on the back, 30 breaths, first",
            seed("003", "Simply lying on your back and taking a few deep"),
            seed("003", "Try 30 deep breaths"),
        ),
        rule(
            "adds Hip Lift and Hip Hinge: hip and core strength, bending from the hips",
            seed("003", "building strength in the core and hips is important"),
            seed("003", "Try the hip hinge test."),
        ),
        rule(
            "adds walking last, to keep active",
            seed("004", "walking for a few minutes several times throughout the day"),
            default("seed 003 does not name walking; it keeps the spine straight, so it fits"),
        ),
        rule(
            "replaces the routine's education and self-care, which teach stretching",
            seed("003", "Stretching can Make It Worse"),
        ),
        prints_section(
            EDUCATION[0],
            seed("003", "bending and twisting are two of the worst things for the spine"),
            seed("003", "keeping the spine straight is helpful during a spasm"),
        ),
        prints_section(
            EDUCATION[1],
            seed("003", "Stretching can Make It Worse"),
            seed("003", "just don't do it if you have low back spasms"),
        ),
        prints_section(
            EDUCATION[2],
            seed("003", "Try 30 deep breaths"),
            seed("003", "Simply bringing their head back against the headrest"),
            seed("003", "Build Hip and Core Strength"),
        ),
        prints(SELF_CARE[0], seed("001", "Check with your health care provider")),
        prints(SELF_CARE[1], seed("003", "Differentiate the Hips and Spine")),
        prints(SELF_CARE[2], seed("003", "Simply bringing their head back against the headrest")),
        prints(
            SELF_CARE[3],
            seed("003", "feeling sensations of tightness, heat is the recommended modality"),
            seed("001", "try heat for 15 minutes at a time"),
        ),
        prints(
            SELF_CARE[4],
            seed("003", "during the acute phase, ice can be beneficial for most people"),
            seed("001", "apply an ice pack for 15 to 20 minutes"),
        ),
        prints(
            SELF_CARE[5],
            seed("004", "walking for a few minutes several times throughout the day"),
            seed("001", "staying in bed longer than 48 hours"),
        ),
        prints(RELAX_INTRO, seed("004", "stop if they aggravate your back")),
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=opts.phase)
        spared: list[Omission] = []
        usable: list[tuple[Candidate, bool]] = []
        for c in screened.kept:
            why = left_out_reason(c.exercise)
            if why:
                spared.append(Omission(exercise_id=c.exercise.id, reason=why))
            else:
                usable.append((c, False))
        have = {c.exercise.id for c, _ in usable}
        offered = {c.exercise.id: c for c in request.library}
        for ident in ADDED:
            extra = offered.get(ident)
            if extra is None or ident in have or left_out_reason(extra.exercise):
                continue
            if opts.max_difficulty is not None and extra.exercise.difficulty > opts.max_difficulty:
                continue
            usable.append((extra, True))
        order = {ident: i for i, ident in enumerate(ADDED)}
        usable.sort(
            key=lambda ca: (
                kind_of(ca[0].exercise),
                order.get(ca[0].exercise.id, -1),
                ca[0].position,
                ca[0].exercise.id,
            )
        )
        ranked = [
            (c, Placement(exercise_id=c.exercise.id, reason=placement_reason(c, added)))
            for c, added in usable
        ]
        fitted = fit_budget(ranked, opts.minutes)
        first = tuple(p for c, p in fitted.kept if kind_of(c.exercise) is not Kind.MOVE)
        then = tuple(p for c, p in fitted.kept if kind_of(c.exercise) is Kind.MOVE)
        groups = tuple(
            PlanGroup(title=title, intro=intro, items=items)
            for title, intro, items in (
                (RELAX_TITLE, RELAX_INTRO, first),
                (MOVE_TITLE, None, then),
            )
            if items
        )
        notes: list[str] = []
        added = [c.exercise.name for c, was_added in usable if was_added]
        if added:
            notes.append(
                "Added from the library, as seed 003's approach asks: " + ", ".join(added) + "."
            )
        if opts.minutes is not None:
            notes.append(budget_note(fitted, opts.minutes))
        omitted = (*screened.omitted, *spared, *fitted.omitted)
        in_routine = [
            o for o in omitted if o.exercise_id in {c.exercise.id for c in request.candidates}
        ]
        return SequencePlan(
            groups=groups,
            omitted=in_routine_order(in_routine, routine_order(request.candidates)),
            notes=tuple(notes),
            times_per_day=opts.times_per_day,
            education=EDUCATION,
            self_care=SELF_CARE,
        )

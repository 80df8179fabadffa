"""Tailoring that is safe, tested on what the patient reads: the text of the PDF.

Patients who cannot get down to the floor, cannot kneel, cannot lie on their stomach or
must stay in a chair, from both templates: no card asks for what they cannot do, and they
get at least 3 exercises or the warning that the routine shrank.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pymupdf
import pytest

from routinekit import api
from routinekit.constraints import known_words, parse_exclusions
from routinekit.contracts import RenderOptions
from routinekit.errors import UserError
from routinekit.files.routine_file import load_routine_text
from routinekit.library import library_for
from routinekit.model import Patient
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions
from routinekit.tag_check import limit_problems
from routinekit.testing import ContractError, check_limits
from routinekit.text.dose_words import regimen_text

TEMPLATES = ("back-spasm-acute", "back-spasm-prevention")

#: What a card must not say to a patient with this limit (the patient's own words).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "floor": (
        "lie on your",
        "lie down on",
        "hands and knees",
        "sit on the floor",
        "kneel",
        "on all fours",
    ),
    "kneeling": ("hands and knees", "kneel", "all fours"),
    "prone": ("on your stomach", "face down"),
    "chair": ("lie on your", "hands and knees", "sit on the floor", "kneel", "stand ", "walk "),
}
PATIENTS: dict[str, tuple[str, ...]] = {
    "floor": ("floor",),
    "kneeling": ("kneeling",),
    "prone": ("prone",),
    "chair": ("floor", "standing"),
}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost(entry_points=False)


def card_text(pdf: bytes) -> str:
    """The words of the exercise cards: from the exercises heading to the next section."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
    start = text.index("Stretches & Exercises")
    ends = [text.find(t, start) for t in ("Your recovery, step by step", "Track your sessions")]
    end = min((e for e in ends if e > 0), default=len(text))
    return text[start:end]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("who", sorted(PATIENTS))
def test_no_card_asks_for_what_the_patient_cannot_do(
    host: PluginHost, template: str, who: str
) -> None:
    patient = Patient(name="Pat Example", exclude=PATIENTS[who])
    result = api.build_handout(template, patient=patient, host=host, clinic=None)
    pdf = api.build(template, patient=patient, host=host, clinic=None, format="pdf")
    text = card_text(pdf).lower()
    for phrase in FORBIDDEN[who]:
        assert phrase not in text, f"{who}: the handout says '{phrase}'"
    if who in ("floor", "chair"):  # nor does the self-care advice
        whole = " ".join(pdf_text(pdf).lower().split())
        assert "lie on the floor" not in whole
    limits = parse_exclusions(PATIENTS[who], [e.id for e in library_for(host)])
    for item in result.handout.items:
        assert limits.why(item.exercise) is None
        assert item.exercise.name in card_text(pdf)
    if len(result.handout.items) < 3:
        assert any(w.startswith("the routine shrank") for w in result.warnings)


def test_the_chair_patient_gets_three_chair_exercises_from_the_prevention_routine(
    host: PluginHost,
) -> None:
    patient = Patient(name="Pat Example", exclude=("chair-only",))
    result = api.build_handout("back-spasm-prevention", patient=patient, host=host)
    items = result.handout.items
    assert [i.exercise.id for i in items] == [
        "seated-twist",
        "hamstring-stretch-chair",
        "childs-pose-chair",
    ] or sorted(i.exercise.id for i in items) == sorted(
        ["seated-twist", "hamstring-stretch-chair", "childs-pose-chair"]
    )
    assert all(i.positions == ("chair-sitting",) and "chair" in i.needs for i in items)
    # three exercises; the session is short for the budget, and the warning says so
    shrank = [w for w in result.warnings if w.startswith("the routine shrank")]
    assert all("only" not in w and "under half" in w for w in shrank)


def test_childs_pose_becomes_the_chair_version_with_a_line_and_a_reason(
    host: PluginHost,
) -> None:
    patient = Patient(name="Pat Example", exclude=("kneeling",))
    result = api.build_handout("back-spasm-acute", patient=patient, host=host)
    chair = next(i for i in result.handout.items if i.exercise.id == "childs-pose-chair")
    assert chair.replaces is not None and chair.replaces.exercise_id == "childs-pose"
    assert chair.note is None  # "Kneel with your knees apart" is not carried over
    text = card_text(api.build("back-spasm-acute", patient=patient, host=host, format="pdf"))
    assert "In place of Child's Pose: This way keeps weight off your knees." in text
    assert "Kneel with your knees apart" not in text
    from routinekit.cli.explain import explanation_lines

    lines = "\n".join(explanation_lines(result))
    assert "in place of: Child's Pose (it is done on hands and knees" in lines
    left = {lo.exercise_id: lo.reason for lo in result.handout.left_out}
    assert "Child's Pose in a Chair is printed instead" in left["childs-pose"]


def test_a_routine_left_with_one_exercise_warns_and_strict_refuses(
    host: PluginHost, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = api.build_handout(
        "back-spasm-acute", host=host, options=BuildOptions(exclude=("chair-only",))
    )
    assert len(result.handout.items) <= 2
    assert any("the routine shrank: only" in w for w in result.warnings)
    out = tmp_path / "h.pdf"
    args = ["build", "back-spasm-acute", "--exclude", "chair-only", "-o", str(out)]
    ran = run_cli(*args)
    assert ran.code == 0 and "Warning: the routine shrank" in ran.err
    out.unlink()
    ran = run_cli(*args, "--strict")
    assert ran.code == 2, ran.err
    assert "the routine shrank" in ran.err and ran.err.count("\n") == 1
    assert not out.exists()


def test_every_library_exercise_under_every_limit_prints_nothing_that_breaks_it(
    host: PluginHost,
) -> None:
    assert limit_problems(host) == []


def test_the_whole_library_under_each_limit_is_safe_and_substitutes(host: PluginHost) -> None:
    ids = [e.id for e in library_for(host)]
    text = "id: all\ntitle: All\nred_flags: [Numbness]\nexercises:\n" + "".join(
        f"  - {i}\n" for i in ids
    )
    rf = load_routine_text(text)
    for word in known_words():
        limits = parse_exclusions([word], ids)
        for strategy in host.strategies():
            result = api.build_handout(
                rf, host=host, options=BuildOptions(strategy=strategy, exclude=(word,))
            )
            for item in result.handout.items:
                assert limits.why(item.exercise) is None, (word, strategy, item.exercise.id)


class _Sneaky:
    """A plugin whose adjust_handout puts Cat-Cow back on every handout."""

    from routinekit.hookspecs import hookimpl

    @staticmethod
    @hookimpl
    def adjust_handout(handout):  # type: ignore[no-untyped-def]
        from routinekit.library import BUILTIN_FILE, load_exercise_file
        from routinekit.model import HandoutGroup, HandoutItem

        cat = next(e for e in load_exercise_file(BUILTIN_FILE) if e.id == "cat-cow")
        extra = HandoutItem(number=99, exercise=cat, dose=cat.dose)
        return msgspec.structs.replace(
            handout, groups=(*handout.groups, HandoutGroup(items=(extra,)))
        )


def test_a_plugin_cannot_put_back_what_the_patient_cannot_do() -> None:
    from routinekit.testing import make_host

    sneaky = make_host(_Sneaky())
    with pytest.raises(UserError, match="cannot do: 'cat-cow'"):
        api.build_handout(
            "back-spasm-acute", host=sneaky, options=BuildOptions(exclude=("kneeling",))
        )
    with pytest.raises(ContractError, match="limits"):
        check_limits(_Sneaky(), exercise_ids=["knees-to-chest"])


def test_plugin_authors_get_the_same_check() -> None:
    check_limits(exercise_ids=["childs-pose", "seated-twist"])  # the library passes


def test_json_lists_positions_and_needs_of_each_printed_exercise(host: PluginHost) -> None:
    data = msgspec.json.decode(api.build("back-spasm-acute", host=host, format="json"))
    items = [i for g in data["groups"] for i in g["items"]]
    by_id = {i["exercise"]["id"]: i for i in items}
    assert by_id["childs-pose"]["positions"] == ["quadruped", "kneeling"]
    assert by_id["childs-pose"]["needs"] == ["floor-space"]
    assert by_id["prone-on-elbows"]["positions"] == ["prone"]


# -- stages ---------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


@pytest.mark.parametrize(
    ("stage", "title", "ice"),
    [
        (1, "Stretches for an Acute Back Spasm", True),
        ("Weeks 1-2", "Stretches for a Back Spasm That Is Easing", False),
        ("after that", "Stretches to Keep Back Spasms Away", False),
    ],
)
def test_a_patients_stage_marks_you_are_here_and_keeps_stage_text_in_its_stage(
    host: PluginHost, stage: str | int, title: str, ice: bool
) -> None:
    patient = Patient(name="Pat Example", stage=stage)
    result = api.build_handout("back-spasm-acute", patient=patient, host=host)
    text = pdf_text(api.build("back-spasm-acute", patient=patient, host=host, format="pdf"))
    assert title in text
    assert ("Use ice for 15-20 minutes" in text) is ice
    assert "You are here." in text
    if stage == 1:
        assert result.handout.strategy_id == "acute"
        assert "Next: Weeks 1-2." in text
        assert "Acute" not in title or "Easing" not in text
    else:
        assert "Acute" not in text.split("Looking after yourself")[0]
    if stage == "Weeks 1-2":
        assert result.handout.strategy_id == "progressive"
        assert "Next: After that." in text


def test_without_a_stage_every_stages_self_care_is_named(host: PluginHost) -> None:
    text = pdf_text(api.build("back-spasm-acute", host=host, format="pdf"))
    assert "Days 1-3: Use ice for 15-20 minutes" in text
    assert "You are here." not in text


def test_an_unknown_stage_is_one_line_listing_the_stages(host: PluginHost) -> None:
    with pytest.raises(UserError) as info:
        api.build_handout("back-spasm-acute", patient=Patient(stage="week 9"), host=host)
    line = info.value.one_line()
    assert "unknown stage" in line and "1 (Days 1-3), 2 (Weeks 1-2), 3 (After that)" in line


def test_a_spanish_handout_for_a_stage_has_its_spanish_title(host: PluginHost) -> None:
    patient = Patient(name="Pat Example", stage=2, language="es")
    text = pdf_text(api.build("back-spasm-acute", patient=patient, host=host, format="pdf"))
    assert "Estiramientos para un espasmo de espalda que va mejorando" in text
    assert "Usted está aquí." in text
    assert "hielo" not in text


# -- notes --------------------------------------------------------------------------------------


def test_routine_notes_are_tips_and_patient_notes_are_the_therapists(
    host: PluginHost,
) -> None:
    patient = Patient(
        name="Pat Example",
        exercise_notes={"knees-to-chest": "Start with one knee, then both when that is easy."},
    )
    text = pdf_text(api.build("back-spasm-acute", patient=patient, host=host, format="pdf"))
    assert "Tip: It is common for this to feel sore at first." in text
    assert "Note from your therapist: Start with one knee, then both when that is easy." in text
    assert text.count("Note from your therapist:") == 1


@pytest.mark.parametrize(
    ("note", "language", "flagged"),
    [
        ("Turn only as far as is comfortable.", "en", None),
        ("Start with one knee, then both when that feels easy.", "en", None),
        ("Empiece con una rodilla y luego las dos.", "en", "es"),
        ("Start with one knee, then both when that feels easy.", "es", "en"),
        ("Keep at it", "es", None),  # too short to tell
    ],
)
def test_the_language_of_a_note_is_guessed_cautiously(
    note: str, language: str, flagged: str | None
) -> None:
    from routinekit.notes import language_mismatch

    assert language_mismatch(note, language) == flagged


def test_a_note_in_another_language_warns_and_an_unknown_id_is_an_error(
    host: PluginHost,
) -> None:
    patient = Patient(exercise_notes={"knees-to-chest": "Empiece con una rodilla y luego las dos."})
    result = api.build_handout("back-spasm-acute", patient=patient, host=host)
    assert any("exercise_notes.knees-to-chest" in w and "'es'" in w for w in result.warnings)
    assert not any("Empiece" in w for w in result.warnings)  # no patient text in warnings
    with pytest.raises(UserError, match="note for unknown exercise 'knees-to-chset'"):
        api.build_handout(
            "back-spasm-acute", patient=Patient(exercise_notes={"knees-to-chset": "x"}), host=host
        )


# -- frequency ----------------------------------------------------------------------------------


def test_one_frequency_routine_then_strategy_then_patient(host: PluginHost) -> None:
    acute = api.build_handout("back-spasm-acute", host=host, strategy="acute").handout
    assert acute.regimen.times_per_day is not None and acute.regimen.times_per_day.text() == "3-5"
    from routinekit.model import Range

    mine = api.build_handout(
        "back-spasm-acute",
        host=host,
        strategy="acute",
        patient=Patient(times_per_day=Range(2)),
    ).handout
    assert regimen_text(mine.regimen).endswith("twice a day")
    pdf = pdf_text(
        api.build(
            "back-spasm-acute", host=host, patient=Patient(times_per_day=Range(2)), format="pdf"
        )
    )
    assert "times a day" not in card_text_from(pdf)  # no card contradicts the regimen line


def card_text_from(text: str) -> str:
    start = text.index("How long and how often:")
    start = text.index(".", start)
    end = text.find("Your recovery, step by step")
    return text[start : end if end > 0 else len(text)]


def test_validate_flags_a_frequency_conflict(tmp_path: Path, host: PluginHost) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: f\ntitle: F\nred_flags: [Numbness]\nstrategy: {id: as-written, times_per_day: 2-3}\n"
        "exercises:\n  - id: cat-cow\n    dose: {reps: 5, times_per_day: 1}\n  - childs-pose\n",
        encoding="utf-8",
    )
    report = api.validate(path, host=host)
    lines = [f.line() for f in report.findings]
    assert any(
        "exercises[0].dose.times_per_day" in x and "says 1 times a day" in x for x in lines
    ), lines


# -- the top QR code and honest time --------------------------------------------------------------


def test_the_top_qr_code_only_when_the_printed_set_is_the_routines(
    host: PluginHost, tmp_path: Path
) -> None:
    from routinekit.model import ClinicProfile

    clinic = ClinicProfile(
        name="Example", routine_video_url_pattern="https://videos.example.org/r/{id}"
    )
    whole = api.build_handout("back-spasm-acute", host=host, clinic=clinic)
    assert whole.handout.video_url == "https://videos.example.org/r/back-spasm-acute"
    less = api.build_handout(
        "back-spasm-acute", host=host, clinic=clinic, options=BuildOptions(exclude=("prone",))
    )
    assert less.handout.video_url is None
    assert "leaves out prone-on-elbows, prone-press-up" in less.notices[0]
    report = api.validate(
        "back-spasm-acute", host=host, clinic=clinic, options=BuildOptions(exclude=("prone",))
    )
    assert any("no QR code at the top" in f.message for f in report.findings)
    with_set = msgspec.structs.replace(
        clinic, set_video_url_pattern="https://videos.example.org/set/{exercises}"
    )
    chosen = api.build_handout(
        "back-spasm-acute", host=host, clinic=with_set, options=BuildOptions(exclude=("prone",))
    )
    assert chosen.handout.video_url is not None
    assert chosen.handout.video_url.startswith("https://videos.example.org/set/")
    assert "prone-on-elbows" not in chosen.handout.video_url


def test_time_counts_the_printed_doses_and_the_changes_of_position(host: PluginHost) -> None:
    from routinekit.model import Dose, Range

    patient = Patient(doses={"prone-on-elbows": Dose(hold=Range(20, 30))})
    result = api.build_handout("back-spasm-acute", host=host, patient=patient)
    h = result.handout
    printed = sum(i.dose.seconds("low") for i in h.items)
    assert h.regimen.change_seconds > 0
    assert h.regimen.minutes_low * 60 == pytest.approx(printed + h.regimen.change_seconds)
    prone = next(i for i in h.items if i.exercise.id == "prone-on-elbows")
    assert prone.dose.hold == Range(20, 30)
    assert any("Prone on Elbows 20 s" in n for n in h.strategy_notes)


def test_batch_rows_carry_limits_stages_notes_and_warn_in_the_manifest(tmp_path: Path) -> None:
    from routinekit.batch.runner import run_batch

    rows = tmp_path / "p.csv"
    rows.write_text(
        "id,name,exclude,stage,note:knees-to-chest,times_per_day\n"
        "A,Ann Example,chair-only,,,\n"
        "B,Bob Example,kneeling,2,Start with one knee.,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run_batch(rows, "back-spasm-acute", out, jobs=1)
    assert summary.ok
    entries = [
        msgspec.json.decode(line)
        for line in (out / "manifest.jsonl").read_bytes().split(b"\n")
        if line
    ]
    by_row = {e["row"]: e for e in entries}
    assert any("the routine shrank" in w for w in by_row[1]["warnings"])
    assert "warnings" not in by_row[2]
    text = pdf_text((out / by_row[2]["output"]).read_bytes())
    assert "Note from your therapist: Start with one knee." in text
    assert (
        "You are here." in text
        and "kneel" not in card_text((out / by_row[2]["output"]).read_bytes()).lower()
    )
    assert re.search(r"How long and how often: About \d+(-\d+)? minutes, twice a day", text)
    assert not any("Ann" in w for e in entries for w in e.get("warnings", []))


def test_render_options_are_untouched_by_tailoring(host: PluginHost) -> None:
    # the HTML page prints the same lines as the PDF
    patient = Patient(
        stage=1, exclude=("kneeling",), exercise_notes={"knees-to-chest": "One knee first."}
    )
    html = api.build(
        "back-spasm-acute",
        host=host,
        patient=patient,
        format="html",
        render_options=RenderOptions(),
    ).decode()
    assert "In place of Child&#x27;s Pose:" in html or "In place of Child's Pose:" in html
    assert "Note from your therapist:" in html and 'aria-current="step"' in html

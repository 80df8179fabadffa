"""Fuzzing: generated routine files, patient files and command lines, valid and broken.

The property: routinekit either builds a handout or raises a :class:`UserError` (exit 2
with one line on the command line) — never any other exception, never a hang.

Profiles (``ROUTINEKIT_FUZZ``): ``bounded`` (default, a few hundred examples in all, for CI)
and ``long`` (thousands, on demand: ``ROUTINEKIT_FUZZ=long pytest tests/test_fuzz.py``).
"""

from __future__ import annotations

import io
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinekit import api
from routinekit.errors import UserError
from routinekit.files.people_files import load_patient_file
from routinekit.files.routine_file import load_routine_file
from routinekit.library import library_for
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions
from routinekit.stages import render

settings.register_profile(
    "bounded",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile(os.environ.get("ROUTINEKIT_FUZZ", "bounded"))
#: seconds one example may take before it counts as a hang
HANG_SECONDS = 20

HOST = PluginHost(entry_points=False)
IDS = sorted(e.id for e in library_for(HOST))
POSITIONS = ["prone", "supine", "kneeling", "side-lying", "seated", "standing", "quadruped"]
MOVEMENTS = ["rotation", "flexion", "extension", "side-bend", "twisting", "bending"]


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging."""

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# -- strategies -------------------------------------------------------------------------------

nasty_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "=1+1", "@SUM(A1)", "-", "\x00", "\x1b[2J", "\u202e", "a\nb", "é" * 3, "💥"]
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 30, 100, 101, 300, 301, 500, 1800, 10**400]),
)
dose_value = st.one_of(
    numbers,
    st.sampled_from(["30-60", "60-30", "10 to 15", "a while", "", "-5", "1e5", "0-10"]),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
dose = st.dictionaries(
    st.sampled_from(["hold", "reps", "sets", "minutes", "times_per_day", "per_side", "speed"]),
    dose_value,
    max_size=4,
)
entry = st.one_of(
    st.sampled_from(IDS),
    st.text(max_size=12),
    st.fixed_dictionaries(
        {"id": st.one_of(st.sampled_from(IDS), nasty_text)},
        optional={
            "dose": st.one_of(dose, numbers, nasty_text),
            "note": nasty_text,
            "video_url": st.sampled_from(
                [
                    "https://v.example.org/x",
                    "ftp://x",
                    "javascript:alert(1)",
                    "https://u:p@x.org/a",
                    "https://x.org/a b",
                    "http://",
                    "",
                ]
            ),
        },
    ),
    numbers,
)
routine_dict = st.fixed_dictionaries(
    {
        "id": st.one_of(st.just("fuzz"), nasty_text),
        "title": st.one_of(st.just("Fuzzed routine"), nasty_text),
        "exercises": st.one_of(
            st.lists(entry, min_size=1, max_size=6), st.just([]), nasty_text, numbers
        ),
    },
    optional={
        "routinekit": st.sampled_from([1, 2, "1", None]),
        "strategy": st.one_of(
            st.sampled_from(["as-written", "nope", ""]),
            st.fixed_dictionaries(
                {"id": st.sampled_from(["as-written", "nope"])},
                optional={
                    "minutes": numbers,
                    "phase": st.sampled_from(["acute", "progression", "prevention", "x"]),
                    "exclude": st.lists(st.sampled_from(POSITIONS + MOVEMENTS + ["x"]), max_size=3),
                    "times_per_day": dose_value,
                },
            ),
        ),
        "red_flags": st.one_of(st.lists(nasty_text, max_size=3), nasty_text),
        "language": st.sampled_from(["en", "es", "EN", "", "xx-YY"]),
        "tracking_log": st.one_of(st.fixed_dictionaries({"days": numbers}), nasty_text),
        "video_url": st.sampled_from(["https://v.example.org/r", "file:///etc/passwd", "x"]),
        "unknown_field": nasty_text,
    },
)


def nest(depth: int) -> str:
    return "[" * depth + "]" * depth


def alias_bomb(levels: int) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        prev = "a" if i == 1 else f"l{i - 1}"
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@st.composite
def routine_bytes(draw: st.DrawFn) -> bytes:
    """A routine file's bytes: a generated mapping, then perhaps broken on purpose."""
    data = draw(routine_dict)
    text = yaml.safe_dump(data, allow_unicode=True) if draw(st.booleans()) else json.dumps(data)
    damage = draw(
        st.sampled_from(
            ["none", "none", "duplicate", "nest", "bomb", "control", "utf8", "truncate", "tag"]
        )
    )
    if damage == "duplicate":
        text += "title: again\n"
    elif damage == "nest":
        text += f"deep: {nest(draw(st.integers(1, 400)))}\n"
    elif damage == "bomb":
        text += alias_bomb(draw(st.integers(1, 8)))
    elif damage == "control":
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["\x00", "\x07", "\x1b", "\x7f"])) + text[cut:]
    elif damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "tag":
        text += "extra: !!python/object/apply:os.system [echo]\n"
    raw = text.encode("utf-8")
    if damage == "utf8":
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9\x00"])) + raw[cut:]
    return raw


patient_dict = st.fixed_dictionaries(
    {},
    optional={
        "name": nasty_text,
        "date": st.one_of(st.dates().map(str), st.sampled_from(["2026-02-30", "yesterday", ""])),
        "exclude": st.one_of(
            st.lists(st.sampled_from(POSITIONS + MOVEMENTS + IDS + ["skiing", ""]), max_size=4),
            st.sampled_from(["prone, rotation", "", ",,"]),
        ),
        "doses": st.dictionaries(st.one_of(st.sampled_from(IDS), nasty_text), dose, max_size=3),
        "minutes": numbers,
        "max_difficulty": numbers,
        "notes": nasty_text,
        "language": st.sampled_from(["en", "es", "??"]),
        "therapist": nasty_text,
    },
)


# -- properties -------------------------------------------------------------------------------


def build_or_user_error(routine: Path, patient: Path | None = None, **overrides: Any) -> None:
    """The property: a handout (JSON bytes) or a UserError; anything else fails the test."""
    with no_hang():
        try:
            result = api.build_handout(
                routine,
                patient=patient,
                host=HOST,
                options=BuildOptions(**overrides),
                clinic=None,
            )
            data = render(result.handout, host=HOST, format="json")
        except UserError as exc:
            assert "\n" not in exc.one_line()
            return
    assert data


@settings(PROFILE)
@given(raw=routine_bytes())
def test_routine_files_build_or_fail_cleanly(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "routine.yaml"
    path.write_bytes(raw)
    build_or_user_error(path)


@settings(PROFILE)
@given(data=routine_dict, patient=patient_dict, guards=st.sampled_from(["standard", "warn"]))
def test_patients_build_or_fail_cleanly(
    data: dict[str, Any], patient: dict[str, Any], guards: str, tmp_path: Path
) -> None:
    routine = tmp_path / "routine.yaml"
    routine.write_text(json.dumps(data), encoding="utf-8")
    person = tmp_path / "patient.yaml"
    person.write_text(yaml.safe_dump(patient, allow_unicode=True), encoding="utf-8")
    build_or_user_error(routine, person, guards=guards)


@settings(PROFILE)
@given(patient=patient_dict)
def test_patient_files_load_or_fail_cleanly(patient: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(patient), encoding="utf-8")
    with no_hang(), suppress(UserError):
        load_patient_file(path)


option_values: dict[str, st.SearchStrategy[str]] = {
    "--strategy": st.sampled_from(["as-written", "nope", ""]),
    "--exclude": st.sampled_from(["prone", "rotation,prone", "skiing", "", "\x1b[2J"]),
    "--minutes": st.sampled_from(["5", "0", "-1", "abc", "1e999", "nan", "240"]),
    "--max-difficulty": st.sampled_from(["1", "9", "x"]),
    "--phase": st.sampled_from(["acute", "x"]),
    "--page-size": st.sampled_from(["letter", "A4", "b5"]),
    "--date": st.sampled_from(["2026-01-01", "2026-02-30", "x"]),
    "--guards": st.sampled_from(["standard", "warn", "off", "strict", "loose"]),
    "-f": st.sampled_from(["json", "docx", ""]),
    "--patient": st.sampled_from(["nowhere.yaml", "patient.yaml", ""]),
    "--clinic": st.sampled_from(["nowhere.yaml", ""]),
}


@st.composite
def cli_args(draw: st.DrawFn) -> list[str]:
    args = ["build", draw(st.sampled_from(["routine.yaml", "nowhere.yaml", "back-spasm", ""]))]
    for name in draw(st.lists(st.sampled_from(sorted(option_values)), max_size=5)):
        args += [name, draw(option_values[name])]
    if draw(st.booleans()):
        args.append(draw(st.sampled_from(["--bogus", "-x", "--", "extra", "--explain"])))
    return args


@settings(PROFILE)
@given(args=cli_args())
def test_command_lines_exit_0_or_2_with_one_line(
    args: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from routinekit.cli import main
    from routinekit.plugins import host as host_module

    folder = tmp_path_factory.mktemp("cli")
    (folder / "routine.yaml").write_text(
        "id: fuzz\ntitle: Fuzz\nstrategy: as-written\nexercises: [cat-cow, childs-pose]\n",
        encoding="utf-8",
    )
    (folder / "patient.yaml").write_text("name: Pat Example\nexclude: [prone]\n", encoding="utf-8")
    args = [*args, "-o", str(folder / "out.json")] if "-f" not in args else args
    host_module.reset_host()
    err = io.StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        with no_hang(), redirect_stdout(io.StringIO()), redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(cwd)
    text = err.getvalue()
    assert "Traceback" not in text
    assert code in (0, 2), text
    if code == 2:
        assert text.count("\n") == 1 and text.startswith("Error: "), text


@settings(PROFILE)
@given(raw=routine_bytes())
def test_reading_never_raises_anything_but_user_errors(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(raw)
    with no_hang(), suppress(UserError):
        load_routine_file(path)

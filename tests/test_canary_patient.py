"""A canary patient through every failing path: their name, date and notes appear nowhere.

The canary has a name, a date and notes no message could contain by chance. They are
driven through every case of the broken-input corpus (``build`` with the canary as the
patient, and canary variants of the broken patient files), through ``validate``, through
batches whose rows fail in every way a row can (a broken routine of the corpus per row,
bad cells, an unterminated quote, a missing header, keys that are names) and through
plugins that fail while holding the patient. Every line printed (stdout and stderr),
every manifest line and every file name is scanned.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_errors_corpus import BROKEN, CASES

from routinekit.hookspecs import hookimpl
from routinekit.plugins import host as host_module
from routinekit.plugins.host import PluginHost

NAME = "Quillon Vexborough-Astaire"
DATE = "1987-03-29"
NOTES = "Rides the Halberstadt ferry on Thursdays"
#: what must never appear (case-insensitive): each distinctive part on its own too
CANARY = ("Quillon", "Vexborough", "Astaire", DATE, "Halberstadt", "ferry on Thursdays")
PATIENT_YAML = f"name: {NAME}\ndate: {DATE}\nnotes: {NOTES}\n"


def leaks(text: str) -> list[str]:
    low = text.lower()
    return [c for c in CANARY if c.lower() in low]


def assert_clean(where: str, *texts: str) -> None:
    found = leaks("\n".join(texts))
    assert not found, f"{where}: canary {found} in {texts}"


def scan_folder(folder: Path) -> None:
    """File names and manifests hold no name or notes; the manifests' messages no date.

    (The handout's date is in file names by design: the default pattern is
    ``{row:05d}_{routine}_{date}``. It is never in an error message.)
    """
    for path in folder.rglob("*"):
        assert_clean(f"file name {path.name}", path.name.replace(DATE, ""))
        if path.is_file() and path.suffix in (".jsonl", ".csv", ".txt", ".log"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert_clean(str(path), text.replace(f"_{DATE}.", "_."))


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.yaml"
    path.write_text(PATIENT_YAML, encoding="utf-8")
    return path


def canary_variant(broken: Path, folder: Path) -> Path:
    """A broken patient file of the corpus with the canary's name, date and notes in it.

    What makes the file fail stays as it is; the canary's fields are added where the
    file has none, its placeholder name becomes the canary's, and a file keyed by a
    person is keyed by the canary.
    """
    text = broken.read_text(encoding="utf-8").replace("Test Patient", NAME)
    text = text.replace("Zelda Quixotic-Marchbanks", NAME).replace("Zelda Quixotic", NAME)
    if text.lstrip().startswith(("-", "[")):
        out = folder / broken.name  # a list, not a mapping: the canary is in no field
        out.write_text(text.replace("name: ", f"name: {NAME} ", 1), encoding="utf-8")
        return out
    keys = {line.split(":", 1)[0] for line in text.splitlines() if ":" in line}
    extra = {"name": NAME, "date": DATE, "notes": NOTES}
    head = "".join(f"{k}: {v}\n" for k, v in extra.items() if k not in keys)
    out = folder / broken.name
    out.write_text(head + text, encoding="utf-8")
    return out


# -- build and validate: every case of the corpus ------------------------------------------------


@pytest.mark.parametrize(("name", "argv", "expected"), CASES, ids=[c[0] for c in CASES])
def test_no_failing_build_or_validate_prints_the_canary(
    name: str,
    argv: list[str],
    expected: str,
    canary: Path,
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(BROKEN)
    args = [str(tmp_path / "out.json") if a == "OUT" else a for a in argv]
    if "--patient" in args:
        i = args.index("--patient") + 1
        if (BROKEN / args[i]).is_file():
            original = args[i]
            args[i] = str(canary_variant(BROKEN / original, tmp_path))
            # a case that writes over its own input keeps doing so, on the canary's copy
            args = [args[i] if a == original else a for a in args]
        else:  # a path that does not exist: the canary's name typed where a file goes
            args[i] = NAME
    elif args and args[0] == "build":
        args += ["--patient", str(canary)]
    result = run_cli(*args)
    assert result.code != 0, f"{name} should still fail: {result.err}"
    assert_clean(name, result.out, result.err)


# -- batch: rows that fail in every way ------------------------------------------------------------


def _batch(run_cli: Callable[..., Any], listing: Path, out: Path, *extra: str) -> Any:
    result = run_cli(
        "batch",
        listing,
        "-r",
        BROKEN / "routines" / "valid.yaml",
        "-o",
        out,
        "-f",
        "json",
        "-j",
        "1",
        "--date",
        "2026-01-01",
        *extra,
    )
    assert_clean(f"batch {listing.name}", result.out, result.err)
    if out.exists():
        scan_folder(out)
    return result


def test_every_broken_routine_of_the_corpus_as_a_rows_routine(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    routines = sorted(p for p in (BROKEN / "routines").glob("*.yaml") if p.name != "valid.yaml")
    listing = tmp_path / "list.csv"
    rows = [f'"{NAME}",{DATE},"{NOTES}",{p}' for p in routines]
    listing.write_text("name,date,notes,routine\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = _batch(run_cli, listing, tmp_path / "out", "--keep-going")
    assert result.code in (1, 2), result.err
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8")
    failed = [json.loads(line) for line in manifest.splitlines() if '"failed"' in line]
    assert len(failed) >= len(routines) - 2, "nearly every broken routine fails its row"


CELL_FAILURES = {
    "date": "1987-02-30",
    "exclude": "skiing",
    "minutes": "nan",
    "max_difficulty": "9",
    "language": "Quillon",
    "dose:cat-cow": "hold Vexborough",
    "dose:cat-cows": "hold 5",
    "therapist": "x" * 400,
    "notes": NOTES + " " + "y" * 100_001,
}


@pytest.mark.parametrize("column", sorted(CELL_FAILURES))
def test_a_failing_cell_never_prints_the_canary(
    column: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    header = ["name", "notes"] + ([column] if column != "notes" else [])
    cells = [NAME, NOTES] + ([CELL_FAILURES[column]] if column != "notes" else [])
    if column == "notes":
        cells[1] = CELL_FAILURES["notes"]
    quoted = ",".join(f'"{c}"' for c in cells)
    listing.write_text(",".join(header) + "\n" + quoted + "\n", encoding="utf-8")
    result = _batch(run_cli, listing, tmp_path / "out")
    assert result.code in (1, 2), result.err


@pytest.mark.parametrize(
    ("file_name", "text"),
    [
        ("no-header.csv", f"{NAME},{DATE},{NOTES}\nAnn,2026-01-01,ok\n"),
        ("quote.csv", f'name,notes\nAnn,"oops\n{NAME},{NOTES}\n'),
        ("stray-quote.csv", f'name,notes\n{NAME},"{NOTES}"x\n'),
        ("same-column.csv", f"name,{NAME},{NAME}\nAnn,1,2\n"),
        ("keyed.jsonl", json.dumps({"name": NAME, NAME: DATE, "notes": NOTES}) + "\n"),
        ("bad.jsonl", '{"name": "' + NAME + '", "notes": ' + "\n"),
        ("keyed.yaml", f"- name: {NAME}\n  {NAME}: {{date: {DATE}}}\n"),
        ("duplicate.yaml", f"- {NAME}: 1\n  {NAME}: 2\n"),
        ("tagged.yaml", f"- name: !!int {NAME}\n  notes: {NOTES}\n"),
        ("doses.yaml", f"- name: {NAME}\n  doses: {{{NAME}: {{hold: 5}}}}\n"),
    ],
)
def test_a_broken_list_never_prints_the_canary(
    file_name: str, text: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    listing = tmp_path / file_name
    listing.write_text(text, encoding="utf-8")
    result = _batch(run_cli, listing, tmp_path / "out")
    assert result.code in (1, 2), result.err


# -- plugins that fail while holding the patient ---------------------------------------------------


def _plugin(name: str, **hooks: Callable[..., Any]) -> object:
    cls = type(
        name, (), {"__name__": name, **{k: staticmethod(hookimpl(v)) for k, v in hooks.items()}}
    )
    return cls()


def _quote_everything(handout: Any) -> Any:
    p = handout.patient
    raise ValueError(f"cannot adjust {p!r} for {p.name} on {p.date} ({p.notes})")


def _return_the_patient(handout: Any) -> Any:
    return handout.patient


@pytest.mark.parametrize("hook", [_quote_everything, _return_the_patient])
def test_a_failing_plugin_never_prints_the_canary(
    hook: Callable[..., Any],
    canary: Path,
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from routinekit.batch.runner import run_batch

    rogue = _plugin("rogue-adjuster", adjust_handout=hook)
    monkeypatch.setattr(host_module, "_HOST", PluginHost(entry_points=False, extra=[rogue]))
    valid = BROKEN / "routines" / "valid.yaml"
    result = run_cli("build", valid, "--patient", canary, "-f", "json", "-o", tmp_path / "h.json")
    assert result.code == 3, result.err
    assert "rogue-adjuster" in result.err
    assert_clean("build with a failing plugin", result.out, result.err)
    # a batch row, built in this process by a worker whose host has the rogue plugin
    monkeypatch.setattr(
        host_module, "PluginHost", lambda: PluginHost(entry_points=False, extra=[rogue])
    )
    listing = tmp_path / "list.csv"
    listing.write_text(f'name,date,notes\n"{NAME}",{DATE},"{NOTES}"\n', encoding="utf-8")
    summary = run_batch(listing, valid, tmp_path / "out", format="json", jobs=0)
    assert summary.failed == 1, summary
    assert_clean("batch summary with a failing plugin", repr(summary))
    scan_folder(tmp_path / "out")


# -- batch: messages of the batch itself (refusals, early stop, worker faults) --------------------


def test_refusing_another_list_in_a_folder_never_prints_the_canary(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("name,date\nAnn Lee,2026-01-01\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(f'name,date,notes\n"{NAME}",{DATE},"{NOTES}"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(run_cli, first, out).code == 0
    refused = _batch(run_cli, second, out)
    assert refused.code == 2 and "other inputs" in refused.err, refused.err


def test_an_early_stop_never_prints_the_canary(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    rows = "".join(f'"{NAME}",{DATE},"{NOTES}",hold {NAME.split()[0]}\n' for _ in range(25))
    listing.write_text("name,date,notes,dose:cat-cow\n" + rows, encoding="utf-8")
    stopped = _batch(run_cli, listing, tmp_path / "out")
    assert stopped.code == 1 and "stopped: the first 20 rows" in stopped.err, stopped.err

# ruff: noqa: E501  (the expected messages are long single lines on purpose)
"""Inputs and outputs a red team tried: pipes, devices, planted links, a full disk, CSV quotes.

Each case runs the real command line and checks the one-line error (exit 2, no
traceback), that nothing hangs (a pipe as an input is refused before it is read), and
that nothing is written where it should not be. Files that cannot live in git (FIFOs,
links) are made in the test's own folder.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from routinekit.errors import UserError

BROKEN = Path(__file__).resolve().parent / "broken"
VALID = BROKEN / "routines" / "valid.yaml"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and devices are POSIX")


def one_line_error(result: Any) -> str:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "internal bug" not in result.err
    assert result.err.count("\n") == 1, result.err
    return str(result.err.rstrip("\n"))


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


# -- inputs that are not regular files ----------------------------------------------------------


@posix_only
@pytest.mark.parametrize("role", ["routine", "--patient", "--clinic"])
def test_a_fifo_as_any_input_is_refused_at_once(
    role: str, fifo: Path, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    argv = [fifo] if role == "routine" else [VALID, role, fifo]
    err = one_line_error(run_cli("build", *argv, "-f", "json", "-o", tmp_path / "h.json"))
    assert (
        err
        == f"Error: {fifo}: is not a regular file (it is a named pipe); give the path of a file saved on disk"
    )


@posix_only
@pytest.mark.parametrize("role", ["routine", "--patient", "--clinic"])
def test_dev_zero_as_any_input_is_refused(
    role: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    argv = ["/dev/zero"] if role == "routine" else [VALID, role, "/dev/zero"]
    err = one_line_error(run_cli("build", *argv, "-f", "json", "-o", tmp_path / "h.json"))
    assert (
        err
        == "Error: /dev/zero: is not a regular file (it is a device); give the path of a file saved on disk"
    )


@posix_only
def test_a_fifo_or_device_as_the_patient_list_or_a_rows_routine(
    fifo: Path, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    err = one_line_error(
        run_cli("batch", "/dev/zero", "-r", VALID, "-o", tmp_path / "a", "-f", "json", "-q")
    )
    assert "/dev/zero: is not a regular file (it is a device)" in err
    listing = tmp_path / "list.csv"
    listing.write_text(f"name,routine\nAnn,{fifo}\nBo,\n", encoding="utf-8")
    result = run_cli("batch", listing, "-r", VALID, "-o", tmp_path / "b", "-f", "json", "-q")
    assert result.code == 1, result.err  # the row fails, the batch goes on
    assert "row 1, field 'routine': is not a regular file (it is a named pipe)" in result.err
    assert (tmp_path / "b" / "00002_broken_2026-01-01.json").exists() or any(
        (tmp_path / "b").glob("00002_*.json")
    )


def test_reads_stop_at_the_cap_whatever_size_is_claimed(tmp_path: Path) -> None:
    from routinekit.files.regular import read_capped

    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 5000)
    with pytest.raises(UserError) as err:
        read_capped(big, max_bytes=4096)
    assert "too large (5,000 bytes; the limit is 4,096)" in err.value.one_line()
    assert read_capped(big, max_bytes=5000) == b"a" * 5000


def test_a_folder_as_a_patient_or_clinic_file(tmp_path: Path) -> None:
    from routinekit.files.people_files import load_clinic_file, load_patient_file

    for load in (load_patient_file, load_clinic_file):
        with pytest.raises(UserError) as err:
            load(tmp_path)
        assert err.value.one_line() == f"{tmp_path}: is a folder, not a file"


# -- CSV: strict quotes, long cells ---------------------------------------------------------------


def test_an_unterminated_quote_never_swallows_the_next_patient(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text('name,notes\nAnn,fine\nBob,"oops no end\nCat Doe,ok\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", listing, "-r", VALID, "-o", out, "-f", "json", "-q")
    err = one_line_error(result)
    assert err == (
        f'Error: {listing}, line 3: unterminated quote; a cell on this line opens a quote (") '
        "that is never closed; close it or remove it"
    )
    assert not any(out.glob("*.json")), "no handout from a list that cannot be read"


def test_a_quote_that_closes_on_a_later_line_is_an_unterminated_quote(tmp_path: Path) -> None:
    from routinekit.batch.rows import PatientList

    listing = tmp_path / "list.csv"
    listing.write_text('name,notes\nBob,"oops\nCat,"fine"\n', encoding="utf-8")
    with pytest.raises(UserError) as err:
        list(PatientList(listing))
    assert err.value.one_line().startswith(f"{listing}, line 2: unterminated quote")


def test_a_stray_quote_in_a_cell(tmp_path: Path) -> None:
    from routinekit.batch.rows import PatientList

    listing = tmp_path / "list.csv"
    listing.write_text('name,notes\nBob,"ok"x\n', encoding="utf-8")
    with pytest.raises(UserError) as err:
        list(PatientList(listing))
    assert err.value.one_line().startswith(f'{listing}, line 2: a quote (") in the middle')


def test_a_100k_cell_fails_only_its_row(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(f"name,notes\nAnn,{'x' * 100_001}\nBo,ok\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", listing, "-r", VALID, "-o", out, "-f", "json", "-q")
    assert result.code == 1, result.err
    assert "row 1: this row has a cell longer than 100,000 characters (column 2)" in result.err
    assert "1 written, 0 skipped, 1 failed of 2 rows" in result.err


def test_a_list_without_header_does_not_echo_its_first_patient(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("Zelda Quixotic,2026-01-05,Wobblethorpe\n", encoding="utf-8")
    err = one_line_error(run_cli("batch", listing, "-r", VALID, "-o", tmp_path / "o", "-q"))
    assert "names no known column (is the header line missing?)" in err
    assert "Zelda" not in err and "Wobblethorpe" not in err and "2026-01-05" not in err


# -- outputs ------------------------------------------------------------------------------


@posix_only
def test_an_output_that_is_a_fifo_stays_a_fifo(fifo: Path, run_cli: Callable[..., Any]) -> None:
    err = one_line_error(run_cli("build", VALID, "-f", "json", "-o", fifo))
    assert err == (
        f"Error: {fifo}: the output exists and is not a regular file (a device, pipe or socket); "
        "write to a plain file name"
    )
    assert fifo.is_fifo()


@posix_only
def test_dev_null_is_never_an_output() -> None:
    from routinekit.output import check_output

    with pytest.raises(UserError, match="is not a regular file"):
        check_output("/dev/null")


def test_an_output_that_is_an_input_is_refused_and_kept(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    person = tmp_path / "p.yaml"
    person.write_text("name: Test Patient\n", encoding="utf-8")
    err = one_line_error(run_cli("build", VALID, "--patient", person, "-o", person))
    assert "the output is one of the input files" in err
    assert person.read_text(encoding="utf-8") == "name: Test Patient\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(person)
    assert "one of the input files" in one_line_error(
        run_cli("build", VALID, "--patient", person, "-f", "json", "-o", link)
    )


@posix_only
def test_batch_into_a_folder_that_cannot_be_written(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc (Linux)")
    listing = tmp_path / "list.csv"
    listing.write_text("name\nAnn\n", encoding="utf-8")
    err = one_line_error(run_cli("batch", listing, "-r", VALID, "-o", "/proc", "-q"))
    assert err.startswith("Error: /proc: cannot write in the output folder")


@posix_only
@pytest.mark.parametrize("name", ["manifest.jsonl", ".routinekit-batch.lock"])
def test_planted_links_in_the_output_folder_are_not_written_through(
    name: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("name\nAnn\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    (out / name).symlink_to(victim)
    err = one_line_error(run_cli("batch", listing, "-r", VALID, "-o", out, "-f", "json", "-q"))
    assert "it is a symbolic link" in err
    assert not victim.exists()


def test_a_full_disk_leaves_no_torn_manifest_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit import output

    path = tmp_path / "manifest.jsonl"
    fd = output.open_private_append(path)
    output.append_line(fd, b'{"row":1}\n')
    real_write = os.write

    def half_then_full(fd_: int, data: bytes) -> int:
        if len(data) > 4:
            return real_write(fd_, data[:4])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "write", half_then_full)
    with pytest.raises(UserError, match=r"no space left on device\); free some disk space"):
        output.append_line(fd, b'{"row":2,"status":"ok"}\n')
    monkeypatch.undo()
    os.close(fd)
    assert path.read_bytes() == b'{"row":1}\n'


def test_a_full_disk_while_writing_a_handout_keeps_the_old_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit import output

    target = tmp_path / "h.pdf"
    target.write_bytes(b"old")

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(UserError, match="cannot write the file"):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["h.pdf"], "no temporary file left"


def test_a_full_disk_while_compacting_the_manifest_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit.batch import manifest

    path = tmp_path / "manifest.jsonl"
    path.write_text('{"row":1,"status":"ok","output":"a.pdf"}\n', encoding="utf-8")

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(manifest.os, "fsync", full)
    with pytest.raises(UserError) as err:
        manifest.compact(path, rows=1)
    assert err.value.one_line() == (
        f"{path}: cannot write the file (no space left on device); free some disk space"
    )
    assert path.read_text(encoding="utf-8") == '{"row":1,"status":"ok","output":"a.pdf"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.jsonl"]

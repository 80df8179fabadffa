"""The on-disk cache of pictures and parsed fonts: used when it can be, harmless when not.

A second cold build reads both from the cache (and draws no picture, parses no font),
a corrupt or unwritable cache is ignored, ``ROUTINEKIT_NO_CACHE=1`` turns it off, and
nothing in it names a patient.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from routinekit import illustrations
from routinekit.illustrations import stored
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model import Exercise
from routinekit.render import disk_cache
from tests.conftest import EXAMPLES

PATIENT_NAME = "Zoë Łukasiewicz"  # examples/patient.yaml


def _exercise(ident: str) -> Exercise:
    return next(e for e in load_exercise_file(BUILTIN_FILE) if e.id == ident)


def _cache() -> Path:
    folder = disk_cache.cache_dir()
    assert folder is not None
    return folder


def _entries() -> list[Path]:
    return sorted(p for p in _cache().rglob("*") if p.is_file())


def test_roundtrip_and_folder_from_xdg(tmp_path: Path) -> None:
    assert _cache() == tmp_path / "cache" / "routinekit"  # conftest's XDG_CACHE_HOME
    assert disk_cache.write("area", "key", b"payload")
    assert disk_cache.read("area", "key") == b"payload"
    assert disk_cache.read("area", "other") is None
    entry = _cache() / "area" / "key"
    assert entry.stat().st_mode & 0o777 == 0o600
    assert _cache().stat().st_mode & 0o777 == 0o700
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_relative_xdg_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert disk_cache.cache_dir() == tmp_path / "home" / ".cache" / "routinekit"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit of the payload
        lambda b: b[:10],  # truncated
        lambda b: b"XXXX" + b[4:],  # not our format
        lambda b: b"",
    ],
    ids=["bit", "truncated", "magic", "empty"],
)
def test_corrupt_entry_is_ignored(damage: object) -> None:
    assert disk_cache.write("area", "key", b"some payload")
    entry = _cache() / "area" / "key"
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert disk_cache.read("area", "key") is None
    assert disk_cache.write("area", "key", b"again")  # and it is replaced
    assert disk_cache.read("area", "key") == b"again"


def test_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _cache()
    monkeypatch.setenv("ROUTINEKIT_NO_CACHE", "1")
    assert disk_cache.cache_dir() is None
    assert not disk_cache.write("area", "key", b"x")
    assert disk_cache.read("area", "key") is None
    assert not folder.exists()


def test_unwritable_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert not disk_cache.write("area", "key", b"x")
    assert disk_cache.read("area", "key") is None
    exercise = _exercise("cat-cow")
    illustrations.clear_cache()
    picture = illustrations.pdf_picture_for(exercise, 40, 30)
    assert picture is not None and picture.ops


def test_pictures_come_back_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    exercises = [_exercise(i) for i in ("cat-cow", "prone-press-up", "knees-to-chest")]
    illustrations.clear_cache()
    drawn = [illustrations.pdf_picture_for(e, 40, 30) for e in exercises]
    assert all(p is not None for p in drawn)
    assert len([p for p in _entries() if p.parent.name == "pictures"]) == len(exercises)
    # a new process: nothing in memory, and drawing is not possible
    illustrations.clear_cache()

    def no_drawing(*_args: object) -> None:
        raise AssertionError("drew a picture the cache holds")

    monkeypatch.setattr(illustrations, "_scene", no_drawing)
    monkeypatch.setattr(illustrations, "builtin_poses", no_drawing)
    again = [illustrations.pdf_picture_for(e, 40, 30) for e in exercises]
    assert again == drawn
    # another size is another entry
    with pytest.raises(AssertionError, match="cache holds"):
        illustrations.pdf_picture_for(exercises[0], 50, 30)


def test_picture_key_covers_pose_name_size_code_and_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exercise = _exercise("cat-cow")
    key = stored.picture_key(exercise, b"", 40.0, 30.0, b"plugins")
    assert key is not None
    assert stored.picture_key(exercise, b'{"pose":1}', 40.0, 30.0, b"plugins") != key
    assert stored.picture_key(exercise, b"", 40.0, None, b"plugins") != key
    assert stored.picture_key(exercise, b"", 40.0, 30.0, b"other plugins") != key
    renamed = type(exercise)(**{**_fields(exercise), "name": "Other name"})
    assert stored.picture_key(renamed, b"", 40.0, 30.0, b"plugins") != key
    monkeypatch.setattr(stored, "code_version", lambda: b"other code")
    assert stored.picture_key(exercise, b"", 40.0, 30.0, b"plugins") != key


def _fields(struct: object) -> dict[str, object]:
    return {f: getattr(struct, f) for f in struct.__struct_fields__}  # type: ignore[attr-defined]


def _build(out: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, *extra, "-m", "routinekit", "build", "back-spasm-acute"]
    cmd += ["--clinic", str(EXAMPLES / "clinic.yaml"), "--patient", str(EXAMPLES / "patient.yaml")]
    cmd += ["--date", "2026-01-05", "-o", str(out)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)


def test_second_cold_build_uses_the_cache(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    _build(tmp_path / "first.pdf", env)
    files = _entries()
    # pictures, QR codes, the parsed library and template, template titles, the plugins
    areas = {"pictures", "qr", "exercises", "templates-parsed", "template-titles"}
    areas |= {"entry-points", "fits"}
    assert {p.parent.name for p in files} == areas
    assert len([p for p in files if p.parent.name == "pictures"]) >= 8
    second = _build(tmp_path / "second.pdf", env, "-X", "importtime")
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines()}
    assert "routinekit.illustrations.pdf_ops" in imported
    assert "routinekit.illustrations.scene" not in imported  # no picture drawn
    assert "routinekit.files.yaml_reader" in imported  # (the patient file is still read)
    assert "qrcode" not in imported  # every link's QR code came from the cache
    assert "importlib.metadata" not in imported  # the installed plugins too
    assert (tmp_path / "second.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert _entries() == files
    # nothing in the cache names the patient, in any encoding
    for path in files:
        data = path.read_bytes()
        for encoded in (PATIENT_NAME.encode(), PATIENT_NAME.encode("utf-16-be"), b"ukasiewicz"):
            assert encoded not in data, path
    # a damaged cache changes nothing either
    for path in files:
        path.write_bytes(path.read_bytes()[:-3])
    _build(tmp_path / "third.pdf", env)
    assert (tmp_path / "third.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    off = {**env, "ROUTINEKIT_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "off")}
    _build(tmp_path / "fourth.pdf", off)
    assert (tmp_path / "fourth.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert not (tmp_path / "off").exists()


def test_qr_codes_come_back_from_the_cache_unchanged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit.render import qr

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = "https://videos.example-clinic.org/cat-cow"
    qr.qr_matrix.cache_clear()
    fresh = qr._encode(url)
    assert qr.qr_matrix(url) == fresh  # encoded, then stored
    qr.qr_matrix.cache_clear()
    assert qr.qr_matrix(url) == fresh  # read back
    assert [p.parent.name for p in (tmp_path / "routinekit").rglob("*") if p.is_file()] == ["qr"]
    qr.qr_matrix.cache_clear()


def test_qrcode_is_imported_without_pil_and_pil_still_imports() -> None:
    code = (
        "import sys; from routinekit.render import qr; qr._encode('https://example.org/a'); "
        "assert 'PIL' not in sys.modules, 'qrcode pulled in PIL'; "
        "import PIL.Image; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_the_library_file_is_parsed_once_then_read_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit.files import yaml_reader
    from routinekit.library import BUILTIN_FILE, load_exercise_file, stored

    parsed: list[str] = []
    real = yaml_reader.load_yaml_text

    def counting(text: str, **kw: object) -> object:
        parsed.append(str(kw.get("source")))
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_reader, "load_yaml_text", counting)
    first = load_exercise_file(BUILTIN_FILE)
    again = load_exercise_file(BUILTIN_FILE)
    assert again == first and len(first) > 20
    assert parsed == [str(BUILTIN_FILE)]  # the second came from the cache
    assert list((_cache() / stored.AREA).iterdir())
    # an edited file is parsed again, and its own exercises come back
    edited = tmp_path / "mine.yaml"
    text = BUILTIN_FILE.read_text(encoding="utf-8")
    edited.write_text(text.replace("Cat-Cow", "Cat and Cow", 1), encoding="utf-8")
    mine = load_exercise_file(edited)
    assert parsed[-1] == str(edited)
    assert any(ex.name == "Cat and Cow" for ex in mine)
    # a damaged entry is ignored: the file is parsed again
    for entry in (_cache() / stored.AREA).iterdir():
        entry.write_bytes(entry.read_bytes()[:-5] + b"XXXXX")
    assert load_exercise_file(BUILTIN_FILE) == first
    assert parsed.count(str(BUILTIN_FILE)) == 2


def test_a_broken_library_file_is_refused_every_time(tmp_path: Path) -> None:
    from routinekit.errors import ValidationError
    from routinekit.library import load_exercise_file

    bad = tmp_path / "bad.yaml"
    bad.write_text("exercises:\n  - id: x\n    name: 5\n    steps: nope\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ValidationError, match=r"bad\.yaml"):
            load_exercise_file(bad)


def test_template_titles_come_from_the_cache_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from routinekit.builtins import templates
    from routinekit.files import yaml_reader

    paths = sorted(templates.TEMPLATE_DIR.glob("*.yaml"))
    fresh = [templates._title_and_description(p) for p in paths]
    monkeypatch.setattr(yaml_reader, "load_yaml_text", None)  # parsing now would fail
    assert [templates._title_and_description(p) for p in paths] == fresh
    assert fresh[0][0] and fresh[0][0] != paths[0].stem


def test_files_version_changes_with_an_edit_of_the_same_size(tmp_path: Path) -> None:
    """The code version stats files (as .pyc checks do): an edit that keeps the size
    still changes it, through the modification time; a missing file gives no version."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n", encoding="utf-8")
    b.write_text("y = 2\n", encoding="utf-8")
    os.utime(a, ns=(1_000_000_000, 1_000_000_000))
    first = disk_cache.files_version([a, b])
    assert first is not None and first == disk_cache.files_version([a, b])
    assert disk_cache.files_version([a, b], b"fonts") != first
    assert disk_cache.files_version([b, a]) != first
    a.write_text("x = 3\n", encoding="utf-8")  # same size, new time
    assert disk_cache.files_version([a, b]) != first
    assert disk_cache.files_version([a, tmp_path / "gone.py"]) is None


def test_a_template_is_parsed_once_then_read_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit.files import stored_routine
    from routinekit.files.routine_file import load_routine_file
    from routinekit.plugins.host import get_host
    from routinekit.stages.load import load_routine

    parsed: list[str] = []
    real = stored_routine.parse_routine

    def counting(doc, base_dir):  # type: ignore[no-untyped-def]
        parsed.append(doc.source)
        return real(doc, base_dir)

    monkeypatch.setattr(stored_routine, "parse_routine", counting)
    host = get_host()
    path = host.template("back-spasm-acute").path
    first = load_routine("back-spasm-acute", host)
    again = load_routine("back-spasm-acute", host)
    assert parsed == [str(path)]  # the second came from the cache
    fresh = load_routine_file(path)
    # the same routine, data and line numbers (later messages and strategies read them)
    assert again == first == fresh and again.doc.lines == fresh.doc.lines
    assert again.entry_line(2) == fresh.entry_line(2) is not None
    # an edited copy is parsed again, with its own content
    copy = tmp_path / "copy.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    stored_routine.load_template_file(copy)
    copy.write_text(path.read_text(encoding="utf-8").replace("title:", "title: X", 1), "utf-8")
    assert stored_routine.load_template_file(copy).routine.title.startswith("X")
    assert parsed == [str(path), str(copy), str(copy)]
    # a damaged entry is ignored: the template is parsed again
    for entry in (_cache() / stored_routine.AREA).iterdir():
        entry.write_bytes(entry.read_bytes()[:-5] + b"XXXXX")
    assert load_routine("back-spasm-acute", host) == fresh
    assert parsed.count(str(path)) == 2


def test_a_routine_file_named_by_path_is_never_kept(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A therapist's own routine file may name a patient: only shipped templates are kept."""
    from routinekit.files import stored_routine

    mine = tmp_path / "for-mrs-quill.yaml"
    mine.write_text(
        "id: mrs-quill\ntitle: Back routine for Mrs Quill\n"
        "exercises:\n  - cat-cow\n  - knees-to-chest\n",
        encoding="utf-8",
    )
    r = run_cli("build", mine, "-o", tmp_path / "out.pdf")
    assert r.code == 0, r.err
    area = _cache() / stored_routine.AREA
    assert not area.exists() or not list(area.iterdir())
    assert not any(b"Quill" in p.read_bytes() for p in _entries())


def test_a_template_whose_values_msgpack_would_change_is_not_kept() -> None:
    from routinekit.files.stored_routine import _same

    assert _same({"a": [1, "x", None, 2.5]}, {"a": [1, "x", None, 2.5]})
    assert not _same({"a": True}, {"a": 1})  # equal in Python, not the same value
    assert not _same({"d": __import__("datetime").date(2026, 1, 5)}, {"d": "2026-01-05"})
    assert not _same([1, 2], [1, 2, 3])


def test_the_parsed_file_cache_key_covers_the_modules_the_readers_use() -> None:
    """An edit of a module the exercise and routine readers import must not be served
    stale from the parsed cache: each such module is in the key (or is listed here as
    unable to change a parsed value)."""
    import ast

    from routinekit.library import stored as parsed

    package = Path(parsed.__file__).parents[1]
    covered = {p for pattern in parsed._CODE for p in package.glob(pattern)}
    # errors, the cache itself and the plugin host change messages or where things are
    # kept, never a parsed value; images, QR codes and pictures are checked, not parsed
    not_values = {
        "routinekit.errors",
        "routinekit.render",
        "routinekit.plugins.host",
        "routinekit.render.images",
        "routinekit.render.qr",
        "routinekit.illustrations",
        "routinekit.illustrations.scene",
    }
    missing = set()
    for source in covered:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("routinekit"):
                module = str(node.module)
                if module in not_values:
                    continue
                parts = module.split(".")[1:]
                as_file = package.joinpath(*parts).with_suffix(".py")
                as_package = package.joinpath(*parts, "__init__.py")
                if as_file not in covered and as_package not in covered:
                    missing.add(module)
    assert not missing, f"add to library/stored._CODE: {sorted(missing)}"


def test_an_area_keeps_a_bounded_number_of_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clinic's batch whose rows all differ writes a fit choice per row: the area stays
    bounded, the newest entries kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(disk_cache, "AREA_MAX", 40)
    monkeypatch.setattr(disk_cache, "_COUNT_EVERY", 10)
    monkeypatch.setattr(disk_cache, "_writes", {})
    for i in range(200):
        assert disk_cache.write("fits", f"k{i:03d}", b"%d" % i)
        os.utime(tmp_path / "routinekit" / "fits" / f"k{i:03d}", ns=(i * 10**9, i * 10**9))
    kept = sorted(p.name for p in (tmp_path / "routinekit" / "fits").iterdir())
    assert 30 <= len(kept) <= 50
    assert "k199" in kept and "k000" not in kept
    assert disk_cache.read("fits", "k199") == b"199"
    assert disk_cache.read("fits", "k000") is None

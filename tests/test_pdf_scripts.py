"""Names in every script the fallback chain covers print, and extract back as written.

The CJK names need the optional routinekit-fonts-cjk package (plugins/, installed for the
tests by tasks.py). Arabic letters extract as their presentation forms (the joined glyphs'
own characters): NFKC, the standard compatibility normalisation, gives the letters back.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymupdf
import pytest

NAMES = {
    "arabic": "محمد الأحمد",
    "hebrew": "דוד כהן",
    "chinese": "王小明",
    "japanese": "山田 はなこ",
    "korean": "김민준",
    "hindi": "प्रिया शर्मा",
    "thai": "สมชาย ใจดี",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "bengali": "অমিত রায়",
    "tamil": "அருண் குமார்",
}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def page_text(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return nfkc("".join(page.get_text() for page in doc))


@pytest.mark.parametrize("script", sorted(NAMES))
def test_name_prints_and_extracts(run_cli, tmp_path: Path, script: str) -> None:  # type: ignore[no-untyped-def]
    name = NAMES[script]
    patient = tmp_path / "p.yaml"
    patient.write_text(f"name: {name}\nnotes: Start gently.\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    r = run_cli("build", "back-spasm-acute", "--patient", patient, "-o", out)
    assert r.code == 0, r.err
    assert nfkc(name) in page_text(out)
    with pymupdf.open(out) as doc:
        fonts = {f[3] for page in doc for f in page.get_fonts()}
    assert all("+" in f for f in fonts)  # every face embedded as a subset


def test_mixed_scripts_in_one_note(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    patient = tmp_path / "p.yaml"
    note = "Zoë 12 سارة · שרה · 小明 · नमस्ते"
    patient.write_text(f"name: Ana\nnotes: {note}\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    assert run_cli("build", "back-spasm-acute", "--patient", patient, "-o", out).code == 0
    text = page_text(out)
    for word in ("Zoë", "سارة", "שרה", "小明", "नमस्ते"):
        assert nfkc(word) in text


def test_emoji_is_refused_naming_field_and_code_point(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    patient = tmp_path / "p.yaml"
    patient.write_text("name: Ana 😀 Silva\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    r = run_cli("build", "back-spasm-acute", "--patient", patient, "-o", out)
    assert r.code == 2
    assert "patient.name" in r.err and "U+1F600" in r.err and "no PDF font" in r.err
    assert "Ana" not in r.err and "😀" not in r.err and len(r.err.strip().splitlines()) == 1
    assert not out.exists()


def test_batch_fails_only_the_row_no_font_can_draw(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = tmp_path / "patients.csv"
    rows.write_text(
        "name,date\n محمد الأحمد,2026-01-05\n王小明,2026-01-05\nAna 😀,2026-01-05\n"
        "דוד כהן,2026-01-05\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = run_cli("batch", rows, "--routine", "back-spasm-acute", "-o", out, "-j", "1")
    assert r.code == 1
    assert len(list(out.glob("*.pdf"))) == 3
    assert "U+1F600" in (out / "manifest.jsonl").read_text(encoding="utf-8")


@pytest.mark.hook("register_fonts")
def test_a_broken_font_plugin_is_reported_and_skipped(tmp_path: Path) -> None:
    import types

    from routinekit.hookspecs import hookimpl
    from routinekit.plugins.host import PluginHost
    from routinekit.render.pdf import fallback

    module = types.ModuleType("broken_fonts")

    @hookimpl
    def register_fonts(register):  # type: ignore[no-untyped-def]
        register(fallback.FontFace(id="missing", regular=tmp_path / "nowhere.ttf"))

    module.register_fonts = register_fonts  # type: ignore[attr-defined]
    module.ROUTINEKIT_PLUGIN_API = 1  # type: ignore[attr-defined]
    host = PluginHost(entry_points=False, extra=(module,), strict=False, allow=None, block=())
    assert fallback.plugin_faces(host) == ()
    (error,) = host.infos["broken_fonts"].errors
    assert "raised in register_fonts" in error and "nowhere.ttf" in error


def _face_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_checking_a_face_reads_its_header_not_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin's face is checked on every start; a CJK face is megabytes, so the check
    reads the table directory and the cmap header only, and refuses what is not a font."""
    from routinekit.render.pdf import fallback
    from routinekit.render.pdf.fonts import FONT_DIR

    dejavu = (FONT_DIR / "DejaVuSans.ttf").read_bytes()
    good = _face_file(tmp_path, "good.ttf", dejavu)
    no_cmap = _face_file(tmp_path, "nocmap.ttf", dejavu.replace(b"cmap", b"cmaq", 1))
    not_font = _face_file(tmp_path, "notes.ttf", b"this is a text file, not a font\n")
    empty = _face_file(tmp_path, "empty.ttf", b"")

    def whole_file(self: Path) -> bytes:
        raise AssertionError(f"read all of {self.name}")

    monkeypatch.setattr(Path, "read_bytes", whole_file)
    fallback.check_face(fallback.FontFace(id="good", regular=good))
    for path, words in ((no_cmap, "no cmap table"), (not_font, "not a"), (empty, "not a")):
        with pytest.raises(ValueError, match=words):
            fallback.check_face(fallback.FontFace(id="bad", regular=path))
    with pytest.raises(OSError):
        fallback.check_face(fallback.FontFace(id="gone", regular=tmp_path / "gone.ttf"))
    monkeypatch.undo()
    # the full read still finds the same characters as before
    assert fallback.read_cmap(good) == fallback.read_cmap(FONT_DIR / "DejaVuSans.ttf")
    assert 0x41 in fallback.read_cmap(good) and 0x4E00 not in fallback.read_cmap(good)

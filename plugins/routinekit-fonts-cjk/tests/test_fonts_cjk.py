"""The CJK faces join the PDF's fallback chain and draw Chinese, Japanese and Korean names."""

from __future__ import annotations

import pymupdf
import routinekit_fonts_cjk as plugin

from routinekit.render.pdf import fallback


def test_faces_are_registered_through_the_hook() -> None:
    ids = [f.id for f in fallback.faces()]
    assert ids[-2:] == [plugin.HAN.id, plugin.HANGUL.id]
    assert fallback.font_for("王") == plugin.HAN
    assert fallback.font_for("김") == plugin.HANGUL
    assert fallback.font_for("は") == plugin.HAN


def test_a_chinese_name_prints_as_a_small_subset() -> None:
    import routinekit
    from routinekit.model import Patient

    data = routinekit.build("back-spasm-acute", patient=Patient(name="王小明 김민준 山田はなこ"))
    with pymupdf.open(stream=data) as doc:
        text = doc[0].get_text()
        fonts = {f[3] for f in doc[0].get_fonts()}
    assert "王小明" in text and "김민준" in text and "山田はなこ" in text
    assert any("DroidSans" in f and "+" in f for f in fonts)
    assert len(data) < 120_000  # a few glyphs of a 4 MB face

"""Shaping with HarfBuzz (uharfbuzz) for the faces that need it, and their glyph codes.

Joined Arabic letters, Devanagari conjuncts and vowel signs, Thai and Hebrew marks are
glyphs chosen and placed by the font's OpenType tables; HarfBuzz applies them. Only runs
in a face marked ``shaped`` (see :mod:`routinekit.render.pdf.fallback`) come here: Latin
text is drawn as it always was.

Why not reportlab's own shaping (4.4+): it shapes with discretionary ligatures on (the
name Muhammad turns into a ligature with vowel marks the patient did not write), has no
bidi without an extra package, and its text extracts as private-use codes. We keep its
way of giving a glyph without a character a private-use code in the face's character map
(so reportlab's subsets embed it), shape ourselves, and write the real text as
``/ActualText`` (see :mod:`routinekit.render.pdf.runs`).

uharfbuzz is imported on the first shaped run only.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

#: OpenType features: kerning and standard ligatures; never discretionary ligatures.
FEATURES = {"kern": True, "liga": True, "dlig": False}
#: First private-use code given to glyphs that have no character of their own.
PRIVATE_START = 0xE000
PRIVATE_END = 0xF8FF


class Glyph(NamedTuple):
    """One shaped glyph: its code in the face, advance and offsets in 1/1000 em, and the
    index in the text of the first character it stands for (HarfBuzz's cluster)."""

    code: str
    advance: float
    dx: float
    dy: float
    cluster: int


@functools.cache
def _hb(font_name: str) -> tuple[Any, float, Any]:
    """The HarfBuzz font of a registered reportlab font, its scale to 1/1000 em, the face.

    Every glyph without a character gets a private-use code here, all at once and in
    glyph order, so the codes never depend on which text (a patient's name) came first.
    """
    import uharfbuzz as hb
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getFont(font_name).face
    hb_face = hb.Face(hb.Blob(face._ttf_data))  # the font file's bytes, kept by reportlab
    font = hb.Font(hb_face)
    scale = 1000.0 / hb_face.upem
    code = PRIVATE_START
    for gid in range(hb_face.glyph_count):
        if face.glyphToChar.get(gid):
            continue
        while code in face.charToGlyph:
            code += 1
        if code > PRIVATE_END:
            break  # a face this large is not shaped past here (glyphs fall back to .notdef)
        face.charToGlyph[code] = gid
        face.glyphToChar[gid] = [code]
        face.charWidths[code] = font.get_glyph_h_advance(gid) * scale
    return font, scale, face


def shape(text: str, font_name: str, rtl: bool) -> list[Glyph]:
    """Glyphs of ``text`` in ``font_name``, in visual order (left to right)."""
    import uharfbuzz as hb

    font, scale, face = _hb(font_name)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    hb.shape(font, buf, FEATURES)
    return [
        Glyph(
            _code(face, info.codepoint),
            p.x_advance * scale,
            p.x_offset * scale,
            p.y_offset * scale,
            info.cluster,
        )
        for info, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    ]


def _code(face: Any, gid: int) -> str:
    """The character that stands for glyph ``gid`` in reportlab's subsets."""
    chars = face.glyphToChar.get(gid)
    return chr(chars[0]) if chars else "\0"


def width(text: str, font_name: str, rtl: bool = False) -> float:
    """Width of shaped ``text`` at 1 pt."""
    return sum(g.advance for g in shape(text, font_name, rtl)) / 1000.0


def clusters(text: str, glyphs: list[Glyph]) -> list[tuple[str, list[int]]]:
    """``(characters, glyph indexes)`` per cluster, in logical (text) order.

    Consecutive clusters of one character and one glyph are merged: text extraction
    maps those one to one. Others (a ligature, a conjunct, a vowel drawn before its
    consonant) stand alone, so their characters are never given to the wrong glyph.
    """
    by_cluster: dict[int, list[int]] = {}
    for i, g in enumerate(glyphs):
        by_cluster.setdefault(g.cluster, []).append(i)
    starts = sorted(by_cluster)
    out: list[tuple[str, list[int]]] = []
    simple = False
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        chars, idx = text[start:end], by_cluster[start]
        one = len(chars) == 1 and len(idx) == 1
        if one and simple and out:
            out[-1] = (out[-1][0] + chars, out[-1][1] + idx)
        else:
            out.append((chars, idx))
        simple = one
    return out

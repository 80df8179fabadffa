"""Slim the bundled fonts once, offline, and write them into the package (they are committed).

    .venv/bin/python tools/slim_fonts.py                 # rebuild src/routinekit/fonts/*.ttf
    .venv/bin/python tools/slim_fonts.py --check         # exit 1 if a committed font is stale
    .venv/bin/python tools/slim_fonts.py --cjk           # also the CJK plugin's face

Sources are the Debian packages the faces come from (``apt-get download fonts-dejavu-core
fonts-noto-core fonts-droid-fallback`` and ``dpkg -x`` them into a folder, then pass
``--source FOLDER``; by default /usr/share/fonts). Every face keeps its outlines, metrics,
character map and OpenType layout tables (GSUB/GPOS: Arabic joining and mark placement
need them), and loses what a printed handout never uses:

- TrueType hinting (``cvt``, ``fpgm``, ``prep`` and every glyph's instructions): it only
  snaps outlines to a coarse screen grid;
- the ``name`` table but for the records PDF tools read (copyright, family, style, unique,
  full and PostScript name, version; Windows English);
- glyph names (``post`` format 3).

DejaVu keeps only the blocks of :data:`DEJAVU_BLOCKS` (Latin, Greek, Cyrillic, Armenian,
Georgian, punctuation and common symbols): its Arabic and Hebrew letters are left to the
Noto faces after it in the fallback chain (which join and place marks properly), and its
emoji, Braille, game tiles and private-use glyphs are never printed. Smaller, it parses
faster in every process.

Needs fontTools (``pip install fonttools``); routinekit itself never imports it.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "src" / "routinekit" / "fonts"
CJK_FONTS = ROOT / "plugins" / "routinekit-fonts-cjk" / "src" / "routinekit_fonts_cjk" / "fonts"

#: What DejaVu keeps: Latin (all extensions, IPA, combining marks), Greek, Cyrillic,
#: Armenian, Georgian, Lao, phonetic extensions, punctuation, super/subscripts, currency,
#: letterlike symbols, number forms, arrows, mathematical operators, technical symbols,
#: enclosed alphanumerics, box drawing, geometric shapes, miscellaneous symbols, dingbats,
#: Latin ligatures and the replacement character.
DEJAVU_BLOCKS = (
    (0x0000, 0x058F),
    (0x0E80, 0x0EFF),
    (0x10A0, 0x10FF),
    (0x1D00, 0x1FFF),
    (0x2000, 0x23FF),
    (0x2460, 0x27BF),
    (0x2C60, 0x2C7F),
    (0x2DE0, 0x2DFF),
    (0xA640, 0xA69F),
    (0xA720, 0xA7FF),
    (0xFB00, 0xFB06),
    (0xFE20, 0xFE2F),
    (0xFFFD, 0xFFFD),
)


@dataclass(frozen=True)
class Face:
    source: str  # path under the source folder
    out: str  # file name written
    keep: tuple[tuple[int, int], ...] = ()  # code point ranges kept (empty: all)


DEJAVU = "truetype/dejavu"
NOTO = "truetype/noto"
FACES = [
    Face(f"{DEJAVU}/DejaVuSans.ttf", "DejaVuSans.ttf", DEJAVU_BLOCKS),
    Face(f"{DEJAVU}/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf", DEJAVU_BLOCKS),
    *(
        Face(f"{NOTO}/NotoSans{script}-{weight}.ttf", f"NotoSans{script}-{weight}.ttf")
        for script in ("Arabic", "Hebrew", "Devanagari", "Bengali", "Tamil", "Thai")
        for weight in ("Regular", "Bold")
    ),
]
CJK_FACES = [Face("truetype/droid/DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf")]


def slim(data: bytes, keep: tuple[tuple[int, int], ...] = ()) -> bytes:
    """The font without hinting, glyph names and long names (only ``keep``, if given)."""
    font = TTFont(io.BytesIO(data))
    if "glyf" not in font:
        raise SystemExit("CFF outlines: convert to TrueType first (fontTools.cu2qu)")
    cmap = set(font.getBestCmap())
    chars = {cp for cp in cmap if not keep or any(lo <= cp <= hi for lo, hi in keep)}
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.name_languages = [0x409]
    options.glyph_names = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["DSIG", "hdmx", "LTSH", "VDMX", "gasp", "FFTM"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=chars)
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=Path("/usr/share/fonts"))
    ap.add_argument("--check", action="store_true", help="only compare with the committed files")
    ap.add_argument("--cjk", action="store_true", help="also the CJK plugin's face")
    a = ap.parse_args()
    jobs = [(f, FONTS) for f in FACES] + ([(f, CJK_FONTS) for f in CJK_FACES] if a.cjk else [])
    stale = 0
    for face, folder in jobs:
        data = slim((a.source / face.source).read_bytes(), face.keep)
        target = folder / face.out
        if a.check:
            if not target.exists() or target.read_bytes() != data:
                print(f"stale: {target.relative_to(ROOT)}")
                stale += 1
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        size = (a.source / face.source).stat().st_size
        print(f"{target.relative_to(ROOT)}: {size // 1024} KB -> {len(data) // 1024} KB")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

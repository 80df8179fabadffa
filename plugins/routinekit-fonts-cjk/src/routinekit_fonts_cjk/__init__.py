"""routinekit plugin: Chinese, Japanese and Korean letters in PDF handouts.

Adds two faces to the end of the PDF's font fallback chain through the ``register_fonts``
hook: Droid Sans Fallback (Apache-2.0; Han ideographs and kana) and NanumGothic (OFL;
Hangul). It is a separate package because the faces are large (a 4.6 MB wheel): install it
where patients' names need it::

    pip install routinekit-fonts-cjk
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from routinekit.hookspecs import hookimpl
from routinekit.render.pdf.fallback import FontFace

#: The plugin API this plugin was written for.
ROUTINEKIT_PLUGIN_API = 1

FONTS = Path(__file__).resolve().parent / "fonts"

#: Chinese and Japanese: one weight (bold text is drawn with it too); no shaping needed.
HAN = FontFace(id="droid-cjk", regular=FONTS / "DroidSansFallbackFull.ttf")
#: Korean. NanumGothic's licence reserves its name, so the file is shipped unmodified.
HANGUL = FontFace(id="nanum-gothic", regular=FONTS / "NanumGothic.ttf")


@hookimpl
def register_fonts(register: Callable[[FontFace], None]) -> None:
    register(HAN)
    register(HANGUL)

"""Every size, space and colour of the PDF handout, in one object.

Large print (``RenderOptions.large_print``) is this style scaled: text sizes and
spaces grow together, QR codes keep their printed size.
"""

from __future__ import annotations

import msgspec

Color = tuple[float, float, float]

INCH = 72.0
MM = 72.0 / 25.4

#: Page sizes in points, by ``RenderOptions.page_size``.
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "letter": (612.0, 792.0),
    "a4": (595.2756, 841.8898),
}


class Style(msgspec.Struct, frozen=True):
    """Font sizes and leadings (pt), spaces (pt), QR sizes (mm) and colours."""

    body: float = 11.0
    leading: float = 13.2
    title: float = 19.0
    title_leading: float = 22.0
    heading: float = 13.5
    heading_leading: float = 16.0
    subheading: float = 11.5
    card_name: float = 12.5
    card_name_leading: float = 15.0
    small: float = 8.5
    small_leading: float = 10.0
    tiny: float = 7.0
    tiny_leading: float = 8.2

    margin_x: float = 0.5 * INCH
    margin_top: float = 0.45 * INCH
    margin_bottom: float = 0.55 * INCH
    footer_y: float = 0.32 * INCH
    section_gap: float = 7.0
    heading_gap: float = 3.0
    para_gap: float = 2.5
    card_gap: float = 4.0
    card_pad: float = 4.0
    number_col: float = 22.0
    step_indent: float = 13.0
    gutter: float = 10.0
    box_pad: float = 6.0

    routine_qr_mm: float = 25.0
    routine_qr_max_mm: float = 34.0
    exercise_qr_mm: float = 18.0
    exercise_qr_max_mm: float = 26.0
    picture_mm: float = 34.0

    ink: Color = (0.10, 0.10, 0.12)
    muted: Color = (0.33, 0.35, 0.38)
    accent: Color = (0.04, 0.33, 0.52)
    accent_light: Color = (0.92, 0.95, 0.98)
    rule: Color = (0.78, 0.80, 0.83)
    alert: Color = (0.70, 0.08, 0.08)
    alert_light: Color = (1.0, 0.95, 0.94)

    def scaled(self, factor: float) -> Style:
        """This style with text and spacing (not margins, QR codes or colours) scaled."""
        keep = {
            "margin_x",
            "margin_top",
            "margin_bottom",
            "footer_y",
            "routine_qr_mm",
            "routine_qr_max_mm",
            "exercise_qr_mm",
            "exercise_qr_max_mm",
            "picture_mm",
        }
        changes = {
            f.name: getattr(self, f.name) * factor
            for f in msgspec.structs.fields(self)
            if f.type in ("float", float) and f.name not in keep
        }
        return msgspec.structs.replace(self, **changes)

    def tightened(self, factor: float) -> Style:
        """This style with the space between blocks (never the text) reduced.

        The padding inside cards and boxes keeps at least a quarter, so a card's number
        badge and a box's border never touch the text next to them.
        """
        gaps = ("section_gap", "heading_gap", "para_gap", "card_gap")
        pads = ("card_pad", "box_pad")
        changes = {n: getattr(self, n) * factor for n in gaps}
        changes |= {n: getattr(self, n) * max(factor, 0.25) for n in pads}
        return msgspec.structs.replace(self, **changes)


DEFAULT = Style()
LARGE_PRINT_FACTOR = 1.3


#: Large print (``--large-print``): every letter 18 pt or more, 1.5 line spacing, darker
#: colours for high contrast, bigger QR codes and pictures (same sans-serif, left aligned).
LARGE = msgspec.structs.replace(
    DEFAULT,
    body=18.0,
    leading=27.0,
    title=28.0,
    title_leading=34.0,
    heading=22.0,
    heading_leading=28.0,
    subheading=19.0,
    card_name=22.0,
    card_name_leading=29.0,
    small=18.0,
    small_leading=24.0,
    tiny=18.0,
    tiny_leading=23.0,
    section_gap=12.0,
    heading_gap=5.0,
    para_gap=5.0,
    card_gap=8.0,
    card_pad=6.0,
    number_col=34.0,
    step_indent=24.0,
    gutter=14.0,
    box_pad=9.0,
    routine_qr_mm=35.0,
    routine_qr_max_mm=45.0,
    exercise_qr_mm=26.0,
    exercise_qr_max_mm=34.0,
    picture_mm=55.0,
    ink=(0.0, 0.0, 0.0),
    muted=(0.18, 0.18, 0.20),
    accent=(0.0, 0.22, 0.40),
    alert=(0.55, 0.0, 0.0),
)


def style_for(large_print: bool) -> Style:
    return LARGE if large_print else DEFAULT

"""The top of page one: clinic, title, the routine's QR code and the patient block."""

from __future__ import annotations

import functools
import math
from collections import OrderedDict

from routinekit.model import Handout
from routinekit.render.images import check_image
from routinekit.render.pdf.blocks import Block
from routinekit.render.pdf.fonts import REGULAR, unit_width
from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.styles import Style
from routinekit.render.pdf.textflow import (
    LINK_BREAKS,
    Line,
    Run,
    beside,
    fixed,
    joined,
    labelled,
    link_text,
    wrap,
    wrap_at,
)
from routinekit.render.qr import QUIET_ZONE, QrMatrix, short_url
from routinekit.render.words import Translate, contact_parts, long_date, routine_qr_caption

LOGO_HEIGHT = 30.0
LOGO_MAX_WIDTH = 90.0


@functools.lru_cache(maxsize=64)
def _url_lines(url: str, size: float, width: float) -> tuple[str, ...]:
    """The routine's link broken to fit under its QR code (the routine's, never a patient's)."""
    return tuple(wrap_at(url, REGULAR, size, width))


#: The header above the patient block: (parts, its height, the QR code's height, the width
#: left of the code, the link's lines under it).
_Fixed = tuple[
    list[tuple[float, list[Line], float, float, float]], float, float, float, tuple[str, ...]
]
#: Headers laid out above the patient block, kept per process (a routine's 1-2 styles and
#: widths; no patient's words: clinic, title, QR code and caption only).
FIXED_MAX = 64
_FIXED: OrderedDict[tuple[object, ...], tuple[Style, _Fixed]] = OrderedDict()


class Header(Block):
    def __init__(
        self, handout: Handout, style: Style, _: Translate, qr: tuple[QrMatrix, float] | None
    ) -> None:
        self.h = handout
        self.style = style
        self.t = _
        self.qr = qr
        self.logo: str | None = None
        if handout.clinic and handout.clinic.logo:
            self.logo = check_image(handout.clinic.logo, handout.base_dir, field="logo")
        self._parts: list[tuple[float, list[Line], float, float, float]] = []
        self._patient: list[Line] = []
        self._patient_top = 0.0
        self._patient_w = 0.0
        self._patient_narrow = 0
        self._width = 0.0
        self._url_lines: list[str] = []
        self._height = 0.0

    @property
    def personal(self) -> bool:  # type: ignore[override]
        """The patient block is the patient's: a header with one is never kept."""
        return self.h.patient is not None

    def measure(self, width: float) -> float:
        if width == self._width and self._parts:  # measured already (another fitting step)
            return self._height
        s = self.style
        parts, y, qr_h, left_w, url_lines = self._fixed(width)
        self._url_lines = list(url_lines)
        self._patient = []
        if self.h.patient is not None:
            runs = self._patient_runs()
            self._patient_top = y + 4.0
            # beside the QR code the block is narrow; below it, it takes the full width
            first = self._patient_top + s.box_pad - 2.0
            narrow = max(0, math.ceil((qr_h + 4.0 - first) / s.leading)) if qr_h else 0
            pad = 2 * s.box_pad
            frame = beside(narrow, 0.0, left_w - pad, width - pad)
            self._patient = wrap(runs, s.body, frame, cache=False)
            self._patient_narrow = min(narrow, len(self._patient))
            self._patient_w = left_w if self._patient_narrow else width
            y = self._patient_top + len(self._patient) * s.leading + 2 * s.box_pad + 2.0
        self._width = width
        self._parts = parts
        self._height = max(y, qr_h)
        return self._height

    def _fixed(self, width: float) -> _Fixed:
        """Everything above the patient block (clinic, title, QR code and its caption), laid
        out once per style and width: none of it is a patient's, so it is kept."""
        from routinekit.render.pdf import reuse

        h, qr = self.h, self.qr
        contact = "  ·  ".join(contact_parts(h))
        caption = routine_qr_caption(self.t) if qr is not None else None
        if not reuse.enabled():  # ROUTINEKIT_NO_CACHE: laid out afresh, kept nowhere
            return self._measure_fixed(width, contact, caption)
        key = (
            id(self.style),
            width,
            h.clinic.name if h.clinic is not None else None,
            contact,
            self.logo,
            h.title,
            (qr[0].url, qr[0].size, qr[1]) if qr is not None else None,
            caption,
        )
        found = _FIXED.get(key)
        if found is not None and found[0] is self.style:  # the same style, not a new one
            _FIXED.move_to_end(key)
            return found[1]
        fixed = self._measure_fixed(width, contact, caption)
        _FIXED[key] = (self.style, fixed)
        while len(_FIXED) > FIXED_MAX:
            _FIXED.popitem(last=False)
        return fixed

    def _measure_fixed(self, width: float, contact: str, caption: str | None) -> _Fixed:
        s, h = self.style, self.h
        right_w = 0.0
        qr_h = 0.0
        url_left = ""
        url_lines: list[str] = []
        if self.qr is not None:
            matrix, size = self.qr
            qz = size / matrix.size * QUIET_ZONE
            right_w = size + 2 * qz
            url = short_url(matrix.url)
            url_w = right_w + 2 * qz
            url_lines = list(_url_lines(url, s.tiny, url_w))
            if any(t[-1] not in LINK_BREAKS for t in url_lines[:-1]):
                # it would break inside a word under the code (large print): it goes
                # under the caption instead, breaking only after a "/"
                url_lines = []
                url_left = url
            qr_h = size + qz + len(url_lines) * s.tiny_leading
            right_w += s.gutter
        left_w = width - right_w
        x0 = (LOGO_MAX_WIDTH + s.gutter) if self.logo else 0.0
        parts: list[tuple[float, list[Line], float, float, float]] = []
        y = 0.0

        def add(runs: list[Run], size: float, leading: float, indent: float = 0.0) -> None:
            nonlocal y
            lines = wrap(runs, size, fixed(left_w, indent))
            parts.append((y, lines, size, leading, indent))
            y += leading * len(lines)

        if h.clinic is not None:
            add([Run(h.clinic.name, True, s.accent)], s.subheading + 1, s.subheading + 3.5, x0)
            if contact:
                add([Run(contact, False, s.muted)], s.small + 0.5, s.small_leading + 1, x0)
            y = max(y, LOGO_HEIGHT if self.logo else 0.0) + 5.0
        add([Run(h.title, True, s.ink)], s.title, s.title_leading)
        if caption is not None:
            y += 3.0
            add([Run(caption, False, s.ink)], s.body, s.leading)
            if url_left:
                add([Run(link_text(url_left), False, s.muted)], s.small, s.small_leading)
        y += 2.0
        return parts, y, qr_h, left_w, tuple(url_lines)

    def _patient_runs(self) -> list[Run]:
        s, _, p = self.style, self.t, self.h.patient
        assert p is not None
        fields = [
            (_("Patient:"), p.name),
            (_("Date:"), long_date(self.h.date, _)),
            (_("Therapist:"), p.therapist),
            (_("Clinic:"), p.clinic),
            (_("Note:"), p.notes),
        ]
        return joined(
            [labelled(label, value, s.accent) for label, value in fields if value], "\u2003"
        )

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        if self.logo:
            painter.image(self.logo, x, top - LOGO_HEIGHT, LOGO_MAX_WIDTH, LOGO_HEIGHT)
        for y, lines, size, leading, _indent in self._parts:
            painter.lines(lines, x, top - y, size, leading)
        if self._patient:
            box_top = top - self._patient_top
            box_h = len(self._patient) * s.leading + 2 * s.box_pad - 4.0
            painter.rect(
                x, box_top - box_h, self._patient_w, box_h, fill=s.accent_light, radius=3.0
            )
            wide = len(self._patient) - self._patient_narrow
            if self._patient_narrow and wide:
                # the lines below the QR code run the full width: the box steps out under it
                wide_h = wide * s.leading + s.box_pad - 1.0
                painter.rect(
                    x, box_top - box_h, self._width, wide_h, fill=s.accent_light, radius=3.0
                )
            painter.lines(
                self._patient, x + s.box_pad, box_top - s.box_pad + 2.0, s.body, s.leading
            )
        if self.qr is not None:
            matrix, size = self.qr
            qz = size / matrix.size * QUIET_ZONE
            box_w = size + 2 * qz
            left = x + width - box_w
            painter.qr(matrix, left + qz, top - size, size)
            y = top - size - qz
            for line in self._url_lines:
                # centred under the code, but never past the right margin
                half = unit_width(line, REGULAR) * s.tiny / 2
                cx = min(left + box_w / 2, x + width - half)
                painter.string(line, cx, y - s.tiny, REGULAR, s.tiny, s.muted, align="center")
                y -= s.tiny_leading

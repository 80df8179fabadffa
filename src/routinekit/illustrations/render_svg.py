"""Scene to standalone SVG text (no dependencies; y flipped for SVG's downward axis)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from routinekit.illustrations.fit import MM, arrow_head, arrow_line, fit
from routinekit.illustrations.shapes import Pt, Scene


def _grey(level: float | None) -> str:
    if level is None:
        return "none"
    v = round(level * 255)
    return f"#{v:02x}{v:02x}{v:02x}"


def to_svg(scene: Scene, width_mm: float, height_mm: float | None = None) -> str:
    """``scene`` as an ``<svg>`` element ``width_mm`` wide, with an accessible label."""
    f = fit(scene, width_mm, height_mm)
    h = f.height

    def xy(p: Pt) -> str:
        x, y = f.pt(p)
        return f"{x:.2f},{h - y:.2f}"

    def pts(points: list[Pt] | tuple[Pt, ...], closed: bool) -> str:
        body = " L".join(xy(p) for p in points)
        return f"M{body}{' Z' if closed else ''}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{f.width / MM:.1f}mm" '
        f'height="{f.height / MM:.1f}mm" viewBox="0 0 {f.width:.2f} {h:.2f}" role="img" '
        f"aria-label={quoteattr(scene.label or 'exercise illustration')}>",
    ]
    if scene.label:
        out.append(f"<title>{escape(scene.label)}</title>")
    out.append('<g stroke-linejoin="round" stroke-linecap="round">')
    for s in scene.shapes:
        stroke = _grey(s.stroke)
        width = f"{f.line * s.width:.2f}"
        if s.kind == "poly":
            out.append(
                f'<path d="{pts(s.points, True)}" fill="{_grey(s.fill)}" '
                f'stroke="{stroke}" stroke-width="{width}"/>'
            )
        elif s.kind == "circle":
            x, y = f.pt(s.points[0])
            out.append(
                f'<circle cx="{x:.2f}" cy="{h - y:.2f}" r="{s.radius * f.scale:.2f}" '
                f'fill="{_grey(s.fill)}" stroke="{stroke}" stroke-width="{width}"/>'
            )
        elif s.kind == "line":
            out.append(
                f'<path d="{pts(s.points, False)}" fill="none" stroke="{stroke}" '
                f'stroke-width="{width}"/>'
            )
        elif s.kind == "arrow":
            raw = [f.pt(p) for p in s.points]
            line = arrow_line(raw, s.heads, f.head)
            d = "M" + " L".join(f"{x:.2f},{h - y:.2f}" for x, y in line)
            out.append(f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{width}"/>')
            heads = [arrow_head(raw[-1], raw[-2], f.head)]
            if s.heads == 2:
                heads.append(arrow_head(raw[0], raw[1], f.head))
            for tri in heads:
                d = "M" + " L".join(f"{x:.2f},{h - y:.2f}" for x, y in tri) + " Z"
                out.append(f'<path d="{d}" fill="{stroke}" stroke="none"/>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"

"""Props drawn with the figure (chair, wall, pillow, mat) and the plugin hook that adds more.

A prop is an object with an ``id``, a ``description``, a default ``size`` (cm)
and a ``shapes(place)`` method returning :class:`~routinekit.illustrations.shapes.Shape`
outlines in centimetres, y up, floor at y = 0. Plugins add props with the
``register_props`` hook (see ``docs/illustrations.md``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

import msgspec

from routinekit.illustrations.shapes import INK, WHITE, Pt, Shape


class PropPlace(msgspec.Struct, frozen=True):
    """Where a prop goes.

    :param x: horizontal centre of what the prop supports (cm).
    :param top: height of the supporting surface above the floor (cm).
    :param side: ``left`` or ``right``: e.g. the side of a chair's backrest.
    :param span: (left, right) extent of the bodies in the picture (cm), for mats and walls.
    :param view: ``side`` or ``top``.
    """

    x: float
    top: float
    side: str = "left"
    span: tuple[float, float] = (0.0, 0.0)
    view: str = "side"


class PropShape(ABC):
    """A prop a pose can name in ``props: [{kind: ID}]``."""

    id: str = ""
    description: str = ""
    size: float = 0.0
    """Default height of the supporting surface (cm), e.g. a chair seat."""

    @abstractmethod
    def shapes(self, place: PropPlace) -> list[Shape]:
        """Outlines of the prop at ``place``."""


def _rect(x0: float, y0: float, x1: float, y1: float, fill: float = WHITE) -> Shape:
    pts: tuple[Pt, ...] = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return Shape("poly", pts, fill=fill, width=0.8)


class Chair(PropShape):
    id = "chair"
    description = "A plain chair seen from the side; the seat at the supported point"
    size = 42.0

    def shapes(self, place: PropPlace) -> list[Shape]:
        depth = 40.0
        back = -1.0 if place.side == "left" else 1.0
        # the backrest edge sits a little behind the supported point
        edge_back = place.x + back * 14.0
        edge_front = edge_back - back * depth
        x0, x1 = sorted((edge_back, edge_front))
        top = place.top
        seat = 3.0
        out = [
            _rect(x0 + 1.5, 0.0, x0 + 4.0, top - seat),
            _rect(x1 - 4.0, 0.0, x1 - 1.5, top - seat),
        ]
        bx0, bx1 = sorted((edge_back, edge_back - back * 3.0))
        out.append(_rect(bx0, top - seat, bx1, top + 42.0))
        out.append(_rect(x0, top - seat, x1, top))
        return out


class Wall(PropShape):
    id = "wall"
    description = "A wall behind or in front of the body"
    size = 0.0

    def shapes(self, place: PropPlace) -> list[Shape]:
        x = place.span[0] - 4.0 if place.side == "left" else place.span[1] + 4.0
        width = 4.0 if place.side == "right" else -4.0
        return [_rect(min(x, x + width), 0.0, max(x, x + width), 185.0, fill=0.85)]


class Pillow(PropShape):
    id = "pillow"
    description = "A soft pillow under a body point"
    size = 8.0

    def shapes(self, place: PropPlace) -> list[Shape]:
        from routinekit.illustrations.shapes import capsule

        h = max(place.top, 4.0)
        r = h / 2
        return [
            Shape("poly", capsule((place.x - 14 + r, r), r, (place.x + 14 - r, r), r), width=0.8)
        ]


class Mat(PropShape):
    id = "mat"
    description = "An exercise mat under the whole body"
    size = 1.5

    def shapes(self, place: PropPlace) -> list[Shape]:
        x0, x1 = place.span[0] - 8.0, place.span[1] + 8.0
        return [_rect(x0, 0.0, x1, max(place.top, 1.0), fill=0.85)]


BUILTIN_PROPS: tuple[PropShape, ...] = (Chair(), Wall(), Pillow(), Mat())

if TYPE_CHECKING:
    from routinekit.plugins.host import PluginHost


def props(host: PluginHost | None = None) -> dict[str, PropShape]:
    """Every prop ``host`` knows by id: the built-ins plus those its plugins add.

    ``host`` defaults to the process-wide one (``get_host()``); it collects plugin props
    once (``PluginHost.props``)."""
    if host is None:
        from routinekit.plugins.host import get_host

        host = get_host()
    found = {p.id: p for p in BUILTIN_PROPS}
    found.update((ident, reg.obj) for ident, reg in host.props().items())
    return found


def prop_owners(host: PluginHost) -> dict[str, str]:
    """The plugin that registered each plugin prop (built-ins left out)."""
    return {ident: reg.plugin for ident, reg in host.props().items()}


def check_prop(prop: object) -> None:
    """What ``register(prop)`` in ``register_props`` refuses: no id, or a built-in's id."""
    ident = getattr(prop, "id", None)
    if not isinstance(ident, str) or not ident:
        raise TypeError(f"{type(prop).__name__} has no 'id' (a short unique string)")
    if ident in {p.id for p in BUILTIN_PROPS}:
        raise ValueError(f"prop id '{ident}' is a built-in prop's")


__all__ = [
    "BUILTIN_PROPS",
    "INK",
    "PropPlace",
    "PropShape",
    "check_prop",
    "prop_owners",
    "props",
]

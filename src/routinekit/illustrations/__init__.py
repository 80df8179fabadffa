"""Line illustrations drawn from pose data: every exercise with a pose gets a picture.

The public seam for renderers::

    from routinekit.illustrations import drawing_for, pdf_picture_for, svg_for

    drawing = drawing_for(exercise, width_mm=40)  # reportlab Drawing, or None
    picture = pdf_picture_for(exercise, 40)       # PDF operators (drawOn), or None
    svg = svg_for(exercise, width_mm=40)          # SVG text, or None

An exercise's pose is its own ``pose`` field when it has one, else the built-in
pose of the same id from ``poses.yaml``. Each picture is built once per process
(cached); do not change the returned Drawing in place (wrap or copy it). An
exercise's own ``image`` file, where given, wins over the drawing: that choice
is the renderer's. Importing this package does not import reportlab, and
``pdf_picture_for`` (what the PDF renderer uses) never does: only ``drawing_for``
imports ``reportlab.graphics``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import msgspec

from routinekit.model.pose import (
    Arm,
    Arrow,
    Keyframe,
    Layout,
    Leg,
    Plane,
    Point,
    Pose,
    Prop,
    View,
)

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from routinekit.illustrations.pdf_ops import PdfPicture
    from routinekit.illustrations.shapes import Scene
    from routinekit.model import Exercise
    from routinekit.plugins.host import PluginHost

T = TypeVar("T")

#: The built-in poses, keyed by exercise id.
POSES_FILE = Path(__file__).with_name("poses.yaml")

__all__ = [
    "POSES_FILE",
    "Arm",
    "Arrow",
    "Keyframe",
    "Layout",
    "Leg",
    "Plane",
    "Point",
    "Pose",
    "Prop",
    "View",
    "builtin_poses",
    "clear_cache",
    "drawing_for",
    "pdf_picture_for",
    "pose_for",
    "scene_for_pose",
    "svg_for",
]


@lru_cache(maxsize=1)
def builtin_poses() -> dict[str, Pose]:
    """The poses of the built-in exercises (read and checked once per process)."""
    from routinekit.files.decode import decode
    from routinekit.files.yaml_reader import load_yaml_file
    from routinekit.model.pose import PoseFile

    doc = load_yaml_file(POSES_FILE)
    return dict(decode(doc, PoseFile).poses)


def pose_for(exercise: Exercise) -> Pose | None:
    """The exercise's own pose, else the built-in one for its id, else None."""
    own = getattr(exercise, "pose", None)
    if own is not None:
        return own
    return builtin_poses().get(exercise.id)


#: What a picture is drawn from: exercise id, name, pose (JSON) and the drawing plugins'
#: fingerprint (:mod:`routinekit.illustrations.fingerprint`).
Key = tuple[str, str, bytes, bytes]


def _host(host: PluginHost | None) -> PluginHost:
    if host is not None:
        return host
    from routinekit.plugins.host import get_host

    return get_host()


def _key(exercise: Exercise, pose: Pose, host: PluginHost) -> Key:
    from routinekit.illustrations.fingerprint import fingerprint

    return (exercise.id, exercise.name, msgspec.json.encode(pose), fingerprint(host))


class _Memo(Generic[T]):
    """A small per-process cache, oldest entries dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: dict[Hashable, T] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        try:
            return self.items[key]
        except KeyError:
            pass
        value = make()
        if len(self.items) >= self.size:
            self.items.pop(next(iter(self.items)), None)
        self.items[key] = value
        return value

    def clear(self) -> None:
        self.items.clear()


_SCENES: _Memo[Scene] = _Memo(256)
_DRAWINGS: _Memo[Drawing] = _Memo(512)
_PDF_OPS: _Memo[PdfPicture] = _Memo(512)
_SVGS: _Memo[str] = _Memo(512)


def _scene(key: Key, host: PluginHost) -> Scene:
    def make() -> Scene:
        from routinekit.illustrations.props import props
        from routinekit.illustrations.scene import PoseError, build_scene

        ident, name, raw, _fp = key
        pose = msgspec.json.decode(raw, type=Pose)
        try:
            return build_scene(pose, label=name, known=props(host))
        except PoseError as exc:
            raise PoseError(
                f"exercise '{ident}': its pose cannot be drawn: {exc.message}",
                hint="fix the angles in its pose (see docs/illustrations.md)",
                exercise_id=ident,
            ) from None

    return _SCENES.get(key, make)


def check_drawable(exercise: Exercise, *, host: PluginHost | None = None) -> None:
    """Draw the exercise's pose once, uncached, with ``host``'s props: raises
    :class:`~routinekit.illustrations.scene.PoseError` naming the exercise when its pose
    cannot be drawn or uses a prop kind no plugin registers. Nothing when it has no pose."""
    from routinekit.illustrations.scene import PoseError

    pose = getattr(exercise, "pose", None)
    if pose is None:
        return
    try:
        scene_for_pose(pose, exercise.name, host=host)
    except PoseError as exc:
        raise PoseError(
            f"exercise '{exercise.id}': its pose cannot be drawn: {exc.message}",
            hint="fix the angles or the prop in its pose (see docs/illustrations.md)",
            exercise_id=exercise.id,
        ) from None


def scene_for_pose(pose: Pose, label: str = "", *, host: PluginHost | None = None) -> Scene:
    """Build (and validate) the picture of a pose, uncached."""
    from routinekit.illustrations.props import props
    from routinekit.illustrations.scene import build_scene

    return build_scene(pose, label=label, known=props(_host(host)))


def drawing_for(
    exercise: Exercise,
    width_mm: float = 40,
    height_mm: float | None = None,
    *,
    host: PluginHost | None = None,
) -> Drawing | None:
    """A reportlab Drawing of the exercise, ``width_mm`` wide (at most ``height_mm`` tall,
    default 3/4 of the width), or None when it has no pose. Raises
    :class:`~routinekit.illustrations.scene.PoseError` (a UserError) for a pose that
    cannot be drawn. Props come from ``host`` (default: the process-wide plugin host)."""
    pose = pose_for(exercise)
    if pose is None:
        return None
    host = _host(host)
    key = _key(exercise, pose, host)

    def make() -> Drawing:
        from routinekit.illustrations.render_rl import to_drawing

        return to_drawing(_scene(key, host), float(width_mm), height_mm)

    return _DRAWINGS.get((key, float(width_mm), height_mm), make)


def pdf_picture_for(
    exercise: Exercise,
    width_mm: float = 40,
    height_mm: float | None = None,
    *,
    host: PluginHost | None = None,
) -> PdfPicture | None:
    """The exercise's picture as PDF path operators (``width``, ``height``, ``drawOn``),
    drawn exactly like :func:`drawing_for` but without importing ``reportlab.graphics``;
    None when it has no pose.

    Pictures are kept per process and, between processes, in the on-disk cache
    (:mod:`routinekit.illustrations.stored`): a cold build then neither parses
    ``poses.yaml`` nor imports the drawing code. Both are keyed by the drawing plugins
    of ``host`` too, so a changed plugin prop is drawn anew.
    """
    from routinekit.illustrations.fingerprint import fingerprint

    host = _host(host)
    own = getattr(exercise, "pose", None)
    own_raw = b"" if own is None else msgspec.json.encode(own)
    width = float(width_mm)
    plugins = fingerprint(host)
    memo = (exercise.id, exercise.name, own_raw, plugins, width, height_mm)
    try:
        return _PICTURES[memo]
    except KeyError:
        pass
    picture = _stored_picture(exercise, own_raw, plugins, width, height_mm, host)
    if len(_PICTURES) >= PICTURES_KEPT:
        _PICTURES.pop(next(iter(_PICTURES)), None)
    _PICTURES[memo] = picture
    return picture


#: Pictures kept per process (by exercise id, name, own pose, drawing plugins and size),
#: oldest dropped first.
PICTURES_KEPT = 512
_PICTURES: dict[tuple[str, str, bytes, bytes, float, float | None], PdfPicture | None] = {}


def _stored_picture(
    exercise: Exercise,
    own_raw: bytes,
    plugins: bytes,
    width_mm: float,
    height_mm: float | None,
    host: PluginHost,
) -> PdfPicture | None:
    """The picture from the on-disk cache, else drawn (and stored there)."""
    from routinekit.illustrations import stored

    key = stored.picture_key(exercise, own_raw, width_mm, height_mm, plugins)
    if key is not None:
        found, picture = stored.load(key)
        if found:
            return picture
    pose = pose_for(exercise)
    picture = None
    if pose is not None:
        scene_key = _key(exercise, pose, host)

        def make() -> PdfPicture:
            from routinekit.illustrations.to_canvas import to_pdf_picture

            return to_pdf_picture(_scene(scene_key, host), width_mm, height_mm)

        picture = _PDF_OPS.get((scene_key, width_mm, height_mm), make)
    if key is not None:
        stored.save(key, picture)
    return picture


def svg_for(
    exercise: Exercise,
    width_mm: float = 40,
    height_mm: float | None = None,
    *,
    host: PluginHost | None = None,
) -> str | None:
    """The exercise's picture as standalone SVG text, or None when it has no pose."""
    pose = pose_for(exercise)
    if pose is None:
        return None
    host = _host(host)
    key = _key(exercise, pose, host)

    def make() -> str:
        from routinekit.illustrations.render_svg import to_svg

        return to_svg(_scene(key, host), float(width_mm), height_mm)

    return _SVGS.get((key, float(width_mm), height_mm), make)


def clear_cache() -> None:
    """Forget every built picture and the built-in poses (tests, long-running processes)."""

    from routinekit.illustrations.fingerprint import reset

    builtin_poses.cache_clear()
    for memo in (_SCENES, _DRAWINGS, _PDF_OPS, _SVGS):
        memo.clear()
    _PICTURES.clear()
    reset()

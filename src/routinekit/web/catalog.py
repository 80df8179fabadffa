"""The library as the page shows it: each exercise with what search and the filters look at."""

from __future__ import annotations

from dataclasses import dataclass

from routinekit.library import library_for
from routinekit.model import Exercise
from routinekit.plugins.host import PluginHost
from routinekit.text.dose_words import dose_text as dose_words
from routinekit.web.constraints import excluded_by
from routinekit.web.draft import dose_text

#: Tags that name a part of the body (the "body region" filter); other tags are kinds of exercise.
BODY_REGIONS = ("back", "neck", "hip", "core", "shoulder", "knee", "ankle", "posture")


@dataclass(frozen=True)
class Item:
    exercise: Exercise
    source: str
    dose: str
    """The library's dose in plain words."""
    dose_code: str
    """The library's dose in the syntax of the dose boxes."""
    search: str
    excluded_by: tuple[str, ...]
    regions: tuple[str, ...]
    equipment: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def name(self) -> str:
        return self.exercise.name


def _equipment(ex: Exercise) -> tuple[str, ...]:
    """What the exercise needs besides the body, from its drawing's props (chair, wall...)."""
    from routinekit.illustrations import pose_for

    pose = pose_for(ex)
    names: list[str] = []
    for prop in pose.props if pose is not None else ():
        if prop.kind not in names:
            names.append(prop.kind)
    return tuple(names)


def items(host: PluginHost) -> tuple[Item, ...]:
    out = []
    library = library_for(host)
    for ex in sorted(library, key=lambda e: e.name.lower()):
        words = [ex.id, ex.name, *ex.aliases, *ex.tags, ex.position.value]
        out.append(
            Item(
                exercise=ex,
                source=library.owner(ex.id),
                dose=dose_words(ex.dose) if not ex.dose.is_empty else "",
                dose_code=dose_text(ex.dose) if not ex.dose.is_empty else "",
                search=" ".join(words).lower(),
                excluded_by=excluded_by(ex),
                regions=tuple(t for t in ex.tags if t in BODY_REGIONS),
                equipment=_equipment(ex),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Filters:
    positions: tuple[str, ...]
    phases: tuple[str, ...]
    regions: tuple[str, ...]
    equipment: tuple[str, ...]
    difficulties: tuple[int, ...]


def filters(all_items: tuple[Item, ...]) -> Filters:
    def uniq(values: list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(values)))

    return Filters(
        positions=uniq([i.exercise.position.value for i in all_items]),
        phases=uniq([p.value for i in all_items for p in i.exercise.phases]),
        regions=uniq([r for i in all_items for r in i.regions]),
        equipment=uniq([e for i in all_items for e in i.equipment]),
        difficulties=tuple(sorted({i.exercise.difficulty for i in all_items})),
    )


_pictures: dict[str, bytes | None] = {}


def picture_svg(exercise: Exercise) -> bytes | None:
    """The exercise's drawing as SVG (None when it has no pose to draw); kept by id."""
    if exercise.id not in _pictures:
        from routinekit.illustrations import svg_for

        svg = svg_for(exercise, 60)
        _pictures[exercise.id] = svg.encode("utf-8") if svg else None
    return _pictures[exercise.id]


def forget_pictures() -> None:
    """After the library changed (My exercises)."""
    _pictures.clear()

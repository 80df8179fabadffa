"""Stage ``resolve``: look every routine entry up in the library, with its dose and video."""

from __future__ import annotations

from collections import OrderedDict

from routinekit import safety
from routinekit.errors import Location, ValidationError
from routinekit.library import library_for
from routinekit.model import Candidate
from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState

#: Links that passed :func:`check_video_url` (the library's, the routine's, the clinic's or a
#: strategy's: never a patient's), so a batch checks each once, not once per row. Bounded.
CHECKED_MAX = 512
_CHECKED: OrderedDict[tuple[str, bool], None] = OrderedDict()


def check_video_url(url: str, *, where: Location, routine: bool = False) -> str:
    """A video link must be http(s), with a host, no password, no spaces (see safety.check_url),
    and short enough to print as a QR code in every layout (so validate refuses it too)."""
    key = (url, routine)
    if key in _CHECKED:  # the checks depend on the link alone
        _CHECKED.move_to_end(key)
        return url
    from routinekit.render.qr import check_fits_qr, smallest_qr_mm

    safety.check_url(url, where=where)
    check_fits_qr(url, maximum_mm=smallest_qr_mm(routine=routine), where=where)
    _CHECKED[key] = None
    if len(_CHECKED) > CHECKED_MAX:
        _CHECKED.popitem(last=False)
    return url


def resolve(state: BuildState, host: PluginHost) -> BuildState:
    """Unknown ids name the line and suggest the right one; links are checked."""
    rf = state.routine_file
    library = library_for(host)
    clinic = state.clinic
    out: list[Candidate] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(rf.routine.exercises):
        where = Location(file=rf.source, line=rf.entry_line(i), field=f"exercises[{i}].id")
        ex = library.get(entry.id, location=where)
        if entry.id in seen:
            raise ValidationError(
                f"exercise '{entry.id}' is listed twice (also entry {seen[entry.id] + 1})",
                location=where,
                hint="list each exercise once",
            )
        seen[entry.id] = i
        dose = ex.dose.merged(entry.dose)  # the routine changes only what it names
        video = (
            entry.video_url or ex.video_url or (clinic.exercise_video(ex.id) if clinic else None)
        )
        if video:
            if entry.video_url:
                line = rf.doc.line_of(("exercises", i, "video_url"))
                where = Location(file=rf.source, line=line, field=f"exercises[{i}].video_url")
            check_video_url(video, where=where)
        out.append(Candidate(exercise=ex, dose=dose, note=entry.note, video_url=video, position=i))
    return state.advance("resolve", candidates=tuple(out))

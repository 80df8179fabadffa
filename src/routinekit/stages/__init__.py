"""The build, as named stages: load → resolve → exclude → sequence → personalise → adjust → check.

Each stage is a small function ``stage(state, host) -> state`` over a frozen
:class:`BuildState`, so a caller can run them one at a time: the web page loads a
routine once and re-runs the later stages after each change, a batch worker keeps
the loaded routine and runs the rest per row. :func:`routinekit.pipeline.prepare`
runs them all; :func:`render` draws the result.

=============  ==============================================================
``load``       read the routine, patient and clinic the request names
``resolve``    look every routine entry up in the library (dose, link)
``exclude``    leave out what this patient must not do
``sequence``   ask the strategy for the order, the groups and the reasons
``personalise``  the handout: final doses, patient, regimen, language
``adjust``     let ``adjust_handout`` plugins change it
``check``      clinical guard rails on what would be printed
``render``     draw it with the renderer of the request's format
=============  ==============================================================
"""

from routinekit.stages.adjust import adjust
from routinekit.stages.check import check
from routinekit.stages.exclude import exclude
from routinekit.stages.load import load
from routinekit.stages.personalise import personalise
from routinekit.stages.render import render
from routinekit.stages.resolve import resolve
from routinekit.stages.sequence import sequence
from routinekit.stages.state import BuildResult, BuildState, StageError

#: The stages after ``load``, in order; each takes and returns a BuildState.
STAGES = (resolve, exclude, sequence, personalise, adjust, check)

__all__ = [
    "STAGES",
    "BuildResult",
    "BuildState",
    "StageError",
    "adjust",
    "check",
    "exclude",
    "load",
    "personalise",
    "render",
    "resolve",
    "sequence",
]

"""Stage ``adjust``: ``adjust_handout`` plugins change the handout, each seeing the last's."""

from __future__ import annotations

from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState


def adjust(state: BuildState, host: PluginHost) -> BuildState:
    state.need("personalise")
    assert state.handout is not None
    handout = host.adjust_handout(state.handout, format=state.request.format)
    return state.advance("adjust", handout=handout)

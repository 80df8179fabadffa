"""Stage ``adjust``: ``adjust_handout`` plugins change the handout, each seeing the last's.

Whatever they change, nothing may break the patient's limits: that is checked after them.
"""

from __future__ import annotations

from routinekit import tailor
from routinekit.errors import ValidationError
from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState


def adjust(state: BuildState, host: PluginHost) -> BuildState:
    state.need("personalise")
    assert state.handout is not None
    handout = host.adjust_handout(state.handout, format=state.request.format)
    broken = tailor.breaches(handout.items, state.exclusions)
    if broken:
        raise ValidationError(
            f"a plugin's adjust_handout put back what this patient cannot do: {broken[0]}",
            hint="fix or remove that plugin (see `routinekit plugins`)",
        )
    return state.advance("adjust", handout=handout)

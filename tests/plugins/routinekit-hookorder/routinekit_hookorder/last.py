"""adjust_handout marked (trylast=True)."""

from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit_hookorder import mark


@hookimpl(trylast=True)
def adjust_handout(handout: Handout) -> Handout:
    return mark(handout, "last")

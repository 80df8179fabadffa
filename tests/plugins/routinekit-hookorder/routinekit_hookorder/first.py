"""adjust_handout marked (tryfirst=True)."""

from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit_hookorder import mark


@hookimpl(tryfirst=True)
def adjust_handout(handout: Handout) -> Handout:
    return mark(handout, "first")

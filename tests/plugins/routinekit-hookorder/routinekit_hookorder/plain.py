"""adjust_handout marked ."""

from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit_hookorder import mark


@hookimpl
def adjust_handout(handout: Handout) -> Handout:
    return mark(handout, "plain")

"""A new-style wrapper around adjust_handout: adds its mark after all the others."""

from collections.abc import Generator

from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit_hookorder import mark


@hookimpl(wrapper=True)
def adjust_handout(handout: Handout, format: str) -> Generator[None, list[Handout], list[Handout]]:
    results = yield
    last = results[-1] if results else handout
    return [*results, mark(last, f"wrapped ({format})")]

"""Hook-order test plugins: each module appends its mark to the handout's footer."""

import msgspec

from routinekit.model import Handout


def mark(handout: Handout, word: str) -> Handout:
    footer = f"{handout.footer} > {word}" if handout.footer else word
    return msgspec.structs.replace(handout, footer=footer)

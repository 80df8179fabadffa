"""Built-in plugin: the sequencing strategies of :mod:`routinekit.strategies`.

Registered through the same public ``register_strategies`` hook a third-party plugin uses.
"""

from __future__ import annotations

from collections.abc import Callable

from routinekit.contracts import Strategy
from routinekit.hookspecs import hookimpl
from routinekit.strategies import builtin_strategies


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    for strategy in builtin_strategies():
        register(strategy)

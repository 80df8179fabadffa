"""The built-in sequencing strategies, one module each, and the helpers they share.

Each strategy is a plain :class:`routinekit.contracts.Strategy`; the plugin module
:mod:`routinekit.builtins.strategies` registers them through the public
``register_strategies`` hook, exactly as a third-party plugin would.

==================  =======================================================================
``as-written``      the routine file's own order
``progressive``     relief and forward bends, then backward bends, then twists (seed 000)
``acute``           acute-phase exercises only, low doses, short frequent sessions
``prevention``      a daily regimen with hip and core work, fitted to a time budget (002)
``spine-sparing``   no combined bending and twisting; breathing and walking first (003)
==================  =======================================================================
"""

from __future__ import annotations

from routinekit.contracts import Strategy
from routinekit.strategies.acute import Acute
from routinekit.strategies.as_written import AsWritten
from routinekit.strategies.prevention import Prevention
from routinekit.strategies.progressive import Progressive
from routinekit.strategies.spine_sparing import SpineSparing

__all__ = [
    "BUILTIN_STRATEGIES",
    "Acute",
    "AsWritten",
    "Prevention",
    "Progressive",
    "SpineSparing",
    "builtin_strategies",
]

BUILTIN_STRATEGIES: tuple[type[Strategy], ...] = (
    AsWritten,
    Progressive,
    Acute,
    Prevention,
    SpineSparing,
)


def builtin_strategies() -> tuple[Strategy, ...]:
    """A fresh instance of every built-in strategy, in listing order."""
    return tuple(cls() for cls in BUILTIN_STRATEGIES)

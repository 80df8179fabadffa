"""Kept for older imports: the exclusions now live in :mod:`routinekit.constraints`."""

from routinekit.constraints import Exclusions, parse_exclusions

__all__ = ["Exclusions", "parse_exclusions"]

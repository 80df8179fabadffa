"""What the stages hand each other: one frozen :class:`BuildState`, filled in stage by stage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from routinekit.constraints import Substitution
from routinekit.exclusions import Exclusions
from routinekit.files.routine_file import RoutineFile
from routinekit.model import (
    Candidate,
    ClinicProfile,
    Handout,
    LeftOut,
    Patient,
    SequencePlan,
    StrategyOptions,
)
from routinekit.request import BuildRequest


class StageError(RuntimeError):
    """A stage was run before the one it needs (a programming error, not a user's)."""


class BuildState(msgspec.Struct, frozen=True):
    """The request, what ``load`` read, and what each later stage added."""

    request: BuildRequest
    routine_file: RoutineFile
    patient: Patient | None = None
    patient_source: str | None = None
    """The patient file or batch row, for error messages."""
    clinic: ClinicProfile | None = None
    candidates: tuple[Candidate, ...] = ()
    """resolve: every routine entry, looked up."""
    exclusions: Exclusions = msgspec.field(default_factory=Exclusions)
    kept: tuple[Candidate, ...] = ()
    """exclude: the candidates this patient may do (alternatives swapped in)."""
    left_out: tuple[LeftOut, ...] = ()
    substitutions: Mapping[str, Substitution] = msgspec.field(default_factory=dict)
    """exclude: by the id swapped in, what it stands in for."""
    programme_stage: int | None = None
    """exclude: the patient's programme stage (0-based index into the routine's phases)."""
    strategy_id: str | None = None
    strategy_name: str | None = None
    strategy_plugin: str | None = None
    strategy_options: StrategyOptions | None = None
    plan: SequencePlan | None = None
    """sequence: the strategy's plan for ``kept``."""
    added: tuple[Candidate, ...] = ()
    """sequence: library exercises the strategy added (from ``SequenceRequest.library``)."""
    handout: Handout | None = None
    """personalise (then adjust): what a renderer draws."""
    warnings: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    """Information for ``validate`` (e.g. why there is no QR code at the top)."""
    done: tuple[str, ...] = ()
    """Names of the stages that have run, in order."""

    def advance(self, stage: str, **changes: Any) -> BuildState:
        """This state with ``changes`` made and ``stage`` recorded as done."""
        return msgspec.structs.replace(self, done=(*self.done, stage), **changes)

    def need(self, *stages: str) -> None:
        missing = [s for s in stages if s not in self.done]
        if missing:
            raise StageError(f"run the {', '.join(missing)} stage first")

    def with_request(self, request: BuildRequest) -> BuildState:
        """The loaded state with another request (same routine, patient and clinic): the
        later stages can run again, e.g. after a change of exclusions on the web page."""
        return msgspec.structs.replace(
            self,
            request=request,
            candidates=(),
            exclusions=Exclusions(),
            kept=(),
            left_out=(),
            substitutions={},
            programme_stage=None,
            strategy_id=None,
            strategy_name=None,
            strategy_plugin=None,
            strategy_options=None,
            plan=None,
            added=(),
            handout=None,
            warnings=(),
            notices=(),
            done=("load",),
        )

    def result(self) -> BuildResult:
        self.need("personalise")
        assert self.handout is not None and self.plan is not None
        return BuildResult(
            handout=self.handout,
            plan=self.plan,
            candidates=self.candidates,
            exclusions=self.exclusions,
            warnings=list(self.warnings),
            state=self,
            notices=list(self.notices),
        )


class BuildResult(msgspec.Struct, frozen=True):
    """A finished build, before drawing: the handout and how it came about."""

    handout: Handout
    plan: SequencePlan
    candidates: tuple[Candidate, ...]
    exclusions: Exclusions
    warnings: list[str]
    state: BuildState | None = None
    notices: list[str] = msgspec.field(default_factory=list)
    """Information for ``validate`` (e.g. why there is no QR code at the top)."""

    @property
    def routine_file(self) -> RoutineFile | None:
        """The routine read, so that checks made while rendering can name its file and line."""
        return self.state.routine_file if self.state is not None else None

"""The domain model: plain typed values, independent of plugins, layout and drawing."""

from routinekit.model.dose import Dose, Range
from routinekit.model.exercise import Alternative, Exercise, ExerciseText, Movement, Phase, Position
from routinekit.model.handout import Handout, HandoutGroup, HandoutItem, LeftOut, Regimen
from routinekit.model.people import ClinicProfile, Patient
from routinekit.model.plan import (
    SECTIONS,
    Candidate,
    Omission,
    Placement,
    PlanGroup,
    SequencePlan,
    SequenceRequest,
    StrategyOptions,
)
from routinekit.model.provenance import (
    ClinicalRule,
    ContentSignoff,
    ExerciseProvenance,
    RoutineProvenance,
    Source,
)
from routinekit.model.routine import (
    EducationSection,
    ProgramPhase,
    RedFlag,
    RedFlagLevel,
    Routine,
    RoutineEntry,
    StrategySettings,
    TrackingLog,
)

__all__ = [
    "SECTIONS",
    "Alternative",
    "Candidate",
    "ClinicProfile",
    "ClinicalRule",
    "ContentSignoff",
    "Dose",
    "EducationSection",
    "Exercise",
    "ExerciseProvenance",
    "ExerciseText",
    "Handout",
    "HandoutGroup",
    "HandoutItem",
    "LeftOut",
    "Movement",
    "Omission",
    "Patient",
    "Phase",
    "Placement",
    "PlanGroup",
    "Position",
    "ProgramPhase",
    "Range",
    "RedFlag",
    "RedFlagLevel",
    "Regimen",
    "Routine",
    "RoutineEntry",
    "RoutineProvenance",
    "SequencePlan",
    "SequenceRequest",
    "Source",
    "StrategyOptions",
    "StrategySettings",
    "TrackingLog",
]

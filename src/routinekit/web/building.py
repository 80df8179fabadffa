"""From the page's draft to a handout, through the same build every command uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from routinekit.contracts import RenderOptions
from routinekit.model import ClinicProfile, Handout, Phase
from routinekit.pipeline import Overrides, render
from routinekit.plugins.host import PluginHost
from routinekit.web import constraints
from routinekit.web.draft import Draft, draft_routine_file


@dataclass
class Built:
    handout: Handout
    host: PluginHost
    options: RenderOptions
    warnings: list[str] = field(default_factory=list)

    def render(self, fmt: str) -> bytes:
        return render(self.handout, host=self.host, format=fmt, options=self.options)


def build(draft: Draft, host: PluginHost, clinic: ClinicProfile | None) -> Built:
    """Build the draft's handout (raises the CLI's UserError for what is wrong)."""
    from routinekit.api import build_handout

    rf = draft_routine_file(draft)
    overrides = Overrides(
        strategy=draft.strategy or None,
        minutes=draft.minutes,
        phase=Phase(draft.phase) if draft.phase else None,
        exclude=constraints.tokens(draft.exclude),
        language=draft.language or None,
    )
    result = build_handout(
        rf,
        patient=draft.patient(),
        clinic=clinic,
        overrides=overrides,
        date=draft.patient_date,
        host=host,
    )
    options = RenderOptions(page_size=draft.page_size, large_print=draft.large_print)
    warnings = list(result.warnings)
    handout = result.handout
    if handout.left_out:
        kept = sum(len(g.items) for g in handout.groups)
        warnings.append(
            f"the routine shrank: {len(handout.left_out)} of {kept + len(handout.left_out)} "
            "exercises are left out (see the list under the routine)"
        )
    missing = [i.exercise.name for g in handout.groups for i in g.items if not i.video_url]
    if missing:
        warnings.append(
            f"no video link (no QR code) for: {', '.join(missing)}; set a video link pattern "
            "in the clinic profile"
        )
    from routinekit.lint.routine_lint import lint_routine

    exercises = {c.exercise.id: c.exercise for c in result.candidates}
    for finding in lint_routine(rf, handout, None, exercises):
        if finding.level == "warning":
            warnings.append(f"plain language: {finding.message}")
    return Built(handout=handout, host=host, options=options, warnings=warnings)

"""From the page's draft to a handout, through the one BuildRequest every command builds.

The page makes a :class:`~routinekit.request.BuildRequest` (the routine as YAML text, the
patient and clinic as values, the page's choices as :class:`BuildOptions`) and runs the
named stages with :func:`routinekit.pipeline.prepare`; drawing is the ``render`` stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from routinekit.files.routine_file import RoutineFile
from routinekit.model import ClinicProfile, Handout, Phase
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions, BuildRequest, RenderOptions
from routinekit.web import constraints
from routinekit.web.draft import Draft, draft_routine_bytes, draft_routine_text, text_of


@dataclass
class Built:
    handout: Handout
    host: PluginHost
    request: BuildRequest
    routine_file: RoutineFile | None
    warnings: list[str] = field(default_factory=list)

    def render(self, fmt: str) -> bytes:
        from routinekit.stages import render

        return render(
            self.handout,
            self.host,
            format=fmt,
            options=self.request.render,
            source=self.routine_file,
        )


def request_of(
    draft: Draft, clinic: ClinicProfile | None, fmt: str = "pdf", *, routine_text: str | None = None
) -> BuildRequest:
    """The build request the page's draft describes (``routine_text``: the draft's routine,
    when the caller has it already)."""
    if routine_text is None:
        routine_text = text_of(draft_routine_bytes(draft), draft.base_name)
    return BuildRequest(
        routine=draft.base_name,
        routine_text=routine_text,
        patient=draft.patient(),
        patient_source="the patient fields",
        clinic=clinic,
        default_clinic=False,
        options=BuildOptions(
            strategy=draft.strategy or None,
            minutes=draft.minutes,
            phase=Phase(draft.phase) if draft.phase else None,
            exclude=constraints.tokens(draft.exclude),
            language=draft.language or None,
            date=draft.patient_date,
        ),
        render=RenderOptions(page_size=draft.page_size, large_print=draft.large_print),
        format=fmt,
    )


def build(draft: Draft, host: PluginHost, clinic: ClinicProfile | None) -> Built:
    """Build the draft's handout (raises the CLI's UserError for what is wrong)."""
    from routinekit.pipeline import check_request, prepare

    text, unchanged = draft_routine_text(draft)  # the base, when it is the base's bytes
    request = request_of(draft, clinic, routine_text=text)
    check_request(request, host)
    result = prepare(request, host, routine_file=unchanged)
    warnings = list(result.warnings)
    handout = result.handout
    # the build itself warns when the routine shrank (fewer than 3, or under half the time)
    missing = [i.exercise.name for g in handout.groups for i in g.items if not i.video_url]
    if missing:
        warnings.append(
            f"no video link (no QR code) for: {', '.join(missing)}; set a video link pattern "
            "in the clinic profile"
        )
    from routinekit.lint.routine_lint import lint_routine

    rf = result.routine_file
    if rf is not None:
        exercises = {c.exercise.id: c.exercise for c in result.candidates}
        for finding in lint_routine(rf, handout, None, exercises):
            if finding.level == "warning":
                warnings.append(f"plain language: {finding.message}")
    return Built(handout=handout, host=host, request=request, routine_file=rf, warnings=warnings)

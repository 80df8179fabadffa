"""The build pipeline: the named stages of :mod:`routinekit.stages`, run in order.

:func:`prepare` runs every stage but drawing on a :class:`~routinekit.request.BuildRequest`;
:func:`build` also renders. Scripts, the command line, batch workers and the web
page all go through these two (or through the stages one by one).
"""

from __future__ import annotations

from routinekit.errors import UserError
from routinekit.files.routine_file import RoutineFile
from routinekit.files.yaml_reader import with_line
from routinekit.library import library_for
from routinekit.plugins.host import PluginHost
from routinekit.redaction import redacting
from routinekit.request import BuildRequest
from routinekit.stages import STAGES, BuildResult, BuildState, load
from routinekit.stages import render as render_stage

__all__ = ["BuildResult", "BuildState", "build", "check_request", "prepare", "run_stages"]


def run_stages(state: BuildState, host: PluginHost) -> BuildState:
    """Run every stage ``state`` has not run yet, in order."""
    for stage in STAGES:
        if stage.__name__ not in state.done:
            state = stage(state, host)
    return state


def prepare(
    request: BuildRequest, host: PluginHost, *, routine_file: RoutineFile | None = None
) -> BuildResult:
    """Load, resolve, exclude, sequence, personalise, adjust and check: all but drawing.

    Errors name the file and line (``with_line``). ``routine_file``: a routine already
    loaded for this request (a batch's, the web page's).
    """
    try:
        state = load(request, host, routine_file=routine_file)
        with redacting(state.patient):  # a plugin's message may quote the patient
            return run_stages(state, host).result()
    except UserError as exc:
        raise with_line(exc) from None


def build(
    request: BuildRequest, host: PluginHost, *, routine_file: RoutineFile | None = None
) -> tuple[BuildResult, bytes]:
    """:func:`prepare`, then draw with the request's format and render options."""
    result = prepare(request, host, routine_file=routine_file)
    data = render_stage(
        result.handout,
        host,
        format=request.format,
        options=request.render,
        source=result.routine_file,
    )
    return result, data


def check_request(request: BuildRequest, host: PluginHost) -> None:
    """Refuse what no row could build (format, strategy, language, guards, exclusions),
    before anything is written: every command calls this first."""
    from routinekit import guards
    from routinekit.exclusions import parse_exclusions
    from routinekit.i18n import SUPPORTED_LANGUAGES, is_supported

    try:
        host.renderer(request.format)
    except UserError as exc:
        raise exc.at(field="--format") from None
    if request.options.strategy:
        try:
            host.strategy(request.options.strategy)
        except UserError as exc:
            raise exc.at(field="--strategy") from None
    language = request.options.language
    if language and not is_supported(language):
        raise UserError(
            f"no translation for '{language}'",
            hint=f"available: {', '.join(SUPPORTED_LANGUAGES)}",
        ).at(field="--lang")
    if request.options.guards:
        try:
            guards.guard_mode(request.options.guards)
        except UserError as exc:
            raise exc.at(field="--guards") from None
    if request.options.exclude:
        try:
            parse_exclusions(request.options.exclude, [e.id for e in library_for(host)])
        except UserError as exc:
            raise exc.at(field="--exclude") from None

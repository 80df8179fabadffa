"""Fault isolation for hook implementations, with pluggy doing the calling.

The host does not register a plugin with pluggy as it is, but a :class:`GuardedPlugin`
made by :func:`guard`: the same hook functions under the same names with the same
``@hookimpl`` options, each wrapped (``functools.wraps``, so pluggy sees the original
signature). pluggy then calls hooks exactly as it always does — its order, its
wrappers — and a guarded implementation that fails:

* records the fault against its plugin (``routinekit plugins`` shows it) and returns
  None, so pluggy goes on with the next implementation; or
* with a strict host (``ROUTINEKIT_STRICT_PLUGINS=1``), makes the call raise a
  :class:`~routinekit.errors.PluginError` naming the plugin once pluggy is done.

Any ``BaseException`` counts (``SystemExit`` from a plugin must not end routinekit),
and whatever a plugin prints goes to stderr, so ``--json`` output stays valid.

A *chained* hook (``adjust_handout``) threads one value through the implementations:
each receives the value the previous one returned, in pluggy's order. Its faults are
fatal to the build (the error names the plugin): a handout without the advice a
clinic's plugin adds must not be printed as if it were whole.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import re
import sys
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import msgspec

from routinekit.errors import PluginError, UserError

if TYPE_CHECKING:
    from routinekit.plugins.host import PluginHost


class Call(msgspec.Struct):
    """One hook call in progress: who failed, and the error to raise (strict hosts)."""

    host: PluginHost
    chain: tuple[str, Any, type] | None = None
    """(argument name, current value, expected type) for a chained hook."""
    fatal: bool = False
    """A fault fails the call even on a lenient host (``adjust_handout``: a handout missing
    a clinic's advice must not be printed as if it were complete)."""
    failed: list[str] = msgspec.field(default_factory=list)
    error: PluginError | None = None

    def fault(self, plugin: str, message: str) -> None:
        self.failed.append(plugin)
        info = self.host.infos.get(plugin)
        if info is not None:
            info.errors.append(message)
        if self.error is None and (self.host.strict or self.fatal or info is None):
            self.error = PluginError(
                plugin, message, distribution=info.distribution if info else None
            )

    def reraise(self) -> None:
        if self.error is not None:
            raise self.error


_CALL: contextvars.ContextVar[Call | None] = contextvars.ContextVar("routinekit_call", default=None)
_PLUGIN: contextvars.ContextVar[str] = contextvars.ContextVar("routinekit_plugin", default="")


@contextlib.contextmanager
def calling(
    host: PluginHost, chain: tuple[str, Any, type] | None = None, *, fatal: bool = False
) -> Iterator[Call]:
    """Make the guarded implementations of the hook called inside report to one Call."""
    call = Call(host=host, chain=chain, fatal=fatal)
    token = _CALL.set(call)
    try:
        yield call
    finally:
        _CALL.reset(token)


def report(plugin: str, message: str) -> None:
    """Record a fault against ``plugin`` in the hook call under way (from a ``register``)."""
    call = _CALL.get()
    if call is None:
        raise PluginError(plugin, message)
    call.fault(plugin, message)


def current_plugin() -> str:
    """The plugin whose implementation is running (for ``register`` callables)."""
    return _PLUGIN.get()


_STRUCT_REPR = re.compile(r"\b(Patient|Handout|ClinicProfile|HandoutItem)\((?:[^()]|\([^()]*\))*\)")


def describe(exc: BaseException) -> str:
    """``ValueError: message`` for a plugin's failure, without the values of our types
    (a ``Patient(name=...)`` repr becomes ``Patient(...)``), cut to one short line."""
    text = str(exc)
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r}) (a plugin must not exit the program)"
    text = _STRUCT_REPR.sub(lambda m: f"{m.group(1)}(...)", text)
    text = " ".join(text.split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class GuardedPlugin:
    """What the host registers with pluggy in a plugin's place: the plugin's hook
    functions, each guarded, carrying the plugin's own hookimpl markers and options."""

    def __init__(self, name: str, plugin: object) -> None:
        self.routinekit_plugin_name = name
        self.routinekit_plugin = plugin

    def __repr__(self) -> str:
        return f"<guarded plugin {self.routinekit_plugin_name}>"


def guard(host: PluginHost, name: str, plugin: object) -> GuardedPlugin:
    """A :class:`GuardedPlugin` for ``plugin``: register it instead of the plugin."""
    proxy = GuardedPlugin(name, plugin)
    for attr in dir(plugin):
        opts = host.pm.parse_hookimpl_opts(plugin, attr)
        if opts is None:
            continue
        func = getattr(plugin, attr)
        hook = opts.get("specname") or attr
        if opts.get("hookwrapper") or opts.get("wrapper"):
            guarded = _guard_wrapper(host, hook, name, func, bool(opts.get("hookwrapper")))
        else:
            argnames = tuple(inspect.signature(func).parameters)
            guarded = _guard_plain(host, hook, name, func, argnames)
        setattr(proxy, attr, guarded)
    return proxy


def _guard_plain(
    host: PluginHost, hook: str, plugin: str, func: Callable[..., Any], argnames: tuple[str, ...]
) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any) -> Any:
        call = _CALL.get()
        host.trace_call(hook, plugin)
        chained = call.chain if call is not None else None
        if chained is not None and chained[0] in argnames:
            args = tuple(
                chained[1] if n == chained[0] else a for n, a in zip(argnames, args, strict=False)
            )
        token = _PLUGIN.set(plugin)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                result = func(*args)
        except UserError as exc:  # e.g. the plugin's own settings file: named, with its line
            _fault(call, plugin, exc.one_line(), exc)
            return None
        except PluginError as exc:
            _fault(call, plugin, exc.message, exc)
            return None
        except BaseException as exc:
            _fault(call, plugin, f"raised in {hook}: {describe(exc)}", exc)
            return None
        finally:
            _PLUGIN.reset(token)
        if chained is not None and call is not None and result is not None:
            if not isinstance(result, chained[2]):
                call.fault(
                    plugin,
                    f"{hook} returned {type(result).__name__}, not {chained[2].__name__}",
                )
                return None
            call.chain = (chained[0], result, chained[2])
        return result

    return run


def _fault(call: Call | None, plugin: str, message: str, exc: BaseException) -> None:
    if call is None:  # called outside the host (a test calling pm.hook directly)
        raise exc
    call.fault(plugin, message)


def _guard_wrapper(
    host: PluginHost, hook: str, plugin: str, func: Callable[..., Any], old_style: bool
) -> Callable[..., Any]:
    """A wrapper that fails before its ``yield`` is skipped; one that fails after it
    leaves the result as it was. Either way the fault is recorded against it."""

    @functools.wraps(func)
    def run(*args: Any) -> Generator[None, Any, Any]:
        call = _CALL.get()
        host.trace_call(hook, plugin)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                gen = func(*args)
                next(gen)
        except StopIteration:
            _fault(call, plugin, f"hook wrapper {hook} did not yield", RuntimeError(hook))
            return (yield)
        except BaseException as exc:
            _fault(call, plugin, f"raised in {hook}: {describe(exc)}", exc)
            return (yield)
        try:
            outcome = yield
        except BaseException as inner:  # a later implementation raised: the wrapper sees it
            try:
                gen.throw(inner)
            except StopIteration as stop:
                return None if old_style else stop.value
            gen.close()
            raise
        try:
            with contextlib.redirect_stdout(sys.stderr):
                gen.send(outcome)
        except StopIteration as stop:
            return None if old_style else stop.value
        except BaseException as exc:
            _fault(call, plugin, f"raised in {hook}: {describe(exc)}", exc)
            return None if old_style else outcome
        gen.close()
        _fault(call, plugin, f"hook wrapper {hook} yielded twice", RuntimeError(hook))
        return None if old_style else outcome

    return run

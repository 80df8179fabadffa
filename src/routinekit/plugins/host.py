"""The plugin host: loads plugins one by one, collects what they register, isolates faults.

Nothing is loaded at import time. :func:`get_host` builds a host on first use;
tests build their own with :class:`PluginHost`.

Environment variables:

``ROUTINEKIT_PLUGINS``
    Comma-separated allow-list of third-party plugin names; only these load.
``ROUTINEKIT_BLOCK_PLUGINS``
    Comma-separated block-list of plugin names (built-ins included) not to load.
``ROUTINEKIT_STRICT_PLUGINS=1``
    A plugin that fails to load or raises in a hook is an error (for CI).
``ROUTINEKIT_TRACE_PLUGINS=1``
    Log every hook call to stderr.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec
import pluggy

from routinekit import hookspecs
from routinekit.errors import PluginError, UnknownIdError, UserError
from routinekit.plugins import guarded
from routinekit.plugins.guarded import describe

if TYPE_CHECKING:
    from routinekit.model import Handout


#: Built-in plugins, registered exactly as third-party ones are.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "routinekit.builtins.library_source",
    "routinekit.builtins.clinic_library",
    "routinekit.builtins.templates",
    "routinekit.builtins.strategies",
    "routinekit.builtins.renderers",
)


T = TypeVar("T")


class PluginInfo(msgspec.Struct):
    """What ``routinekit plugins`` shows about one plugin."""

    name: str
    module: str
    builtin: bool
    distribution: str | None = None
    version: str | None = None
    provides: list[str] = msgspec.field(default_factory=list)
    errors: list[str] = msgspec.field(default_factory=list)
    loaded: bool = True
    disabled: str | None = None
    """Why the plugin was deliberately not loaded (allow-list, block-list); not an error."""
    load_ms: float | None = None
    """How long importing and registering the plugin took (``plugins --verbose``)."""

    @property
    def label(self) -> str:
        """The name, with the distribution and version it came from when known."""
        if self.distribution:
            return f"{self.name} ({self.distribution} {self.version or ''})".replace(" )", ")")
        return self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "builtin": self.builtin,
            "distribution": self.distribution,
            "version": self.version,
            "provides": self.provides,
            "errors": self.errors,
            "loaded": self.loaded,
            "disabled": self.disabled,
            "load_ms": None if self.load_ms is None else round(self.load_ms, 1),
        }


class Registered(msgspec.Struct, Generic[T], frozen=True):
    """Something a plugin registered, and which plugin it came from."""

    obj: T
    plugin: str


def _env_list(name: str) -> set[str] | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return {p.strip() for p in value.split(",") if p.strip()}


class _Manager(pluggy.PluginManager):
    """pluggy's manager, quicker to pass over what a plugin module imports.

    pluggy looks at every name of a registered module with ``inspect.getattr_static``
    (a tenth of a cold build, most of it on imported modules, classes and unmarked
    functions). Those can never be hook implementations, so they are passed over here;
    everything else is left to pluggy, unchanged.
    """

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        if isinstance(plugin, types.ModuleType):
            value = plugin.__dict__.get(name)
            if isinstance(value, type | types.ModuleType):
                return None
            if isinstance(value, types.FunctionType) and _MARK not in value.__dict__:
                return None
        return super().parse_hookimpl_opts(plugin, name)


#: The attribute pluggy's ``HookimplMarker`` sets on a hook implementation.
_MARK = hookspecs.PROJECT + "_impl"


def get_plugin_manager() -> pluggy.PluginManager:
    """A fresh pluggy manager that knows routinekit's hooks (nothing registered yet)."""
    pm = _Manager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


class PluginHost:
    """Loads plugins and gives typed access to what they register.

    :param entry_points: also load third-party plugins from the ``routinekit`` group.
    :param allow: only these third-party plugins (default: ``ROUTINEKIT_PLUGINS``).
    :param block: never these plugins (default: ``ROUTINEKIT_BLOCK_PLUGINS``).
    :param strict: plugin faults raise instead of being reported
        (default: ``ROUTINEKIT_STRICT_PLUGINS``).
    :param extra: extra plugin objects or modules to register (tests, scripts).
    """

    def __init__(
        self,
        *,
        entry_points: bool = True,
        allow: Iterable[str] | None = None,
        block: Iterable[str] | None = None,
        strict: bool | None = None,
        extra: Iterable[object] = (),
    ) -> None:
        self.pm = get_plugin_manager()
        self.allow = set(allow) if allow is not None else _env_list("ROUTINEKIT_PLUGINS")
        self.block = (
            set(block) if block is not None else (_env_list("ROUTINEKIT_BLOCK_PLUGINS") or set())
        )
        self.strict = (
            strict
            if strict is not None
            else os.environ.get("ROUTINEKIT_STRICT_PLUGINS", "") not in ("", "0")
        )
        self.trace = os.environ.get("ROUTINEKIT_TRACE_PLUGINS", "") not in ("", "0")
        self.infos: dict[str, PluginInfo] = {}
        self._cache: dict[str, dict[str, Registered[Any]]] = {}
        for module_name in DEFAULT_PLUGINS:
            self._load_module(module_name.rsplit(".", 1)[-1], module_name, builtin=True)
        for i, obj in enumerate(extra):
            name = getattr(obj, "__name__", None) or f"extra-{i}"
            self._register(name, obj, PluginInfo(name=name, module=str(name), builtin=False))
        if entry_points:
            self._load_entry_points()
        self.pm.check_pending()

    # -- loading ------------------------------------------------------------------------------

    def _fault(self, info: PluginInfo, message: str) -> None:
        info.errors.append(message)
        import logging  # only when a plugin is at fault: not at every start

        # the CLI shows errors() to the user
        logging.getLogger("routinekit.plugins").debug("plugin %s: %s", info.name, message)
        if self.strict:
            raise PluginError(info.name, message, distribution=info.distribution)

    def trace_call(self, hook_name: str, plugin: str) -> None:
        """With tracing on (``ROUTINEKIT_TRACE_PLUGINS=1``), print one hook call to stderr."""
        if self.trace:
            info = self.infos.get(plugin)
            sys.stderr.write(f"routinekit: hook {hook_name} -> {info.label if info else plugin}\n")

    def error_for(self, plugin: str, message: str) -> PluginError:
        """A :class:`PluginError` naming ``plugin`` and its distribution; recorded on its info."""
        info = self.infos.get(plugin)
        if info is not None:
            info.errors.append(message)
        return PluginError(plugin, message, distribution=info.distribution if info else None)

    def _register(self, name: str, obj: object, info: PluginInfo) -> None:
        if name in self.infos:
            other = self.infos[name]
            self._fault(info, f"a plugin named '{name}' is already loaded from {other.module}")
            info.loaded = False
            self.infos[f"{name} ({info.module})"] = info
            return
        self.infos[name] = info
        try:
            self.pm.register(guarded.guard(self, name, obj), name=name)
        except (ValueError, TypeError, pluggy.PluginValidationError) as exc:
            info.loaded = False
            self._fault(info, f"cannot be registered: {exc}")
            return
        self._check_hook_names(name, info)

    def _check_hook_names(self, name: str, info: PluginInfo) -> None:
        """A hook routinekit does not have (a typo) unloads that plugin, not the host."""
        import difflib

        proxy = self.pm.get_plugin(name)
        unknown = [c.name for c in self.pm.get_hookcallers(proxy) or () if not c.has_spec()]
        if not unknown:
            return
        self.pm.unregister(name=name)
        info.loaded = False
        known = [
            n
            for n, caller in vars(self.pm.hook).items()
            if not n.startswith("_") and caller.has_spec()
        ]
        for hook in unknown:
            close = difflib.get_close_matches(hook, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self._fault(info, f"implements unknown hook '{hook}'{hint}")

    def _load_module(self, name: str, module_name: str, *, builtin: bool) -> None:
        info = PluginInfo(name=name, module=module_name, builtin=builtin)
        if name in self.block:
            info.loaded = False
            info.disabled = "blocked (ROUTINEKIT_BLOCK_PLUGINS)"
            self.infos[name] = info
            return
        start = time.perf_counter()
        module = importlib.import_module(module_name)
        self._register(name, module, info)
        info.load_ms = (time.perf_counter() - start) * 1000

    def _load_entry_points(self) -> None:
        from routinekit.plugins.discovery import entry_points

        for ep in entry_points():  # sorted by name; read from the cache when nothing changed
            dist, version = ep.distribution, ep.version
            info = PluginInfo(
                name=ep.name, module=ep.value, builtin=False, distribution=dist, version=version
            )
            if ep.name in self.block or (self.allow is not None and ep.name not in self.allow):
                info.loaded = False
                info.disabled = (
                    "blocked (ROUTINEKIT_BLOCK_PLUGINS)"
                    if ep.name in self.block
                    else "not in the allow-list (ROUTINEKIT_PLUGINS)"
                )
                self.infos.setdefault(ep.name, info)
                continue
            start = time.perf_counter()
            try:  # a broken plugin must not take the host down, nor print into our output
                with contextlib.redirect_stdout(sys.stderr):
                    obj = ep.load()
            except BaseException as exc:  # SystemExit at import included
                info.loaded = False
                self.infos.setdefault(ep.name, info)
                self._fault(info, f"failed to import: {describe(exc)}")
                continue
            self._check_api(obj, info)
            if info.loaded:
                self._register(ep.name, obj, info)
                info.load_ms = (time.perf_counter() - start) * 1000

    def _check_api(self, obj: object, info: PluginInfo) -> None:
        from routinekit import PLUGIN_API_VERSION

        wanted = getattr(obj, "ROUTINEKIT_PLUGIN_API", None)
        if wanted is None:
            return
        versions = {wanted} if isinstance(wanted, int) else set(wanted)
        if PLUGIN_API_VERSION not in versions:
            info.loaded = False
            self.infos.setdefault(info.name, info)
            self._fault(
                info,
                f"needs plugin API {sorted(versions)}, this routinekit has {PLUGIN_API_VERSION}",
            )

    # -- calling hooks ------------------------------------------------------------------------
    #
    # Every hook is called by pluggy itself (``self.pm.hook.NAME(...)``), so implementations
    # run in pluggy's order (tryfirst first, trylast last, later-registered first among
    # equals) and wrappers work. Fault isolation comes from guarding each implementation
    # when its plugin is registered (see routinekit.plugins.guarded).

    def call(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call one hook the way pluggy does; a failing implementation is recorded against
        its plugin and skipped (raised with ``strict``). Returns pluggy's list of results."""
        hook = getattr(self.pm.hook, hook_name)
        with guarded.calling(self) as call:
            results: list[Any] = hook(**kwargs)
        call.reraise()
        return results

    def adjust_handout(self, handout: Handout, *, format: str = "pdf") -> Handout:
        """Run every ``adjust_handout`` in pluggy's order, each seeing the previous result.

        A failing implementation fails the build with a PluginError naming its plugin."""
        from routinekit.model import Handout

        hook = self.pm.hook.adjust_handout
        with guarded.calling(self, chain=("handout", handout, Handout), fatal=True) as call:
            results = hook(handout=handout, format=format)
        call.reraise()
        for value in reversed(results):
            if isinstance(value, Handout):
                return value
        return handout

    @contextlib.contextmanager
    def guard(self, plugin: str, what: str) -> Iterator[None]:
        """Around a call into a plugin's object (a strategy, a renderer): any failure,
        ``SystemExit`` included, becomes a PluginError naming the plugin; what it prints
        goes to stderr, never into our output. Built-ins' bugs are raised as they are."""
        info = self.infos.get(plugin)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                yield
        except (UserError, PluginError):
            raise
        except BaseException as exc:
            if isinstance(exc, Exception) and info is not None and info.builtin:
                raise
            raise self.error_for(plugin, f"{what} raised {describe(exc)}") from exc

    def _is_builtin(self, plugin: str) -> bool:
        info = self.infos.get(plugin)
        return info is not None and info.builtin

    def _collect(
        self, hook_name: str, kind: str, base: type, check: Callable[[Any], None]
    ) -> dict[str, Registered[Any]]:
        if hook_name in self._cache:
            return self._cache[hook_name]
        found: dict[str, Registered[Any]] = {}

        def register(obj: Any) -> None:
            plugin = guarded.current_plugin()
            if not isinstance(obj, base):  # keeps obj typed Any below
                raise TypeError(f"register() expects a {base.__name__}, got {type(obj).__name__}")
            check(obj)
            ident: str = getattr(obj, "id")  # noqa: B009 (checked by check())
            if ident in found:
                other = found[ident].plugin
                if self._is_builtin(plugin) and not self._is_builtin(other):
                    # pluggy calls third-party plugins first; a built-in still keeps its id
                    guarded.report(
                        other, f"{kind} id '{ident}' is already registered by plugin '{plugin}'"
                    )
                    found[ident] = Registered(obj, plugin)
                    return
                raise PluginError(
                    plugin, f"{kind} id '{ident}' is already registered by plugin '{other}'"
                )
            found[ident] = Registered(obj, plugin)

        hook = getattr(self.pm.hook, hook_name)
        with guarded.calling(self) as call:
            hook(register=register)
        for failed in call.failed:  # drop what a failing plugin half-registered
            for ident in [i for i, r in found.items() if r.plugin == failed]:
                del found[ident]
        call.reraise()
        for ident, reg in found.items():
            info = self.infos.get(reg.plugin)
            if info is not None:
                info.provides.append(f"{kind}:{ident}")
        self._cache[hook_name] = found
        return found

    # -- typed access -------------------------------------------------------------------------

    def sources(self) -> dict[str, Registered[Any]]:
        from routinekit.contracts import ExerciseSource

        return self._collect("register_sources", "source", ExerciseSource, _check_id)

    def strategies(self) -> dict[str, Registered[Any]]:
        from routinekit.contracts import Strategy

        return self._collect("register_strategies", "strategy", Strategy, _check_id)

    def renderers(self) -> dict[str, Registered[Any]]:
        from routinekit.contracts import Renderer

        return self._collect("register_renderers", "renderer", Renderer, _check_id)

    def templates(self) -> dict[str, Registered[Any]]:
        from routinekit.contracts import RoutineTemplate

        return self._collect("register_templates", "template", RoutineTemplate, _check_id)

    def props(self) -> dict[str, Registered[Any]]:
        """Props that plugins add for poses to draw (besides the built-in ones)."""
        from routinekit.illustrations.props import PropShape, check_prop

        return self._collect("register_props", "prop", PropShape, check_prop)

    def fonts(self) -> dict[str, Registered[Any]]:
        """Fonts that plugins add to the PDF's fallback chain, in pluggy's calling order."""
        from routinekit.render.pdf.fallback import FontFace, check_face

        return self._collect("register_fonts", "font", FontFace, check_face)

    def strategy(self, ident: str) -> Any:
        return _lookup(self.strategies(), ident, "strategy", "routinekit strategies")

    def renderer(self, ident: str) -> Any:
        return _lookup(self.renderers(), ident, "format", "routinekit renderers")

    def template(self, ident: str) -> Any:
        return _lookup(self.templates(), ident, "template", "routinekit templates")

    def errors(self) -> list[tuple[str, str]]:
        """Every plugin fault as (plugin label with its distribution, message)."""
        return [(i.label, e) for i in self.infos.values() for e in i.errors]


def _check_id(obj: Any) -> None:
    ident = getattr(obj, "id", None)
    if not isinstance(ident, str) or not ident:
        raise TypeError(f"{type(obj).__name__} has no 'id' (a short unique string)")


def _lookup(found: dict[str, Registered[Any]], ident: str, kind: str, listing: str) -> Any:
    if ident in found:
        return found[ident].obj
    import difflib

    close = difflib.get_close_matches(ident, list(found), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"see `{listing}`"
    raise UnknownIdError(f"unknown {kind} '{ident}'", hint=hint)


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide host, created on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def reset_host() -> None:
    """Forget the process-wide host (tests, long-running processes after installs)."""
    global _HOST
    _HOST = None

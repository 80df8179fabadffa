"""The errors routinekit shows to people.

Everything a user can cause (a bad routine file, a misspelled exercise id, a bad
flag, a broken patient row) raises a :class:`UserError`. The command line prints
it as one line and exits with status 2; scripts can catch it. Faults inside a
third-party plugin raise :class:`PluginError`, which names the plugin. Anything
else is a bug in routinekit and keeps its traceback.
"""

from __future__ import annotations

import msgspec


class RoutinekitError(Exception):
    """Base class of every error routinekit raises on purpose."""


class Location(msgspec.Struct, frozen=True):
    """Where in the user's input a problem is: a file, a line, a row, a field."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            kind = "option" if self.field.startswith("--") else "field"
            parts.append(f"{kind} '{self.field}'")
        return ", ".join(parts)


class UserError(RoutinekitError):
    """A problem with what the user gave us. Shown as one line; exit status 2.

    :param message: what is wrong, in plain words.
    :param location: where it is (file, line, row, field), if known.
    :param hint: what to do about it.
    """

    exit_code = 2

    def __init__(
        self, message: str, *, location: Location | None = None, hint: str | None = None
    ) -> None:
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text}; {self.hint}"
        return single_line(text)

    def at(self, **changes: object) -> UserError:
        """Return a copy of this error with its location filled in further."""
        loc = self.location
        merged = Location(
            file=str(changes.get("file") or loc.file or "") or None,
            line=changes.get("line", loc.line),  # type: ignore[arg-type]
            row=changes.get("row", loc.row),  # type: ignore[arg-type]
            field=str(changes.get("field") or loc.field or "") or None,
        )
        err = type(self).__new__(type(self))
        UserError.__init__(err, self.message, location=merged, hint=self.hint)
        return err


class ValidationError(UserError):
    """An input file or value does not match what routinekit expects."""


class UnknownIdError(UserError):
    """An exercise, strategy, renderer or template id that nobody registered."""


class UnsafeInputError(UserError):
    """Input refused for safety: a non-http URL, an oversized file, a YAML bomb."""


class PluginError(RoutinekitError):
    """A plugin failed to load or misbehaved inside a hook.

    :param plugin: the plugin's name (its entry-point name or module).
    :param message: what went wrong.
    """

    exit_code = 3

    def __init__(self, plugin: str, message: str, *, distribution: str | None = None) -> None:
        self.plugin = plugin
        self.distribution = distribution
        self.message = message
        dist = f" (from {distribution})" if distribution else ""
        super().__init__(f"plugin '{plugin}'{dist}: {message}")

    def one_line(self) -> str:
        return single_line(str(self))


def single_line(text: str) -> str:
    """``text`` as one printable line: whitespace runs become one space, control characters
    are shown escaped (``\\x00``) so that a hostile input cannot move the cursor or hide text."""
    text = " ".join(text.split())
    return "".join(
        c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
        for c in text
    )

"""A plugin that prints to stdout while it loads and in its hooks."""

from collections.abc import Callable

from routinekit.hookspecs import hookimpl

print("noisy plugin: loading")


@hookimpl
def register_templates(register: Callable[[object], None]) -> None:
    print("noisy plugin: registering nothing")

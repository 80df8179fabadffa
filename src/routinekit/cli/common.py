"""Shared bits of the command line: JSON output, the plugin host."""

from __future__ import annotations

import json
from typing import Any

import click

from routinekit.plugins.host import PluginHost, get_host


def host() -> PluginHost:
    return get_host()


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def warn_plugin_errors(h: PluginHost) -> None:
    """Tell the user (on stderr) about plugins that failed, without stopping."""
    for name, err in h.errors():
        click.echo(f"Warning: plugin '{name}': {err} (see `routinekit plugins`)", err=True)

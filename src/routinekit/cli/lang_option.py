"""The ``--lang`` option shared by ``build`` and ``validate``."""

from __future__ import annotations

import re

import click

_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


def check_lang_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accept a language routinekit has words for (``es``, ``es-MX``); refuse others clearly."""
    if value is None:
        return None
    from routinekit.i18n import SUPPORTED_LANGUAGES, is_supported

    code = value.strip()
    if not _CODE.match(code):
        raise click.BadParameter(f"'{value}' is not a language code such as 'es' or 'es-MX'")
    if not is_supported(code):
        raise click.BadParameter(
            f"no translation for '{code}'; available: {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return code

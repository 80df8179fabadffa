"""Write ``docs/reference.md`` from the code: every model type and field, hook and contract.

The reference is generated, never edited by hand, so it cannot drift from the code:
``python -m routinekit.reference > docs/reference.md`` rewrites it, and
``tests/test_reference_docs.py`` fails when the committed file differs or misses a
field. Field descriptions are the docstrings written under each field in the source.
"""

from __future__ import annotations

import ast
import enum
import inspect
import sys
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
from msgspec import inspect as mi

from routinekit.model.dose import Range
from routinekit.model.file_form import to_file_builtins

_CONSTRAINTS = (
    ("ge", "≥ {}"),
    ("gt", "> {}"),
    ("le", "≤ {}"),
    ("lt", "< {}"),
    ("min_length", "at least {} long"),
    ("max_length", "at most {} long"),
    ("pattern", "matching `{}`"),
)


def model_roots() -> list[type]:
    """The types a plugin or a file author meets; the reference follows their fields."""
    import routinekit.model as model
    from routinekit.contracts import RenderOptions, RoutineTemplate
    from routinekit.model.pose import PoseFile
    from routinekit.model.routine import RoutineText
    from routinekit.request import BuildRequest

    roots = [getattr(model, name) for name in model.__all__]
    return [*roots, RoutineText, PoseFile, RenderOptions, RoutineTemplate, BuildRequest]


def _is_struct(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def model_types() -> list[type]:
    """Every Struct and enum reachable from :func:`model_roots`, in a stable order."""
    seen: dict[type, None] = {}

    def walk(info: Any) -> Iterator[type]:
        if isinstance(info, mi.StructType | mi.EnumType):
            yield info.cls
        for attr in ("types", "item_types"):
            for sub in getattr(info, attr, ()) or ():
                yield from walk(sub)
        for attr in ("item_type", "key_type", "value_type"):
            if getattr(info, attr, None) is not None:
                yield from walk(getattr(info, attr))

    todo = [t for t in model_roots() if _is_struct(t) or _is_enum(t)]
    while todo:
        t = todo.pop(0)
        if t in seen:
            continue
        seen[t] = None
        if _is_struct(t):
            for f in _fields(t):
                todo.extend(x for x in walk(f.type) if x not in seen)
    return list(seen)


def _fields(cls: type) -> tuple[mi.Field, ...]:
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    return info.fields


def _type_text(info: Any) -> str:
    if isinstance(info, mi.UnionType):
        parts = [_type_text(t) for t in info.types if not isinstance(t, mi.NoneType)]
        text = " or ".join(parts)
        return f"{text} or null" if any(isinstance(t, mi.NoneType) for t in info.types) else text
    if isinstance(info, mi.StructType):
        return f"[{info.cls.__name__}](#{info.cls.__name__.lower()})"
    if isinstance(info, mi.EnumType):
        return f"[{info.cls.__name__}](#{info.cls.__name__.lower()})"
    if isinstance(info, mi.LiteralType):
        return "text"
    if isinstance(info, mi.CustomType):
        return f"`{info.cls.__name__}`"
    if isinstance(info, mi.ListType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        return f"list of {_type_text(info.item_type)}"
    if isinstance(info, mi.DictType):
        return f"mapping of {_type_text(info.key_type)} to {_type_text(info.value_type)}"
    names = {
        mi.StrType: "text",
        mi.IntType: "whole number",
        mi.FloatType: "number",
        mi.BoolType: "true/false",
        mi.DateType: "date (YYYY-MM-DD)",
        mi.AnyType: "any",
    }
    for kind, name in names.items():
        if isinstance(info, kind):
            return name
    return type(info).__name__.removesuffix("Type").lower()


def _allowed(info: Any) -> str:
    """Allowed values: enum members and constraints, wherever they sit in the type."""
    out: list[str] = []
    if isinstance(info, mi.UnionType):
        for t in info.types:
            text = _allowed(t)
            if text:
                out.append(text)
        return "; ".join(out)
    if isinstance(info, mi.EnumType):
        return "one of " + ", ".join(f"`{m.value}`" for m in info.cls)
    if isinstance(info, mi.LiteralType):
        return "one of " + ", ".join(f"`{v}`" for v in info.values)
    if isinstance(info, mi.ListType | mi.VarTupleType):
        inner = _allowed(info.item_type)
        if inner:
            out.append(f"each: {inner}")
    unit = "items" if isinstance(info, mi.ListType | mi.VarTupleType | mi.DictType) else None
    unit = unit or ("characters" if isinstance(info, mi.StrType) else None)
    low, high = getattr(info, "min_length", None), getattr(info, "max_length", None)
    if unit and low is not None and high is not None:
        out.append(f"{low}-{high} {unit}")
    elif unit and low is not None:
        out.append(f"at least {low} {unit}")
    elif unit and high is not None:
        out.append(f"at most {high} {unit}")
    for attr, template in _CONSTRAINTS:
        if unit and attr in ("min_length", "max_length"):
            continue
        value = getattr(info, attr, None)
        if value is not None:
            out.append(template.format(_num(value)).replace("|", "\\|"))
    return ", ".join(out)


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _default(field: mi.Field) -> str:
    if field.required:
        return "**required**"
    value = field.default if field.default is not msgspec.NODEFAULT else None
    if field.default_factory is not msgspec.NODEFAULT:
        value = field.default_factory()
    if value is None:
        return "null"
    if isinstance(value, enum.Enum):
        return f"`{value.value}`"
    if isinstance(value, msgspec.Struct) and not isinstance(value, Range):
        return f"{type(value).__name__}()" if value == type(value)() else "(see type)"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, tuple | list | dict) and not value:
        return "empty"
    return f"`{msgspec.json.encode(to_file_builtins(value, type(value))).decode()}`"


@cache
def field_docs(cls: type) -> dict[str, str]:
    """The docstring under each field of ``cls`` in its source, by field name."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    nodes = body.body
    for i, node in enumerate(nodes):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            nxt = nodes[i + 1] if i + 1 < len(nodes) else None
            if (
                isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                docs[node.target.id] = " ".join(nxt.value.value.split())
    return docs


def _summary(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def struct_section(cls: type) -> list[str]:
    lines = [f"### {cls.__name__}", "", _summary(cls), ""]
    lines += [
        f"`{cls.__module__}.{cls.__name__}`",
        "",
        "| field | type | default | allowed values | what it is |",
        "| --- | --- | --- | --- | --- |",
    ]
    docs = field_docs(cls)
    for f in _fields(cls):
        lines.append(
            f"| `{f.encode_name}` | {_type_text(f.type)} | {_default(f)} | "
            f"{_allowed(f.type)} | {_cell(docs.get(f.name, ''))} |"
        )
    return [*lines, ""]


def enum_section(cls: type[enum.Enum]) -> list[str]:
    lines = [f"### {cls.__name__}", "", _summary(cls), ""]
    lines += ["| value | name in code |", "| --- | --- |"]
    lines += [f"| `{m.value}` | `{cls.__name__}.{m.name}` |" for m in cls]
    return [*lines, ""]


def range_section() -> list[str]:
    return [
        "### Range",
        "",
        'A number or an inclusive range. Written `30` or `"30-60"` (also `"30 to 60"`) in',
        "files; never negative, the low end first. In code: `Range(30, 60)` (`Range(30)` is",
        "30-30), `.low`, `.high`, `.text()`; a frozen struct, so msgspec and the JSON output",
        'write it `{"low": 30.0, "high": 60.0}`. `routinekit.model.file_form.from_file(data,',
        "Exercise)` reads plain data as files write it.",
        "",
        "`routinekit.model.dose.Range`",
        "",
        "| field | type | default | allowed values | what it is |",
        "| --- | --- | --- | --- | --- |",
        "| `low` | number | **required** | 0 or more | The low end. |",
        "| `high` | number | `low` | `low` or more | The high end; `Range(30)` is 30-30. |",
        "",
    ]


def hook_sections() -> list[str]:
    import routinekit.hookspecs as hookspecs

    tree = ast.parse(Path(hookspecs.__file__).read_text(encoding="utf-8"))
    lines: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
            ast.unparse(d) == "hookspec" or ast.unparse(d).startswith("hookspec(")
            for d in node.decorator_list
        ):
            signature = f"{node.name}({ast.unparse(node.args)}) -> {_returns(node)}"
            doc = inspect.cleandoc(ast.get_docstring(node, clean=False) or "")
            lines += [f"### `{signature}`", "", doc, ""]
    return lines


def _returns(node: ast.FunctionDef) -> str:
    return ast.unparse(node.returns) if node.returns is not None else "None"


def contract_classes() -> list[type]:
    from routinekit.contracts import ExerciseSource, Renderer, Strategy
    from routinekit.illustrations.props import PropShape

    return [ExerciseSource, Strategy, Renderer, PropShape]


def contract_section(cls: type) -> list[str]:
    lines = [f"### {cls.__name__}", "", inspect.getdoc(cls) or "", ""]
    lines += [f"`{cls.__module__}.{cls.__name__}`", "", "| member | what it is |", "| --- | --- |"]
    source = textwrap.dedent(inspect.getsource(cls))
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    comments = _attribute_comments(source)
    docs = field_docs(cls)
    for node in body.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            text = docs.get(name) or comments.get(name, "")
            default = f" = {ast.unparse(node.value)}" if node.value is not None else ""
            member = f"`{name}: {ast.unparse(node.annotation)}{default}`"
            lines.append(f"| {_cell(member)} | {_cell(text)} |")
        elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            abstract = any("abstractmethod" in ast.unparse(d) for d in node.decorator_list)
            sig = f"{node.name}({ast.unparse(node.args)}) -> {_returns(node)}"
            doc = _summary(getattr(cls, node.name))
            must = "**implement** — " if abstract else ""
            lines.append(f"| `{_cell(sig)}` | {must}{_cell(doc)} |")
    return [*lines, ""]


def _attribute_comments(source: str) -> dict[str, str]:
    """``#: comment`` lines right above a class attribute, by attribute name."""
    out: dict[str, str] = {}
    pending: list[str] = []
    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("#:"):
            pending.append(line[2:].strip())
            continue
        if pending and ":" in line:
            out[line.split(":")[0].strip()] = " ".join(pending)
        pending = []
    return out


def generate() -> str:
    """The whole reference, as Markdown."""
    from routinekit import PLUGIN_API_VERSION

    types = model_types()
    lines = [
        "# Reference",
        "",
        "<!-- Generated by `python -m routinekit.reference > docs/reference.md`; do not edit. -->",
        "",
        "Every type of routinekit's model with every field, what it may hold and its default;",
        "every plugin hook with its exact signature; every contract a plugin implements. The",
        "guide with examples is `docs/plugins.md`. File fields are written as in YAML; the same",
        "names are the attributes in Python. A field whose default is **required** must be given.",
        f"This is plugin API version {PLUGIN_API_VERSION}.",
        "",
        "- [Model types](#model-types)",
        "- [Hooks](#hooks)",
        "- [Contracts](#contracts)",
        "",
        "## Model types",
        "",
        "Exercise ids, routine ids and other ids are lower-case letters, digits and hyphens",
        "(`cat-cow`). Text fields hold at most 2,000 characters and may not be empty. Web",
        "addresses start with `http://` or `https://`.",
        "",
    ]
    lines += range_section()  # files write a Range short (``30``, ``"30-60"``), not as a struct
    for t in types:
        if t is not Range:
            lines += enum_section(t) if _is_enum(t) else struct_section(t)
    lines += ["## Hooks", "", "Declared in `routinekit/hookspecs.py`.", ""]
    lines += hook_sections()
    lines += ["## Contracts", ""]
    for cls in contract_classes():
        lines += contract_section(cls)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(generate())


if __name__ == "__main__":
    main()

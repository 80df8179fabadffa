"""PyYAML's error wording, said in plain words.

PyYAML explains a broken file in parser terms (``expected <block end>, but found
'<block mapping start>'``). A therapist editing a routine needs to know what to fix on
that line. Each known problem maps to a plain message and a hint; anything else is
"is not valid YAML" with the general hint, so raw parser wording never reaches users.
"""

from __future__ import annotations

GENERAL_HINT = "check indentation, colons and quotes on that line"

#: (start of PyYAML's problem text, plain message, hint); the first match wins.
_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    (
        "expected <block end>",
        "this line is indented differently from the lines around it",
        "line it up with the other keys or list items at its level",
    ),
    (
        "mapping values are not allowed here",
        "a ':' where a value cannot start",
        "put text that contains ': ' in quotes",
    ),
    (
        "could not find expected ':'",
        "a line that is not 'key: value' inside a mapping",
        "add the ':' after the key, or put the text in quotes",
    ),
    (
        "found character '\\t' that cannot start any token",
        "a tab where spaces are expected",
        "indent with spaces, not tabs",
    ),
    ("found a tab character", "a tab where spaces are expected", "indent with spaces, not tabs"),
    (
        "found character",
        "a character that cannot start a value (such as @ or `)",
        "put the text in quotes",
    ),
    (
        "found unexpected end of stream",
        "the file ends inside quoted text",
        "close the quote that opens on this line",
    ),
    (
        "found unexpected document separator",
        "a '---' or '...' line inside quoted text",
        "close the quote before it",
    ),
    (
        "found undefined alias",
        "an alias (*name) with no anchor (&name) before it",
        "define the anchor first or remove the alias",
    ),
    (
        "found duplicate anchor",
        "the same anchor (&name) is defined twice",
        "give each anchor its own name",
    ),
    (
        "expected alphabetic or numeric character",
        "an '&', '*' or '!' that is not followed by a name",
        "put the text in quotes",
    ),
    (
        "expected a single document",
        "the file holds more than one document (a second '---')",
        "keep one document per file",
    ),
    (
        "expected ',' or ']'",
        "a list written in [ ] is not closed or is missing a comma",
        "check the brackets and commas",
    ),
    (
        "expected ',' or '}'",
        "a mapping written in { } is not closed or is missing a comma",
        "check the braces and commas",
    ),
    (
        "found unknown escape character",
        "a backslash escape YAML does not know",
        "use single quotes, or write \\\\ for a backslash",
    ),
    (
        "expected escape sequence",
        "a broken \\x, \\u or \\U escape",
        "use single quotes, or write \\\\ for a backslash",
    ),
    (
        "found undefined tag handle",
        "a tag (!name!) that is not defined",
        "remove the tag",
    ),
    (
        "expected '<document start>'",
        "text after the end of the document",
        "remove it or start a new file",
    ),
    (
        "expected <block sequence end>",
        "this list item is indented differently from the items before it",
        "line the '-' up with the other items",
    ),
    (
        "expected the node content",
        "a value is missing here",
        "write a value after the ':' or '-', or quote the text",
    ),
    (
        "expected a comment or a line break",
        "unexpected text after a value",
        "put the whole value in quotes",
    ),
    (
        "expected chomping or indentation indicators",
        "a '|' or '>' block that is not written correctly",
        "start the text on the next line, indented",
    ),
    ("found unexpected ':'", "a ':' where a value cannot start", "put the text in quotes"),
    (
        "found incompatible YAML document",
        "a %YAML version this reader does not know",
        "remove the %YAML line",
    ),
    ("found duplicate", "a directive (%YAML or %TAG) is repeated", "remove the repeat"),
)


def plain_problem(problem: str | None, context: str | None = None) -> tuple[str, str]:
    """A plain message and hint for PyYAML's ``problem`` (and ``context``) text."""
    for text in (problem, context):
        for start, message, hint in _PROBLEMS:
            if text and text.strip().startswith(start):
                return message, hint
    return "the text cannot be read here", GENERAL_HINT

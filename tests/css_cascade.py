"""Computed font sizes of an HTML document by the CSS cascade, without a browser.

An honest, small evaluation of the real rendered document: the HTML is parsed into a
tree (stdlib ``html.parser``), every ``<style>`` sheet is parsed with tinycss2, each
rule's selectors are matched with cssselect2, and for every element the winning
``font-size`` (or the size inside the ``font`` shorthand) is chosen by importance,
specificity and order, inline ``style`` attributes last; an element without one
inherits its parent's computed size. Units: pt, px, em, rem, %. ``@media`` blocks
apply for the medium asked for; ``@page`` rules are page boxes, not elements. Anything
this does not understand (another at-rule, a keyword size) raises, so it never passes
by ignoring a rule.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import cssselect2
import tinycss2

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
#: The browser's initial font size ("medium"): 16 px.
INITIAL_PT = 12.0
#: The font sizes of the browser's own stylesheet (the HTML standard's rendering
#: section); author rules win over them whatever their specificity.
USER_AGENT_CSS = """
h1{font-size:2em} h2{font-size:1.5em} h3{font-size:1.17em} h4{font-size:1em}
h5{font-size:.83em} h6{font-size:.67em}
"""


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        el = self.stack[-1]
        if len(el):
            el[-1].tail = (el[-1].tail or "") + data
        else:
            el.text = (el.text or "") + data


def parse_html(text: str) -> ET.Element:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    html = tree.root.find("html")
    assert html is not None, "no <html> element"
    return html


def _size(tokens: list, parent: float, root: float) -> float:
    """A font-size value in pt from its tokens."""
    values = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if len(values) != 1:
        raise ValueError(f"font-size not understood: {tinycss2.serialize(tokens)!r}")
    t = values[0]
    if t.type == "percentage":
        return parent * t.value / 100
    if t.type == "dimension":
        unit = t.unit.lower()
        factors = {"pt": 1.0, "px": 0.75, "em": parent, "rem": root, "in": 72.0, "mm": 72 / 25.4}
        if unit in factors:
            return t.value * factors[unit]
    raise ValueError(f"font-size not understood: {t.serialize()!r}")


def _shorthand_size(tokens: list) -> list:
    """The size tokens of a ``font`` shorthand: the dimension before '/' or the family."""
    values = [t for t in tokens if t.type not in ("whitespace", "comment")]
    for t in values:
        if t.type in ("dimension", "percentage"):
            return [t]
        if t.type == "literal" and t.value == "/":
            break
    raise ValueError(f"font shorthand without a size: {tinycss2.serialize(tokens)!r}")


def _rules(sheet: str, medium: str) -> list:
    out = []
    pending = tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True)
    while pending:
        rule = pending.pop(0)
        if rule.type == "qualified-rule":
            out.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
            query = tinycss2.serialize(rule.prelude).strip().lower()
            if query in (medium, "all"):
                inner = tinycss2.parse_rule_list(rule.content, True, True)
                pending[0:0] = inner
            elif query not in ("print", "screen"):
                raise ValueError(f"media query not understood: {query!r}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page":
            continue
        elif rule.type == "error":
            raise ValueError(f"stylesheet error: {rule.message}")
        else:
            raise ValueError(f"rule not understood: {rule!r}")
    return out


def font_sizes(html: ET.Element, medium: str = "screen") -> dict[ET.Element, float]:
    """The computed font size (pt) of every element of a parsed document."""
    matcher = cssselect2.Matcher()
    order = 0
    sheets = [(0, USER_AGENT_CSS)] + [(1, style.text or "") for style in html.iter("style")]
    for origin, sheet in sheets:
        for rule in _rules(sheet, medium):
            decls = tinycss2.parse_declaration_list(rule.content, True, True)
            sizes = []
            for d in decls:
                if d.type != "declaration":
                    continue
                if d.lower_name == "font-size":
                    sizes.append(((origin, d.important), d.value))
                elif d.lower_name == "font":
                    sizes.append(((origin, d.important), _shorthand_size(d.value)))
            if not sizes:
                continue
            for selector in cssselect2.compile_selector_list(rule.prelude):
                for important, value in sizes:
                    order += 1
                    matcher.add_selector(selector, (important, order, value))
    computed: dict[ET.Element, float] = {}
    wrapper = cssselect2.ElementWrapper.from_html_root(html)

    def visit(w: cssselect2.ElementWrapper, parent: float, root: float) -> None:
        found = []
        for specificity, _order, _pseudo, (important, order, value) in matcher.match(w):
            found.append(((important, specificity, order), value))
        inline = w.etree_element.get("style")
        if inline:
            for d in tinycss2.parse_declaration_list(inline, True, True):
                if d.type == "declaration" and d.lower_name in ("font-size", "font"):
                    value = d.value if d.lower_name == "font-size" else _shorthand_size(d.value)
                    found.append((((1, d.important), (1, 0, 0, 0), 10**9), value))
        size = _size(max(found, key=lambda f: f[0])[1], parent, root) if found else parent
        computed[w.etree_element] = size
        if w.etree_element is html:
            root = size
        for child in w.iter_children():
            visit(child, size, root)

    visit(wrapper, INITIAL_PT, INITIAL_PT)
    return computed


def text_sizes(text: str, medium: str = "screen") -> list[tuple[float, str]]:
    """(computed size, text) of every piece of visible text in the document's body."""
    html = parse_html(text)
    sizes = font_sizes(html, medium)
    body = html.find("body")
    assert body is not None
    out: list[tuple[float, str]] = []

    def walk(el: ET.Element) -> None:
        if el.tag in ("svg", "script", "style", "title"):
            return
        if el.text and el.text.strip():
            out.append((sizes[el], el.text.strip()))
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                out.append((sizes[el], child.tail.strip()))

    walk(body)
    return out

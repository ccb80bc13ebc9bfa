r"""Text and style of the DOT a drawing writes: escaping, record labels, colours.

Labels are written so that Graphviz shows them exactly as given: ``\`` is
doubled (Graphviz reads ``\N``, ``\n``, ... as escapes), ``"`` escaped, ``&``
written ``&amp;`` (Graphviz decodes entities such as ``&lt;``), a newline
becomes the line break ``\n``; in record fields ``{ } | < >`` are escaped too.
A control character, which ``dot`` cannot read (NUL ends its string), is shown
as its symbol from Unicode's Control Pictures (NUL as ␀, U+2400).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import graphviz

from autograd.value import Value

ROLE_COLORS = {
    "input": "#d8f0d2",
    "parameter": "#d6e6f7",
    "constant": "#ececec",
    "intermediate": "#ffffff",
    "output": "#ffdfae",
}
"""Fill colour of each role when ``color_by_role=True``."""

LEGEND = "fill: input green, parameter blue, constant grey, intermediate white, output orange"
"""The legend written under the caption when values are coloured by role."""

HIGHLIGHT = "#d62728"
HIGHLIGHT_FILL = "#fff3b0"
FONT = "Helvetica"

_RECORD_SPECIAL = re.compile(r"([{}|<>])")
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
"""Characters ``dot`` cannot read in a label (NUL ends its string; a lone surrogate is not UTF-8)."""


def escape_text(text: str) -> str:
    """``text`` for a quoted DOT label, shown as written (control characters as their symbols)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("&", "&amp;")
        .replace("\n", "\\n")
    )
    return _UNSHOWABLE.sub(_symbol, escaped)


def _symbol(match: re.Match[str]) -> str:
    """A control character's symbol (NUL -> U+2400 ␀, DEL -> U+2421 ␡); U+FFFD for a lone surrogate."""
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(0x2421) if code == 0x7F else chr(0x2400 + code)


def escape_record(text: str) -> str:
    r"""``text`` for one field of a record label: also ``{ } | < >`` escaped."""
    return _RECORD_SPECIAL.sub(r"\\\1", escape_text(text))


def plain(text: str) -> str:
    """A non-record label: escaped, never taken for an HTML-like label."""
    return graphviz.nohtml(escape_text(text))


def record(fields: Sequence[str]) -> str:
    """A record label ``{ f0 | f1 | ... }`` from already escaped fields."""
    return graphviz.nohtml("{ " + " | ".join(fields) + " }")


def number(x: object, number_format: str) -> str:
    """A value's data (or a float, or a gradient that is a Value) formatted."""
    value = x.data if isinstance(x, Value) else x
    return format(float(value), number_format)  # type: ignore[arg-type]


def value_attrs(fill: str, marked: bool, current: bool, reference: bool = False) -> dict[str, str]:
    """Attributes of a value's record (a dashed outline for a reference copy)."""
    style = "rounded,dashed,filled" if reference else "rounded,filled"
    attrs = {"shape": "record", "style": style, "fillcolor": fill}
    if reference:
        attrs["color"] = "#777777"
    if marked:
        attrs.update(color=HIGHLIGHT, penwidth="2.5", fillcolor=HIGHLIGHT_FILL)
    if current:
        attrs["class"] = "current"
    return attrs


def op_attrs(symbol: str, marked: bool) -> dict[str, str]:
    """Attributes of an operation's small node."""
    attrs = {
        "shape": "circle" if len(symbol) <= 2 else "ellipse",
        "style": "filled",
        "fillcolor": "#f2f2f2",
        "color": "#777777",
        "margin": "0.02",
        "width": "0.3",
        "height": "0.3",
        "fixedsize": "false",
    }
    if marked:
        attrs.update(color=HIGHLIGHT, penwidth="2.5")
    return attrs


def cluster_attrs(title: str, innermost: bool) -> dict[str, str]:
    """Attributes of a group's cluster: filled when it holds nodes, not groups."""
    return {
        "label": plain(title),
        "style": "rounded,filled" if innermost else "rounded",
        "fillcolor": "#f4f7fb",
        "color": "#9db3d3" if innermost else "#3a5a8c",
        "fontname": FONT,
        "fontsize": "10",
        "labeljust": "l",
    }


__all__ = [
    "FONT",
    "HIGHLIGHT",
    "HIGHLIGHT_FILL",
    "LEGEND",
    "ROLE_COLORS",
    "cluster_attrs",
    "escape_record",
    "escape_text",
    "number",
    "op_attrs",
    "plain",
    "record",
    "value_attrs",
]

"""Every user string is data: one escaping rule per sink.

Names of businesses, queues, sources, events and scenarios come from the
user's files. Each sink reads some characters as instructions, so each has
its rule here, and every presenter sends user text through the rule of the
sink it writes to:

======================  =====================================================
sink                    rule
======================  =====================================================
terminal (rich)         :func:`terminal`: markup escaped, control characters
                        (ANSI escapes included) shown as ``?``
chart text (mathtext)   :func:`chart`: ``$`` escaped, control characters ``?``
spreadsheet cell        :func:`spreadsheet`: characters XML cannot hold
                        removed (the workbook also stores formula-like text
                        as text with a quote prefix)
CSV cell                :func:`csv_cell`: a text cell that a spreadsheet
                        would run as a formula (``=``, ``+``, ``-``, ``@``,
                        tab, carriage return first) gets a leading ``'``
HTML                    :func:`html.escape` (in :mod:`surgeplan.html_report`)
======================  =====================================================
"""
from __future__ import annotations

import re

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def terminal(text) -> str:
    """``text`` safe to print through rich: no markup, no escape sequences.

    Examples
    --------
    >>> terminal("[bold]x[/bold]\\x1b[31m")
    '\\\\[bold]x\\\\[/bold]?[31m'
    """
    from rich.markup import escape

    return escape(_CONTROL.sub("?", str(text)))


def chart(text) -> str:
    """``text`` safe as matplotlib text: a ``$`` is a dollar, not mathtext.

    Examples
    --------
    >>> chart("$5 off")
    '\\\\$5 off'
    """
    return _CONTROL.sub("?", str(text)).replace("$", r"\$")


def spreadsheet(text: str) -> str:
    """``text`` without the characters an xlsx (XML) cell cannot hold."""
    return _XML_ILLEGAL.sub("", text)


def csv_cell(value):
    """A text value a spreadsheet opening the CSV would not evaluate; other values unchanged.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("chat"), csv_cell(-1.5)
    ('\\'=HYPERLINK("http://x")', 'chat', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value

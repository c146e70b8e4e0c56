"""Reading a YAML promo calendar safely: no aliases, bounded size and depth, dates as text.

PyYAML's own safe loader still expands aliases (a 656-byte alias bomb ran out
of memory), recurses without a bound and raises from its date constructor on
``2024-02-30``. :func:`safe_yaml` composes the document itself and refuses
what a calendar never needs. :func:`calendars.io.read_promo_calendar` calls
:func:`read_yaml_events` for ``.yaml``/``.yml`` files.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from calendars.bounds import MAX_ROWS, MAX_YAML_BYTES, MAX_YAML_DEPTH, read_small_text
from calendars.errors import InputError


def read_yaml_events(path: Path) -> pd.DataFrame:
    """The events of a YAML calendar as a frame of text cells; ``attrs["lines"]`` their lines.

    Read with :func:`safe_yaml`: no anchors or aliases, bounded size and depth,
    and dates left as text for :func:`parse_dates` to check like a CSV's.
    """
    data, lines = safe_yaml(read_small_text(path, MAX_YAML_BYTES, "the YAML calendar"), path)
    if isinstance(data, dict) and "events" in data:
        data, lines = data["events"], lines.get("events", [])
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise InputError("expected a list of events, each a mapping with name, type, start, end",
                         path=path)
    if len(data) > MAX_ROWS:
        raise InputError(f"more than {MAX_ROWS:,} events; expected at most that", path=path)
    for number, event in enumerate(data):
        for key, value in event.items():
            if not isinstance(key, str) or isinstance(value, dict) or (
                    isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value)):
                raise InputError(f"expected text, a number or a list of names for {key!r}",
                                 path=path, line=lines[number] if number < len(lines) else None,
                                 column=str(key))
    frame = pd.DataFrame(data)
    for col in frame.columns:
        # a key some events leave out is NaN in the frame: keep it missing, not "nan"
        frame[col] = frame[col].map(lambda v: None if v is None or (isinstance(v, float) and v != v)
                                    else ",".join(map(str, v)) if isinstance(v, list) else str(v))
    frame.attrs["lines"] = list(lines)
    return frame


def safe_yaml(text: str, path: Path):
    """``(data, lines)`` of a YAML document: PyYAML's safe loader, hardened.

    Refuses anchors and aliases (an alias bomb of a few hundred bytes expands
    to gigabytes), nesting deeper than :data:`~calendars.bounds.MAX_YAML_DEPTH`,
    and keeps timestamps as text (PyYAML's own date constructor raises on
    ``2024-02-30``). ``lines`` is the 1-based line of each item of a top-level
    list, or a dict of such lists for a top-level mapping of lists.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise InputError("YAML aliases (*name) are not accepted; write each event out",
                                 path=path, line=mark.line + 1)
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise InputError("YAML anchors (&name) are not accepted; write each event out",
                                 path=path, line=event.start_mark.line + 1)
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                raise InputError(f"the YAML is nested more than {MAX_YAML_DEPTH} deep; expected "
                                 "a list of events", path=path, line=event.start_mark.line + 1)
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.add_constructor("tag:yaml.org,2002:timestamp",
                           lambda loader, node: loader.construct_scalar(node))
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except InputError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"could not read the YAML ({problem})", path=path,
                         line=None if mark is None else mark.line + 1) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # inside a constructor
        raise InputError(f"could not read the YAML ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200] if str(exc) else ''})",
                         path=path) from None
    finally:
        loader.dispose()

    def item_lines(n):
        return [item.start_mark.line + 1 for item in n.value] \
            if isinstance(n, yaml.SequenceNode) else []

    if isinstance(node, yaml.MappingNode):
        lines = {k.value: item_lines(v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    else:
        lines = item_lines(node)
    return data, lines

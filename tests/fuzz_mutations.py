"""Hypothesis strategies that mutate copies of the bundled example's files, as an attacker would.

Shared by ``test_fuzz_loaders.py`` and ``test_fuzz_cli.py``. Each strategy
draws a list of edits (a cell set to a nasty value, a line dropped or
repeated, the text cut short, bytes flipped, a config key set to a value of
the wrong type or range) and ``write_*`` applies them to a copy on disk.
The payloads come from issue 17's reproducers and the usual suspects.
"""
from __future__ import annotations

import gzip
import json
import math
import os
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data"

#: Cell payloads: numbers past every bound, dates past pandas' range and the
#: 1900-2200 bounds, other scripts' digits, markup, formulas, control characters.
CELLS = [
    "", " ", "0", "-1", "1", "7", "0.5", "1e9", "1e308", "-1e308", "1e999", "inf", "-inf", "nan",
    "NaN", "9223372036854775807", "9223372036854775808", "18446744073709551616", "5e-324",
    "1e-320", "366", "367", "100", "101", "2262-04-12", "1677-09-21", "2300-01-01", "0001-01-01",
    "9999-12-31", "1899-12-31", "2200-12-31", "2024-02-30", "2024-13-01", "2024-02-29",
    "\u0663-01-01", "\u0662\u0660\u0662\u0664-01-01", "2024-01-01T10:00:00+01:00",
    "2024-01-01T10:00:00Z", "2024-03-10 02:30:00", "2024-11-03 01:30:00", "1e12", "-1e12",
    "1700000000", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "[/bold]",
    "[link=http://x]x[/link]", "$x^2$", "\x1b[31mred", "a\x00b", "\x07", "\ufeff", "'", '"',
    "a,b", "x" * 5000, "flash_sale", "closure", "holiday_peak", "chat", "email", "phone",
    "Chat", "Mail", "Voice", "1", "3", "7", "tag1 tag2", "chat;email", "Mars/Olympus",
]
#: Values for TOML keys: every type, the bounds' edges, and past them.
VALUES = [
    0, -1, 1, 2, 3, 7, 0.5, 0.999, 1.5, 1e-9, 5e-324, 1e300, -1e300, math.inf, -math.inf,
    math.nan, 2 ** 63 - 1, -(2 ** 63), 10 ** 6, 366, 367, 730, 731, 100, 101, True, False, "",
    "x", "a\x00b", "Mars/Olympus", "[/bold]", "$x$", "=cmd", "\x1b[31m", "mon-sun 00:00-24:00",
    "mon-fri 09:00-18:00", "25:00-26:00", "percentile", "fixed", "peak", "optimal", "chat",
    "email", "phone", "auto", "naive", "p90", "XX", "US", [], [1, {"a": 1}], ["XX"], [1], ["chat"],
    [0.5, 2.0], [1e300], {"a": 1}, {"chat": "a"}, {"chat": 1.0}, {"chat": -1}, {"wismo": 2},
]


def lines_of(name: str, keep: int | None = None) -> list[str]:
    """The example file's lines (header first), the last ``keep`` data lines only if given."""
    lines = (EXAMPLE / name).read_text(encoding="utf-8").splitlines()
    return lines if keep is None else [lines[0], *lines[-keep:]]


#: Factors a plausible edit multiplies a number by: near the real value, and far from it.
FACTORS = [0.0, 1e-9, 0.01, 0.5, 0.9, 1.1, 2.0, 10.0, 1000.0, 1e6, -1.0]


@st.composite
def csv_edits(draw, max_edits: int = 4, min_edits: int = 1):
    """A list of edits for a CSV's lines (see :func:`apply_csv_edits`)."""
    edit = st.one_of(
        st.tuples(st.just("scale_column"), st.integers(0, 20), st.sampled_from(FACTORS)),
        st.tuples(st.just("scale_cell"), st.integers(0, 10 ** 6), st.integers(0, 20),
                  st.sampled_from(FACTORS)),
        st.tuples(st.just("cell"), st.integers(0, 10 ** 6), st.integers(0, 20),
                  st.sampled_from(CELLS)),
        st.tuples(st.just("drop_line"), st.integers(0, 10 ** 6)),
        st.tuples(st.just("repeat_line"), st.integers(0, 10 ** 6), st.integers(1, 50)),
        st.tuples(st.just("drop_column"), st.integers(0, 20)),
        st.tuples(st.just("rename_column"), st.integers(0, 20),
                  st.sampled_from(["date", "volume", "channel", "queue", "category", "created_at",
                                   "Created at", "Source", "source.type", "Tags", "Id", "uplift",
                                   "pre_days", "post_days", "start", "end", "x"])),
        st.tuples(st.just("same_column"), st.integers(0, 20), st.sampled_from(CELLS)),
        st.tuples(st.just("truncate"), st.floats(0, 1)),
        st.tuples(st.just("bytes"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    )
    return draw(st.lists(edit, min_size=min_edits, max_size=max_edits))


def _scaled(cell: str, factor: float) -> str:
    try:
        value = float(cell)
    except ValueError:
        return cell
    return f"{value * factor:g}" if math.isfinite(value * factor) else cell


def apply_csv_edits(lines: list[str], edits) -> bytes:
    """The CSV's bytes after ``edits`` (a cell, a line, a column, the text cut short, bytes)."""
    rows = [line.split(",") for line in lines]
    cut, raw = None, []
    for edit in edits:
        op = edit[0]
        if op == "cell" and len(rows) > 1:
            row = rows[1 + edit[1] % (len(rows) - 1)]
            row[edit[2] % len(row)] = _quoted(edit[3])
        elif op == "scale_cell" and len(rows) > 1:
            row = rows[1 + edit[1] % (len(rows) - 1)]
            j = edit[2] % len(row)
            row[j] = _scaled(row[j], edit[3])
        elif op == "scale_column" and rows:
            j = edit[1] % len(rows[0])
            for r in rows[1:]:
                if j < len(r):
                    r[j] = _scaled(r[j], edit[2])
        elif op == "drop_line" and len(rows) > 1:
            del rows[edit[1] % len(rows)]
        elif op == "repeat_line" and len(rows) > 1:
            i = edit[1] % len(rows)
            rows[i:i] = [list(rows[i]) for _ in range(edit[2])]
        elif op == "drop_column" and rows and len(rows[0]) > 1:
            j = edit[1] % len(rows[0])
            rows = [r[:j] + r[j + 1:] for r in rows]
        elif op == "rename_column" and rows:
            rows[0][edit[1] % len(rows[0])] = edit[2]
        elif op == "same_column" and rows:
            j = edit[1] % len(rows[0])
            for r in rows[1:]:
                if j < len(r):
                    r[j] = _quoted(edit[2])
        elif op == "truncate":
            cut = edit[1]
        elif op == "bytes":
            raw.append((edit[1], edit[2]))
    data = ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8", "surrogatepass")
    for where, payload in raw:
        i = int(where * len(data))
        data = data[:i] + payload + data[i + len(payload):]
    if cut is not None:
        data = data[:int(cut * len(data))]
    return data


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell


#: How a table file is packed on disk: its suffix, and gzip cut short or corrupt.
PACKINGS = ["csv", "csv", "csv", "csv.gz", "csv.gz-truncated", "csv.gz-corrupt", "xlsx-junk",
            "tsv", "parquet-junk", "txt"]


def write_table(folder: Path, stem: str, data: bytes, packing: str) -> Path:
    """``data`` written as ``stem`` with ``packing`` (see :data:`PACKINGS`)."""
    folder.mkdir(parents=True, exist_ok=True)
    if packing.startswith("csv.gz"):
        packed = gzip.compress(data, mtime=0)
        if packing.endswith("truncated"):
            packed = packed[:max(10, len(packed) // 2)]
        elif packing.endswith("corrupt"):
            middle = len(packed) // 2
            packed = packed[:middle] + bytes(b ^ 0x5A for b in packed[middle:middle + 16]) \
                + packed[middle + 16:]
        path, data = folder / f"{stem}.csv.gz", packed
    elif packing == "xlsx-junk":
        path, data = folder / f"{stem}.xlsx", (b"PK\x03\x04" + data[:200])
    elif packing == "parquet-junk":
        path, data = folder / f"{stem}.parquet", b"PAR1" + data[:200] + b"PAR1"
    else:
        path = folder / f"{stem}.{packing}"
    path.write_bytes(data)
    return path


def calendar_events() -> list[dict]:
    """The example calendar's events as mappings, empty cells left out."""
    header = lines_of("promo_calendar.csv")[0].split(",")
    return [{k: v for k, v in zip(header, line.split(",")) if v != ""}
            for line in lines_of("promo_calendar.csv")[1:]]


def yaml_events(events: list[dict]) -> str:
    """Events as a YAML list of mappings (strings double-quoted)."""
    return "\n".join("- " + "\n  ".join(f"{k}: {_yaml_value(v)}" for k, v in e.items())
                     for e in events) + "\n"


@st.composite
def yaml_calendar(draw) -> bytes:
    """The example calendar as YAML, with values replaced, anchors, aliases or deep nesting."""
    events = calendar_events()
    for _ in range(draw(st.integers(0, 4))):
        event = events[draw(st.integers(0, len(events) - 1))]
        key = draw(st.sampled_from([*event, "x"]))
        event[key] = draw(st.one_of(st.sampled_from(CELLS), st.sampled_from(VALUES)))
    body = yaml_events(events)
    trick = draw(st.sampled_from(["none", "none", "anchor", "bomb", "deep", "events", "scalar",
                                  "native_dates", "truncate"]))
    if trick == "anchor":
        body = body.replace("- name:", "- &e name:", 1) + "- *e\n"
    elif trick == "bomb":
        body = "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n"
    elif trick == "deep":
        body = "[" * 10_000 + "]" * 10_000
    elif trick == "events":
        body = "events:\n" + "".join("  " + line + "\n" for line in body.splitlines())
    elif trick == "scalar":
        body = draw(st.sampled_from(["", "42", "~", "[]", "{}", "- 1\n- 2\n", "!!python/name:os.system"]))
    elif trick == "native_dates":
        body = body.replace("'2", "2").replace("'\n", "\n")
    elif trick == "truncate":
        body = body[:draw(st.integers(0, len(body)))]
    return body.encode("utf-8", "surrogatepass")


def _yaml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a YAML double-quoted scalar
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(value, ".nan")
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, allow_nan=False) if not isinstance(value, float) else repr(value)


# --- the config -------------------------------------------------------------------------------

def example_config() -> dict:
    import tomllib

    return tomllib.loads((EXAMPLE / "plan.toml").read_text(encoding="utf-8"))


def _leaf_keys(table: dict, prefix=()) -> list[tuple]:
    keys = []
    for key, value in table.items():
        if isinstance(value, dict) and value and len(prefix) < 2:
            keys.append(prefix + (key,))
            keys += _leaf_keys(value, prefix + (key,))
        else:
            keys.append(prefix + (key,))
    return keys


@st.composite
def config_edits(draw, max_edits: int = 3):
    """Edits of the example config: a key set to a value, removed, or an unknown key added."""
    keys = _leaf_keys(example_config())
    extra = [("core", "policy"), ("core", "fixed_fte"), ("core", "optimal_step_fte"),
             ("business", "countries"), ("forecast", "horizon_days"), ("plan", "min_window_fte"),
             ("queues", "chat", "patience_s"), ("queues", "chat", "max_abandon"),
             ("sources", "offshore", "queues"), ("escalation", "share"), ("x",), ("queues", "y")]
    edit = st.one_of(
        st.tuples(st.just("scale"), st.sampled_from(keys), st.sampled_from(FACTORS)),
        st.tuples(st.just("scale"), st.sampled_from(keys), st.sampled_from(FACTORS)),
        st.tuples(st.just("set"), st.sampled_from(keys + extra), st.sampled_from(VALUES)),
        st.tuples(st.just("delete"), st.sampled_from(keys)),
    )
    text_trick = draw(st.sampled_from(["none"] * 12 + ["bom", "truncate", "deep", "nul", "bytes"]))
    return draw(st.lists(edit, min_size=1, max_size=max_edits)), text_trick


def apply_config_edits(config: dict, edits, text_trick: str, cut: float = 0.5) -> bytes:
    """The config's TOML bytes after the edits and a text-level trick."""
    import copy

    config = copy.deepcopy(config)
    for edit in edits:
        *parents, last = edit[1]
        table = config
        for part in parents:
            if not isinstance(table.get(part), dict):
                table[part] = {}
            table = table[part]
        if edit[0] == "set":
            table[last] = copy.deepcopy(edit[2])
        elif edit[0] == "scale":
            table[last] = _scale_value(table.get(last), edit[2])
        else:
            table.pop(last, None)
    text = dump_toml(config)
    if text_trick == "bom":
        text = "\ufeff" + text
    elif text_trick == "truncate":
        text = text[:int(cut * len(text))]
    elif text_trick == "deep":
        text = "x = " + "[" * 2000 + "]" * 2000 + "\n" + text
    elif text_trick == "nul":
        text = text.replace('"', '"\x00', 1)
    data = text.encode("utf-8", "surrogatepass")
    if text_trick == "bytes":
        i = int(cut * len(data))
        data = data[:i] + b"\xff\xfe[" + data[i + 3:]
    return data


def _scale_value(value, factor: float):
    """A number (or each number of a list or table) times ``factor``, its type kept."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value * factor) if math.isfinite(value * factor) else value
    if isinstance(value, float):
        return value * factor
    if isinstance(value, list):
        return [_scale_value(v, factor) for v in value]
    if isinstance(value, dict):
        return {k: _scale_value(v, factor) for k, v in value.items()}
    return value


def dump_toml(config: dict) -> str:
    """A minimal TOML writer: tables of scalars, lists and inline tables, every key quoted."""
    out, tables = [], []

    def walk(table: dict, name: tuple):
        scalars = {k: v for k, v in table.items() if not (isinstance(v, dict) and v
                                                          and _is_table(v))}
        subs = {k: v for k, v in table.items() if k not in scalars}
        if name:
            tables.append((name, scalars))
        else:
            out.extend(f"{_key(k)} = {_value(v)}" for k, v in scalars.items())
        for key, sub in subs.items():
            walk(sub, name + (key,))

    walk(config, ())
    for name, scalars in tables:
        out.append("\n[" + ".".join(_key(n) for n in name) + "]")
        out.extend(f"{_key(k)} = {_value(v)}" for k, v in scalars.items())
    return "\n".join(out) + "\n"


def _is_table(value: dict) -> bool:
    return any(isinstance(v, dict) for v in value.values()) or not all(
        isinstance(k, str) for k in value) or len(value) > 3


def _key(key) -> str:
    return json.dumps(str(key))


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


def fuzz_examples(ci: int, long: int) -> int:
    """Examples for one fuzz test: ``ci`` by default, ``long`` under the long profile.

    ``FUZZ_SCALE`` (a float) multiplies the long count, for a run of a given size.
    """
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "long":
        return max(1, int(long * float(os.environ.get("FUZZ_SCALE", "1"))))
    return ci

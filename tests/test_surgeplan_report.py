"""surgeplan.report: the one writer. CSV formatting, atomic files, the output set and the JSON summary."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from surgeplan.pipeline import run_plan
from calendars.errors import InputError
from surgeplan.report import (PLAN_OUTPUTS, summary_document, text_writer, write_csv, write_report,
                              write_set)
from tests.small_plan import load_case, write_case


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return run_plan(*load_case(write_case(tmp_path_factory.mktemp("small"))))


def test_csv_writes_dates_as_iso_and_rounds_floats(tmp_path):
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-01-02", "2026-01-03"]),
                          "x": [1.234567891, 2.0], "name": ["=cmd", "b"]})
    path = write_csv(frame, tmp_path / "t.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,x,name"
    assert lines[1].startswith("2026-01-02,1.2346,")


def test_a_failed_set_leaves_the_previous_one_and_no_debris(tmp_path):
    out = tmp_path / "out"
    write_set(out, {"a.txt": text_writer("old a"), "b.txt": text_writer("old b")})
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")

    def broken(path):
        path.write_text("half", encoding="utf-8")
        raise RuntimeError("chart failed")
    with pytest.raises(RuntimeError):
        write_set(out, {"a.txt": text_writer("new a"), "b.txt": broken})
    assert (out / "a.txt").read_text() == "old a" and (out / "b.txt").read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left
    assert (out / "mine.txt").read_text() == "the user's own file"


def test_a_new_set_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "out"
    write_set(out, {"plan.csv": text_writer("1"), "core_curve.csv": text_writer("curve")},
              replaces=PLAN_OUTPUTS)
    (out / "notes.md").write_text("keep me", encoding="utf-8")
    written = write_set(out, {"plan.csv": text_writer("2")}, replaces=PLAN_OUTPUTS)
    assert written == [out / "plan.csv"] and (out / "plan.csv").read_text() == "2"
    # the earlier run's core curve goes with its set; files that are not outputs stay
    assert not (out / "core_curve.csv").exists() and (out / "notes.md").exists()
    assert oct((out / "plan.csv").stat().st_mode & 0o777) == "0o644"


def test_an_unwritable_out_is_an_input_error_naming_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for bad in (blocker, blocker / "under"):
        with pytest.raises(InputError, match="file") as info:
            write_set(bad, {"a.txt": text_writer("a")})
        assert str(blocker) in str(info.value)


def test_csv_cells_are_never_formulas(tmp_path):
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0",
                                   "@SUM(1)", "-2+3", "plain"], "n": [-1.0, 2.0, 3.0, 4.0, 5.0]})
    text = write_csv(frame, tmp_path / "t.csv").read_text(encoding="utf-8")
    rows = pd.read_csv(tmp_path / "t.csv")
    assert all(not v.startswith(("=", "+", "@", "-")) for v in rows["name"])
    assert rows["n"].tolist() == [-1.0, 2.0, 3.0, 4.0, 5.0]  # numbers stay numbers
    assert "plain" in text


def test_write_report_writes_the_whole_set(result, tmp_path):
    written = write_report(result, tmp_path / "out", charts=False)
    names = {p.name for p in written}
    assert {"forecast.csv", "intervals.csv", "plan.csv", "windows.csv", "costs.csv",
            "uplifts.csv", "daily_requirements.csv", "costs_monthly.csv", "sensitivity.csv",
            "deflection.csv", "report.html", "plan.xlsx"} <= names
    assert all(p.exists() for p in written)
    plan = pd.read_csv(tmp_path / "out" / "plan.csv")
    assert len(plan) == len(result.plan)


def test_summary_document_is_the_summary(result):
    doc = json.loads(json.dumps(summary_document(result)))
    core = result.summary.core.set_index("queue")
    assert doc["core_fte"] == core["core_fte"].to_dict()
    assert doc["core_headcount"] == core["headcount"].to_dict()
    assert doc["as_of"] == f"{result.as_of:%Y-%m-%d}"
    assert [c["scenario"] for c in doc["costs"]] == result.costs["scenario"].tolist()

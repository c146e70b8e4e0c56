"""surgeplan.report: the one writer. CSV formatting, atomic files, the output set and the JSON summary."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from surgeplan.pipeline import run_plan
from surgeplan.report import atomic_write, summary_document, write_csv, write_report
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


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("before", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "before"
    assert list(tmp_path.iterdir()) == [target]


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

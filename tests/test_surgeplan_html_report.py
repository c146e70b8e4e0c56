"""report.html end to end: self-contained, every section, user text escaped, renders in Chromium.

The example is the bundled one with hostile names: a business called
``Harbor & "Pine" <Co>`` and the January flash sale renamed
``<script>alert(1)</script>``. One ``surgeplan plan`` run serves every test.
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import EXAMPLE

CHROMIUM = Path("/usr/bin/chromium")
BUSINESS = 'Harbor & "Pine" <Co>'
EVENT = "<script>alert(1)</script>"
SECTIONS = {"headline": "Headline", "forecast": "Forecast",
            "plan": "Requirement, core and overflow", "windows": "Activation windows",
            "weekly": "Week by week", "costs": "Cost scenarios", "assumptions": "Assumptions"}


def hostile_example(folder: Path) -> Path:
    """Copy the bundled example to ``folder`` with the hostile names; return its plan.toml."""
    shutil.copytree(EXAMPLE, folder)
    calendar = folder / "promo_calendar.csv"
    with calendar.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    renamed = [[EVENT if cell == "January clearance flash sale" else cell for cell in row]
               for row in rows]
    assert renamed != rows, "the example no longer has the January clearance flash sale"
    with calendar.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(renamed)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    assert 'name = "Harbor & Pine"' in text
    plan.write_text(text.replace('name = "Harbor & Pine"', 'name = "Harbor & \\"Pine\\" <Co>"'),
                    encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("html")
    config = hostile_example(root / "example")
    out = root / "out"
    result = CliRunner().invoke(app, ["plan", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page(run) -> str:
    return (run / "report.html").read_text(encoding="utf-8")


class Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(page: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def test_report_and_workbook_are_written_beside_the_csvs(run):
    assert (run / "report.html").stat().st_size > 10_000
    assert (run / "plan.xlsx").read_bytes()[:2] == b"PK"  # a zip container
    assert (run / "windows.csv").exists()
    assert not list(run.glob(".*.tmp")), "temporary files left behind"


def test_page_is_self_contained(page):
    tags = parsed(page)
    names = {tag for tag, _ in tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "base"}
    images = [attrs["src"] for tag, attrs in tags if tag == "img"]
    assert len(images) == 4  # forecast, plan, windows timeline, costs
    assert all(src.startswith("data:image/png;base64,") for src in images)
    for tag, attrs in tags:
        for key in ("src", "href", "action", "srcset", "poster"):
            value = attrs.get(key) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, key, value[:80])
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the CSP forbids anything but the embedded images


def test_page_has_every_section_and_the_headline_facts(page, run):
    for anchor, heading in SECTIONS.items():
        assert f'<section id="{anchor}"' in page
        assert f"<h2>{heading}</h2>" in page
    windows = pd.read_csv(run / "windows.csv")
    costs = pd.read_csv(run / "costs.csv")
    plan = pd.read_csv(run / "plan.csv")
    for w in windows.itertuples():
        assert f"<td>{w.window}</td>" in page
        assert w.notice_by in page
    first = windows.sort_values("notice_by").iloc[0]
    assert "first notice by" in page and first["notice_by"] in page
    # the headline's money is the plan recommended (costs.csv's first row), to the cent
    recommended = costs.iloc[0]
    assert recommended["scenario"] == "recommended"
    assert "recommended plan" in page and f"USD {recommended['total_cost']:,.0f}" in page
    assert "cheapest scenario" not in page
    assert f"expected cost USD {recommended['total_cost']:,.0f}" in page  # the decision line
    unserved = costs[costs["unserved_queues"].notna()]
    for row in unserved.itertuples():  # labelled, never promoted
        assert f"{row.scenario} ({row.unserved_queues.replace(',', ', ')} unserved)" in page
    for queue, core in plan.groupby("queue")["core_fte"].first().items():
        assert f"core {queue}" in page and f"{core:.1f} FTE" in page
    for heading in ("Queues and targets", "Sources", "Assumed event uplifts",
                    "Learned event uplifts", "Events in the horizon"):
        assert f"<h3>{heading}</h3>" in page
    assert "n_occurrences" in page and "0.80 within 20 s" in page and "0.90 within 24 h" in page
    assert "@media print" in page and "break-before: page" in page


def test_user_text_is_escaped(page):
    assert EVENT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert BUSINESS not in page
    assert "Harbor &amp; &quot;Pine&quot; &lt;Co&gt;" in page
    titles = re.findall(r"<title>(.*?)</title>", page)
    assert titles and "&amp;" in titles[0] and "<Co>" not in titles[0]
    assert "script" not in {tag for tag, _ in parsed(page)}


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    profile.mkdir()
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--no-first-run",
               f"--user-data-dir={profile}", "--window-size=1366,900", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium is not installed at "
                    "/usr/bin/chromium (.ci/run installs it with apt-get)")
def test_page_renders_in_headless_chromium(run, tmp_path):
    url = (run / "report.html").resolve().as_uri()
    shot = tmp_path / "report.png"
    done = _chromium(f"--screenshot={shot}", url, tmp=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one

    dom = _chromium("--enable-logging=stderr", "--v=0", "--dump-dom", url, tmp=tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Activation windows" in dom.stdout and "Harbor &amp; \"Pine\"" in dom.stdout
    for problem in ("Uncaught", "ERROR:CONSOLE", "Refused to", "Content Security Policy"):
        assert problem not in dom.stderr, dom.stderr[-2000:]


def test_learned_uplifts_summarise_the_profile_pooled_over_event_lengths():
    from surgeplan.html_report import _learned_table

    rows = [("flash_sale", "event", 0, 0, 10.5), ("flash_sale", "event", 1, 0, 9.0),
            ("flash_sale", "event", 0, 1, 10.0), ("flash_sale", "event", 0, 2, 11.0),
            ("flash_sale", "event", 1, 2, 9.0), ("flash_sale", "post", 1, 0, 2.2)]
    learned = pd.DataFrame(rows, columns=["type", "phase", "offset_days", "event_length_days",
                                          "multiplier"]).assign(queue="chat", n_occurrences=6)
    html = _learned_table(learned)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells[:6] == ["flash sale", "chat", "2", "9.00 - 10.50", "9.75", "2.20"]

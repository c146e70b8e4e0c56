"""What the fuzz tests share: the worker fixture's bookkeeping and the verdict on one answer.

A run is fine when the input is accepted or refused as bad input (exit code
0 or 2, an InputError); a bug (exit 1 or any other exception), a hang (past
its time limit) or a worker past its memory limit fails the test. With
``FUZZ_COLLECT=path`` the verdict is appended to that JSON-lines file
instead, so a long campaign keeps going and reports every distinct failure.
``FUZZ_LOG_ALL=path`` logs every answer. ``FUZZ_STATS=path`` receives the totals (inputs, outcomes, peak memory) when
the session ends, and every 50 inputs on the way (a campaign stopped early keeps its
figures).
"""
from __future__ import annotations

import collections
import json
import os

BAD_OUTCOMES = ("bug", "hang", "memory")


class Tally:
    """Counts of outcomes per test and the largest child RSS seen."""

    def __init__(self):
        self.outcomes = collections.Counter()
        self.per_test = collections.defaultdict(collections.Counter)
        self.max_rss_bytes = 0
        self.slowest_s = 0.0

    def add(self, test: str, answer: dict) -> None:
        self.outcomes[answer["outcome"]] += 1
        self.per_test[test][answer["outcome"]] += 1
        self.max_rss_bytes = max(self.max_rss_bytes, answer.get("max_rss_bytes") or 0)
        self.slowest_s = max(self.slowest_s, answer.get("seconds") or 0.0)

    def summary(self) -> dict:
        return {"inputs": sum(self.outcomes.values()), "outcomes": dict(self.outcomes),
                "per_test": {k: dict(v) for k, v in self.per_test.items()},
                "max_rss_bytes": self.max_rss_bytes, "slowest_s": self.slowest_s}


TALLY = Tally()


def save_stats() -> None:
    """Write the tally to ``FUZZ_STATS`` (if set), atomically."""
    target = os.environ.get("FUZZ_STATS")
    if target:
        with open(target + ".tmp", "w", encoding="utf-8") as out:
            json.dump(TALLY.summary(), out, indent=2)
        os.replace(target + ".tmp", target)


def judge(worker, test: str, request: dict, describe: str = "") -> dict:
    """Run ``request`` on the worker; fail (or, with FUZZ_COLLECT, record) a bug, hang or OOM."""
    answer = worker.run(request)
    TALLY.add(test, answer)
    if sum(TALLY.outcomes.values()) % 50 == 0:
        save_stats()
    if os.environ.get("FUZZ_LOG_ALL"):  # every answer, to see what the mutations reach
        with open(os.environ["FUZZ_LOG_ALL"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"test": test, "describe": describe, **answer}) + "\n")
    if answer["outcome"] in BAD_OUTCOMES:
        collect = os.environ.get("FUZZ_COLLECT")
        if collect:
            with open(collect, "a", encoding="utf-8") as log:
                log.write(json.dumps({"test": test, "request": request, "describe": describe,
                                      **answer}) + "\n")
            return answer
        raise AssertionError(f"{answer['outcome']} on {describe or request}:\n"
                             f"{answer.get('detail', '')}")
    return answer

"""Run one fuzz input at a time in a child process with a memory and a time limit.

The fuzz tests start one worker (``python tests/fuzz_worker.py``) that imports
surgeplan once, then reads one JSON request a line on stdin and answers one
JSON line on stdout. Each request runs in a fresh ``fork`` of the worker with

- ``RLIMIT_AS`` (address space) of ``memory_bytes`` (2 GiB by default): an
  input that asks for unbounded memory fails with MemoryError instead of
  taking the machine;
- a wall-clock limit of ``timeout_s``: the child is killed and the answer is
  ``"hang"``.

Requests: ``{"kind": "call", "target": "calendars.io:read_promo_calendar",
"args": [...]}`` runs a function (an :class:`~calendars.errors.InputError` is
the expected refusal); ``{"kind": "cli", "argv": [...]}`` runs the
``surgeplan`` command line in-process, as a user would (exit code 0 or 2 is
fine; 1 is a bug). Answers: ``{"outcome": "ok" | "input_error" | "bug" |
"hang" | "memory", "exit_code", "detail", "max_rss_bytes", "seconds"}``;
``detail`` holds the traceback of a bug.

The worker never runs an input itself, so it holds no lock or thread of a
library that a child could inherit half-taken.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback

MEMORY_BYTES = 2 * 1024 ** 3
TIMEOUT_S = 60.0


def _child(request: dict, write_fd: int) -> None:
    """Run the request in this (forked) process; write one JSON answer; exit."""
    memory = int(request.get("memory_bytes", MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.environ["SURGEPLAN_DEBUG"] = "1"  # a bug raises here instead of printing its one line
    if request.get("cwd"):
        os.chdir(request["cwd"])
    answer: dict = {}
    try:
        if request["kind"] == "call":
            import importlib

            module, name = request["target"].split(":")
            getattr(importlib.import_module(module), name)(*request.get("args", []))
            answer = {"outcome": "ok", "exit_code": 0}
        else:
            answer = _run_cli(request["argv"])
    except MemoryError:
        answer = {"outcome": "memory", "exit_code": 1, "detail": traceback.format_exc()[-2000:]}
    except BaseException as exc:  # noqa: BLE001 - the worker reports every failure
        from calendars.errors import InputError

        if isinstance(exc, InputError):
            answer = {"outcome": "input_error", "exit_code": 2, "detail": str(exc)[:500]}
        else:
            answer = {"outcome": "bug", "exit_code": 1, "detail": traceback.format_exc()[-4000:]}
    os.write(write_fd, json.dumps(answer).encode())
    os._exit(0)


def _run_cli(argv: list[str]) -> dict:
    """The ``surgeplan`` CLI on ``argv``; stderr captured; a bug comes back with its traceback."""
    import io

    from surgeplan.cli import main

    stderr = io.StringIO()
    sys.stderr = stderr
    sys.stdout = io.StringIO()
    sys.argv = ["surgeplan", *argv]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except MemoryError:
        raise
    except BaseException:  # SURGEPLAN_DEBUG: main_guard re-raised a bug
        return {"outcome": "bug", "exit_code": 1, "detail": traceback.format_exc()[-4000:]}
    text = stderr.getvalue()
    if code == 2:
        return {"outcome": "input_error", "exit_code": 2, "detail": text[-500:]}
    if code == 0:
        return {"outcome": "ok", "exit_code": 0}
    if "MemoryError" in text:
        return {"outcome": "memory", "exit_code": code, "detail": text[-2000:]}
    return {"outcome": "bug", "exit_code": code, "detail": text[-4000:]}


def run_one(request: dict) -> dict:
    """Fork, run ``request`` in the child under its limits, and answer (in the worker)."""
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            _child(request, write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    timeout = float(request.get("timeout_s", TIMEOUT_S))
    chunks, status, usage = [], None, None
    os.set_blocking(read_fd, False)
    while True:
        try:
            data = os.read(read_fd, 65536)
            if data:
                chunks.append(data)
        except BlockingIOError:
            pass
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > timeout:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            os.close(read_fd)
            return {"outcome": "hang", "exit_code": None, "seconds": timeout,
                    "max_rss_bytes": usage.ru_maxrss * 1024}
        time.sleep(0.002)
    while True:
        try:
            data = os.read(read_fd, 65536)
        except BlockingIOError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(read_fd)
    raw = b"".join(chunks)
    if raw:
        answer = json.loads(raw)
    else:  # killed by a signal (the OOM killer, SIGSEGV) or a hard crash
        answer = {"outcome": "bug", "exit_code": None,
                  "detail": f"the child died without an answer (status {status})"}
    answer["seconds"] = round(time.monotonic() - started, 3)
    answer["max_rss_bytes"] = usage.ru_maxrss * 1024
    return answer


def sleep_for(seconds: str) -> None:
    """A target that never answers in time (the worker's own test)."""
    time.sleep(float(seconds))


def allocate(gib: str) -> None:
    """A target that asks for more memory than the limit (the worker's own test)."""
    block = bytearray(int(float(gib) * 1024 ** 3))
    block[::4096] = b"x" * len(block[::4096])


def serve() -> None:
    """Import what the inputs need once, then answer one request a line until stdin closes."""
    import warnings

    warnings.simplefilter("ignore")
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import yaml  # noqa: F401

    import calendars.io  # noqa: F401
    import forecast.io  # noqa: F401
    import surgeplan.cli  # noqa: F401
    import surgeplan.config  # noqa: F401
    import surgeplan.io  # noqa: F401

    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(run_one(json.loads(line))) + "\n")
            out.flush()


class Worker:
    """The parent's handle on a worker process: ``worker.run(request) -> answer``."""

    def __init__(self):
        import subprocess
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=root, env=env)
        ready = self.process.stdout.readline()
        if not ready.strip():
            raise RuntimeError("the fuzz worker did not start")
        self.runs = 0
        self.max_rss_bytes = 0

    def run(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        self.runs += 1
        self.max_rss_bytes = max(self.max_rss_bytes, answer.get("max_rss_bytes") or 0)
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    serve()

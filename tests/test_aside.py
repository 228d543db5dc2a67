"""Work done aside in a forked copy (``ktt.report.aside``): its result, or None and the work
done by the caller, whatever goes wrong in the copy; and the published figures' chart drawn
aside is the one the kernel draws."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

import ktt.report.forecast as kr
from ktt.report import aside as aside_module
from ktt.report.aside import aside


def no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def fail() -> None:
    raise ValueError("in the copy")


def talk() -> str:
    print("from the copy")
    os.write(2, b"from the copy\n")
    return "said"


def test_the_result_comes_back_through_the_pipe():
    wait = aside(sum, list(range(10)))
    assert wait() == 45
    big = aside(bytes, 3_000_000)  # more than a pipe holds
    assert big() == bytes(3_000_000)
    assert no_child_left()


def test_a_failure_in_the_copy_gives_none_and_says_nothing(capfd):
    assert aside(fail)() is None
    assert aside(talk)() == "said"
    out, err = capfd.readouterr()
    assert "from the copy" not in out + err
    assert "ValueError" not in err
    assert no_child_left()


def test_a_late_copy_is_killed(monkeypatch):
    monkeypatch.setattr(aside_module, "WAIT", 0.3)
    start = time.monotonic()
    assert aside(time.sleep, 30)() is None
    assert time.monotonic() - start < 5
    assert no_child_left()


def test_without_fork_the_caller_does_the_work(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert aside(sum, [1, 2])() is None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_chart_drawn_aside_is_the_one_the_kernel_draws(lang):
    ctx = kr.prepare(n_paths=300, lang=lang)
    drawn = ctx.charts["published"]
    assert drawn.startswith(b"\x89PNG")
    assert drawn == kr._published_png(ctx.published, ctx.forecast.unit, lang, ctx.synthetic)
    assert kr.published_chart(ctx).png == drawn


def test_a_copy_dies_with_its_kernel():
    # a report's kernel is killed at once after its last cell, or on an interrupt: a copy
    # still at work must not outlive it
    script = ("import time; from ktt.report.aside import aside; wait = aside(time.sleep, 60); "
              "print('started', flush=True); time.sleep(60)")
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                          text=True) as kernel:
        try:
            assert kernel.stdout.readline().strip() == "started"
            [copy] = psutil.Process(kernel.pid).children()
            kernel.kill()
            kernel.wait()
            copy.wait(timeout=10)  # gone (psutil.TimeoutExpired otherwise)
        finally:
            kernel.kill()

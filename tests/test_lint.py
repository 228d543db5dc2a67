"""The code keeps to the lint rules pyproject.toml states (ruff), notebooks included."""

from __future__ import annotations

import subprocess
import sys

from ktt import config


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                          str(config.ROOT)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

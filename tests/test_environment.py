"""environment.yml and pyproject.toml declare the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from ktt import config


def _names(specs):
    return {re.split(r"[<>=!~ ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}


def test_environment_matches_pyproject():
    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    conda = _names(d for d in env["dependencies"] if isinstance(d, str)) - {"python", "pip"}
    assert conda == declared
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_part == ["-e ."]

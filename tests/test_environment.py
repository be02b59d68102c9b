"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_ONLY = {"python", "pip", "quarto"}  # the interpreter, the installer, and Quarto (not on PyPI)


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return req.strip().lower().replace("_", "-").replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_reqs = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip_in_env = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_in_env += dep["pip"]
        else:
            conda.append(dep)
    env_reqs = [d for d in conda if _name(d) not in CONDA_ONLY] + pip_in_env
    assert sorted(map(_spec, env_reqs)) == sorted(map(_spec, pip_reqs))
    assert "quarto" in {_name(d) for d in conda}

"""Run the real console entry point in a subprocess, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "analyzer.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env)

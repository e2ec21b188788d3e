"""The production files of deploy/ (README.md, "Production on one server"): every command a
systemd unit starts exists in the project's environment, reads the one environment file and
keeps the UI on loopback."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from orchestration.settings import ENVIRONMENT
from tests.conftest import build_env_without_key, run_tthc

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALL_ROOT = "/opt/tthc"
SERVICES = sorted((DEPLOY / "systemd").glob("*.service"))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_every_service_runs_a_command_of_the_project(path):
    service = unit(path)["Service"]
    command = shlex.split(service["ExecStart"])
    executable = Path(command[0])
    assert executable.is_relative_to(INSTALL_ROOT)
    local = Path(__file__).resolve().parents[2] / executable.relative_to(INSTALL_ROOT)
    assert local.exists(), f"{path.name}: {executable} is not installed by `make install`"
    assert service["EnvironmentFile"] == "/etc/tthc/tthc.env"
    assert service["UMask"] == "0077"  # the instance and the logs stay private
    if executable.name == "tthc":
        subcommand = command[1]
        assert run_tthc([subcommand, "--help"], build_env_without_key()).returncode == 0
    if executable.name == "dagster-webserver":
        assert command[command.index("-h") + 1] == "127.0.0.1"
    if "-w" in command:
        assert (local.parents[2] / command[command.index("-w") + 1]).exists()


def test_the_example_environment_names_only_known_variables():
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "tthc.env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert set(names) <= set(ENVIRONMENT)
    # the secrets are left empty in the example
    assert "TTHC_PII_KEY=\n" in (DEPLOY / "tthc.env.example").read_text(encoding="utf-8")

"""zlint opens no socket: a whole scan (Python, recordings, schemas with $refs) with sockets forbidden."""

from __future__ import annotations

import shutil
import socket

import pytest
from click.testing import CliRunner

from conftest import REPO
from test_recordings import MIXED_TREE
from conftest import write_tree


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("zlint tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_check_and_fix_open_no_socket(tmp_path, monkeypatch, no_sockets):
    from zlint.cli import main
    from zlint.recordings import contracts

    contracts._validators.cache_clear()  # load the schemas again, under the ban
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    write_tree(tmp_path / "recordings", MIXED_TREE)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in (["check", "--output-format", "sarif", "."], ["check", "--list-calls", "."], ["fix", "."]):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1), result.output

"""Credentials that are missing or incomplete are a setup error (exit 2) naming the variables
that are not set, never a value; X refusing the credentials (401) stays an API error (exit 1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tweetdesk.errors import ConfigError, ExitCode
from tweetdesk.x.credentials import ENV_VARS, load_credentials, save_credentials

from conftest import SANDBOX_KEYS, Sandbox, cli


@pytest.mark.parametrize(
    "given",
    [
        ("TWEETDESK_CONSUMER_KEY", "TWEETDESK_CONSUMER_SECRET"),
        ("TWEETDESK_CONSUMER_KEY", "TWEETDESK_ACCESS_TOKEN", "TWEETDESK_ACCESS_TOKEN_SECRET"),
        ("TWEETDESK_ACCESS_TOKEN_SECRET",),
    ],
)
def test_incomplete_credentials_exit_2_naming_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, given: tuple[str, ...]
) -> None:
    for name in given:
        monkeypatch.setenv(name, SANDBOX_KEYS[name])
    result = cli("sync")
    missing = ", ".join(n for n in ENV_VARS if n not in given)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"Error: incomplete credentials: {missing} not set (set all four TWEETDESK_* "
        "credential variables, or run `tweetdesk auth login`)\n"
    )
    for name in given:
        assert SANDBOX_KEYS[name] not in result.stderr


def test_no_credentials_at_all_exit_2() -> None:
    result = cli("auth", "status")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: no X credentials: run `tweetdesk auth login`")
    assert result.stderr.count("\n") == 1


def test_incomplete_credentials_raise_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TWEETDESK_ACCESS_TOKEN_SECRET not set"):
        load_credentials(
            {n: "x" for n in ENV_VARS if n != "TWEETDESK_ACCESS_TOKEN_SECRET"}, tmp_path
        )


def test_the_login_file_completes_a_partial_environment(tmp_path: Path) -> None:
    from tweetdesk.x.credentials import Credentials

    save_credentials(Credentials("k" * 20, "s", "t", "ts", source="login"), tmp_path)
    creds = load_credentials({"TWEETDESK_CONSUMER_KEY": "other"}, tmp_path)
    assert creds.access_token == "t"


def test_a_credentials_file_others_can_read_is_exit_2_too(tmp_path: Path) -> None:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "tweetdesk" / "credentials.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(dict.fromkeys(("consumer_key", "consumer_secret"), "x")))
    path.chmod(0o644)
    result = cli("auth", "status")
    assert result.exit_code == ExitCode.USAGE
    assert "chmod 600" in result.stderr


def test_x_refusing_the_credentials_stays_exit_1(
    sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tweetdesk.sandbox.model import Fault

    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    sandbox.state.add_fault(Fault(match="*", status=401))
    result = cli("auth", "status")
    assert result.exit_code == ExitCode.ERROR
    assert "auth login" in result.stderr

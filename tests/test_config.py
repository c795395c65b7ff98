"""Settings: option > env > file > default; every bad key or value is an error naming it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tweetdesk.config.settings import load_settings, read_now
from tweetdesk.errors import ConfigError, ExitCode

from conftest import cli


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def env_for(path: Path, **extra: str) -> dict[str, str]:
    return {"TWEETDESK_CONFIG": str(path), **extra}


def test_defaults_without_a_file(tmp_path: Path) -> None:
    # the default location (under the isolated XDG_CONFIG_HOME) holds no file: the defaults
    s = load_settings({"TWEETDESK_DB": str(tmp_path / "d.db")})
    assert s.sla == timedelta(minutes=15)
    assert s.stale_after == timedelta(hours=24)
    assert s.api_url == "https://api.x.com"
    assert s.alert_channels == ("stdout",)
    assert s.sources["triage.sla"] == "default"
    assert s.sources["storage.db"] == "env TWEETDESK_DB"


def test_option_beats_env_beats_file(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "c.toml",
        '[storage]\ndb = "/file.db"\n[x]\napi_url = "https://file:1"\n',
    )
    from_file = load_settings(env_for(cfg))
    assert str(from_file.db_path) == "/file.db"
    assert from_file.api_url == "https://file:1"
    assert from_file.sources["x.api_url"] == "config file"
    from_env = load_settings(
        env_for(cfg, TWEETDESK_DB="/env.db", TWEETDESK_API_URL="https://env:2/")
    )
    assert str(from_env.db_path) == "/env.db"
    assert from_env.api_url == "https://env:2"
    from_option = load_settings(env_for(cfg, TWEETDESK_DB="/env.db"), db=Path("/opt.db"))
    assert str(from_option.db_path) == "/opt.db"
    assert from_option.sources["storage.db"] == "option --db"


def test_full_example_config_loads(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    s = load_settings(env_for(example))
    assert s.handle == "acmeroasters"
    assert s.hours is not None and s.hours.timezone.key == "Europe/London"
    assert s.listen_queries == ('"Acme Roasters"',)
    assert "shipping" in s.tags and "dm_invite" in s.templates
    assert s.email is not None and s.email.starttls and s.email.port == 587
    assert s.budget_usd == 5.0
    assert s.dm_sync is True and s.dm_stale_after is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[dms]\nsync = 'yes'\n", "bad value for [dms] sync: expected true or false"),
        ("[dms]\nstale_after = 'later'\n", "bad value for [dms] stale_after"),
        ("[dms]\nsince = '30d'\n", "unknown config key [dms] since"),
        (
            "[dms]\nstale_after = '10m'\n",
            "bad value for [triage] sla: 15m is not shorter than [dms] stale_after 10m",
        ),
    ],
)
def test_dms_section_is_checked_key_by_key(tmp_path: Path, text: str, message: str) -> None:
    cfg = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(env_for(cfg))


def test_dms_section_values(tmp_path: Path) -> None:
    cfg = write(tmp_path / "c.toml", "[dms]\nsync = false\nstale_after = '72h'\n")
    s = load_settings(env_for(cfg))
    assert s.dm_sync is False and s.dm_stale_after == timedelta(hours=72)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[triage]\nslaa = '15m'\n", "unknown config key [triage] slaa"),
        ("[triag]\nsla = '15m'\n", "unknown config section [triag]"),
        ("[triage]\nsla = 'soon'\n", "bad value for [triage] sla"),
        ("[triage]\nsla = 15\n", "bad value for [triage] sla"),
        ("[hours]\ntimezone = 'Mars/Base'\n", "[hours] timezone"),
        (
            "[alerts]\nchannels = ['pager']\n",
            "bad value for [alerts] channels: unknown channel 'pager'",
        ),
        (
            "[alerts.email]\nhost = 'h'\nfrom = 'a@b'\nto = ['c@d']\nsmtp = 1\n",
            "unknown config key [alerts.email] smtp",
        ),
        ("[alerts.email]\nhost = 'h'\n", "missing config key [alerts.email] from"),
        ("[budget]\nmonthly_usd = -1\n", "bad value for [budget] monthly_usd"),
        ("[budget]\nmonthly_usd = nan\n", "bad value for [budget] monthly_usd"),
        ("[budget]\nmonthly_usd = inf\n", "bad value for [budget] monthly_usd"),
        ("[prices]\npost_created = nan\n", "bad value for [prices] post_created"),
        ("[prices]\nlunch = 1.0\n", "unknown config key [prices] lunch"),
        ("[x]\napi_url = 'ftp://x'\n", "bad value for [x] api_url"),
        ("[account]\nhandle = 'not a handle'\n", "bad value for [account] handle"),
        ("handle = 'x'\n", "outside a [section]"),
        ("[triage\nsla = '15m'\n", "is not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    cfg = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as err:
        load_settings(env_for(cfg))
    assert message in str(err.value)
    assert err.value.exit_code == ExitCode.USAGE


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    cfg = write(tmp_path / "c.toml", "[triage]\nsla = '15m'\nstale_after = \n")
    with pytest.raises(ConfigError, match="line 3"):
        load_settings(env_for(cfg))


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TWEETDESK_API_URL"):
        load_settings(env_for(write(tmp_path / "none.toml", ""), TWEETDESK_API_URL="not a url"))


def test_a_config_file_named_explicitly_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "typo.toml"
    monkeypatch.setenv("TWEETDESK_CONFIG", str(missing))
    result = cli("inbox")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == (
        f"Error: config file {missing} does not exist (TWEETDESK_CONFIG names it): create it, "
        "or unset TWEETDESK_CONFIG to use the default location\n"
    )
    monkeypatch.delenv("TWEETDESK_CONFIG")  # the default location may be missing
    assert cli("config", "check").exit_code == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-23T08:40:00Z", datetime(2026, 11, 23, 8, 40, tzinfo=UTC)),
        ("2026-11-23T09:40:00+01:00", datetime(2026, 11, 23, 8, 40, tzinfo=UTC)),
        ("2026-11-23T08:40:00", datetime(2026, 11, 23, 8, 40, tzinfo=UTC)),
    ],
)
def test_tweetdesk_now(raw: str, expected: datetime) -> None:
    assert read_now({"TWEETDESK_NOW": raw}) == expected


def test_bad_tweetdesk_now() -> None:
    with pytest.raises(ConfigError, match="TWEETDESK_NOW"):
        read_now({"TWEETDESK_NOW": "yesterday"})


# --- where the database lives ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["env", "option", "sync"])
def test_a_database_in_a_missing_folder_is_a_usage_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    db = isolated / "no-such-folder" / "desk.db"
    if how == "option":
        result = cli("inbox", "--db", str(db))
    else:
        monkeypatch.setenv("TWEETDESK_DB", str(db))
        result = cli("sync" if how == "sync" else "inbox")
    assert result.exit_code == ExitCode.USAGE
    folder = db.parent
    assert result.stderr == (
        f"Error: cannot use database {db}: the folder {folder} does not exist (create it first)\n"
    )
    assert not folder.exists()  # a mistyped path starts no empty desk


def test_a_database_under_a_file_or_at_a_folder_is_a_usage_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = write(isolated / "notes.txt", "not a folder")
    monkeypatch.setenv("TWEETDESK_DB", str(plain / "desk.db"))
    result = cli("inbox")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        f"Error: cannot use database {plain / 'desk.db'}: the folder {plain} is not a folder\n",
    )
    monkeypatch.setenv("TWEETDESK_DB", str(isolated))  # a folder, not a file
    result = cli("inbox")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        f"Error: cannot use database {isolated}: unable to open database file\n",
    )


def test_the_default_database_folder_is_made(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWEETDESK_DB")
    result = cli("inbox")
    assert result.exit_code == 0, result.stderr
    assert (isolated / "xdg-data" / "tweetdesk" / "tweetdesk.db").is_file()


def test_a_default_folder_that_cannot_be_made_is_a_store_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWEETDESK_DB")
    data = write(isolated / "data-is-a-file", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    result = cli("inbox")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        f"Error: cannot create the database folder {data / 'tweetdesk'}: Not a directory\n"
    )


@pytest.mark.parametrize("value", ["11", "-1", "true", "'3'", "100"])
def test_retries_are_bounded(tmp_path: Path, value: str) -> None:
    cfg = write(tmp_path / "c.toml", f"[x]\nretries = {value}\n")
    with pytest.raises(ConfigError) as err:
        load_settings(env_for(cfg))
    assert str(err.value) == "bad value for [x] retries: expected a whole number from 0 to 10"


@pytest.mark.parametrize("value", [0, 10])
def test_retries_within_bounds_load(tmp_path: Path, value: int) -> None:
    cfg = write(tmp_path / "c.toml", f"[x]\nretries = {value}\n")
    assert load_settings(env_for(cfg)).retries == value


def test_the_example_says_truly_which_hours_keys_are_needed(tmp_path: Path) -> None:
    example = (Path(__file__).resolve().parent.parent / "config.example.toml").read_text()
    header = next(line for line in example.splitlines() if line.startswith("[hours]"))
    assert "only timezone is required" in header
    documented = {  # "# default X" in the example, per key
        line.split("=", 1)[0].strip(): line.split("# default ", 1)[1].split(";")[0]
        for line in example.split("[hours]", 1)[1].split("[listen]", 1)[0].splitlines()
        if "# default " in line
    }
    assert documented == {
        "days": '"mon-fri"',
        "open": "09:00",
        "close": "17:00",
        "holidays": "none",
    }
    only_zone = write(tmp_path / "zone.toml", "[hours]\ntimezone = 'Europe/London'\n")
    spelled = write(
        tmp_path / "all.toml",
        "[hours]\ntimezone = 'Europe/London'\ndays = 'mon-fri'\nopen = '09:00'\n"
        "close = '17:00'\nholidays = []\n",
    )
    assert load_settings(env_for(only_zone)).hours == load_settings(env_for(spelled)).hours

"""`seatbridge license keygen|issue|inspect`, through the real command-line app."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from seatbridge.cli.main import app
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.licensing import generate_signing_key, save_signing_key
from tests.licensing.factories import make_code

TODAY = SYSTEM_CLOCK.today()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No .env file, no trusted keys from the environment of whoever runs the tests."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEATBRIDGE_LICENSE_PUBLIC_KEYS", raising=False)
    monkeypatch.delenv("SEATBRIDGE_LICENSE_PUBLIC_KEYS_FILE", raising=False)


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, ["license", *args], env=env, input=stdin)


def assert_one_line_error(result: Result, exit_code: int = 2) -> str:
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    line = result.stderr.strip()
    assert line.startswith("error: ") and "\n" not in line
    return line


@pytest.fixture
def key_file(tmp_path: Path) -> tuple[Path, str]:
    """A saved vendor key and its public key line."""
    key = generate_signing_key("cli-2025")
    path = tmp_path / "vendor.pem"
    save_signing_key(key, path)
    return path, key.public_key_line()


def issue_args(key: Path, *extra: str) -> list[str]:
    expires = (TODAY + timedelta(days=100)).isoformat()
    return [
        *("issue", "--key", str(key), "--customer", "Bijouterie Émeraude", "--seats", "10"),
        *("--edition", "advanced", "--max-environments", "3", "--expires", expires, *extra),
    ]


class TestKeygen:
    def test_writes_an_owner_only_key_and_prints_the_public_line(self, tmp_path: Path) -> None:
        out = tmp_path / "k.pem"
        result = run("keygen", "--key-id", "2025a", "--out", str(out))
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert result.stdout.strip().splitlines()[-1].startswith("2025a:")

    def test_json_and_refusal_to_overwrite(self, tmp_path: Path) -> None:
        out = tmp_path / "k.pem"
        first = run("keygen", "--key-id", "2025a", "--out", str(out), "--json")
        payload = json.loads(first.stdout)
        assert payload["key_id"] == "2025a" and payload["public_key"].startswith("2025a:")
        before = out.read_text()
        line = assert_one_line_error(run("keygen", "--key-id", "2025b", "--out", str(out)))
        assert "--force" in line and out.read_text() == before
        forced = run("keygen", "--key-id", "2025b", "--out", str(out), "--force", "--json")
        assert forced.exit_code == 0 and json.loads(forced.stdout)["key_id"] == "2025b"
        assert out.read_text() != before

    def test_bad_key_id(self, tmp_path: Path) -> None:
        assert_one_line_error(run("keygen", "--key-id", "a:b", "--out", str(tmp_path / "k")))


class TestIssue:
    def test_prints_only_the_code_on_stdout(self, key_file: tuple[Path, str]) -> None:
        result = run(*issue_args(key_file[0]))
        assert result.exit_code == 0, result.output
        assert result.stdout.strip().startswith("SB1-") and "\n" not in result.stdout.strip()
        assert "Bijouterie Émeraude" in result.stderr

    def test_json_has_the_code_and_the_terms(self, key_file: tuple[Path, str]) -> None:
        result = run(
            *issue_args(key_file[0], "--issued", "2025-01-02", "--serial", "abcd-efgh", "--json")
        )
        payload = json.loads(result.stdout)
        assert payload["code"].startswith("SB1-")
        assert payload["terms"]["customer"] == "Bijouterie Émeraude"
        assert payload["terms"]["issued_on"] == "2025-01-02"
        assert (payload["terms"]["seats"], payload["terms"]["serial"]) == (10, "ABCDEFGH")

    def test_starter_defaults_to_one_environment(self, key_file: tuple[Path, str]) -> None:
        expires = (TODAY + timedelta(days=10)).isoformat()
        result = run("issue", "--key", str(key_file[0]), "--customer", "Bijou", "--seats", "3",
                     "--edition", "starter", "--expires", expires, "--json")  # fmt: skip
        assert json.loads(result.stdout)["terms"]["max_environments"] == 1

    @pytest.mark.parametrize(
        ("change", "named"),
        [
            (("--seats", "0"), "reçu : 0"),
            (("--expires", "2025-13-01"), "2025-13-01"),
            (("--issued", "31/01/2025"), "31/01/2025"),
            (("--edition", "pro"), "pro"),
            (("--max-environments", "0"), "reçu : 0"),
            (("--customer", " "), "nom du client"),
        ],
    )
    def test_invalid_input_is_one_line(
        self, key_file: tuple[Path, str], change: tuple[str, str], named: str
    ) -> None:
        args = issue_args(key_file[0])
        if change[0] in args:
            args[args.index(change[0]) + 1] = change[1]
        else:
            args.extend(change)
        assert named in assert_one_line_error(run(*args))

    def test_unreadable_key_file(self, tmp_path: Path) -> None:
        assert "absent.pem" in assert_one_line_error(run(*issue_args(tmp_path / "absent.pem")))
        junk = tmp_path / "junk.pem"
        junk.write_text("not a key")
        assert_one_line_error(run(*issue_args(junk)))

    def test_advanced_needs_max_environments(self, key_file: tuple[Path, str]) -> None:
        args = issue_args(key_file[0])
        del args[args.index("--max-environments") : args.index("--max-environments") + 2]
        assert "--max-environments" in assert_one_line_error(run(*args))


class TestInspect:
    def test_human_output_with_a_public_key_option(self, key_file: tuple[Path, str]) -> None:
        code = run(*issue_args(key_file[0])).stdout.strip()
        result = run("inspect", code.lower(), "--public-key", key_file[1])
        assert result.exit_code == 0, result.output
        assert code in result.stdout and "Bijouterie Émeraude" in result.stdout
        assert "valide, encore 100 jours" in result.stdout
        english = run("inspect", code, "--public-key", key_file[1], env={"SEATBRIDGE_LANG": "en"})
        assert "valid, 100 days left" in english.stdout and "Délai" not in english.stdout

    def test_json_with_keys_from_the_environment(self, key_file: tuple[Path, str]) -> None:
        code = run(*issue_args(key_file[0])).stdout.strip()
        env = {"SEATBRIDGE_LICENSE_PUBLIC_KEYS": json.dumps([key_file[1]])}
        payload = json.loads(run("inspect", code, "--json", env=env).stdout)
        assert (payload["status"], payload["days_left"]) == ("valid", 100)
        assert payload["code"] == code and payload["terms"]["max_environments"] == 3

    def test_keys_file_setting_and_a_code_split_in_arguments(
        self, key_file: tuple[Path, str], tmp_path: Path
    ) -> None:
        keys = tmp_path / "keys.txt"
        keys.write_text(f"# vendor\n{key_file[1]}\n")
        code = run(*issue_args(key_file[0])).stdout.strip()
        env = {"SEATBRIDGE_LICENSE_PUBLIC_KEYS_FILE": str(keys)}
        result = run("inspect", *code.split("-"), env=env)
        assert result.exit_code == 0, result.output

    def test_code_from_standard_input(self, key_file: tuple[Path, str]) -> None:
        code = run(*issue_args(key_file[0])).stdout.strip()
        result = run("inspect", "-", "--public-key", key_file[1], stdin=code + "\n")
        assert result.exit_code == 0, result.output

    @pytest.mark.parametrize(("days_ago", "status"), [(1, "grace"), (30, "grace"), (31, "expired")])
    def test_expired_code_shows_terms_and_exits_1(self, days_ago: int, status: str) -> None:
        key = generate_signing_key("cli-2025")
        expires = TODAY - timedelta(days=days_ago)
        code = make_code(key, issued_on=expires - timedelta(days=365), expires_on=expires)
        line = assert_one_line_error(run("inspect", code, "--public-key", key.public_key_line()), 1)
        assert expires.strftime("%d/%m/%Y") in line
        result = run("inspect", code, "--public-key", key.public_key_line(), "--json")
        assert result.exit_code == 1 and result.stderr == ""
        payload = json.loads(result.stdout)  # the terms and the refusal, in one object
        assert (payload["status"], payload["days_left"]) == (status, -days_ago)
        assert payload["error"]["code"] == "license.expired"
        assert payload["error"]["exit_code"] == 1 and payload["terms"]["seats"]

    @pytest.mark.parametrize(
        ("text", "named"),
        [("", "Aucun code"), ("SB1-ABCDE", "incomplet"), ("hello", "« hell »"), ("SB1-0U", "U")],
    )
    def test_bad_code_is_one_line_and_exit_2(self, text: str, named: str) -> None:
        assert named in assert_one_line_error(run("inspect", text))

    def test_untrusted_key_and_bad_public_key(self, key_file: tuple[Path, str]) -> None:
        code = run(*issue_args(key_file[0])).stdout.strip()
        assert "cli-2025" in assert_one_line_error(run("inspect", code))
        assert "nope" in assert_one_line_error(run("inspect", code, "--public-key", "nope"))

    def test_trusted_keys_as_a_plain_setting(self, key_file: tuple[Path, str]) -> None:
        code = run(*issue_args(key_file[0])).stdout.strip()
        other = generate_signing_key("old-2024").public_key_line()
        env = {"SEATBRIDGE_LICENSE_PUBLIC_KEYS": f"{other}, {key_file[1]}"}
        result = run("inspect", code, "--json", env=env)
        assert result.exit_code == 0 and json.loads(result.stdout)["status"] == "valid"

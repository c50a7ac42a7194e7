"""Install seatbridge as a customer would, and use it (`make check-install`, part of `make test`).

1. Build the wheel and install it **without extras** in a fresh virtual environment (versions from
   requirements/lock.txt), then run every command group's `--help`, `db upgrade`, import the web
   app, generate a Sage 100 company, sync it, replicate its commerce data, and serve the web app
   with `seatbridge serve`.
2. Install the wheel with `--no-deps` plus requirements/connector.txt (the `connector` extra,
   pinned) in a second environment (the lean on-site install) and run
   `seatbridge connector run --once` against the served instance.

A runtime import missing from pyproject.toml fails step 1 or 2 with the command's output. The lock
file must pin every requirement of pyproject.toml: a new dependency without `make lock` fails here.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
SCRIPTS = "Scripts" if os.name == "nt" else "bin"


def name_of(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def check_lock(project: dict[str, Any]) -> None:
    pinned = {
        name_of(line)
        for line in LOCK.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith((" ", "#"))
    }
    wanted = {name_of(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {name_of(r) for r in extra}
    missing = sorted(wanted - pinned)
    if missing:
        sys.exit(f"requirements/lock.txt does not pin {missing}: run `make lock`.")


def run(argv: list[str], env: dict[str, str], cwd: Path, *, expect: int = 0) -> str:
    shown = " ".join(a if "sbk_" not in a else "sbk_…" for a in argv)
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != expect:
        sys.exit(
            f"FAILED ({result.returncode}, wanted {expect}): {shown}\n"
            f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
        )
    print(f"ok  {shown}")
    return result.stdout


def venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / SCRIPTS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"`seatbridge serve` exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"`seatbridge serve` did not answer on {url}")


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    check_lock(project)
    with tempfile.TemporaryDirectory(prefix="seatbridge-install-") as tmp:
        work = Path(tmp)
        dist = work / "dist"
        pip_quiet = ["-q", "--disable-pip-version-check"]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                str(ROOT),
                "--no-deps",
                *pip_quiet,
                "-w",
                str(dist),
            ],
            check=True,
        )
        (wheel,) = dist.glob("seatbridge-*.whl")
        print(f"built {wheel.name}")

        # 1. The plain install: no extras.
        full = venv(work / "full")
        subprocess.run(
            [str(full / "python"), "-m", "pip", "install", *pip_quiet, "-c", str(LOCK), str(wheel)],
            check=True,
        )
        data = work / "data"
        data.mkdir()
        env = {key: value for key, value in os.environ.items() if not key.startswith("SEATBRIDGE_")}
        env |= {
            "SEATBRIDGE_DATA_DIR": str(data),
            "SEATBRIDGE_DATABASE_URL": f"sqlite:///{data / 'store.db'}",
            "SEATBRIDGE_SECRET_KEY": "check-install-" + "x" * 40,
            "SEATBRIDGE_DIRECT_SOURCES": str(data),
            "SEATBRIDGE_LICENSE_PUBLIC_KEYS_FILE": str(data / "vendor.pub"),
        }
        sb = [str(full / "seatbridge")]
        python = str(full / "python")
        groups = run(
            [python, "-c", "from seatbridge.cli.main import COMMANDS; print(*COMMANDS)"], env, work
        ).split()
        run([*sb, "--help"], env, work)
        for group in groups:
            run([*sb, group, "--help"], env, work)
        run([*sb, "db", "upgrade", "--json"], env, work)
        web = "from seatbridge.config import Settings\nfrom seatbridge.web import create_app\n"
        run([python, "-c", web + "create_app(Settings())"], env, work)

        key = json.loads(
            run(
                [
                    *sb,
                    "license",
                    "keygen",
                    "--key-id",
                    "check",
                    "--out",
                    str(data / "vendor.key"),
                    "--json",
                ],
                env,
                work,
            )
        )
        (data / "vendor.pub").write_text(key["public_key"] + "\n", encoding="utf-8")
        code = json.loads(
            run(
                [
                    *sb,
                    "license",
                    "issue",
                    "--key",
                    str(data / "vendor.key"),
                    "--customer",
                    "Bijou SA",
                    "--seats",
                    "50",
                    "--edition",
                    "advanced",
                    "--max-environments",
                    "2",
                    "--expires",
                    "2099-12-31",
                    "--json",
                ],
                env,
                work,
            )
        )["code"]
        sage = data / "bijou.db"
        run(
            [
                *sb,
                "sage100",
                "make-demo",
                str(sage),
                "--collaborators",
                "25",
                "--customers",
                "20",
                "--documents",
                "40",
                "--json",
            ],
            env,
            work,
        )
        run([*sb, "account", "create", "Bijou SA", "--json"], env, work)
        run([*sb, "account", "activate", "bijou-sa", code, "--json"], env, work)
        run(
            [*sb, "env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{sage}", "--json"],
            env,
            work,
        )
        synced = json.loads(run([*sb, "sync", "bijou-sa/BIJOU", "--json"], env, work))
        assert synced["status"] == "succeeded", synced
        run([*sb, "commerce", "replicate", "bijou-sa/BIJOU", "--json"], env, work)
        site = json.loads(
            run([*sb, "env", "add", "bijou-sa", "SITE", "--connector", "--json"], env, work)
        )
        token = json.loads(
            run(
                [
                    *sb,
                    "apikeys",
                    "create",
                    "bijou-sa",
                    "--name",
                    "site",
                    "--scope",
                    f"connector:{site['id']}",
                    "--json",
                ],
                env,
                work,
            )
        )["token"]

        port = free_port()
        server = subprocess.Popen(
            [*sb, "serve", "--port", str(port)],
            env=env,
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            print(f"ok  seatbridge serve --port {port}")

            # 2. The lean connector: the wheel without its dependencies, plus the extra.
            lean = venv(work / "connector")
            pinned = ROOT / "requirements" / "connector.txt"
            listed = {
                name_of(line)
                for line in pinned.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith((" ", "#"))
            }
            extra = {name_of(r) for r in project["optional-dependencies"]["connector"]}
            if not extra <= listed:
                sys.exit(f"requirements/connector.txt lacks {sorted(extra - listed)}: make lock")
            subprocess.run(
                [
                    str(lean / "python"),
                    "-m",
                    "pip",
                    "install",
                    *pip_quiet,
                    "-c",
                    str(LOCK),
                    "--no-deps",
                    str(wheel),
                ],
                check=True,
            )
            subprocess.run(
                [
                    str(lean / "python"),
                    "-m",
                    "pip",
                    "install",
                    *pip_quiet,
                    "-r",
                    str(pinned),
                ],
                check=True,
            )
            absent = run(
                [
                    str(lean / "python"),
                    "-c",
                    "import importlib.util as u\nfor m in ('fastapi', 'procrastinate', "
                    "'uvicorn', 'jinja2', 'alembic'):\n    print(m, u.find_spec(m) is None)",
                ],
                env,
                work,
            )
            assert "False" not in absent, f"the lean install holds server packages:\n{absent}"
            lean_sb = [str(lean / "seatbridge")]
            run([*lean_sb, "connector", "run", "--help"], env, work)
            pushed = json.loads(
                run(
                    [
                        *lean_sb,
                        "connector",
                        "run",
                        "--once",
                        "--json",
                        "--sage-url",
                        f"sqlite:///{sage}",
                        "--server",
                        f"http://127.0.0.1:{port}",
                        "--state",
                        str(data / "site.json"),
                    ],
                    env | {"SEATBRIDGE_CONNECTOR_KEY": token},
                    work,
                )
            )
            assert pushed["status"] == "applied", pushed
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    print("plain install: every runtime path works without extras; the lean connector too.")


if __name__ == "__main__":
    main()

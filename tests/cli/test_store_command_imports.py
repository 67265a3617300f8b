"""The everyday store commands import only what they use (start-up time).

Each command runs in its own process on a small store, and the modules loaded by the
time it exits are checked:

- no command that reads the store imports the importers (``clientguard.ingest.whatsapp``,
  ``mail``, ``telegram_json`` …): every store module imports ``clientguard.ingest.base``,
  and the package's ``__init__`` built the importer list at import, ~30 ms of each run;
- ``clients`` (a client with one chat) and ``invoice list`` import neither the analysis
  nor numpy, scipy or ``holidays``;
- the commands that analyse (``analyze --client``, ``revisions``, ``evidence export``)
  read the Russian holidays without the ``holidays.countries`` package, whose
  ``__init__`` imports every country (Germany's school calendar among them, ~40 ms).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CLIENT = "Кофейня «Пенка»"

#: Runs ``clientguard ARGS`` and writes the names in ``sys.modules`` at exit to $PROBE_OUT.
PROBE = """
import atexit, os, sys
atexit.register(lambda: open(os.environ["PROBE_OUT"], "w").write("\\n".join(sorted(sys.modules))))
from clientguard.cli import main
sys.argv = ["clientguard", *sys.argv[1:]]
main()
"""

IMPORTERS = tuple(
    f"clientguard.ingest.{m}" for m in ("mail", "tabular", "telegram_html", "telegram_json", "whatsapp")
)
ANALYSIS = ("numpy", "scipy", "holidays", "clientguard.analysis", "clientguard.nlp")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store with one client (one chat, one invoice), in a temporary folder."""
    tmp = tmp_path_factory.mktemp("startup")
    env = os.environ | {
        "CLIENTGUARD_HOME": str(tmp / "home"),
        "CLIENTGUARD_DB": f"sqlite:///{tmp / 'cg.sqlite3'}",
        "CLIENTGUARD_LANG": "en",
    }
    for args in (
        ["import", str(SAMPLE), "--client", CLIENT],
        ["invoice", "add", CLIENT, "45000", "--issued", "2025-09-09", "--due", "2025-09-15"],
    ):
        subprocess.run([sys.executable, "-m", "clientguard", *args], env=env, capture_output=True, check=True)
    return env


def loaded(env: dict[str, str], tmp_path: Path, *args: str) -> set[str]:
    """The modules ``clientguard ARGS`` has imported when it exits (it must succeed)."""
    out = tmp_path / "modules.txt"
    argv = [sys.executable, "-c", PROBE, *args]
    proc = subprocess.run(argv, env=env | {"PROBE_OUT": str(out)}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return set(out.read_text().split())


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.mark.parametrize("args", [("clients",), ("invoice", "list")], ids=["clients", "invoice-list"])
def test_listing_commands_load_no_importer_and_no_analysis(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    modules = loaded(env, tmp_path, *args)
    assert "clientguard.store" in modules  # the store was read
    assert under(modules, *IMPORTERS) == []
    assert under(modules, *ANALYSIS) == []


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", "--client", CLIENT),
        ("revisions", CLIENT),
        ("evidence", "export", CLIENT, "--format", "html", "--out", "{out}"),
    ],
    ids=["analyze", "revisions", "evidence-export"],
)
def test_analysing_commands_load_no_importer_and_one_holiday_calendar(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    modules = loaded(env, tmp_path, *(a.replace("{out}", str(tmp_path / "out.html")) for a in args))
    assert under(modules, *IMPORTERS) == []
    assert "holidays.countries.russia" in modules  # the off-hours test read the calendar
    assert under(modules, "holidays.countries") == ["holidays.countries.russia"]

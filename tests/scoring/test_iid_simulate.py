"""``manage.py iid_simulate``: the shared scenarios number for number, and every bad input exits 2."""

import json
from pathlib import Path

import pytest
from django.core.management import ManagementUtility

pytestmark = pytest.mark.django_db

SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios"


def simulate(path, capsys):
    """Run the command as the shell would; return (exit status, stdout, stderr)."""
    try:
        ManagementUtility(["manage.py", "iid_simulate", str(path)]).execute()
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", ["example-small", "example-fourteen"])
def test_iid_simulate_reproduces_the_worked_scenario(name, capsys):
    status, out, _err = simulate(SCENARIOS / f"{name}.json", capsys)

    assert status == 0
    assert json.loads(out) == json.loads((SCENARIOS / f"{name}.expected.json").read_text())


def scenario_with(tmp_path, change):
    data = json.loads((SCENARIOS / "example-small.json").read_text())
    change(data)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(catalog="iid-2099"), "unknown catalogue 'iid-2099' (known: iid-2023, iid-2026)"),
        (
            lambda d: d["innovations"][1]["indicators"].update({"SID-99": {"level": 1, "evidence": True}}),
            "unknown indicator code 'SID-99' in innovation 'INV-1'",
        ),
        (lambda d: d["spd"]["SPD-01"].update(level=4), "level 4 of SPD-01 is outside 0-3"),
        (
            lambda d: d["innovations"][2].update(penerapan="2025-13-01"),
            "innovation 'INV-2': penerapan '2025-13-01' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_iid_simulate_bad_input_exits_2_with_one_line(tmp_path, capsys, change, message):
    status, out, err = simulate(scenario_with(tmp_path, change), capsys)

    assert (status, out) == (2, "")
    assert err == f"CommandError: {message}\n"


def test_iid_simulate_invalid_json_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"catalog": "iid-2026",')

    status, out, err = simulate(path, capsys)

    assert (status, out) == (2, "")
    assert err.startswith("CommandError: invalid JSON: ")
    assert err.count("\n") == 1


def test_iid_simulate_missing_file_exits_2(tmp_path, capsys):
    status, out, err = simulate(tmp_path / "missing.json", capsys)

    assert (status, out) == (2, "")
    assert err == f"CommandError: cannot read {tmp_path / 'missing.json'}: No such file or directory\n"


def test_engine_imports_no_django():
    # lint-imports checks the import statements (pyproject.toml); this checks what an import really loads:
    # the packages' __init__ modules and whatever third-party code the pure modules pull in, which it does
    # not follow.
    import subprocess
    import sys

    code = (
        "import sys, scoring.engine, scoring.awards, scoring.scenario; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=SCENARIOS.parents[2]
    )

    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["example-small", "example-fourteen"])
def test_iid_simulate_on_a_database_not_migrated_reads_the_shipped_catalogues(name, tmp_path):
    import os
    import sqlite3
    import subprocess
    import sys

    empty = tmp_path / "not-migrated.sqlite3"
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}

    result = subprocess.run(
        [sys.executable, "manage.py", "iid_simulate", str(SCENARIOS / f"{name}.json")],
        cwd=SCENARIOS.parents[2],
        env=env | {"DATABASE_URL": f"sqlite:///{empty}"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((SCENARIOS / f"{name}.expected.json").read_text())
    with sqlite3.connect(empty) as database:  # nothing was created or migrated on the way
        assert database.execute("SELECT name FROM sqlite_master").fetchall() == []

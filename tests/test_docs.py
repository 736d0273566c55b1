"""The analysts' contract is documented: every column of every table and view appears in docs/schema.md."""

from __future__ import annotations

import re
from pathlib import Path

from vocmine.store import Store

ROOT = Path(__file__).resolve().parents[1]


def documented_columns() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in (ROOT / "docs" / "schema.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## `?(\w+)`?\s*$", line)
        if m:
            current = m.group(1)
            sections[current] = set()
        elif current and line.startswith("|"):
            first = line.split("|")[1].strip().strip("`")
            sections[current].add(first)
    return sections


def test_every_column_is_documented(tmp_path):
    with Store(tmp_path / "x.duckdb") as store:
        rows = store.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall()
    docs = documented_columns()
    missing = sorted(f"{t}.{c}" for t, c in rows if c not in docs.get(t, set()))
    assert not missing, f"undocumented in docs/schema.md: {missing}"
    assert {t for t, _ in rows} <= set(docs)


def test_readme_commands_are_the_scripts_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci

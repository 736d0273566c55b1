"""`vocmine`: a thin command-line face over the same Prefect flow and the DuckDB file."""

from __future__ import annotations

import csv
import io
import os
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from vocmine.config import check_input_root
from vocmine.errors import VocmineError

app = typer.Typer(
    help="Voice-of-customer mining: transcribe calls, mine keywords and related terms, score sentiment, "
    "store everything in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="VOCMINE_DB")]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return v.hex()
    return v


def _print_rows(columns: list[str], rows: list[tuple], fmt: Format, title: str | None = None) -> None:
    if fmt is Format.json:
        out.print_json(data=[{c: _jsonable(v) for c, v in zip(columns, r, strict=True)} for r in rows])
    elif fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        w.writerows([[_jsonable(v) for v in r] for r in rows])
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*["" if v is None else str(_jsonable(v)) for v in r])
        out.print(table)


@app.command()
def run(
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of recordings, text feedback and manifests (recursive).")
    ],
    db: DbOption = Path("data/vocmine.duckdb"),
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML config (see configs/).")] = None,
    force: Annotated[bool, typer.Option(help="Re-process everything, even unchanged inputs.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every task's log lines.")] = False,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for another run writing the same --db before giving up.")
    ] = 0.0,
) -> None:
    """Run the pipeline flow on INPUT_DIR into the DuckDB file (no Prefect server needed)."""
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "vocmine")
    # Prefect's temporary server gives up after 20 s by default, which a busy 2-core machine can exceed
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if sys.stderr.isatty() and not verbose:
        # on a terminal the progress bar and the summary say it all; warnings (failed files) still show
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from vocmine.config import load_config

    try:
        cfg = load_config(config)  # fail fast, before Prefect starts, on a bad config
        if not input_dir.exists():
            _fail(
                f"{input_dir}: input directory does not exist. Pass the folder that holds recordings/feedback."
            )
        check_input_root(input_dir, cfg.input_roots)
        from vocmine.store.duck import acquire_run_lock

        # fail fast (or wait) when another run writes this database; the flow takes the lock for real
        os.close(acquire_run_lock(db, wait))
        from pipelines.flows import run_pipeline

        result = run_pipeline(str(input_dir), str(db), str(config) if config else None, force)
    except VocmineError as exc:
        _fail(str(exc))
        return
    audio = result["audio_seconds"]
    rtf = result["asr_seconds"] / audio if audio else 0.0
    out.print(
        f"[bold]run {result['run_id']}[/]: {result['discovered']} discovered, {result['new']} processed, "
        f"{result['skipped']} unchanged, [{'red' if result['failed'] else 'green'}]{result['failed']} failed[/], "
        f"{result['utterances']} utterances, {audio / 60:.1f} min audio (RTF {rtf:.2f}), "
        f"{result['wall_seconds']:.0f} s"
    )
    for uri, error in result["failures"]:
        out.print(f"  [red]failed[/] {uri}: {error}", highlight=False)
    out.print(f"results in {db}; try: vocmine status --db {db}")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    db: DbOption = Path("data/vocmine.duckdb"),
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Run a read-only SQL query against the database. Files and network are off limits."""
    import duckdb

    from vocmine.store import connect_read_only

    try:
        con = connect_read_only(db)
    except VocmineError as exc:
        _fail(str(exc))
        return
    try:
        cur = con.execute(query)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as exc:
        _fail(f"{type(exc).__name__}: {exc}\nTables: conversations, utterances, conversation_keywords, "
              "term_cooccurrence, conversation_sentiment, runs (see docs/schema.md).")  # fmt: skip
        return
    finally:
        con.close()
    _print_rows(columns, rows, format)


@app.command()
def status(db: DbOption = Path("data/vocmine.duckdb")) -> None:
    """Counts, the last runs, and failures with their reasons."""
    from vocmine.store import connect_read_only, read_path, writer_active

    try:
        con = connect_read_only(db)
    except VocmineError as exc:
        _fail(str(exc))
        return
    with con:
        version = con.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()[0]
        opened = read_path(db)
        published = datetime.fromtimestamp(opened.stat().st_mtime).astimezone()
        out.print(f"[bold]{opened}[/] (schema v{version}, published {published:%Y-%m-%d %H:%M:%S %Z})")
        if writer_active(db):
            out.print("[yellow]a run is writing this database now; this is its last published snapshot[/]")
        counts = con.execute(
            """
            SELECT source, status, count(*), round(sum(coalesce(duration_s, 0)) / 60, 1)
            FROM conversations GROUP BY ALL ORDER BY ALL
            """
        ).fetchall()
        _print_rows(
            ["source", "status", "conversations", "audio_minutes"], counts, Format.table, "Conversations"
        )
        sizes = [
            (t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in (
                "utterances",
                "conversation_keywords",
                "conversation_sentiment",
                "term_cooccurrence",
                "runs",
            )
        ]
        _print_rows(["table", "rows"], sizes, Format.table, "Tables")
        runs = con.execute(
            """
            SELECT run_id[:8] AS run, strftime(started_at, '%Y-%m-%d %H:%M') AS started, status,
                   n_new AS new, n_skipped AS skipped, n_failed AS failed,
                   round(audio_seconds / 60, 1) AS audio_min,
                   round(asr_seconds / nullif(audio_seconds, 0), 3) AS rtf, asr_model AS model
            FROM runs ORDER BY started_at DESC LIMIT 5
            """
        )
        cols = [d[0] for d in runs.description]
        _print_rows(cols, runs.fetchall(), Format.table, "Last runs")
        failed = con.execute(
            "SELECT conversation_id, source_uri, error FROM conversations WHERE status = 'failed' ORDER BY 1"
        ).fetchall()
        if failed:
            _print_rows(["conversation_id", "source_uri", "error"], failed, Format.table, "Failures")
        else:
            out.print("[green]no failed conversations[/]")


class Period(StrEnum):
    day = "day"
    week = "week"


class SpeakerChoice(StrEnum):
    customer = "customer"
    agent = "agent"
    all = "all"


class Scope(StrEnum):
    utterance = "utterance"
    window = "window"


@app.command()
def related(
    term: Annotated[
        str, typer.Argument(help="The term of interest, e.g. refund, 'early termination fee', 해지.")
    ],
    db: DbOption = Path("data/vocmine.duckdb"),
    period: Annotated[Period, typer.Option(help="Aggregate per day or per ISO week.")] = Period.week,
    speaker: Annotated[SpeakerChoice, typer.Option(help="Whose turns to count.")] = SpeakerChoice.all,
    scope: Annotated[
        Scope, typer.Option(help="utterance = in the same turn; window = within a few terms, across turns.")
    ] = Scope.utterance,
    date_: Annotated[
        str | None,
        typer.Option("--date", help="A day inside the period to show (YYYY-MM-DD); default: latest."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many related terms.")] = 20,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Top co-occurring terms (연관어) of TERM, by NPMI, in one period (same as the related_terms view)."""
    from vocmine.related import related as find_related
    from vocmine.store import connect_read_only

    day = None
    if date_ is not None:
        try:
            day = date.fromisoformat(date_)
        except ValueError:
            _fail(f"--date {date_!r}: not a date; use YYYY-MM-DD, e.g. 2026-11-16.")
            return
    try:
        con = connect_read_only(db)
    except VocmineError as exc:
        _fail(str(exc))
        return
    with con:
        res = find_related(
            con, term, period=period.value, speaker=speaker.value, scope=scope.value, start=day, limit=limit
        )
    if not res.rows:
        _fail(
            f"no related terms for {term!r} ({period.value}, speaker {speaker.value}, scope {scope.value}"
            + (f", period of {day}" if day else "")
            + "). The term may be rarer than cooccurrence.min_pair_count, or spelled differently: "
            'list terms with `vocmine sql "SELECT DISTINCT term FROM related_terms"`.',
            code=1,
        )
        return
    from vocmine.related import COLUMNS

    title = f"related to {res.term!r}: {period.value} of {res.period_start}, speaker {speaker.value}, {scope.value}"
    _print_rows(COLUMNS, res.rows, format, title)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

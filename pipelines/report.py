"""What an operator reads in the Prefect UI after a run: a markdown summary and a table of failures."""

from __future__ import annotations

from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

REPORT_KEY = "vocmine-run-report"
FAILURES_KEY = "vocmine-failures"
MAX_WARNINGS = 20


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def render_markdown(result: dict[str, Any], deployment: str) -> str:
    """The run summary as markdown: counts, audio hours, real-time factor, failures with reasons, top
    keywords and customer sentiment by queue of what this run stored."""
    audio_s = result["audio_seconds"]
    rtf = result["asr_seconds"] / audio_s if audio_s else 0.0
    status = result.get("status", "completed")
    lines = [
        f"# {deployment}: {status.replace('_', ' ')}",
        "",
        f"vocmine run `{result['run_id']}` into `{result['db']}`.",
        "",
    ]
    counts = [
        ("conversations considered", result["discovered"]),
        ("new or changed, processed", result["new"]),
        ("skipped (unchanged or a copy)", result["skipped"]),
        ("failed", result["failed"]),
        ("utterances stored", result["utterances"]),
        ("audio transcribed", f"{audio_s / 3600:.2f} h ({audio_s / 60:.1f} min)"),
        ("real-time factor", f"{rtf:.3f} (transcription seconds per audio second)"),
    ]
    if result.get("selected_from") is not None:
        counts.insert(0, ("in the inbox (before selection)", result["selected_from"]))
    lines += _table(["", "count"], counts)
    if result["failures"]:
        lines += ["", f"## Failed ({len(result['failures'])})", ""]
        lines += _table(["file", "reason"], [(uri, err) for uri, err in result["failures"]])
        lines += [
            "",
            "Fix or replace the file and run again: unchanged files are skipped, failed ones retried.",
        ]
    if result["top_keywords"]:
        lines += ["", "## Top keywords (this run)", ""]
        lines += _table(["keyword", "conversations", "score"], [tuple(r) for r in result["top_keywords"]])
    if result["sentiment_by_queue"]:
        lines += ["", "## Customer sentiment by queue (this run)", ""]
        lines += _table(
            ["queue", "conversations", "avg score", "negative", "neutral", "positive"],
            [tuple(r) for r in result["sentiment_by_queue"]],
        )
    if result["warnings"]:
        shown = result["warnings"][:MAX_WARNINGS]
        lines += ["", f"## Warnings ({len(result['warnings'])})", ""]
        lines += [f"- {_cell(w)}" for w in shown]
        if len(result["warnings"]) > len(shown):
            lines.append(f"- ... {len(result['warnings']) - len(shown)} more in the run's logs")
    return "\n".join(lines) + "\n"


def failure_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    return [{"file": uri, "reason": err} for uri, err in result["failures"]]


def publish(result: dict[str, Any], deployment: str) -> None:
    """Attach the report and the failures table to the current flow run (keyed, so the Artifacts page
    also keeps their history across runs)."""
    create_markdown_artifact(
        render_markdown(result, deployment),
        key=REPORT_KEY,
        description=f"{deployment}: counts, audio hours, RTF, failures, keywords and sentiment by queue",
    )
    create_table_artifact(
        failure_rows(result) or [{"file": "(none)", "reason": "no file failed"}],
        key=FAILURES_KEY,
        description=f"{deployment}: files that failed in this run, with the reason",
    )

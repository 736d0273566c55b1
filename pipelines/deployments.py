"""The deployments operators use from the Prefect UI, and the command that serves them.

- `vocmine-nightly/voc-nightly`: process what is new in the configured inbox, on the configured cron schedule
  (default 02:00 in the configured time zone).
- `vocmine-reprocess/voc-reprocess`: re-run chosen conversations (date range, queues, files), with `force`
  to redo unchanged ones after a model or dictionary change.

Both take one typed parameter (a pydantic model), so the UI shows a form with defaults and descriptions.
Start everything with `make serve` (scripts/serve.sh), which runs `python -m pipelines.deployments`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, serve
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from prefect.events import emit_event
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipelines import report
from pipelines.flows import TRANSCRIBE_LIMIT, run_process
from vocmine.config import Config, load_config
from vocmine.selection import Selection

NIGHTLY = "voc-nightly"
REPROCESS = "voc-reprocess"
TAGS = ["vocmine"]


class RunTarget(BaseModel):
    """Where a run reads and writes; `make serve` fills these from the config."""

    model_config = ConfigDict(extra="forbid")

    inbox: str = Field("data/inbox", description="Folder of recordings, feedback files and manifests.")
    db: str = Field("data/vocmine.duckdb", description="DuckDB file the results go to.")
    config_path: str | None = Field(
        None, description="vocmine YAML config (models, time zone, retries, task runner); empty = defaults."
    )


class NightlyParams(RunTarget):
    """voc-nightly: everything new or changed in the inbox; unchanged files are skipped."""


class ReprocessParams(RunTarget, Selection):
    """voc-reprocess: the chosen conversations, again."""

    force: bool = Field(
        False,
        description="Re-process the chosen conversations even if unchanged (after a model or dictionary "
        "change). Off: only new, changed or previously failed ones among them.",
    )

    @model_validator(mode="after")
    def _force_needs_a_choice(self) -> ReprocessParams:
        if self.force and self.is_empty():
            raise ValueError(
                "force re-processes everything chosen, and nothing was chosen: give a date range, queues or "
                "files (files: ['*'] re-processes the whole inbox)"
            )
        return self

    def selection(self) -> Selection:
        return Selection(**self.model_dump(include=set(Selection.model_fields)))


FILES_FAILED_EVENT = "vocmine.run.files-failed"


def _finish(result: dict[str, Any], deployment: str) -> dict[str, Any]:
    report.publish(result, deployment)
    if result["failed"]:
        # the flow run itself completes (one bad file never fails the night); this event is what an
        # automation listens to for a notification (docs/operations.md)
        emit_event(
            event=FILES_FAILED_EVENT,
            resource={
                "prefect.resource.id": f"vocmine.run.{result['run_id']}",
                "prefect.resource.name": deployment,
            },
            payload={"failed": result["failed"], "db": result["db"], "failures": result["failures"][:20]},
        )
    logger = get_run_logger()
    logger.info(
        "%s: %d new, %d skipped, %d failed", deployment, result["new"], result["skipped"], result["failed"]
    )
    return result


@flow(name="vocmine-nightly", log_prints=True)
def nightly(params: NightlyParams = NightlyParams()) -> dict[str, Any]:
    """Process what is new in the inbox; publish a run report and a failures table."""
    result = run_process(params.inbox, params.db, params.config_path, flow_label=NIGHTLY)
    return _finish(result, NIGHTLY)


@flow(name="vocmine-reprocess", log_prints=True)
def reprocess(params: ReprocessParams = ReprocessParams()) -> dict[str, Any]:
    """Re-run the chosen conversations (with `force`, even unchanged ones); publish a run report."""
    result = run_process(
        params.inbox, params.db, params.config_path, force=params.force, selection=params.selection(),
        flow_label=REPROCESS,
    )  # fmt: skip
    return _finish(result, REPROCESS)


def _target(cfg: Config, config_path: str | None) -> dict[str, Any]:
    return {
        "inbox": str(Path(cfg.inbox).resolve()),
        "db": str(Path(cfg.db).resolve()),
        "config_path": str(Path(config_path).resolve()) if config_path else None,
    }


def build_deployments(cfg: Config, config_path: str | None) -> list[RunnerDeployment]:
    """The two deployments, with parameters taken from the config (absolute paths, so runs do not depend
    on the directory the runner happens to be in)."""
    target = _target(cfg, config_path)
    where = f"inbox {target['inbox']} into {target['db']}"
    # serve pauses the deployments when it stops; starting it again must resume them (schedule.active
    # is the switch for the schedule)
    common: dict[str, Any] = {
        "concurrency_limit": 1,
        "entrypoint_type": EntrypointType.MODULE_PATH,
        "paused": False,
    }
    return [
        nightly.to_deployment(
            name=NIGHTLY,
            schedules=[Cron(cfg.schedule.cron, timezone=cfg.timezone, active=cfg.schedule.active)],
            parameters={"params": NightlyParams(**target).model_dump(mode="json")},
            description=f"Every night ({cfg.schedule.cron} {cfg.timezone}): transcribe and analyse what is new "
            f"in the {where}. Unchanged files are skipped, so a run after a crash resumes. "
            "The run's Artifacts tab has the report and the failures.",
            tags=[*TAGS, "nightly"],
            **common,
        ),
        reprocess.to_deployment(
            name=REPROCESS,
            parameters={"params": ReprocessParams(**target).model_dump(mode="json")},
            description=f"Re-run chosen conversations of the {where}: by date range, queue or file, "
            "with force to redo unchanged ones after a model or dictionary change.",
            tags=[*TAGS, "reprocess"],
            **common,
        ),
    ]


def apply_transcribe_limit(cfg: Config) -> None:
    """Create or update the tag concurrency limit that bounds transcription across runs on this server."""
    if not cfg.runs.transcribe_limit:
        return
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(TRANSCRIBE_LIMIT, cfg.runs.transcribe_limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the voc-nightly and voc-reprocess deployments.")
    parser.add_argument("--config", default=None, help="vocmine YAML config (default: built-in defaults)")
    args = parser.parse_args(argv)
    from vocmine.errors import ConfigError

    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    Path(cfg.inbox).mkdir(parents=True, exist_ok=True)
    apply_transcribe_limit(cfg)
    serve(*build_deployments(cfg, args.config))


if __name__ == "__main__":  # pragma: no cover
    # run the copy imported under its package name, so the deployments' entrypoints are
    # pipelines.deployments:nightly / :reprocess rather than __main__ (which a flow-run process cannot load)
    from pipelines.deployments import main as _main

    _main()

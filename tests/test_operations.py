"""Operations with real parts: `scripts/serve.sh` starts a real Prefect server (UI included) on a free port with
a temporary PREFECT_HOME and serves the deployments; runs are triggered through the REST API the way the UI
does it, and once from the UI itself in headless Chromium. Results are read back from the DuckDB file and
the run's artifacts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import httpx
import pytest
import yaml

from tests.conftest import ROOT, make_small_inbox

FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-n:]) if path.exists() else ""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`scripts/serve.sh` (what `make serve` runs) with its own server, config and inbox."""
    work = tmp_path_factory.mktemp("ops")
    inbox = make_small_inbox(work / "inbox", calls=("call_password_lockout.ogg",))
    # a recording cut off mid-upload: the night must go on and report it
    (inbox / "calls" / "broken_upload.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 7)
    cfg = {
        "inbox": str(inbox),
        "db": str(work / "voc.duckdb"),
        "timezone": "America/New_York",
        "schedule": {"cron": "30 3 * * *"},
        "runs": {"transcribe_limit": 1},
    }
    cfg_path = work / "vocmine.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(work / "prefect"),
        "VOCMINE_PREFECT_PORT": str(port),
        "VOCMINE_CONFIG": str(cfg_path),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    env.pop("PREFECT_API_URL", None)
    log = work / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    api = httpx.Client(base_url=f"{base}/api", timeout=30)
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, f"serve.sh exited with {proc.returncode}:\n{_tail(log)}"
            assert time.monotonic() < deadline, f"deployments not served after 240 s:\n{_tail(log)}"
            try:
                if api.get("/deployments/name/vocmine-reprocess/voc-reprocess").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        yield SimpleNamespace(
            base=base, api=api, inbox=inbox, db=Path(cfg["db"]), cfg=cfg, log=log, work=work
        )
    finally:
        api.close()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the operator's terminal sends
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def deployment(served, name: str) -> dict:
    res = served.api.get(f"/deployments/name/{name}")
    res.raise_for_status()
    return res.json()


def wait_final(served, flow_run_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = served.api.get(f"/flow_runs/{flow_run_id}").json()
        if run["state"]["type"] in FINAL:
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {flow_run_id} not finished after {timeout} s:\n{_tail(served.log)}")


def trigger(served, name: str, parameters: dict | None = None) -> dict:
    """What the UI's Run button posts: a flow run of the deployment, with the form's parameters."""
    dep = deployment(served, name)
    body = {"parameters": parameters} if parameters is not None else {}
    res = served.api.post(f"/deployments/{dep['id']}/create_flow_run", json=body)
    res.raise_for_status()
    return wait_final(served, res.json()["id"])


def artifacts(served, flow_run_id: str) -> dict[str, dict]:
    res = served.api.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}})
    res.raise_for_status()
    return {a["key"]: a for a in res.json()}


def q(db: Path, sql: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_deployments_are_served_typed_scheduled_and_described(served):
    nightly = deployment(served, "vocmine-nightly/voc-nightly")
    reprocess = deployment(served, "vocmine-reprocess/voc-reprocess")
    for dep in (nightly, reprocess):
        assert dep["description"] and "vocmine" in dep["tags"]
        assert dep["paused"] is False and dep["global_concurrency_limit"]["limit"] == 1
        # the UI builds its form from this schema: every field typed, with a default and a description
        schema = dep["parameter_openapi_schema"]
        model = next(iter(schema["definitions"].values()))
        assert set(model["properties"]) >= {"inbox", "db", "config_path"}
        assert all(p.get("description") for p in model["properties"].values())
        assert dep["parameters"]["params"]["inbox"] == served.cfg["inbox"]
    [schedule] = nightly["schedules"]
    assert schedule["active"] and schedule["schedule"]["cron"] == served.cfg["schedule"]["cron"]
    assert schedule["schedule"]["timezone"] == served.cfg["timezone"]
    assert reprocess["schedules"] == []
    reprocess_fields = next(iter(reprocess["parameter_openapi_schema"]["definitions"].values()))["properties"]
    assert {"date_from", "date_to", "queues", "files", "force"} <= set(reprocess_fields)
    assert reprocess_fields["date_from"]["anyOf"][0]["format"] == "date"  # a date picker in the form
    limit = served.api.get("/v2/concurrency_limits/tag:vocmine-transcribe")
    assert limit.status_code == 200 and limit.json()["limit"] == 1


@pytest.fixture(scope="module")
def nightly_run(served):
    return trigger(served, "vocmine-nightly/voc-nightly")


def test_nightly_through_the_api_stores_rows_and_reports(served, nightly_run):
    assert nightly_run["state"]["type"] == "COMPLETED", _tail(served.log)
    db = served.db
    rows = dict(
        ((s, st), n) for s, st, n in q(db, "SELECT source, status, count(*) FROM conversations GROUP BY ALL")
    )
    assert rows == {("audio", "ok"): 1, ("text", "ok"): 6, ("audio", "failed"): 1}
    assert q(db, "SELECT count(*) FROM utterances u JOIN conversations c USING (conversation_id) "
                 "WHERE c.source = 'audio'")[0][0] > 2  # fmt: skip
    [run] = q(db, "SELECT run_id, flow, status, n_new, n_failed, audio_seconds FROM runs")
    run_id, flow_label, status, n_new, n_failed, audio_seconds = run
    assert (flow_label, status, n_new, n_failed) == ("voc-nightly", "completed_with_failures", 8, 1)

    arts = artifacts(served, nightly_run["id"])
    report = arts["vocmine-run-report"]
    assert report["type"] == "markdown"
    md = report["data"]
    assert run_id in md
    assert "| new or changed, processed | 8 |" in md and "| failed | 1 |" in md
    assert f"{audio_seconds / 3600:.2f} h" in md and "real-time factor" in md
    assert "broken_upload.wav" in md and "could not be decoded" in md
    stored_queues = {r[0] for r in q(db, "SELECT DISTINCT queue FROM conversations WHERE status = 'ok'")}
    assert "## Customer sentiment by queue" in md and all(f"| {qu} |" in md for qu in stored_queues)
    top = q(db, "SELECT keyword FROM conversation_keywords WHERE speaker = 'all' GROUP BY keyword "
                "ORDER BY count(DISTINCT conversation_id) DESC, sum(score) DESC LIMIT 1")[0][0]  # fmt: skip
    assert "## Top keywords" in md and f"| {top} |" in md
    failures = json.loads(arts["vocmine-failures"]["data"])
    assert [Path(f["file"]).name for f in failures] == ["broken_upload.wav"]
    assert "could not be decoded" in failures[0]["reason"]

    # the event an automation can turn into a notification (docs/operations.md)
    deadline, events = time.monotonic() + 30, []
    while not events and time.monotonic() < deadline:
        body = {"filter": {"event": {"name": ["vocmine.run.files-failed"]}}}
        events = served.api.post("/events/filter", json=body).json()["events"]
        time.sleep(0.5)
    assert events and events[0]["payload"]["failed"] == 1
    assert events[0]["resource"]["prefect.resource.id"] == f"vocmine.run.{run_id}"

    # every recording was its own task run, and the run held a slot of the transcription concurrency limit
    tasks = served.api.post(
        "/task_runs/filter", json={"task_runs": {"name": {"like_": "transcribe-"}}}
    ).json()  # fmt: skip
    assert len(tasks) == 1 and all(t["state"]["type"] == "COMPLETED" for t in tasks)
    deadline, held = time.monotonic() + 30, set()
    while not {"acquired", "released"} <= held and time.monotonic() < deadline:
        body = {"filter": {"event": {"prefix": ["prefect.concurrency-limit."]}}}
        found = served.api.post("/events/filter", json=body).json()["events"]
        held = {e["event"].rsplit(".", 1)[1] for e in found
                if e["resource"]["prefect.resource.name"] == "tag:vocmine-transcribe"}  # fmt: skip
        time.sleep(0.5)
    assert {"acquired", "released"} <= held, held


def test_reprocess_chosen_queue_with_force(served, nightly_run):
    assert nightly_run["state"]["type"] == "COMPLETED"
    params = deployment(served, "vocmine-reprocess/voc-reprocess")["parameters"]["params"]
    run = trigger(served, "vocmine-reprocess/voc-reprocess", {"params": {**params, "queues": ["billing"], "force": True}})  # fmt: skip
    assert run["state"]["type"] == "COMPLETED", _tail(served.log)
    [(run_id, n_discovered, n_new)] = q(
        served.db, "SELECT run_id, n_discovered, n_new FROM runs WHERE flow = 'voc-reprocess'"
    )
    billing = q(served.db, "SELECT conversation_id, run_id FROM conversations WHERE queue = 'billing'")
    assert billing and n_discovered == n_new == len(billing)  # unchanged, yet re-processed: force
    assert {r[1] for r in billing} == {run_id}
    others = q(
        served.db, "SELECT count(*) FROM conversations WHERE queue <> 'billing' AND run_id = ?", [run_id]
    )
    assert others[0][0] == 0
    assert "in the inbox (before selection)" in artifacts(served, run["id"])["vocmine-run-report"]["data"]


def _chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="vocmine-chromium-")
    for arg in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1000",
    ):  # fmt: skip
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    return driver, profile


def test_quick_run_from_the_ui_completes(served, nightly_run):
    """An operator opens voc-nightly in the Prefect UI, clicks Run > Quick run, follows the run to the end."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "Debian chromium and chromium-driver are needed: apt-get install -y chromium chromium-driver"
        )
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    assert nightly_run["state"]["type"] == "COMPLETED"
    new_items = [
        {"id": "FB-UI-0001", "text": "The router keeps dropping the connection every evening.", "queue": "tech_support"},
        {"id": "FB-UI-0002", "text": "Thanks for the quick refund, great service.", "queue": "billing"},
    ]  # fmt: skip
    (served.inbox / "feedback" / "arrived_today.jsonl").write_text(
        "".join(json.dumps(i) + "\n" for i in new_items), encoding="utf-8"
    )
    dep = deployment(served, "vocmine-nightly/voc-nightly")
    driver, profile = _chrome()
    try:
        wait = WebDriverWait(driver, 60)
        driver.get(f"{served.base}/deployments/deployment/{dep['id']}")

        def click(text: str, css: str = "button") -> None:
            """Click the button as soon as it shows. A toast still sliding in reports its own label as
            covering it, so that click is dispatched to the button by script instead."""

            def attempt(d) -> bool:
                found = [b for b in d.find_elements(By.CSS_SELECTOR, css) if b.text.strip() == text]
                if not found:
                    return False
                try:
                    found[0].click()
                except ElementClickInterceptedException:
                    d.execute_script("arguments[0].click();", found[0])
                except StaleElementReferenceException:
                    return False
                return True

            wait.until(attempt, f"no clickable {text!r} button")

        click("Run")
        click("Quick run", "button.p-overflow-menu-item")
        click("View run", "button.toast-flow-run-create__button")  # the toast that says it is scheduled
        wait.until(lambda d: "/runs/flow-run/" in d.current_url)
        flow_run_id = driver.current_url.rstrip("/").split("/")[-1]
        WebDriverWait(driver, 300, poll_frequency=2).until(
            lambda d: (
                "Completed" in d.find_element(By.TAG_NAME, "body").text
                or served.api.get(f"/flow_runs/{flow_run_id}").json()["state"]["type"]
                in FINAL - {"COMPLETED"}
            )
        )
        driver.refresh()  # what the operator sees on the run's page once it is over
        page = WebDriverWait(driver, 60).until(
            lambda d: (t := d.find_element(By.TAG_NAME, "body").text) and "Completed" in t and t
        )
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    run = wait_final(served, flow_run_id)
    assert run["state"]["type"] == "COMPLETED" and run["deployment_id"] == dep["id"]
    assert run["name"] in page
    stored = q(
        served.db, "SELECT conversation_id, status FROM conversations WHERE conversation_id LIKE 'FB-UI-%'"
    )
    assert sorted(stored) == [("FB-UI-0001", "ok"), ("FB-UI-0002", "ok")]
    last = q(served.db, "SELECT flow, n_new, n_skipped FROM runs WHERE flow = 'voc-nightly' ORDER BY started_at DESC LIMIT 1")  # fmt: skip
    assert last[0][:2] == ("voc-nightly", 2)  # only what arrived; the rest was skipped as unchanged


def test_documented_notification_automations_are_valid():
    """The automation file in docs/operations.md is accepted by Prefect's own automation model."""
    import re

    from prefect.automations import AutomationCore

    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc, re.S)
    assert block, "docs/operations.md lost its automation example"
    autos = [AutomationCore.model_validate(a) for a in yaml.safe_load(block.group(1))["automations"]]
    expected = {e for a in autos for e in a.trigger.expect}
    assert {"prefect.flow-run.Failed", "prefect.flow-run.Crashed", "vocmine.run.files-failed"} <= expected
    from pipelines.deployments import FILES_FAILED_EVENT

    assert FILES_FAILED_EVENT == "vocmine.run.files-failed"

"""Choosing conversations for voc-reprocess, over records ingested from real sample files."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from pipelines.deployments import ReprocessParams
from tests.conftest import make_small_inbox
from vocmine.ingest import discover
from vocmine.selection import Selection, select


@pytest.fixture
def inbox(tmp_path):
    return make_small_inbox(tmp_path / "inbox")


def ids(convs):
    return sorted(c.conversation_id for c in convs)


def test_by_day_in_the_configured_time_zone(inbox):
    convs = discover(inbox, timezone="UTC").conversations
    # FB-EN-0001 starts 2026-11-16T08:47:52-05:00; the praise call 2026-11-17T10:21:40-05:00
    day = Selection(date_from=date(2026, 11, 17), date_to=date(2026, 11, 17))
    chosen = select(convs, day, inbox=inbox, tz="UTC")
    assert "CALL-2026-11-0004" in ids(chosen) and "FB-EN-0001" not in ids(chosen)
    # the praise call (10:21 in New York) is already 00:21 on the 18th in Seoul
    seoul = {c.conversation_id for c in select(convs, day, inbox=inbox, tz="Asia/Seoul")}
    ny = {c.conversation_id for c in select(convs, day, inbox=inbox, tz="America/New_York")}
    assert "CALL-2026-11-0004" in ny and "CALL-2026-11-0004" not in seoul
    undated = Selection(date_from=date(2026, 11, 16))
    stored = {"FB-EN-0001": None}
    assert all(c.started_at for c in select(convs, undated, inbox=inbox, tz="UTC", stored_days=stored))


def test_by_queue_and_files(inbox):
    convs = discover(inbox).conversations
    billing = select(convs, Selection(queues=["Billing"]), inbox=inbox, tz="UTC")
    assert billing and all(c.queue == "billing" for c in billing)
    calls = select(convs, Selection(files=["calls/*.ogg"]), inbox=inbox, tz="UTC")
    assert ids(calls) == ["CALL-2026-11-0004", "CALL-2026-11-0007"]
    one = select(convs, Selection(files=["FB-EN-0002", "call_agent_praise.ogg"]), inbox=inbox, tz="UTC")
    assert ids(one) == ["CALL-2026-11-0004", "FB-EN-0002"]
    both = select(convs, Selection(files=["feedback/*"], queues=["billing"]), inbox=inbox, tz="UTC")
    assert both and all(c.source == "text" and c.queue == "billing" for c in both)
    assert select(convs, Selection(), inbox=inbox, tz="UTC") == convs


def test_reprocess_parameters_refuse_force_without_a_choice():
    with pytest.raises(ValidationError, match="files: \\['\\*'\\]"):
        ReprocessParams(force=True)
    assert ReprocessParams(force=True, files=["*"]).selection().files == ["*"]
    with pytest.raises(ValidationError, match="after date_to"):
        ReprocessParams(date_from=date(2026, 11, 20), date_to=date(2026, 11, 1))

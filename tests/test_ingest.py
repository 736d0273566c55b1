"""Discovery over a tree built in tmp_path, and over the bundled sample inbox."""

from __future__ import annotations

import csv
import json
import math
import wave
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vocmine.errors import InputError
from vocmine.ingest import detect_text_language, discover, parse_timestamp

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "inbox"


def write_wav(path: Path, seconds: float = 0.5, rate: int = 8000, channels: int = 2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = bytearray()
    for i in range(int(seconds * rate)):
        v = int(8000 * math.sin(2 * math.pi * 440 * i / rate)).to_bytes(2, "little", signed=True)
        frame += v * channels
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frame))
    return path


def by_id(result):
    return {c.conversation_id: c for c in result.conversations}


# -- text feedback --------------------------------------------------------------------------------------


def test_jsonl_required_optional_and_extra_fields(tmp_path):
    rows = [
        {
            "id": "T-1",
            "text": "You charged me twice.",
            "started_at": "2026-11-16T09:00:00-05:00",
            "channel": "survey",
            "language": "en",
            "agent_id": "AG-1",
            "queue": "billing",
            "customer_id": "C-1",
            "nps": 3,
            "campaign": "fall",
        },
        {"id": "T-2", "text": "Thanks for the quick fix"},
    ]
    (tmp_path / "fb.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = discover(tmp_path)
    assert res.warnings == []
    convs = by_id(res)
    assert set(convs) == {"T-1", "T-2"}
    c = convs["T-1"]
    assert c.source == "text" and c.status == "ok" and c.error is None
    assert c.text == "You charged me twice."
    assert (c.channel, c.language, c.agent_id, c.queue, c.customer_id) == (
        "survey",
        "en",
        "AG-1",
        "billing",
        "C-1",
    )
    assert c.started_at == datetime(2026, 11, 16, 14, 0, tzinfo=ZoneInfo("UTC"))
    assert c.metadata == {"nps": 3, "campaign": "fall"}
    assert c.source_uri.endswith("fb.jsonl#T-1")
    c2 = convs["T-2"]
    assert c2.channel == "text" and c2.started_at is None and c2.agent_id is None and c2.metadata == {}
    assert c2.language == "en"


def test_csv_feedback_with_extra_column(tmp_path):
    (tmp_path / "fb.csv").write_text(
        "id,text,started_at,queue,region\n"
        "K-1,요금제 변경이 너무 어려워요,2026-11-16T09:00:00+09:00,sales,seoul\n"
        'K-2,"Late delivery, again",,orders,\n',
        encoding="utf-8",
    )
    res = discover(tmp_path)
    assert res.warnings == []
    convs = by_id(res)
    assert convs["K-1"].queue == "sales"
    assert convs["K-1"].metadata == {"region": "seoul"}
    assert convs["K-1"].started_at.utcoffset() == timedelta(hours=9)
    assert convs["K-2"].text == "Late delivery, again"
    assert convs["K-2"].started_at is None
    assert convs["K-2"].metadata == {}  # empty cells are not metadata


def test_malformed_jsonl_line_warns_with_file_and_line_and_rest_is_read(tmp_path):
    path = tmp_path / "fb.jsonl"
    path.write_text(
        '{"id": "A", "text": "first"}\n{"id": "B", "text": broken\n\n{"id": "C", "text": "third"}\n["not", "obj"]\n',
        encoding="utf-8",
    )
    res = discover(tmp_path)
    ok = {c.conversation_id for c in res.conversations if c.status == "ok"}
    assert ok == {"A", "C"}
    assert any(f"{path}:2" in w for w in res.warnings), res.warnings
    assert any(f"{path}:5" in w for w in res.warnings), res.warnings
    assert len(res.warnings) == 2
    # each unreadable line is also a failed row, so `vocmine status` shows it with the fix
    failed = {c.conversation_id: c.error for c in res.failed}
    assert set(failed) == {"fb.jsonl:2", "fb.jsonl:5"}
    assert "not valid JSON" in failed["fb.jsonl:2"] and "Fix the row" in failed["fb.jsonl:2"]


def test_malformed_csv_row_warns_with_file_and_line_and_rest_is_read(tmp_path):
    path = tmp_path / "fb.csv"
    path.write_text("id,text\nA,first\nB,too,many,cells\nC,third\n", encoding="utf-8")
    res = discover(tmp_path)
    assert {c.conversation_id for c in res.conversations if c.status == "ok"} == {"A", "C"}
    assert len(res.warnings) == 1
    assert f"{path}:3" in res.warnings[0]
    assert [(c.conversation_id, c.status) for c in res.failed] == [("fb.csv:3", "failed")]


def test_missing_id_or_text_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "fb.jsonl"
    lines = [{"id": "A", "text": "ok"}, {"text": "no id"}, {"id": "C"}, {"id": "D", "text": "   "}]
    path.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    res = discover(tmp_path)
    assert {c.conversation_id for c in res.conversations if c.status == "ok"} == {"A"}
    assert sorted(c.conversation_id for c in res.failed) == ["fb.jsonl:2", "fb.jsonl:3", "fb.jsonl:4"]
    assert "missing required field id" in by_id(res)["fb.jsonl:2"].error
    assert len(res.warnings) == 3
    assert f"{path}:2" in res.warnings[0] and "id" in res.warnings[0]
    assert f"{path}:3" in res.warnings[1] and "text" in res.warnings[1]
    assert f"{path}:4" in res.warnings[2] and "text" in res.warnings[2]


def test_non_utf8_csv_fails_with_a_fix_and_other_files_are_read(tmp_path):
    bad = tmp_path / "cp949.csv"
    bad.write_bytes("id,text\nK-1,상담원이 불친절했어요\n".encode("cp949"))
    (tmp_path / "good.jsonl").write_text('{"id": "G", "text": "fine"}\n', encoding="utf-8")
    res = discover(tmp_path)
    assert by_id(res)["G"].status == "ok"
    assert len(res.failed) == 1
    failed = res.failed[0]
    assert failed.conversation_id == "cp949.csv"
    assert str(bad) in failed.error and "UTF-8" in failed.error
    assert any(str(bad) in w for w in res.warnings)


def test_duplicate_ids_keep_the_first_and_warn(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "X", "text": "first"}\n{"id": "X", "text": "again"}\n')
    (tmp_path / "b.csv").write_text("id,text\nX,third\nY,other\n", encoding="utf-8")
    res = discover(tmp_path)
    convs = by_id(res)
    assert [c.conversation_id for c in res.conversations].count("X") == 1
    assert convs["X"].text == "first"
    assert "Y" in convs
    dup = [w for w in res.warnings if "duplicate" in w]
    assert len(dup) == 2 and all("'X'" in w for w in dup)


def test_naive_timestamps_get_the_configured_time_zone(tmp_path):
    (tmp_path / "fb.jsonl").write_text(
        '{"id": "N", "text": "x", "started_at": "2026-11-16T09:30:00"}\n'
        '{"id": "Z", "text": "y", "started_at": "2026-11-16T09:30:00Z"}\n'
        '{"id": "D", "text": "z", "started_at": "2026-11-16"}\n'
    )
    convs = by_id(discover(tmp_path, timezone="Asia/Seoul"))
    assert convs["N"].started_at == datetime(2026, 11, 16, 0, 30, tzinfo=ZoneInfo("UTC"))
    assert convs["N"].started_at.utcoffset() == timedelta(hours=9)
    assert convs["Z"].started_at == datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("UTC"))
    assert convs["D"].started_at == datetime(2026, 11, 16, tzinfo=ZoneInfo("Asia/Seoul"))
    utc = by_id(discover(tmp_path))  # default UTC
    assert utc["N"].started_at == datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("UTC"))


def test_bad_timestamp_fails_that_item_only(tmp_path):
    path = tmp_path / "fb.jsonl"
    path.write_text('{"id": "B", "text": "x", "started_at": "16/11/2026"}\n{"id": "G", "text": "y"}\n')
    convs = by_id(discover(tmp_path))
    assert convs["G"].status == "ok"
    assert convs["B"].status == "failed"
    assert f"{path}:1" in convs["B"].error and "ISO 8601" in convs["B"].error


def test_parse_timestamp_directly():
    assert parse_timestamp(None) is None and parse_timestamp("") is None
    dt = parse_timestamp("2026-11-16T09:30:00", "America/New_York")
    assert dt.utcoffset() == timedelta(hours=-5)
    with pytest.raises(InputError):
        parse_timestamp("yesterday")


def test_hangul_text_is_detected_as_korean(tmp_path):
    (tmp_path / "fb.jsonl").write_text(
        json.dumps({"id": "K", "text": "인터넷이 계속 끊겨요. 공유기 문제인가요?"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "E", "text": "The internet keeps dropping."})
        + "\n"
        + json.dumps({"id": "L", "text": "인터넷", "language": "en"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    convs = by_id(discover(tmp_path))
    assert convs["K"].language == "ko"
    assert convs["E"].language == "en"
    assert convs["L"].language == "en"  # a given language wins over detection
    ko_default = by_id(discover(tmp_path, default_language="ko"))
    assert ko_default["E"].language == "en"
    assert ko_default["K"].language == "ko"


def test_detect_text_language():
    assert detect_text_language("위약금이 너무 비싸요") == "ko"
    assert detect_text_language("LTE 요금제 변경") == "ko"
    assert detect_text_language("refund please") == "en"
    assert detect_text_language("12345", default="ko") == "ko"


def test_text_content_hash_is_stable_and_changes_with_content(tmp_path):
    path = tmp_path / "fb.jsonl"
    path.write_text('{"id": "A", "text": "first"}\n{"id": "B", "text": "second"}\n')
    h1 = {c.conversation_id: c.content_sha256 for c in discover(tmp_path).conversations}
    h2 = {c.conversation_id: c.content_sha256 for c in discover(tmp_path).conversations}
    assert h1 == h2
    assert h1["A"] != h1["B"]
    assert len(h1["A"]) == 64
    # B moves to line 1 and A changes: B's hash is unchanged, A's is new
    path.write_text('{"id": "B", "text": "second"}\n{"id": "A", "text": "first, edited"}\n')
    h3 = {c.conversation_id: c.content_sha256 for c in discover(tmp_path).conversations}
    assert h3["B"] == h1["B"]
    assert h3["A"] != h1["A"]


# -- audio and metadata ---------------------------------------------------------------------------------


def test_manifest_sidecar_and_unlisted_audio(tmp_path):
    calls = tmp_path / "calls"
    write_wav(calls / "a.wav")
    write_wav(calls / "b.wav", seconds=1.0)
    write_wav(calls / "sub" / "c.wav", channels=1)
    (calls / "b.json").write_text(
        json.dumps({"call_id": "CALL-B", "started_at": "2026-11-17T10:00:00", "queue": "sales", "vip": True})
    )
    with (calls / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["file", "call_id", "started_at", "agent_id", "queue", "customer_id", "language", "campaign"]
        )
        w.writerow(["a.wav", "CALL-A", "2026-11-16T09:14:32-05:00", "AG-1", "billing", "C-9", "en", "fall"])
        w.writerow(["missing.wav", "CALL-M", "", "", "", "", "", ""])  # listed but absent: no conversation
    res = discover(tmp_path, timezone="Asia/Seoul")
    convs = by_id(res)
    assert set(convs) == {"CALL-A", "CALL-B", "calls/sub/c.wav"}
    a = convs["CALL-A"]
    assert (a.source, a.channel, a.status) == ("audio", "phone", "ok")
    assert (a.agent_id, a.queue, a.customer_id, a.language) == ("AG-1", "billing", "C-9", "en")
    assert a.started_at.utcoffset() == timedelta(hours=-5)
    assert a.metadata["campaign"] == "fall"
    assert "file" not in a.metadata and "call_id" not in a.metadata
    assert a.metadata["audio"] == {"sample_rate": 8000, "channels": 2, "codec": "pcm_s16le"}
    assert a.duration_s == pytest.approx(0.5, abs=0.01)
    assert a.source_uri == str((calls / "a.wav").resolve())
    b = convs["CALL-B"]
    assert b.queue == "sales" and b.metadata["vip"] is True
    assert b.started_at == datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Asia/Seoul"))  # naive -> configured tz
    assert b.duration_s == pytest.approx(1.0, abs=0.01)
    c = convs["calls/sub/c.wav"]
    assert c.status == "ok" and c.agent_id is None and c.metadata["audio"]["channels"] == 1
    assert all(len(x.content_sha256) == 64 for x in convs.values())
    # the manifest itself and the sidecar are not feedback
    assert all(x.source == "audio" for x in convs.values())


def test_manifest_wins_over_sidecar(tmp_path):
    write_wav(tmp_path / "x.wav")
    (tmp_path / "x.json").write_text(json.dumps({"call_id": "SIDE", "queue": "sales", "agent_id": "AG-S"}))
    (tmp_path / "manifest.csv").write_text("file,call_id,queue\nx.wav,MANI,billing\n", encoding="utf-8")
    (c,) = discover(tmp_path).conversations
    assert c.conversation_id == "MANI"
    assert c.queue == "billing"
    assert c.agent_id == "AG-S"  # fields the manifest does not give still come from the sidecar


def test_zero_byte_audio_fails_with_the_file_named(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    write_wav(tmp_path / "ok.wav")
    res = discover(tmp_path)
    convs = by_id(res)
    assert convs["ok.wav"].status == "ok"
    assert convs["empty.wav"].status == "failed"
    assert str(empty) in convs["empty.wav"].error
    assert res.failed == [convs["empty.wav"]]


def test_corrupt_audio_fails_with_the_file_named(tmp_path):
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"not audio at all" * 100)
    (c,) = discover(tmp_path).conversations
    assert c.status == "failed" and str(bad) in c.error


def test_audio_content_hash_stable_and_changes(tmp_path):
    path = write_wav(tmp_path / "a.wav")
    h1 = discover(tmp_path).conversations[0].content_sha256
    assert discover(tmp_path).conversations[0].content_sha256 == h1
    write_wav(path, seconds=0.6)
    assert discover(tmp_path).conversations[0].content_sha256 != h1


def test_unknown_and_hidden_files(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "fb.jsonl").write_text('{"id": "H", "text": "hidden"}\n')
    res = discover(tmp_path)
    assert res.conversations == []
    assert len(res.warnings) == 1 and "notes.txt" in res.warnings[0]


def test_missing_root_raises(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        discover(tmp_path / "nope")


# -- the bundled samples --------------------------------------------------------------------------------


def test_discover_sample_inbox():
    calls, feedback = SAMPLES / "calls", SAMPLES / "feedback"
    with (calls / "manifest.csv").open(encoding="utf-8", newline="") as f:
        manifest = {row["file"]: row["call_id"] for row in csv.DictReader(f)}
    audio_files = sorted(p.name for p in calls.iterdir() if p.suffix.lower() not in (".csv", ".json"))
    expected = dict(manifest)
    for name in audio_files:
        sidecar = (calls / name).with_suffix(".json")
        if name not in expected and sidecar.is_file():
            expected[name] = json.loads(sidecar.read_text(encoding="utf-8"))["call_id"]
    assert sorted(expected) == audio_files  # every call has an id from manifest or sidecar

    n_jsonl = sum(
        1 for line in (feedback / "feedback_en.jsonl").read_text(encoding="utf-8").splitlines() if line
    )
    with (feedback / "feedback_ko.csv").open(encoding="utf-8", newline="") as f:
        n_csv = sum(1 for _ in csv.DictReader(f))

    res = discover(SAMPLES)
    assert res.warnings == []
    audio = [c for c in res.conversations if c.source == "audio"]
    text = [c for c in res.conversations if c.source == "text"]
    assert len(audio) == 8
    assert {Path(c.source_uri).name: c.conversation_id for c in audio} == expected
    assert all(c.status == "ok" and c.duration_s > 10 and c.started_at is not None for c in audio)
    assert all(c.metadata["audio"]["channels"] == 2 for c in audio)
    assert len(text) == n_jsonl + n_csv
    assert all(c.status == "ok" and c.text for c in text)
    langs = {c.conversation_id: c.language for c in text}
    assert sum(v == "ko" for v in langs.values()) == n_csv
    assert len({c.conversation_id for c in res.conversations}) == len(res.conversations)

"""The whole flow over the bundled samples, into a real DuckDB file, with real Whisper transcription."""

from __future__ import annotations

import json
import wave

import duckdb
import pytest

from tests.conftest import count_feedback_items, reference_turns
from vocmine.evaluation import word_error_rate

# Measured on the bundled calls with tiny.en, int8 CPU, beam 5, VAD on: corpus WER 0.123 (2026-11-23,
# bench/bench_transcribe.py and the demo database; redacted digits count as errors). The bound leaves room for CPU/library numeric differences while
# still catching a broken decode, a channel swap or a wrong model (each of those pushes WER far above it).
WER_BOUND = 0.20

TABLES = (
    "conversations",
    "utterances",
    "conversation_keywords",
    "term_cooccurrence",
    "conversation_sentiment",
    "runs",
)


def q(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def counts(db) -> dict[str, int]:
    return {t: q(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def test_every_table_has_rows(pipeline_run):
    c = counts(pipeline_run["db"])
    assert all(n > 0 for n in c.values()), c


def test_every_input_is_a_conversation(pipeline_run):
    inbox = pipeline_run["inbox"]
    n_audio = len(
        [p for p in (inbox / "calls").iterdir() if p.suffix in {".wav", ".mp3", ".flac", ".m4a", ".ogg"}]
    )
    expected = n_audio + count_feedback_items(inbox)
    rows = q(pipeline_run["db"], "SELECT source, status, count(*) FROM conversations GROUP BY ALL")
    assert sum(r[2] for r in rows) == expected
    assert {(r[0], r[1]) for r in rows} == {("audio", "ok"), ("text", "ok")}
    assert pipeline_run["summary"]["failed"] == 0


def test_manifest_and_sidecar_metadata_reach_the_database(pipeline_run):
    refs = reference_turns()
    ids = {
        r[0] for r in q(pipeline_run["db"], "SELECT conversation_id FROM conversations WHERE source='audio'")
    }
    assert ids == set(refs)  # every call id from manifest or sidecar, none derived from a path
    sidecar = json.loads(next((pipeline_run["inbox"] / "calls").glob("*.json")).read_text())
    row = q(
        pipeline_run["db"],
        "SELECT queue, agent_id, customer_id, started_at IS NOT NULL FROM conversations WHERE conversation_id = ?",
        [sidecar["call_id"]],
    )[0]
    assert row[:3] == (sidecar["queue"], sidecar["agent_id"], sidecar["customer_id"]) and row[3]
    extra = q(
        pipeline_run["db"], "SELECT count(*) FROM conversations WHERE metadata->>'campaign' IS NOT NULL"
    )[0][0]
    assert extra > 0  # the manifest's extra column lands in metadata


def _hyp_by_speaker(db, cid):
    rows = q(
        db, "SELECT speaker, text FROM utterances WHERE conversation_id = ? ORDER BY utterance_idx", [cid]
    )
    out = {"agent": [], "customer": [], "unknown": []}
    for speaker, text in rows:
        out[speaker].append(text)
    return {k: " ".join(v) for k, v in out.items()}


def _ref_by_speaker(ref):
    return {s: " ".join(t["text"] for t in ref["turns"] if t["speaker"] == s) for s in ("agent", "customer")}


def test_speakers_come_from_their_channels(pipeline_run):
    """Each side's transcript matches that side's script far better than the other side's."""
    for cid, ref in reference_turns().items():
        hyp = _hyp_by_speaker(pipeline_run["db"], cid)
        refs = _ref_by_speaker(ref)
        assert not hyp["unknown"], f"{cid}: stereo call produced 'unknown' speakers"
        for speaker, other in (("agent", "customer"), ("customer", "agent")):
            own = word_error_rate([refs[speaker]], [hyp[speaker]])
            swapped = word_error_rate([refs[other]], [hyp[speaker]])
            assert own < 0.45 and own < swapped - 0.3, (cid, speaker, own, swapped)


def test_word_error_rate_within_measured_bound(pipeline_run):
    refs, hyps = [], []
    for cid, ref in reference_turns().items():
        hyp = _hyp_by_speaker(pipeline_run["db"], cid)
        for speaker, text in _ref_by_speaker(ref).items():
            refs.append(text)
            hyps.append(hyp[speaker])
    wer = word_error_rate(refs, hyps)
    print(f"corpus WER over bundled calls: {wer:.3f}")
    assert wer <= WER_BOUND


def test_utterances_are_ordered_and_timed(pipeline_run):
    bad = q(
        pipeline_run["db"],
        """
        SELECT conversation_id FROM (
            SELECT conversation_id, start_s, lag(start_s) OVER (PARTITION BY conversation_id ORDER BY utterance_idx) AS prev,
                   end_s
            FROM utterances JOIN conversations USING (conversation_id) WHERE source = 'audio')
        WHERE start_s < prev OR end_s < start_s
        """,
    )
    assert bad == []
    words = q(
        pipeline_run["db"],
        "SELECT count(*) FROM utterances WHERE source_is_audio AND len(words) = 0".replace(
            "source_is_audio",
            "conversation_id IN (SELECT conversation_id FROM conversations WHERE source = 'audio')",
        ),
    )
    assert words[0][0] == 0  # word timestamps kept


def test_sentiment_rows_and_ranges(pipeline_run):
    db = pipeline_run["db"]
    assert (
        q(db, "SELECT count(*) FROM utterances WHERE sentiment IS NULL OR sentiment NOT BETWEEN -1 AND 1")[0][
            0
        ]
        == 0
    )
    speakers = {r[0] for r in q(db, "SELECT DISTINCT speaker FROM conversation_sentiment")}
    assert {"agent", "customer", "all"} <= speakers
    # every conversation has an 'all' row
    missing = q(
        db,
        "SELECT count(*) FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM conversation_sentiment s "
        "WHERE s.conversation_id = c.conversation_id AND s.speaker = 'all')",
    )
    assert missing[0][0] == 0


def test_personal_data_never_stored(pipeline_run):
    db = pipeline_run["db"]
    raw = ["4111 1111 1111 1111", "4111111111111111", "jane.doe@example.com", "555-213-4478", "010-1234-5678"]
    texts = " ".join(r[0] for r in q(db, "SELECT text FROM utterances"))
    terms = " ".join(r[0] for r in q(db, "SELECT keyword FROM conversation_keywords")) + " ".join(
        f"{a} {b}" for a, b in q(db, "SELECT term_a, term_b FROM term_cooccurrence")
    )
    for value in raw:
        assert value not in texts and value not in terms
    placeholders = {p for p in ("[CARD]", "[EMAIL]", "[PHONE]") if p in texts}
    assert placeholders == {"[CARD]", "[EMAIL]", "[PHONE]"}
    # the spoken phone number in the password-lockout call is redacted too (digits never survive in a row)
    assert q(db, "SELECT count(*) FROM utterances WHERE regexp_matches(text, '(\\d[ ,.-]*){7,}')")[0][0] == 0


def test_keywords_are_not_fillers(pipeline_run):
    fillers = {
        "um",
        "uh",
        "thank",
        "thanks",
        "please",
        "yeah",
        "okay",
        "hello",
        "call",
        "help",
        "네",
        "감사",
        "고객님",
    }
    kws = {r[0] for r in q(pipeline_run["db"], "SELECT keyword FROM conversation_keywords")}
    assert not (kws & fillers)
    assert {"refund", "outage"} & kws  # what the sample customers complain about


def test_related_terms_view(pipeline_run):
    rows = q(
        pipeline_run["db"],
        "SELECT related_term, pair_count, npmi FROM related_terms WHERE term = 'refund' "
        "AND period = 'week' AND speaker = 'all' ORDER BY pair_count DESC",
    )
    assert rows, "refund has no related terms"
    assert all(-1 <= r[2] <= 1 and r[1] >= 2 for r in rows)


def test_run_lineage(pipeline_run):
    row = q(
        pipeline_run["db"],
        "SELECT status, asr_model, asr_device, compute_type, config_hash, versions, n_new FROM runs",
    )[0]
    status, model, device, compute, config_hash, versions, n_new = row
    assert status == "completed" and model == "tiny.en" and device == "cpu" and compute == "int8"
    assert len(config_hash) == 16 and json.loads(versions)["faster-whisper"]
    assert n_new == pipeline_run["summary"]["discovered"]


def test_second_run_adds_nothing(run_copy):
    from pipelines.flows import run_pipeline

    before = counts(run_copy["db"])
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    after = counts(run_copy["db"])
    assert summary["new"] == 0 and summary["skipped"] == summary["discovered"]
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
    assert after["runs"] == before["runs"] + 1


def test_changed_item_replaces_its_rows(run_copy):
    from pipelines.flows import run_pipeline

    path = run_copy["inbox"] / "feedback" / "feedback_en.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    item = json.loads(lines[0])
    item["text"] = "The outage lasted three days and nobody fixed the router."
    lines[0] = json.dumps(item)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = counts(run_copy["db"])
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 1
    texts = q(run_copy["db"], "SELECT text FROM utterances WHERE conversation_id = ?", [item["id"]])
    assert texts == [(item["text"],)]
    after = counts(run_copy["db"])
    assert after["conversations"] == before["conversations"] and after["utterances"] == before["utterances"]


def test_broken_recording_is_a_failed_row_and_the_run_completes(run_copy):
    from pipelines.flows import run_pipeline

    bad = run_copy["inbox"] / "calls" / "truncated_upload.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 7)  # a header cut off mid-way
    silent = run_copy["inbox"] / "calls" / "silence.wav"
    with wave.open(str(silent), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000 * 3)
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 2
    rows = dict(
        q(
            run_copy["db"],
            "SELECT conversation_id, status FROM conversations WHERE conversation_id IN "
            "('calls/truncated_upload.wav', 'calls/silence.wav')",
        )
    )
    assert rows == {"calls/truncated_upload.wav": "failed", "calls/silence.wav": "ok"}
    error = q(run_copy["db"], "SELECT error FROM conversations WHERE status = 'failed'")[0][0]
    assert "truncated_upload.wav" in error
    run = q(run_copy["db"], "SELECT status, n_failed FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert run == ("completed_with_failures", 1)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_sql_command_formats(pipeline_run, fmt):
    from typer.testing import CliRunner

    from vocmine.cli import app

    res = CliRunner().invoke(
        app,
        [
            "sql",
            "SELECT source, count(*) AS n FROM conversations GROUP BY ALL ORDER BY 1",
            "--db",
            str(pipeline_run["db"]),
            "--format",
            fmt,
        ],
    )
    assert res.exit_code == 0, res.output
    if fmt == "json":
        data = json.loads(res.stdout)
        assert [d["source"] for d in data] == ["audio", "text"]
    else:
        assert res.stdout.splitlines()[0] == "source,n"


def test_a_copied_recording_is_not_transcribed_twice(run_copy):
    import shutil

    from pipelines.flows import run_pipeline

    src = next(p for p in (run_copy["inbox"] / "calls").iterdir() if p.suffix == ".ogg")
    (run_copy["inbox"] / "export2").mkdir()
    shutil.copy2(src, run_copy["inbox"] / "export2" / "renamed.ogg")
    before = counts(run_copy["db"])
    summary = run_pipeline(str(run_copy["inbox"]), str(run_copy["db"]))
    assert summary["new"] == 0 and any("same content" in w for w in summary["warnings"])
    assert counts(run_copy["db"])["conversations"] == before["conversations"]

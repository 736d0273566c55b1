"""The analysts' contract: DuckDB tables and views, versioned, with forward migrations.

Column meanings are documented in docs/schema.md; a test checks that every column here is documented there.
Never change a column in place: add a migration that moves old files forward.
"""

from __future__ import annotations

_V1_TABLES = [
    """
    CREATE TABLE conversations (
        conversation_id      VARCHAR PRIMARY KEY,
        source               VARCHAR NOT NULL,
        channel              VARCHAR,
        source_uri           VARCHAR NOT NULL,
        content_sha256       VARCHAR NOT NULL,
        started_at           TIMESTAMPTZ,
        duration_s           DOUBLE,
        language             VARCHAR,
        agent_id             VARCHAR,
        queue                VARCHAR,
        customer_id          VARCHAR,
        metadata             JSON,
        status               VARCHAR NOT NULL,
        error                VARCHAR,
        run_id               VARCHAR,
        ingested_at          TIMESTAMPTZ NOT NULL,
        period_day           DATE,
        n_utterances         INTEGER,
        language_probability DOUBLE,
        redactions           JSON
    )
    """,
    """
    CREATE TABLE utterances (
        conversation_id VARCHAR NOT NULL,
        utterance_idx   INTEGER NOT NULL,
        speaker         VARCHAR NOT NULL,
        start_s         DOUBLE,
        end_s           DOUBLE,
        text            VARCHAR NOT NULL,
        sentiment       DOUBLE,
        sentiment_label VARCHAR,
        channel_index   INTEGER,
        avg_logprob     DOUBLE,
        no_speech_prob  DOUBLE,
        terms           VARCHAR[],
        words           STRUCT(start_s DOUBLE, end_s DOUBLE, word VARCHAR, probability DOUBLE)[],
        PRIMARY KEY (conversation_id, utterance_idx)
    )
    """,
    """
    CREATE TABLE conversation_keywords (
        conversation_id VARCHAR NOT NULL,
        speaker         VARCHAR NOT NULL,
        keyword         VARCHAR NOT NULL,
        display         VARCHAR NOT NULL,
        score           DOUBLE NOT NULL,
        rank            INTEGER NOT NULL,
        count           INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, speaker, keyword)
    )
    """,
    """
    CREATE TABLE conversation_sentiment (
        conversation_id VARCHAR NOT NULL,
        speaker         VARCHAR NOT NULL,
        score           DOUBLE NOT NULL,
        label           VARCHAR NOT NULL,
        start_score     DOUBLE,
        end_score       DOUBLE,
        shift           DOUBLE,
        n_utterances    INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, speaker)
    )
    """,
    """
    CREATE TABLE term_cooccurrence (
        period       VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        speaker      VARCHAR NOT NULL,
        term_a       VARCHAR NOT NULL,
        term_b       VARCHAR NOT NULL,
        pair_count   INTEGER NOT NULL,
        count_a      INTEGER NOT NULL,
        count_b      INTEGER NOT NULL,
        n_units      INTEGER NOT NULL,
        npmi         DOUBLE NOT NULL,
        lift         DOUBLE NOT NULL,
        PRIMARY KEY (period, period_start, speaker, term_a, term_b)
    )
    """,
    """
    CREATE TABLE runs (
        run_id          VARCHAR PRIMARY KEY,
        flow            VARCHAR NOT NULL,
        started_at      TIMESTAMPTZ NOT NULL,
        finished_at     TIMESTAMPTZ,
        status          VARCHAR NOT NULL,
        input_uri       VARCHAR,
        n_discovered    INTEGER,
        n_new           INTEGER,
        n_skipped       INTEGER,
        n_failed        INTEGER,
        n_utterances    INTEGER,
        audio_seconds   DOUBLE,
        asr_seconds     DOUBLE,
        asr_model       VARCHAR,
        asr_device      VARCHAR,
        compute_type    VARCHAR,
        config_hash     VARCHAR,
        config          JSON,
        versions        JSON,
        error           VARCHAR
    )
    """,
]

# Views answer the questions analysts ask every morning. They are recreated on every open, so improving
# one never needs a data migration.
VIEWS = {
    "related_terms": """
        CREATE OR REPLACE VIEW related_terms AS
        SELECT period, period_start, speaker, term_a AS term, term_b AS related_term,
               pair_count, npmi, lift
        FROM term_cooccurrence
        UNION ALL
        SELECT period, period_start, speaker, term_b AS term, term_a AS related_term,
               pair_count, npmi, lift
        FROM term_cooccurrence
    """,
    "sentiment_by_day_queue": """
        CREATE OR REPLACE VIEW sentiment_by_day_queue AS
        SELECT c.period_day AS day, coalesce(c.queue, '(none)') AS queue, s.speaker,
               count(*) AS conversations,
               round(avg(s.score), 3) AS avg_score,
               count(*) FILTER (WHERE s.label = 'negative') AS negative,
               count(*) FILTER (WHERE s.label = 'neutral') AS neutral,
               count(*) FILTER (WHERE s.label = 'positive') AS positive,
               round(avg(s.start_score), 3) AS avg_start_score,
               round(avg(s.end_score), 3) AS avg_end_score,
               round(avg(s.shift), 3) AS avg_shift
        FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
        WHERE c.status = 'ok'
        GROUP BY ALL
    """,
    "customer_sentiment_fell": """
        CREATE OR REPLACE VIEW customer_sentiment_fell AS
        SELECT c.conversation_id, c.source, c.channel, c.period_day AS day, c.queue, c.agent_id,
               s.start_score, s.end_score, s.shift, s.score, s.label, s.n_utterances
        FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
        WHERE c.status = 'ok' AND s.speaker = 'customer' AND s.shift <= -0.2
        ORDER BY s.shift, c.conversation_id
    """,
    "keyword_by_day": """
        CREATE OR REPLACE VIEW keyword_by_day AS
        SELECT c.period_day AS day, k.keyword,
               count(DISTINCT k.conversation_id) AS conversations,
               round(sum(k.score), 4) AS total_score
        FROM conversation_keywords k JOIN conversations c USING (conversation_id)
        WHERE c.status = 'ok' AND k.speaker = 'all'
        GROUP BY ALL
    """,
    "agent_scorecard": """
        CREATE OR REPLACE VIEW agent_scorecard AS
        WITH per_agent AS (
            SELECT c.agent_id, count(*) AS conversations,
                   round(avg(s.score), 3) AS avg_customer_sentiment,
                   round(avg(s.shift), 3) AS avg_customer_shift,
                   count(*) FILTER (WHERE s.shift <= -0.2) AS customer_fell,
                   count(*) FILTER (WHERE s.start_score <= -0.05 AND s.end_score > -0.05) AS customer_recovered
            FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
            WHERE c.status = 'ok' AND c.source = 'audio' AND s.speaker = 'customer' AND c.agent_id IS NOT NULL
            GROUP BY c.agent_id
        )
        SELECT rank() OVER (ORDER BY avg_customer_shift DESC NULLS LAST) AS shift_rank, *
        FROM per_agent
        ORDER BY shift_rank, agent_id
    """,
    "failed_conversations": """
        CREATE OR REPLACE VIEW failed_conversations AS
        SELECT conversation_id, source_uri, error, run_id, ingested_at
        FROM conversations WHERE status = 'failed'
    """,
}

# v3 (issue 4): conversation sentiment per quarter, and what it was made of
_V3_SENTIMENT = [
    "ALTER TABLE conversation_sentiment ADD COLUMN q1 DOUBLE",
    "ALTER TABLE conversation_sentiment ADD COLUMN q2 DOUBLE",
    "ALTER TABLE conversation_sentiment ADD COLUMN q3 DOUBLE",
    "ALTER TABLE conversation_sentiment ADD COLUMN q4 DOUBLE",
    "ALTER TABLE conversation_sentiment ADD COLUMN unit VARCHAR",
    "ALTER TABLE conversation_sentiment ADD COLUMN backend VARCHAR",
]

# issue 6: a recording's content_sha256 now covers its metadata too (a manifest/sidecar edit is reprocessed
# without --force); the hash of the audio bytes alone moves to its own column, used to find copies.
_V4_AUDIO_HASH = ["ALTER TABLE conversations ADD COLUMN audio_sha256 VARCHAR"]

# version -> statements that take a database from version-1 to version
MIGRATIONS: dict[int, list[str]] = {1: _V1_TABLES, 3: _V3_SENTIMENT, 4: _V4_AUDIO_HASH}

# The newest version is the highest migration; versions may skip numbers (each feature reserves its own).
SCHEMA_VERSION = max(MIGRATIONS)

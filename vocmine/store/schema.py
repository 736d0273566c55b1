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

# v2 (issue 3): co-occurrence per language and per unit (utterance or sliding window), topics, collocations.
# term_cooccurrence is rebuilt because its key gains two columns; rows written by v1 (languages mixed in
# one n_units) are kept as language 'mixed' until their period is recomputed.
_V2_MINING = [
    "DROP VIEW IF EXISTS related_terms",
    """
    CREATE TABLE term_cooccurrence_v2 (
        period       VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        speaker      VARCHAR NOT NULL,
        language     VARCHAR NOT NULL DEFAULT 'mixed',
        scope        VARCHAR NOT NULL DEFAULT 'utterance',
        term_a       VARCHAR NOT NULL,
        term_b       VARCHAR NOT NULL,
        pair_count   INTEGER NOT NULL,
        count_a      INTEGER NOT NULL,
        count_b      INTEGER NOT NULL,
        n_units      INTEGER NOT NULL,
        npmi         DOUBLE NOT NULL,
        lift         DOUBLE NOT NULL,
        PRIMARY KEY (period, period_start, speaker, language, scope, term_a, term_b)
    )
    """,
    """
    INSERT INTO term_cooccurrence_v2
    SELECT period, period_start, speaker, 'mixed', 'utterance', term_a, term_b, pair_count, count_a, count_b,
           n_units, npmi, lift
    FROM term_cooccurrence
    """,
    "DROP TABLE term_cooccurrence",
    "ALTER TABLE term_cooccurrence_v2 RENAME TO term_cooccurrence",
    """
    CREATE TABLE topics (
        period       VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        language     VARCHAR NOT NULL,
        topic_id     INTEGER NOT NULL,
        terms        VARCHAR[] NOT NULL,
        weights      DOUBLE[] NOT NULL,
        share        DOUBLE NOT NULL,
        n_documents  INTEGER NOT NULL,
        coherence    DOUBLE,
        PRIMARY KEY (period, period_start, language, topic_id)
    )
    """,
    """
    CREATE TABLE conversation_topics (
        conversation_id VARCHAR NOT NULL,
        period          VARCHAR NOT NULL,
        period_start    DATE NOT NULL,
        language        VARCHAR NOT NULL,
        topic_id        INTEGER NOT NULL,
        weight          DOUBLE NOT NULL,
        PRIMARY KEY (conversation_id, period, topic_id)
    )
    """,
    """
    CREATE TABLE collocations (
        period       VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        language     VARCHAR NOT NULL,
        phrase       VARCHAR NOT NULL,
        count        INTEGER NOT NULL,
        score        DOUBLE NOT NULL,
        PRIMARY KEY (period, period_start, language, phrase)
    )
    """,
]

# Views answer the questions analysts ask every morning. They are recreated on every open, so improving
# one never needs a data migration.
VIEWS = {
    "related_terms": """
        CREATE OR REPLACE VIEW related_terms AS
        SELECT period, period_start, speaker, language, scope, term_a AS term, term_b AS related_term,
               pair_count, count_a AS term_count, count_b AS related_count, n_units, npmi, lift
        FROM term_cooccurrence
        UNION ALL
        SELECT period, period_start, speaker, language, scope, term_b AS term, term_a AS related_term,
               pair_count, count_b AS term_count, count_a AS related_count, n_units, npmi, lift
        FROM term_cooccurrence
    """,
    # Rising and falling terms: share of a period's conversations that mention a term vs the period before,
    # as a two-proportion z statistic with add-half smoothing (a term absent last period still gets a finite
    # score). |z| >= 3 with at least 3 conversations is flagged; see docs/mining.md.
    "keyword_trends": """
        CREATE OR REPLACE VIEW keyword_trends AS
        WITH conv AS (
            -- analysed conversations always have a language (metadata, detection or Whisper)
            SELECT c.conversation_id, c.period_day, coalesce(c.language, 'und') AS language
            FROM conversations c WHERE c.status = 'ok' AND c.period_day IS NOT NULL
        ),
        conv_p AS (
            SELECT p.period, CASE WHEN p.period = 'day' THEN conv.period_day
                                  ELSE date_trunc('week', conv.period_day)::DATE END AS period_start,
                   conv.language, conv.conversation_id
            FROM conv CROSS JOIN (VALUES ('day'), ('week')) p(period)
        ),
        mentions AS (
            SELECT DISTINCT conversation_id, unnest(terms) AS term FROM utterances
        ),
        totals AS (SELECT period, period_start, language, count(*) AS n FROM conv_p GROUP BY ALL),
        counts AS (
            SELECT cp.period, cp.period_start, cp.language, m.term, count(DISTINCT cp.conversation_id) AS c
            FROM conv_p cp JOIN mentions m USING (conversation_id) GROUP BY ALL
        ),
        keyed AS (
            SELECT period, period_start, language, term FROM counts
            UNION
            SELECT period, CASE WHEN period = 'day' THEN period_start + 1 ELSE period_start + 7 END,
                   language, term FROM counts
        ),
        joined AS (
            SELECT k.period, k.period_start, k.language, k.term,
                   coalesce(cur.c, 0) AS conversations, t1.n AS period_conversations,
                   coalesce(prev.c, 0) AS prev_conversations, t0.n AS prev_period_conversations
            FROM keyed k
            JOIN totals t1 ON t1.period = k.period AND t1.period_start = k.period_start
                          AND t1.language = k.language
            JOIN totals t0 ON t0.period = k.period AND t0.language = k.language
                          AND t0.period_start = k.period_start - CASE WHEN k.period = 'day' THEN 1 ELSE 7 END
            LEFT JOIN counts cur ON cur.period = k.period AND cur.period_start = k.period_start
                          AND cur.language = k.language AND cur.term = k.term
            LEFT JOIN counts prev ON prev.period = k.period AND prev.period_start = t0.period_start
                          AND prev.language = k.language AND prev.term = k.term
        ),
        scored AS (
            SELECT *,
                   (conversations + 0.5) / (period_conversations + 1) AS share,
                   (prev_conversations + 0.5) / (prev_period_conversations + 1) AS prev_share,
                   (conversations + prev_conversations + 1.0)
                       / (period_conversations + prev_period_conversations + 2) AS pooled
            FROM joined
        )
        SELECT period, period_start, language, term, conversations, period_conversations,
               prev_conversations, prev_period_conversations,
               round(share, 4) AS share, round(prev_share, 4) AS prev_share,
               round(share / prev_share, 3) AS ratio,
               round((share - prev_share) / sqrt(pooled * (1 - pooled)
                     * (1.0 / (period_conversations + 1) + 1.0 / (prev_period_conversations + 1))), 3) AS z,
               CASE WHEN (share - prev_share) / sqrt(pooled * (1 - pooled)
                         * (1.0 / (period_conversations + 1) + 1.0 / (prev_period_conversations + 1))) >= 3
                         AND conversations >= 3 THEN 'rising'
                    WHEN (share - prev_share) / sqrt(pooled * (1 - pooled)
                         * (1.0 / (period_conversations + 1) + 1.0 / (prev_period_conversations + 1))) <= -3
                         AND prev_conversations >= 3 THEN 'falling'
                    ELSE 'stable' END AS trend
        FROM scored
    """,
    "topic_terms": """
        CREATE OR REPLACE VIEW topic_terms AS
        SELECT period, period_start, language, topic_id, share, n_documents, coherence,
               unnest(terms) AS term, unnest(weights) AS weight,
               generate_subscripts(terms, 1) AS term_rank
        FROM topics
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
MIGRATIONS: dict[int, list[str]] = {1: _V1_TABLES, 2: _V2_MINING, 3: _V3_SENTIMENT, 4: _V4_AUDIO_HASH}

# The newest version is the highest migration; versions may skip numbers (each feature reserves its own).
SCHEMA_VERSION = max(MIGRATIONS)

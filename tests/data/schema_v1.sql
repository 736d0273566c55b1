-- The schema of a vocmine v1 database, exactly as the first release (schema v1) created it: tables, views and
-- schema_info. Tests build an old file from it to check that today's migrations move it forward.

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
    );

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
    );

CREATE TABLE conversation_keywords (
        conversation_id VARCHAR NOT NULL,
        speaker         VARCHAR NOT NULL,
        keyword         VARCHAR NOT NULL,
        display         VARCHAR NOT NULL,
        score           DOUBLE NOT NULL,
        rank            INTEGER NOT NULL,
        count           INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, speaker, keyword)
    );

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
    );

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
    );

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
    );

CREATE TABLE schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO schema_info VALUES ('version', '1');

CREATE OR REPLACE VIEW related_terms AS
SELECT period, period_start, speaker, term_a AS term, term_b AS related_term,
       pair_count, npmi, lift
FROM term_cooccurrence
UNION ALL
SELECT period, period_start, speaker, term_b AS term, term_a AS related_term,
       pair_count, npmi, lift
FROM term_cooccurrence;

CREATE OR REPLACE VIEW sentiment_by_day_queue AS
SELECT c.period_day AS day, coalesce(c.queue, '(none)') AS queue, s.speaker,
       count(*) AS conversations,
       round(avg(s.score), 3) AS avg_score,
       count(*) FILTER (WHERE s.label = 'negative') AS negative,
       count(*) FILTER (WHERE s.label = 'neutral') AS neutral,
       count(*) FILTER (WHERE s.label = 'positive') AS positive
FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
WHERE c.status = 'ok'
GROUP BY ALL;

CREATE OR REPLACE VIEW keyword_by_day AS
SELECT c.period_day AS day, k.keyword,
       count(DISTINCT k.conversation_id) AS conversations,
       round(sum(k.score), 4) AS total_score
FROM conversation_keywords k JOIN conversations c USING (conversation_id)
WHERE c.status = 'ok' AND k.speaker = 'all'
GROUP BY ALL;

CREATE OR REPLACE VIEW agent_scorecard AS
SELECT c.agent_id, count(*) AS conversations,
       round(avg(s.score), 3) AS avg_customer_sentiment,
       round(avg(s.shift), 3) AS avg_customer_shift
FROM conversation_sentiment s JOIN conversations c USING (conversation_id)
WHERE c.status = 'ok' AND s.speaker = 'customer' AND c.agent_id IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW failed_conversations AS
SELECT conversation_id, source_uri, error, run_id, ingested_at
FROM conversations WHERE status = 'failed';

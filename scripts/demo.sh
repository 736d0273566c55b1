#!/usr/bin/env bash
# One command for a new user: set up, run the pipeline on the bundled samples, show what it produced.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB="${VOCMINE_DEMO_DB:-data/demo.duckdb}"
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
echo
echo "== vocmine run data/samples/inbox --db $DB"
.venv/bin/vocmine run data/samples/inbox --db "$DB"
echo
echo "== vocmine status --db $DB"
.venv/bin/vocmine status --db "$DB"
echo
echo "== What are customers talking about? (top customer keywords)"
.venv/bin/vocmine sql "SELECT keyword, count(*) AS conversations, round(sum(score), 2) AS weight
  FROM conversation_keywords WHERE speaker IN ('customer', 'all')
  AND conversation_id IN (SELECT conversation_id FROM conversations WHERE language = 'en')
  GROUP BY keyword ORDER BY conversations DESC, weight DESC LIMIT 10" --db "$DB"
echo "== ...with what? (terms related to 'refund' and to 해지, latest week, all speakers)"
.venv/bin/vocmine related refund --limit 8 --db "$DB"
.venv/bin/vocmine related 해지 --limit 8 --db "$DB"
echo "== ...and how do they feel? (customer sentiment by queue)"
.venv/bin/vocmine sql "SELECT queue, sum(conversations) AS conversations, round(avg(avg_score), 2) AS avg_score,
  sum(negative) AS negative, sum(positive) AS positive
  FROM sentiment_by_day_queue WHERE speaker = 'customer' GROUP BY queue ORDER BY avg_score" --db "$DB"
echo "== ...and who turns calls around? (agents ranked by how customer sentiment moved in their calls)"
.venv/bin/vocmine sql "SELECT shift_rank, agent_id, conversations AS calls, avg_customer_shift,
  customer_fell, customer_recovered FROM agent_scorecard ORDER BY shift_rank" --db "$DB"
echo
SNAP="${DB%.duckdb}.snapshot.duckdb"
echo "Query it with 'vocmine sql ... --db $DB' (it opens the published snapshot), or open $SNAP"
echo "read-only from Python (duckdb.connect('$SNAP', read_only=True)) or any DuckDB client, even while a run writes."

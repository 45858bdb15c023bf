#!/usr/bin/env bash
# `npm run demo`: the whole system on this machine — Redis and PostgreSQL (started if down), install,
# build, migrate, seed the demo enterprise, then ingest, workers, gateway and the sandbox (an emulated
# Asterisk host placing calls; Telegram, the four CRMs and the AMI stood in for). Ctrl-C stops everything.
# A second demo beside this one: other INGEST_PORT, GATEWAY_PORT, WORKERS_PORT, SANDBOX_PORT,
# SANDBOX_AMI_PORT, a DATABASE_URL naming another database (created if missing) and another QUEUE_PREFIX.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

ensure_redis
ensure_postgres

# The committed lock file as is (npm ci never rewrites it); skipped when node_modules already matches it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
# Only what the demo runs (and the libs under it): a half-finished bench or test cannot stop the demo.
npm run build --silent -- --filter=@callpipe/ingest --filter=@callpipe/workers --filter=@callpipe/gateway \
  --filter=@callpipe/sandbox --filter=@callpipe/migrations

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/callpipe}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export QUEUE_PREFIX="${QUEUE_PREFIX:-{callpipe\}}"
export ADMIN_USER="${ADMIN_USER:-admin}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-$(node -e 'console.log(require("crypto").randomBytes(9).toString("base64url"))')}"
export SANDBOX_CALLS_PER_MINUTE="${SANDBOX_CALLS_PER_MINUTE:-6}"
export SANDBOX_SPEED="${SANDBOX_SPEED:-2}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
INGEST_PORT="${INGEST_PORT:-8000}"; GATEWAY_PORT="${GATEWAY_PORT:-8020}"
WORKERS_PORT="${WORKERS_PORT:-8021}"; SANDBOX_PORT="${SANDBOX_PORT:-8090}"
export INGEST_PORT GATEWAY_PORT WORKERS_PORT SANDBOX_PORT
# The emulated host posts to this run's ingest.
export SANDBOX_INGEST_URL="${SANDBOX_INGEST_URL:-http://127.0.0.1:$INGEST_PORT}"
# The workers' bot talks to the sandbox Telegram (it accepts the seeded demo bot token).
export TELEGRAM_API_BASE="${TELEGRAM_API_BASE:-http://127.0.0.1:$SANDBOX_PORT}"
# The sandbox CRMs' "call" buttons go to this run's gateway; the seed points the CRMs and the AMI at this run's sandbox.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$GATEWAY_PORT}"
# The demo signs its RetailCRM admin links with a fixed demo key, so links survive a restart (production sets its own).
export RETAILCRM_ADMIN_SECRET="${RETAILCRM_ADMIN_SECRET:-callpipe-demo-admin-link-key-not-for-production}"
export SANDBOX_AMI_PORT="${SANDBOX_AMI_PORT:-5038}"

npm run migrate --silent
npm run seed --silent

node scripts/runProcfile.mjs &
runner=$!
trap 'kill -TERM $runner 2>/dev/null; wait $runner' INT TERM

for url in "http://127.0.0.1:$INGEST_PORT/health" "http://127.0.0.1:$GATEWAY_PORT/health" "http://127.0.0.1:$WORKERS_PORT/health" "http://127.0.0.1:$SANDBOX_PORT/health"; do
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$url" && break; sleep 0.2; done
done

S="http://127.0.0.1:$SANDBOX_PORT"; G="http://127.0.0.1:$GATEWAY_PORT"
cat <<BANNER

  callpipe demo is running (Ctrl-C stops it). The emulated Asterisk host places $SANDBOX_CALLS_PER_MINUTE calls a minute as
  enterprise 0367 "june" (host token 375293332255); each goes to Telegram and to four CRMs, all stand-ins in the sandbox.

  Telegram chats   $S/telegram    a call's message appears, is replaced as the call goes on, ends as the final one
  CRM screens      $S/retailcrm   $S/moysklad   $S/uon   $S/bitrix24
                   each manager's popup while their phone rings, gone at hangup; the call history below
  Click-to-call    on $S/retailcrm press "call" beside a customer: the gateway's make-call rings the manager, then the
                   customer, through the sandbox AMI ($S/ami); the call shows in the chats, the CRMs and its trace
  Call back        on $S/telegram press "📞 Перезвонить" under a missed call in chat 374573193 (linked to 150)
  Call trace       $G/trace-ui/<call id>   (admin login; a call id from the CRM history, or from
                   curl -s '$G/search?enterprise=0367&limit=5')
  Bull Board       $G/admin/queues   login $ADMIN_USER / $ADMIN_PASSWORD
  Stats            $G/stats   (config cache, CRM breakers)   config: curl -s $G/integrations/0367
  Demo tally       $S/host/tally   every emulated call against the call log: exact, false merges, split calls
  Sandbox          $S/   the emulated host's counters, every stand-in's requests, faults and limits
  Health           $G/health   http://127.0.0.1:$INGEST_PORT/health   http://127.0.0.1:$WORKERS_PORT/health
  Metrics          http://127.0.0.1:$INGEST_PORT/metrics   http://127.0.0.1:$WORKERS_PORT/metrics   $G/metrics
  Stored events    psql "$DATABASE_URL" -c "SELECT event_type, unique_id, data_source, event_timestamp FROM call_events ORDER BY id DESC LIMIT 20"
  Post one event   curl -s -XPOST localhost:$INGEST_PORT/dial -d '{"Token":"375293332255","UniqueId":"1.1","Phone":"375296254070","CallType":0}'

BANNER

# DEMO_CHECK_MINUTES=N: a check instead of a show — N minutes of emulated calls, then the tally
# (calls the host placed against the call log's records) is printed and decides the exit status.
if [ -n "${DEMO_CHECK_MINUTES:-}" ]; then
  sleep $(( DEMO_CHECK_MINUTES * 60 ))
  tally=$(curl -fs "http://127.0.0.1:$SANDBOX_PORT/host/tally" || echo '{}')
  echo "  demo tally after $DEMO_CHECK_MINUTES min: $tally"
  kill -TERM $runner 2>/dev/null; wait $runner || true
  node -e 'const t = JSON.parse(process.argv[1]); process.exit(t.callsChecked > 0 && t.falseMerges === 0 && t.splitCalls === 0 && t.missing === 0 ? 0 : 1)' "$tally"
  exit 0
fi
wait $runner

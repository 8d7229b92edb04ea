#!/usr/bin/env bash
# Load test of `newsloom serve`: builds a store of generated articles (kept and reused between
# runs), serves it on loopback, and hammers the story list, search and dyad endpoints with
# 200 concurrent connections, printing p50/p99 latency and requests per second for each.
#
#   bench/load.sh                      # 100,000 articles, 20 s per endpoint, 200 connections
#   ARTICLES=20000 DURATION=10 bench/load.sh
#   VARIED=0 bench/load.sh             # skip the varied-request runs
#   ARTICLES=1000000 LOAD_DB=/big/disk/db COLD=1 bench/load.sh
#                                      # 1M articles (bench ingest's realistic mix, ~18 KB each on
#                                      # disk); COLD=1 also drops the OS page cache first (root)
#
# Order: a cold start (server started, then at once 10 s of mixed varied requests: every error
# and timeout over 2 s is counted), then each endpoint with varied requests (p50/p99/max), then
# the same request repeated. Varied requests need wrk; article and story ids are sampled across
# the whole store (python3's sqlite3).
#
# Needs `oha` (cargo install oha) or `wrk` (apt-get install wrk). Env: ARTICLES, DURATION (s),
# CONCURRENCY, LOAD_DB (store dir, default target/load-db-$ARTICLES), PORT, CARGO_TARGET_DIR,
# NEWSLOOM_BIN (a newsloom binary to serve with instead of building this checkout's).
set -euo pipefail
cd "$(dirname "$0")/.."

ARTICLES=${ARTICLES:-100000}
DURATION=${DURATION:-20}
CONCURRENCY=${CONCURRENCY:-200}
PORT=${PORT:-18480}
TARGET=${CARGO_TARGET_DIR:-target}
DB=${LOAD_DB:-$TARGET/load-db-$ARTICLES}

if command -v oha >/dev/null; then TOOL=oha
elif command -v wrk >/dev/null; then TOOL=wrk
else echo "load.sh: needs oha (cargo install oha) or wrk (apt-get install wrk)" >&2; exit 1
fi

if [ -n "${NEWSLOOM_BIN:-}" ]; then
  BIN=$NEWSLOOM_BIN   # a build to compare (e.g. a copy of an earlier one), used as it is
else
  cargo build --release -q -p newsloom-cli
  BIN=$TARGET/release/newsloom
fi

if [ ! -f "$DB/newsloom.db" ]; then
  echo "== building a store of $ARTICLES generated articles in $DB"
  "$BIN" bench ingest --articles "$ARTICLES" --keep "$DB"
fi

IDS=$(mktemp -d)
python3 bench/load/sample_ids.py "$DB/newsloom.db" "$IDS"
export ARTICLE_IDS=$IDS/articles STORY_IDS=$IDS/stories
echo "== sampled $(wc -l <"$ARTICLE_IDS") article ids and $(wc -l <"$STORY_IDS") story ids across the store"

if [ "${COLD:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
  sync; echo 3 >/proc/sys/vm/drop_caches; echo "== dropped the OS page cache"
fi
STARTED=$(date +%s.%N)
"$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$IDS"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$BASE/api/config" && break
  sleep 0.05
done
echo "== serving after $(echo "$(date +%s.%N) - $STARTED" | bc) s"

# wrk's summary: latency avg/stdev/max, p50/p99, throughput, and every kind of failure.
wrk_report() {
  grep -E '^\s+Latency|^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors|requests in'
}
if command -v wrk >/dev/null; then
  echo
  echo "== cold start: the first 10 s after the server listens, mixed varied requests, $CONCURRENCY connections, timeout 2 s"
  ENDPOINT=mixed wrk -t2 -c "$CONCURRENCY" -d 10s --timeout 2s --latency -s bench/load/varied.lua "$BASE" | wrk_report
fi
echo "== store: $(curl -sf "$BASE/api/stats" | head -c 200)…"

run() {
  local name=$1 path=$2
  local first
  # The first request is cold: dyads, story pages, searches and stats are cached per store version.
  first=$(curl -s -o /dev/null -w 'HTTP %{http_code} in %{time_total}s' "$BASE$path")
  echo
  echo "== $name, the same request repeated: GET $path (first request: $first), $CONCURRENCY connections, ${DURATION}s, $TOOL"
  if [ "$TOOL" = oha ]; then
    oha -z "${DURATION}s" -c "$CONCURRENCY" --no-tui "$BASE$path" \
      | grep -E 'Requests/sec|Success rate|50(\.00)?% in|99(\.00)?% in|\[[0-9]{3}\]'
  else
    wrk -t2 -c "$CONCURRENCY" -d "${DURATION}s" --timeout 2s --latency "$BASE$path" | wrk_report
  fi
}

# Every request different (bench/load/varied.lua draws them): caches help far less.
run_varied() {
  local name=$1 endpoint=$2
  command -v wrk >/dev/null || { echo "(varied requests need wrk)"; return; }
  echo
  echo "== $name, varied requests (bench/load/varied.lua), $CONCURRENCY connections, ${DURATION}s, wrk"
  ENDPOINT=$endpoint wrk -t2 -c "$CONCURRENCY" -d "${DURATION}s" --timeout 2s --latency \
    -s bench/load/varied.lua "$BASE" | wrk_report
}

if [ "${VARIED:-1}" = 1 ]; then
  run_varied "story list" stories
  run_varied "story page" story
  run_varied "search" search
  run_varied "dyad" dyad
  run_varied "entities" entities
  run_varied "article page" article
fi
run "story list" "/api/stories?limit=30"
run "search" "/api/search?q=sanctions%20energy&limit=20"
run "dyad" "/api/dyad?a=RUS&b=USA&period=month"

#!/usr/bin/env bash
# Load test of `newsloom serve`: builds a store of generated articles (kept and reused between
# runs), serves it on loopback, and hammers the story list, search and dyad endpoints with
# 200 concurrent connections, printing p50/p99 latency and requests per second for each.
#
#   bench/load.sh                      # 100,000 articles, 20 s per endpoint, 200 connections
#   ARTICLES=20000 DURATION=10 bench/load.sh
#   VARIED=0 bench/load.sh             # skip the varied-request runs
#
# Needs `oha` (cargo install oha) or `wrk` (apt-get install wrk). Env: ARTICLES, DURATION (s),
# CONCURRENCY, LOAD_DB (store dir, default target/load-db-$ARTICLES), PORT, CARGO_TARGET_DIR.
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

cargo build --release -q -p newsloom-cli
BIN=$TARGET/release/newsloom

if [ ! -f "$DB/newsloom.db" ]; then
  echo "== building a store of $ARTICLES generated articles in $DB"
  "$BIN" bench ingest --articles "$ARTICLES" --keep "$DB"
fi

"$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -sf "$BASE/api/stats" >/dev/null && break
  sleep 0.2
done
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
    wrk -t2 -c "$CONCURRENCY" -d "${DURATION}s" --latency "$BASE$path" \
      | grep -E '^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors|requests in'
  fi
}

# Every request different (bench/load/varied.lua draws them): caches help far less.
run_varied() {
  local name=$1 endpoint=$2
  command -v wrk >/dev/null || { echo "(varied requests need wrk)"; return; }
  echo
  echo "== $name, varied requests (bench/load/varied.lua), $CONCURRENCY connections, ${DURATION}s, wrk"
  ENDPOINT=$endpoint wrk -t2 -c "$CONCURRENCY" -d "${DURATION}s" --latency -s bench/load/varied.lua "$BASE" \
    | grep -E '^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors|requests in'
}

run "story list" "/api/stories?limit=30"
run "search" "/api/search?q=sanctions%20energy&limit=20"
run "dyad" "/api/dyad?a=RUS&b=USA&period=month"
if [ "${VARIED:-1}" = 1 ]; then
  run_varied "story list" stories
  run_varied "search" search
  run_varied "dyad" dyad
fi

#!/usr/bin/env bash
# Server CPU per request under load: starts `BIN --db DB serve` on loopback, warms it 2 s,
# then runs wrk with bench/load/varied.lua (ENDPOINT: story, search, dyad, …) and prints the
# requests, the server's CPU ms per request (/proc/PID/stat) and p50/p99.
#   bench/cpu-per-req.sh BIN DB ENDPOINT [CONNS=16] [SECS=8]   (needs wrk, python3)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN=$1 DB=$2 EP=$3 C=${4:-16} S=${5:-8} PORT=${PORT:-18490}
IDS=/tmp/cpr-ids; mkdir -p $IDS
python3 "$HERE/load/sample_ids.py" "$DB/newsloom.db" "$IDS"
"$BIN" --db "$DB" serve --addr 127.0.0.1:$PORT 2>/dev/null & SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -s -o /dev/null http://127.0.0.1:$PORT/api/config && break; sleep 0.05; done
# warm: 2 s
ARTICLE_IDS=$IDS/articles STORY_IDS=$IDS/stories ENDPOINT=$EP wrk -t2 -c$C -d2s --timeout 2s -s "$HERE/load/varied.lua" http://127.0.0.1:$PORT >/dev/null
t0=$(awk '{print $14+$15}' /proc/$SRV/stat)
OUT=$(ARTICLE_IDS=$IDS/articles STORY_IDS=$IDS/stories ENDPOINT=$EP wrk -t2 -c$C -d${S}s --timeout 2s --latency -s "$HERE/load/varied.lua" http://127.0.0.1:$PORT)
t1=$(awk '{print $14+$15}' /proc/$SRV/stat)
REQ=$(echo "$OUT" | awk '/requests in/{print $1}')
P50=$(echo "$OUT" | awk '$1=="50%"{print $2}'); P99=$(echo "$OUT" | awk '$1=="99%"{print $2}')
TICK=$(getconf CLK_TCK)
echo "endpoint=$EP conns=$C requests=$REQ cpu_ms_per_req=$(echo "scale=3; ($t1-$t0)*1000/$TICK/$REQ" | bc) p50=$P50 p99=$P99"
echo "$OUT" | grep -E "Non-2xx|Socket errors" || true

#!/usr/bin/env bash
# Story clustering: newsloom vs the TF-IDF single-pass peer on the GVA dev split, both scored
# by the team scorer (B-cubed primary, pairwise, number of stories).
#
#   bench/peers/cluster.sh [GOLD.jsonl]      (default ../shared/data/clustering/gva-dev.jsonl)
#
# The peer (shared/eval/cluster_peer.py, scikit-learn) runs in a throwaway virtualenv under
# $TMPDIR, never inside the repository. newsloom streams the file through the shipped
# clusterer via the `eval` example in release mode; it also runs the 10x replay memory check.
# Results land in $TMPDIR/newsloom-cluster/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
GOLD="$(realpath "${1:-$SHARED/data/clustering/gva-dev.jsonl}")"
TMP="${TMPDIR:-/tmp}"
OUT="$TMP/newsloom-cluster"
VENV="$TMP/skenv"
mkdir -p "$OUT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sklearn" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q scikit-learn
fi

echo "== TF-IDF single-pass peer (T=0.15, W=7, IDF fitted on the dev file)"
"$VENV/bin/python" "$SHARED/eval/cluster_peer.py" "$GOLD" "$OUT/peer.jsonl" \
  --idf-fit "$SHARED/data/clustering/gva-dev.jsonl" 2> "$OUT/peer-timing.json"
cat "$OUT/peer-timing.json"
python3 "$SHARED/eval/cluster_score.py" "$GOLD" "$OUT/peer.jsonl" > "$OUT/peer-score.json"

echo "== newsloom"
(cd "$ROOT" && cargo run -q --release -p newsloom-cluster --example cluster_eval -- "$GOLD" --out "$OUT/newsloom.jsonl" \
  | tee "$OUT/newsloom-eval.txt")
python3 "$SHARED/eval/cluster_score.py" "$GOLD" "$OUT/newsloom.jsonl" > "$OUT/newsloom-score.json"

echo "== memory over a 10x replay (dates shifted 5 years a pass)"
(cd "$ROOT" && cargo run -q --release -p newsloom-cluster --example cluster_eval -- "$GOLD" --replay 10)

echo "== side by side (team scorer)"
python3 - "$OUT/peer-score.json" "$OUT/newsloom-score.json" <<'PY'
import json, sys
rows = [("peer", json.load(open(sys.argv[1]))), ("newsloom", json.load(open(sys.argv[2])))]
print(f"{'system':<10} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} | {'pr P':>6} {'pr R':>6} {'pr F1':>6} | stories")
for name, s in rows:
    print(f"{name:<10} {s['b3_p']:>6} {s['b3_r']:>6} {s['b3_f1']:>6} | {s['pair_p']:>6} {s['pair_r']:>6} "
          f"{s['pair_f1']:>6} | {s['pred_clusters']}")
PY

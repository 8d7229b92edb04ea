#!/usr/bin/env bash
# Old vs new extraction on the same pages: runs two builds of the newsloom-extract
# `extract_eval` example over each gold set with --save-predictions and counts the pages whose
# body, title, author or date differ (a speed change must leave them all equal).
#
#   bench/extract-same.sh OLD/extract_eval NEW/extract_eval [GOLD.jsonl ...]
#       (default: ../shared/data/extraction/{scrapinghub-aeb,trafilatura-eval}/ground-truth.jsonl)
#
# Build the old one from a worktree of the old commit, e.g.
#   git worktree add /tmp/old main && (cd /tmp/old && cargo build --release -p newsloom-extract --example extract_eval)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
OLD="$1"; NEW="$2"; shift 2
if [ "$#" -gt 0 ]; then GOLDS=("$@"); else
  GOLDS=("$SHARED/data/extraction/scrapinghub-aeb/ground-truth.jsonl"
         "$SHARED/data/extraction/trafilatura-eval/ground-truth.jsonl"); fi
OUT="${TMPDIR:-/tmp}/newsloom-extract-same"
mkdir -p "$OUT"
status=0
for GOLD in "${GOLDS[@]}"; do
  SET="$(basename "$(dirname "$(realpath "$GOLD")")")"
  "$OLD" "$GOLD" --save-predictions "$OUT/$SET-old.jsonl" > /dev/null
  "$NEW" "$GOLD" --save-predictions "$OUT/$SET-new.jsonl" > /dev/null
  python3 - "$OUT/$SET-old.jsonl" "$OUT/$SET-new.jsonl" "$SET" <<'PY' || status=1
import json, sys
old = [json.loads(l) for l in open(sys.argv[1])]
new = [json.loads(l) for l in open(sys.argv[2])]
assert len(old) == len(new), "different page counts"
diff = 0
for a, b in zip(old, new):
    fields = [k for k in ("body", "title", "author", "date") if a.get(k) != b.get(k)]
    if fields:
        diff += 1
        print(f"  differs: {a['id']} ({', '.join(fields)})")
print(f"{sys.argv[3]}: {len(old)} pages, {diff} differ")
sys.exit(1 if diff else 0)
PY
done
exit $status

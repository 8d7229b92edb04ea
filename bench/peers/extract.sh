#!/usr/bin/env bash
# Extraction: newsloom vs trafilatura (and readability-lxml when it installs) on the dev halves of
# the scrapinghub article-extraction-benchmark and the trafilatura evaluation set, all scored by
# the same metrics (shared/eval/extraction_peer.py for the peers, `newsloom eval extract` for
# newsloom, which implements the same arithmetic), timed in the same run, one core, pages in
# memory, extractor call only.
#
#   bench/peers/extract.sh [GOLD.jsonl ...]
#       (default: ../shared/data/extraction/{scrapinghub-aeb,trafilatura-eval}/ground-truth.jsonl)
#
# The peers run in a throwaway virtualenv under $TMPDIR (never inside the repository).
# newsloom runs `newsloom eval extract --gold … --json` from a release build; if the CLI is not
# available it falls back to the newsloom-extract `eval` example (same function). USE_CLI=0 skips
# the CLI (and its long release build of the whole workspace) and runs the example only.
# Results land in $TMPDIR/newsloom-extract-bench/. "docs/s" is wall-clock over the extractor calls
# (as the peer script times them); "cpu d/s" is newsloom's docs per CPU-second of the extracting
# thread, which stays stable when other processes compete for the core.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
TMP="${TMPDIR:-/tmp}"
OUT="$TMP/newsloom-extract-bench"
VENV="$TMP/extract-peer-venv"
mkdir -p "$OUT"
if [ "$#" -gt 0 ]; then
  GOLDS=("$@")
else
  GOLDS=("$SHARED/data/extraction/scrapinghub-aeb/ground-truth.jsonl"
         "$SHARED/data/extraction/trafilatura-eval/ground-truth.jsonl")
fi

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import trafilatura" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "trafilatura==2.3.1" || "$VENV/bin/pip" install -q trafilatura
fi
PEERS=trafilatura
if "$VENV/bin/python" -c "import readability, html_text" 2>/dev/null \
   || "$VENV/bin/pip" install -q readability-lxml html-text lxml_html_clean 2>/dev/null; then
  "$VENV/bin/python" -c "import readability, html_text" 2>/dev/null && PEERS=trafilatura,readability
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
USE_CLI="${USE_CLI:-1}"
CLI="$CARGO_TARGET_DIR/release/newsloom"
if [ "$USE_CLI" = 1 ]; then
  # A failed build must not leave a stale binary in use.
  (cd "$ROOT" && cargo build -q --release -p newsloom-cli 2>/dev/null) || CLI=/nonexistent
else
  CLI=/nonexistent
fi
(cd "$ROOT" && cargo build -q --release -p newsloom-extract --example extract_eval)

for GOLD in "${GOLDS[@]}"; do
  GOLD="$(realpath "$GOLD")"
  SET="$(basename "$(dirname "$GOLD")")"
  echo "== $SET: peers ($PEERS)" >&2
  "$VENV/bin/python" "$SHARED/eval/extraction_peer.py" "$GOLD" --extractor "$PEERS" --bootstrap 0 --json \
    2> "$OUT/$SET-peers.err" | grep '^{' > "$OUT/$SET-peers.jsonl"
  echo "== $SET: newsloom" >&2
  if [ -x "$CLI" ] && \
     "$CLI" eval extract --gold "$GOLD" --json > "$OUT/$SET-newsloom.json" 2> "$OUT/$SET-newsloom.err"; then
    :
  else
    "$CARGO_TARGET_DIR/release/examples/extract_eval" "$GOLD" --json | grep '^{' > "$OUT/$SET-newsloom.json"
  fi
done

python3 - "$OUT" "${GOLDS[@]}" <<'PY'
import json, os, sys
out, golds = sys.argv[1], sys.argv[2:]
def f(v):
    return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) and v <= 1.0 else f"{v:.1f}")
print(f"{'set':<18} {'system':<22} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'author':>6} {'date':>6} {'docs/s':>8} {'× traf':>7} {'cpu d/s':>8} {'RSS MB':>7}")
for gold in golds:
    s = os.path.basename(os.path.dirname(os.path.realpath(gold)))
    rows = []
    for line in open(os.path.join(out, f"{s}-peers.jsonl")):
        r = json.loads(line)
        main = r.get("body") or r.get("snippets") or {}
        meta = r.get("metadata", {})
        rows.append((r["name"], main.get("precision"), main.get("recall"), main.get("f1"),
                     *(meta.get(k, {}).get("exact") for k in ("title", "author", "date")),
                     r.get("timing", {}).get("docs_per_s"), None, None))
    text = open(os.path.join(out, f"{s}-newsloom.json")).read()
    try:
        m = json.loads(text)
    except json.JSONDecodeError:
        m = json.loads(text.strip().splitlines()[-1])
    m = m.get("metrics", m)
    rows.append(("newsloom", m.get("precision"), m.get("recall"), m.get("f1"), m.get("title_exact"),
                 m.get("author_exact"), m.get("date_exact"), m.get("docs_per_s"), m.get("peak_rss_mb"),
                 m.get("docs_per_cpu_s")))
    traf = next((r[7] for r in rows if r[0].startswith("trafilatura")), None)
    for r in rows:
        ratio = f"{r[7] / traf:.1f}" if traf and r[7] else "-"
        print(f"{s:<18} {r[0]:<22} {f(r[1]):>6} {f(r[2]):>6} {f(r[3]):>6} {f(r[4]):>6} {f(r[5]):>6} {f(r[6]):>6} "
              f"{f(r[7]):>8} {ratio:>7} {f(r[9]):>8} {f(r[8]):>7}")
PY

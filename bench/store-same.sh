#!/usr/bin/env bash
# Old vs new store writer on the same stream: runs `bench ingest` with two builds and compares
# every table of the two stores row by row (rowid order where a table has one; `ingested_at`
# and reject times left out; values deflated by the store are inflated first; the bench's
# temporary corpus path, which is in each article's origin, is masked). A writer change that
# stores the same data prints every table as `same`.
#
#   bench/store-same.sh OLD/newsloom NEW/newsloom [ARTICLES]   (default 3000)
set -euo pipefail
OLD="$1"; NEW="$2"; N="${3:-3000}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$OLD" bench ingest --articles "$N" --keep "$OUT/old" --json > /dev/null 2>&1
"$NEW" bench ingest --articles "$N" --keep "$OUT/new" --json > /dev/null 2>&1
python3 - "$OUT/old/newsloom.db" "$OUT/new/newsloom.db" <<'PY'
import re, sqlite3, sys, zlib
def rows(path, table):
    c = sqlite3.connect(path)
    try:
        cur = c.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid')
    except sqlite3.OperationalError:  # WITHOUT ROWID
        cur = c.execute(f'SELECT NULL, * FROM "{table}"')
    names = ["rowid"] + [d[0] for d in cur.description[1:]]
    def norm(v):
        if isinstance(v, bytes):
            try:
                v = zlib.decompress(v, -15).decode()
            except Exception:
                return v
        return re.sub(r"/tmp/\.tmp\w+", "TMP", v) if isinstance(v, str) else v
    out = [tuple(norm(v) for n, v in zip(names, r) if n not in ("ingested_at", "at")) for r in cur]
    return out if names[0] == "rowid" and out and out[0][0] is not None else sorted(out, key=repr)
old, new = sys.argv[1], sys.argv[2]
tables = [t for (t,) in sqlite3.connect(old).execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
bad = 0
for t in tables:
    a, b = rows(old, t), rows(new, t)
    same = a == b
    bad += not same
    print(f"{t:20} {len(a):>8} rows  {'same' if same else f'DIFFERENT ({len(b)} rows)'}")
sys.exit(1 if bad else 0)
PY

"""Writes DIR/articles and DIR/stories: about N (default 20,000) article and story ids each,
sampled evenly across the store, for bench/load/varied.lua (ARTICLE_IDS, STORY_IDS). N is well
above the server's answer caches (4,096 story pages), so most requests are ones it has not seen.

    python3 bench/load/sample_ids.py STORE/newsloom.db DIR [N]
"""
import sqlite3
import sys

N = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = db.execute("SELECT MAX(seq) FROM articles").fetchone()[0] or 1
step = max(1, n // N)
with open(f"{sys.argv[2]}/articles", "w") as f:
    for (i,) in db.execute("SELECT id FROM articles WHERE seq % ? = 0", (step,)):
        f.write(i + "\n")
m = db.execute("SELECT COUNT(*) FROM stories").fetchone()[0] or 1
with open(f"{sys.argv[2]}/stories", "w") as f:
    for (i,) in db.execute("SELECT id FROM stories WHERE rowid % ? = 0", (max(1, m // N),)):
        f.write(i + "\n")

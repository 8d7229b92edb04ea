//! `newsloom eval crosslingual`: the cross-lingual checks of `shared/data/crosslingual/`,
//! each run without and (when a model is given) with sentence embeddings.
//!
//! * A clustering file (`meantime-dev.jsonl`: `id`, `story`, `lang`, …) is streamed through
//!   the clusterer: B³ and pairwise scores, pair P/R/F1 over article pairs in different
//!   languages, and how many stories ended with every language version together.
//! * A pair file (`semeval22-hfl-dev.jsonl`: `text1`, `text2`, `overall` 1 = same … 4 =
//!   unrelated) is scored pair by pair. The primary (`lexical`) similarity is the graded
//!   score of [`crate::pairsim`]: a ridge regression over language-independent cosines and
//!   the clusterer's join score, [`pairsim::SHIPPED`] weights, or refitted on the other
//!   folds under `--folds` (never on the fold scored). `join_p`, for reference, is the
//!   clusterer's join probability of the second article for a story holding the first
//!   (document frequencies warmed on all texts of the file). Pearson correlation with the
//!   gold (sign flipped, so higher is better) per language pair and overall, and pair F1 of
//!   the join decision with "same story" = `overall` ≤ 2.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use newsloom_model::{Article, EvalReport};
use serde_json::{Map, Value, json};

use crate::doc::Analysed;
use crate::embedding::{embed_articles, model_dir};
use crate::eval::{GoldArticle, jsonl_records, read_gold, score, stream_with};
use crate::{ClusterConfig, OnlineClusterer, StoryClusterer, pairsim};

/// Runs the check that fits `gold` (detected from its first record). The embedding model is
/// `embed_model`, else `NEWSLOOM_EMBED_MODEL`; without either only the lexical run is made.
pub fn run_crosslingual(gold: &Path, embed_model: Option<&Path>) -> Result<EvalReport, String> {
    run_crosslingual_trained(gold, embed_model, None)
}

/// [`run_crosslingual`] with the pair score refitted on the pairs of `train` (the other
/// folds of `--folds`); a story file ignores `train`.
pub fn run_crosslingual_trained(
    gold: &Path,
    embed_model: Option<&Path>,
    train: Option<&Path>,
) -> Result<EvalReport, String> {
    let first = first_record(gold)?;
    let model = model_dir(embed_model);
    if first.get("text1").is_some() && first.get("text2").is_some() {
        run_pairs(gold, model.as_deref(), train)
    } else if first.get("story").or_else(|| first.get("cluster")).is_some() {
        run_stories(gold, model.as_deref())
    } else {
        Err(format!("{}: neither a pair file (text1, text2) nor a story file (story)", gold.display()))
    }
}

fn first_record(path: &Path) -> Result<Value, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if !line.trim().is_empty() {
            return serde_json::from_str(&line).map_err(|e| format!("{}:1: {e}", path.display()));
        }
    }
    Err(format!("{}: empty", path.display()))
}

fn r4(x: f64) -> Value {
    if x.is_finite() { json!((x * 10_000.0).round() / 10_000.0) } else { Value::Null }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
}

/// Pearson correlation (NaN when either side is constant or there are fewer than 2 points).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let (mx, my) = (x[..n].iter().sum::<f64>() / n as f64, y[..n].iter().sum::<f64>() / n as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (a, b) = (x[i] - mx, y[i] - my);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if sxx <= 0.0 || syy <= 0.0 { f64::NAN } else { sxy / (sxx * syy).sqrt() }
}

/// Precision, recall and F1 of "same story" over article pairs in different languages.
fn cross_language_pairs(items: &[GoldArticle], pred: &[String]) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0u64, 0u64, 0u64);
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            if items[i].article.language == items[j].article.language {
                continue;
            }
            let g = items[i].cluster == items[j].cluster;
            let p = pred[i] == pred[j];
            match (g, p) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
    }
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fneg > 0 { tp as f64 / (tp + fneg) as f64 } else { 0.0 };
    (p, r, f1(p, r))
}

/// Gold stories whose articles all ended in one predicted story.
fn stories_joined(items: &[GoldArticle], pred: &[String]) -> (usize, usize) {
    let mut by_gold: HashMap<&str, Vec<&str>> = HashMap::new();
    for (it, p) in items.iter().zip(pred) {
        by_gold.entry(it.cluster.as_str()).or_default().push(p.as_str());
    }
    let joined = by_gold.values().filter(|ps| ps.iter().all(|p| *p == ps[0])).count();
    (joined, by_gold.len())
}

fn run_stories(gold: &Path, model: Option<&Path>) -> Result<EvalReport, String> {
    let items = read_gold(gold)?;
    let cfg = ClusterConfig::default();
    let embs = match model {
        Some(m) => Some(embed_articles(m, &items.iter().map(|i| &i.article).collect::<Vec<_>>())?),
        None => None,
    };
    let gold_labels: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
    let mut m = Map::new();
    m.insert("articles".into(), json!(items.len()));
    let mut human = format!(
        "crosslingual stories: {} ({} articles)\n{:<10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7}\n",
        gold.display(),
        items.len(),
        "run",
        "B3 P",
        "B3 R",
        "B3 F1",
        "pair F1",
        "xl P",
        "xl R",
        "xl F1",
        "joined"
    );
    let runs: Vec<(&str, Option<&[Vec<f32>]>)> = match &embs {
        Some(e) => vec![("lexical", None), ("embed", Some(e.as_slice()))],
        None => vec![("lexical", None)],
    };
    for (name, e) in runs {
        let run = stream_with(&items, &cfg, e);
        let s = score(&gold_labels, &run.labels);
        let (xp, xr, xf) = cross_language_pairs(&items, &run.labels);
        let (joined, stories) = stories_joined(&items, &run.labels);
        let sfx = if name == "lexical" { String::new() } else { format!("_{name}") };
        for (k, v) in [
            ("b3_p", s.b3_p),
            ("b3_r", s.b3_r),
            ("b3_f1", s.b3_f1),
            ("pair_p", s.pair_p),
            ("pair_r", s.pair_r),
            ("pair_f1", s.pair_f1),
            ("xlang_pair_p", xp),
            ("xlang_pair_r", xr),
            ("xlang_pair_f1", xf),
        ] {
            m.insert(format!("{k}{sfx}"), r4(v));
        }
        if name == "lexical" {
            // The plain keys every eval task reports: the primary metric (B³) of the lexical run.
            m.insert("precision".into(), r4(s.b3_p));
            m.insert("recall".into(), r4(s.b3_r));
            m.insert("f1".into(), r4(s.b3_f1));
        }
        m.insert(format!("stories_joined{sfx}"), json!(joined));
        m.insert(format!("stories{sfx}"), json!(s.pred_clusters));
        m.insert("gold_stories".into(), json!(stories));
        human.push_str(&format!(
            "{name:<10} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>8.4} {:>4}/{}\n",
            s.b3_p, s.b3_r, s.b3_f1, s.pair_f1, xp, xr, xf, joined, stories
        ));
    }
    match &embs {
        Some(e) => {
            let (p1, mrr, n) = retrieval(&items, e);
            m.insert("emb_retrieval_p1".into(), r4(p1));
            m.insert("emb_retrieval_mrr".into(), r4(mrr));
            human.push_str(&format!(
                "embedding alone, each of {n} non-English articles ranking the English ones: P@1 {p1:.4} MRR {mrr:.4}\n"
            ));
        }
        None => human.push_str("(no embedding model given: lexical run only)\n"),
    }
    human.push_str("xl = pairs of articles in different languages; joined = gold stories kept whole\n");
    Ok(EvalReport { task: "crosslingual".into(), metrics: m, human })
}

/// Cross-lingual retrieval by embedding cosine: each article not in English ranks the
/// English ones; P@1 and MRR of its gold story's English version.
fn retrieval(items: &[GoldArticle], embs: &[Vec<f32>]) -> (f64, f64, usize) {
    let is_en = |i: usize| items[i].article.language.as_deref() == Some("en");
    let en: Vec<usize> = (0..items.len()).filter(|&i| is_en(i)).collect();
    let (mut p1, mut rr, mut n) = (0.0, 0.0, 0usize);
    for q in (0..items.len()).filter(|&i| !is_en(i)) {
        let Some(&gold) = en.iter().find(|&&e| items[e].cluster == items[q].cluster) else { continue };
        let g = newsloom_cosine(&embs[q], &embs[gold]);
        let rank = 1 + en.iter().filter(|&&e| e != gold && newsloom_cosine(&embs[q], &embs[e]) > g).count();
        n += 1;
        p1 += f64::from(u8::from(rank == 1));
        rr += 1.0 / rank as f64;
    }
    let d = n.max(1) as f64;
    (p1 / d, rr / d, n)
}

struct Pair {
    lang: String,
    a: Article,
    b: Article,
    overall: f64,
}

/// Headline = the first line (the pair texts are "title\nbody").
fn article(id: String, text: &str, lang: &str) -> Article {
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    Article {
        id,
        title: title.trim().to_string(),
        body: body.trim().to_string(),
        language: Some(lang.to_string()),
        ..Default::default()
    }
}

fn read_pairs(path: &Path) -> Result<Vec<Pair>, String> {
    let mut out = Vec::new();
    for (n, v) in jsonl_records(path)? {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
        let overall = v
            .get("overall")
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("{}:{n}: no overall", path.display()))?;
        let id = s("pair_id");
        let (l1, l2) = (s("lang1"), s("lang2"));
        let mut langs = [l1, l2];
        langs.sort_unstable();
        out.push(Pair {
            lang: format!("{}-{}", langs[0], langs[1]),
            a: article(format!("{id}/1"), s("text1"), l1),
            b: article(format!("{id}/2"), s("text2"), l2),
            overall,
        });
    }
    Ok(out)
}

/// Per pair, as the clusterer computes it: the join probability of `b` for a story made of
/// `a` (1 when `b` is a near-duplicate of `a`) and the logit behind it; with `both`, the
/// mean of that and the reverse (`a` for a story made of `b`). Document frequencies are
/// warmed on the texts of `pairs` and of `more` (unlabelled context).
fn join_scores(pairs: &[Pair], more: &[Pair], embs: Option<&[Vec<f32>]>, both: bool) -> Vec<(f64, f32)> {
    let cfg = ClusterConfig::default();
    let mut warm = OnlineClusterer::with_config(cfg.clone());
    for p in pairs.iter().chain(more) {
        warm.warm(&p.a);
        warm.warm(&p.b);
    }
    let mut corpus = warm.corpus().clone();
    corpus.forget_lines();
    let analysed = |a: &Article, i: usize| {
        let an = Analysed::new(a);
        match embs.and_then(|e| e.get(i)) {
            Some(v) => an.with_embedding(v.clone()),
            None => an,
        }
    };
    let one = |a: &Article, ia: usize, b: &Article, ib: usize| -> (f64, f32) {
        let mut c = OnlineClusterer::with_corpus(cfg.clone(), corpus.clone());
        let story = c.assign_analysed(a, &[], analysed(a, ia)).story;
        let prep = c.prepare_analysed(b, &[], analysed(b, ib));
        if prep.copy.is_some() {
            return (1.0, 12.0);
        }
        let k = c.score_against(&prep, &story);
        k.map_or((0.0, -12.0), |k| (f64::from(k.p), crate::scorer::logit(&cfg.weights, &k.features)))
    };
    pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ab = one(&p.a, 2 * i, &p.b, 2 * i + 1);
            if !both {
                return ab;
            }
            let ba = one(&p.b, 2 * i + 1, &p.a, 2 * i);
            ((ab.0 + ba.0) / 2.0, (ab.1 + ba.1) / 2.0)
        })
        .collect()
}

/// The regression inputs of every pair ([`pairsim::inputs`]), document frequencies taken
/// over all texts of `pairs` and of `more`; the join scores with the same context.
fn pair_inputs(pairs: &[Pair], more: &[Pair]) -> Vec<[f64; pairsim::NX]> {
    let joins = join_scores(pairs, more, None, true);
    let views_of = |ps: &[Pair]| -> Vec<(pairsim::Views, pairsim::Views)> {
        ps.iter()
            .map(|p| (pairsim::Views::new(&p.a.title, &p.a.body), pairsim::Views::new(&p.b.title, &p.b.body)))
            .collect()
    };
    let views = views_of(pairs);
    let mut df = pairsim::Df::default();
    for (a, b) in views.iter().chain(&views_of(more)) {
        df.observe(a);
        df.observe(b);
    }
    views
        .iter()
        .zip(pairs)
        .zip(&joins)
        .map(|(((a, b), p), j)| {
            pairsim::inputs(df.cosines(a, b), *j, p.a.language != p.b.language, (a.words, b.words))
        })
        .collect()
}

/// Fits the pair score on the pairs of a file, `more` serving only as unlabelled context for
/// document frequencies (`examples/fit_pairsim.rs` prints [`pairsim::SHIPPED`]).
fn fit_pairs(pairs: &[Pair], more: &[Pair]) -> pairsim::Model {
    pairsim::fit(&pair_inputs(pairs, more), &targets(pairs), pairsim::LAMBDA)
}

/// What the pair score is fitted to: the negated "overall" grade (1 = same story, 4 = unrelated).
fn targets(pairs: &[Pair]) -> Vec<f64> {
    pairs.iter().map(|p| -p.overall).collect()
}

/// Fits the pair score on a pair file (`examples/fit_pairsim.rs`).
pub fn fit_pair_model(t: &Path) -> Result<pairsim::Model, String> {
    Ok(fit_pairs(&read_pairs(t)?, &[]))
}

fn run_pairs(gold: &Path, model: Option<&Path>, train: Option<&Path>) -> Result<EvalReport, String> {
    let pairs = read_pairs(gold)?;
    // Under --folds the score is refitted on the other folds; their texts (no labels) and
    // the fold's own serve both sides as context for document frequencies.
    // The training pairs with their inputs, computed once for the lexical and the encoder fit.
    let train_set = match train {
        Some(t) => {
            let tp = read_pairs(t)?;
            let txs = pair_inputs(&tp, &pairs);
            Some((tp, txs))
        }
        None => None,
    };
    let fitted = match &train_set {
        Some((tp, txs)) => pairsim::fit(txs, &targets(tp), pairsim::LAMBDA),
        None => pairsim::SHIPPED,
    };
    let more: &[Pair] = train_set.as_ref().map_or(&[], |(tp, _)| tp);
    let embs = match model {
        Some(m) => Some(pair_embeddings(m, &pairs)?),
        None => None,
    };
    let threshold = f64::from(ClusterConfig::default().join_threshold);
    let joins = join_scores(&pairs, &[], None, false);
    let xs = pair_inputs(&pairs, more);
    let graded = xs.iter().map(|x| fitted.score(x)).collect();
    let mut sims: Vec<(&str, Vec<f64>)> =
        vec![("lexical", graded), ("join_p", joins.iter().map(|j| j.0).collect())];
    if let (Some(e), Some(m)) = (&embs, model) {
        sims.push(("embed", join_scores(&pairs, &[], Some(e), false).iter().map(|j| j.0).collect()));
        // The encoder alone, for reference: cosine of the two embeddings.
        let cos = pair_cosines(e);
        // The graded score with the encoder's cosine among its inputs, fitted on the other
        // folds under --folds; without them on this file itself (in-sample, as the shipped
        // lexical weights are on the dev file).
        let with_e = |xs: &[[f64; pairsim::NX]], ps: &[Pair], cos: &[f64]| -> Vec<[f64; pairsim::NXE]> {
            xs.iter()
                .zip(ps)
                .zip(cos)
                .map(|((x, p), &c)| pairsim::with_embedding(x, c, p.a.language != p.b.language))
                .collect()
        };
        let xe = with_e(&xs, &pairs, &cos);
        let fitted_e = match &train_set {
            None => pairsim::fit(&xe, &targets(&pairs), pairsim::LAMBDA),
            Some((tp, txs)) => {
                let tcos = pair_cosines(&pair_embeddings(m, tp)?);
                pairsim::fit(&with_e(txs, tp, &tcos), &targets(tp), pairsim::LAMBDA)
            }
        };
        sims.push(("lex_embed", xe.iter().map(|x| fitted_e.score(x)).collect()));
        sims.push(("emb_cos", cos));
    }
    let mut langs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in pairs.iter().enumerate() {
        langs.entry(p.lang.as_str()).or_default().push(i);
    }
    let gold_v: Vec<f64> = pairs.iter().map(|p| p.overall).collect();
    let mut m = Map::new();
    m.insert("pairs".into(), json!(pairs.len()));
    let mut human = format!(
        "crosslingual pairs: {} ({} pairs); Pearson with -overall (higher is better)\n{:<8} {:>5}",
        gold.display(),
        pairs.len(),
        "langs",
        "n"
    );
    for (name, _) in &sims {
        human.push_str(&format!(" {name:>9}"));
    }
    human.push('\n');
    let mut rows: Vec<(&str, Vec<usize>)> = vec![("all", (0..pairs.len()).collect())];
    rows.extend(langs);
    for (lang, idx) in &rows {
        human.push_str(&format!("{lang:<8} {:>5}", idx.len()));
        let g: Vec<f64> = idx.iter().map(|&i| -gold_v[i]).collect();
        for (name, s) in &sims {
            let x: Vec<f64> = idx.iter().map(|&i| s[i]).collect();
            let r = pearson(&x, &g);
            let sfx = if *name == "lexical" { String::new() } else { format!("_{name}") };
            m.insert(format!("pearson_{}{sfx}", lang.replace('-', "_")), r4(r));
            human.push_str(&format!(" {r:>9.4}"));
        }
        human.push('\n');
    }
    // Pair F1 of the join decision, "same story" = overall ≤ 2.
    for (name, s) in sims.iter().filter(|(n, _)| *n == "join_p" || *n == "embed") {
        let (mut tp, mut fp, mut fneg) = (0u32, 0u32, 0u32);
        for (i, &sim) in s.iter().enumerate() {
            match (gold_v[i] <= 2.0, sim >= threshold) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
        let p = if tp + fp > 0 { f64::from(tp) / f64::from(tp + fp) } else { 0.0 };
        let r = if tp + fneg > 0 { f64::from(tp) / f64::from(tp + fneg) } else { 0.0 };
        let sfx = if *name == "join_p" { String::new() } else { format!("_{name}") };
        m.insert(format!("same_story_p{sfx}"), r4(p));
        m.insert(format!("same_story_r{sfx}"), r4(r));
        m.insert(format!("same_story_f1{sfx}"), r4(f1(p, r)));
        human.push_str(&format!(
            "same story (overall <= 2) at join threshold {threshold:.3}, {name}: P {p:.4} R {r:.4} F1 {:.4}\n",
            f1(p, r)
        ));
    }
    if embs.is_none() {
        human.push_str("(no embedding model given: lexical run only)\n");
    }
    Ok(EvalReport { task: "crosslingual".into(), metrics: m, human })
}

/// The embeddings of every pair's two articles, in order (a, b, a, b, …).
fn pair_embeddings(model: &Path, pairs: &[Pair]) -> Result<Vec<Vec<f32>>, String> {
    let arts: Vec<&Article> = pairs.iter().flat_map(|p| [&p.a, &p.b]).collect();
    embed_articles(model, &arts)
}

/// The cosine of each pair's two embeddings (laid out as [`pair_embeddings`] gives them).
fn pair_cosines(e: &[Vec<f32>]) -> Vec<f64> {
    e.chunks(2).map(|ab| f64::from(newsloom_cosine(&ab[0], &ab[1]))).collect()
}

fn newsloom_cosine(a: &[f32], b: &[f32]) -> f32 {
    let d: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let (na, nb) = (a.iter().map(|x| x * x).sum::<f32>().sqrt(), b.iter().map(|x| x * x).sum::<f32>().sqrt());
    if na > 0.0 && nb > 0.0 { d / (na * nb) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_a_line_is_one() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert!(pearson(&[1.0, 1.0], &[1.0, 2.0]).is_nan());
    }

    fn tmp(name: &str, lines: &[Value]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("newsloom-xl-{}-{name}", std::process::id()));
        let text: Vec<String> = lines.iter().map(Value::to_string).collect();
        std::fs::write(&p, text.join("\n")).expect("write fixture");
        p
    }

    #[test]
    fn a_story_file_reports_cross_language_scores() {
        let rec = |id: &str, story: &str, lang: &str, title: &str, text: &str| json!({"id": id, "story": story, "lang": lang, "title": title, "text": text, "date": "2010-05-02"});
        let p = tmp(
            "stories.jsonl",
            &[
                rec(
                    "a-en",
                    "a",
                    "en",
                    "Norvik Air orders 12 jets",
                    "Norvik Air ordered 12 Corvel jets worth 900 million.",
                ),
                rec(
                    "a-es",
                    "a",
                    "es",
                    "Norvik Air encarga 12 aviones",
                    "Norvik Air encargó 12 aviones Corvel por 900 millones.",
                ),
                rec(
                    "b-en",
                    "b",
                    "en",
                    "Tessa Lund wins the Orban prize",
                    "Writer Tessa Lund won the Orban prize in Malmby.",
                ),
                rec(
                    "b-es",
                    "b",
                    "es",
                    "Tessa Lund gana el premio Orban",
                    "La escritora Tessa Lund ganó el premio Orban en Malmby.",
                ),
            ],
        );
        let r = run_crosslingual(&p, None).expect("runs without a model");
        let _ = std::fs::remove_file(&p);
        assert_eq!(r.metrics["gold_stories"], json!(2));
        for k in ["b3_f1", "xlang_pair_f1", "stories_joined"] {
            assert!(r.metrics.contains_key(k), "{k} missing: {:?}", r.metrics);
        }
        assert!(r.human.contains("lexical"));
    }

    #[test]
    fn a_pair_file_reports_pearson_per_language_pair() {
        let pair = |id: &str, l1: &str, l2: &str, t1: &str, t2: &str, o: f64| json!({"pair_id": id, "lang1": l1, "lang2": l2, "text1": t1, "text2": t2, "overall": o});
        let fire =
            "Fire at Dunmore mill\nA fire destroyed the Dunmore paper mill on Sunday, firefighters said.";
        let p = tmp(
            "pairs.jsonl",
            &[
                pair(
                    "1_2",
                    "en",
                    "en",
                    fire,
                    "Dunmore mill burns\nThe Dunmore paper mill was destroyed by fire on Sunday.",
                    1.0,
                ),
                pair(
                    "3_4",
                    "en",
                    "en",
                    fire,
                    "Vote on harbour tax\nThe Kestrel council votes on a harbour tax next week.",
                    4.0,
                ),
                pair(
                    "5_6",
                    "de",
                    "en",
                    "Brand in Dunmore\nEin Feuer zerstörte am Sonntag die Papierfabrik Dunmore.",
                    fire,
                    1.5,
                ),
                pair(
                    "7_8",
                    "de",
                    "en",
                    "Wahl in Kestrel\nDer Stadtrat von Kestrel stimmt über eine Hafensteuer ab.",
                    fire,
                    3.5,
                ),
            ],
        );
        let r = run_crosslingual(&p, None).expect("runs without a model");
        // Refitted on a training file (here the same pairs, as --folds does with the others).
        let t = run_crosslingual_trained(&p, None, Some(&p)).expect("refits the pair score");
        let _ = std::fs::remove_file(&p);
        assert!(t.metrics["pearson_all"].as_f64().expect("defined") > 0.0, "{}", t.human);
        assert_eq!(r.metrics["pairs"], json!(4));
        let all = r.metrics["pearson_all"].as_f64().expect("defined");
        assert!(all > 0.0, "similar pairs should score higher: {}", r.human);
        assert!(r.metrics.contains_key("pearson_de_en") && r.metrics.contains_key("same_story_f1"));
    }

    #[test]
    fn retrieval_ranks_the_english_version() {
        let g = |id: &str, story: &str, lang: &str| GoldArticle {
            article: Article { id: id.into(), language: Some(lang.into()), ..Default::default() },
            cluster: story.into(),
        };
        let items = [g("a", "s1", "en"), g("b", "s2", "en"), g("c", "s1", "es"), g("d", "s2", "es")];
        // c is nearest to its own English version; d is nearer to the wrong one.
        let e = [vec![1.0, 0.0], vec![0.0, 1.0], vec![0.9, 0.1], vec![0.8, 0.2]];
        let (p1, mrr, n) = retrieval(&items, &e);
        assert_eq!(n, 2);
        assert!((p1 - 0.5).abs() < 1e-9 && (mrr - 0.75).abs() < 1e-9);
    }

    #[test]
    fn an_unknown_file_is_an_error() {
        let p = tmp("other.jsonl", &[json!({"foo": 1})]);
        assert!(run_crosslingual(&p, None).is_err());
        let _ = std::fs::remove_file(&p);
        assert!(run_crosslingual(Path::new("/nonexistent/x.jsonl"), None).is_err());
    }
}

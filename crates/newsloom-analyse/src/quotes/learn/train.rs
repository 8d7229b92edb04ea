//! Training the attribution tagger on PolNeAR-style gold (`polnear-train.jsonl`), and
//! cross-validation by publisher folds.

use super::super::QuoteExtractor;
use super::super::eval::{QuoteMetrics, evaluate};
use super::super::find::{Hit, find_hits};
use super::super::gold::{GoldArticle, read_gold};
use super::super::reported::hit_for_cue;
use super::super::text::{CharMap, Doc};
use super::QuoteModel;
use super::align::{GoldTok, TokChars, align, overlap};
use super::cue::{self, CueWords, RuleUse, Words};
use super::perceptron::{Trainer, Weights};
use super::{content, ends, speaker};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// Training settings. The defaults are what ships; they were chosen by publisher-grouped
/// cross-validation on the training file, not on dev.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes of the cue tagger over the training tokens…
    pub epochs: usize,
    /// …and of the span and speaker scorers over their examples.
    pub span_epochs: usize,
    /// Table sizes (2^bits slots) of the cue tagger, span scorer and speaker scorer.
    pub cue_bits: u8,
    pub span_bits: u8,
    pub speaker_bits: u8,
    /// Averaged weights smaller than this are dropped from the model.
    pub prune: f32,
    /// A token is a cue when it scores above this.
    pub threshold: f32,
    /// A candidate content counts as right when its overlap with the gold content is at least
    /// 0.5 and within this of the best candidate's.
    pub span_slack: f32,
    /// Features seen in fewer training examples than this are not learnt.
    pub min_count: usize,
    /// Tokens scoring above this count as cues a content should not hold (a feature).
    pub floor: f32,
    /// A content never holds another cue scoring above this.
    pub block: f32,
    /// Parts the training articles are split into for out-of-fold cue scores.
    pub jackknife: usize,
    /// The tagger reads the stems that carried a gold cue at least this often…
    pub cue_min: usize,
    /// …except those seen at least `stop_count` times that carried one in at most
    /// `stop_share` of their uses (`in`, `is`).
    pub stop_count: usize,
    pub stop_share: f32,
    /// Varies the training order (0 = the shipped model's): runs with a few seeds show how
    /// much of a difference between two settings is the perceptron's sensitivity to order.
    pub seed: u64,
    /// Each table is the mean of this many perceptrons trained in different orders: one
    /// perceptron's weights depend on the order it saw the examples in (F1 moves by ±0.3 on the
    /// folds from order alone); the mean does not, and costs nothing at run time.
    pub orders: usize,
    /// Trains a second-pass cue tagger on the first pass's out-of-fold scores (stacking).
    pub stack: bool,
    /// Trains the end scorer of right-hand contents ([`ends`]) and its table size.
    pub ends: bool,
    pub end_bits: u8,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 3,
            span_epochs: 3,
            cue_bits: 16,
            span_bits: 15,
            speaker_bits: 13,
            prune: 0.2,
            threshold: -1.0,
            span_slack: 0.1,
            min_count: 3,
            floor: -2.0,
            block: f32::INFINITY,
            jackknife: 4,
            stop_count: 100,
            stop_share: 0.03,
            cue_min: 5,
            seed: 0,
            orders: 4,
            stack: true,
            ends: true,
            end_bits: 14,
        }
    }
}

/// One training article, prepared once: its tokens, gold, the rules' hits and every
/// candidate cue token with its features.
struct Article<'a> {
    d: Doc<'a>,
    ws: Words<'a>,
    tc: TokChars,
    gold: Vec<GoldTok>,
    hits: Vec<Hit>,
    uses: Vec<RuleUse>,
    /// Candidate cue tokens (sentence, token) and their features.
    toks: Vec<(usize, usize)>,
    feats: Vec<Vec<u32>>,
    /// Gold attributions by anchor token.
    by_anchor: HashMap<usize, Vec<usize>>,
}

impl<'a> Article<'a> {
    fn new(rec: &'a GoldArticle, words: &CueWords) -> Self {
        let d = Doc::new(&rec.text);
        let ws = Words::new(&d);
        let cm = CharMap::new(&rec.text);
        let tc = TokChars::new(&d, &cm);
        let gold = align(&d, &tc, rec);
        let hits = find_hits(&d);
        let uses = cue::rule_uses(&d, &hits);
        let mut by_anchor: HashMap<usize, Vec<usize>> = HashMap::new();
        for (gi, g) in gold.iter().enumerate() {
            if let Some(a) = g.anchor {
                by_anchor.entry(a).or_default().push(gi);
            }
        }
        let mut toks = Vec::new();
        let mut feats = Vec::new();
        let mut f = Vec::with_capacity(32);
        for (si, &sent) in d.sents.iter().enumerate() {
            for i in sent.a..sent.b {
                if cue::is_candidate(&d, &ws, i, &uses, words) {
                    cue::features(&d, &ws, sent, i, uses[i], &mut f);
                    toks.push((si, i));
                    feats.push(f.clone());
                }
            }
        }
        Self { d, ws, tc, gold, hits, uses, toks, feats, by_anchor }
    }

    fn rule_hit(&self, i: usize) -> Option<&Hit> {
        self.hits.iter().find(|h| h.reported && h.cue.is_some_and(|c| c.0 == i))
    }

    /// The rules' speaker for the cue at `i`, as inference reads it.
    fn rule_speaker(&self, si: usize, i: usize) -> Option<(usize, usize)> {
        self.rule_hit(i)
            .cloned()
            .or_else(|| hit_for_cue(&self.d, self.d.sents[si], i))
            .and_then(|h| h.speaker)
    }
}

/// A span-scorer example: the candidates of one gold cue, with each one's overlap with the
/// gold content.
struct SpanExample {
    options: Vec<Vec<u32>>,
    overlap: Vec<f32>,
}

/// The span-scorer examples of one article. `scores` are its candidate tokens' cue scores
/// from a tagger that did not see the article, so contents learn to stop at cues as inference
/// finds them.
fn span_examples(a: &Article, scores: &[f32], cfg: &TrainConfig, out: &mut Vec<SpanExample>) {
    let cues = likely_cues(&a.toks, scores, cfg.floor);
    let mut feats = Vec::with_capacity(32);
    let mut cands = Vec::new();
    for &(si, i) in &a.toks {
        let Some(golds) = a.by_anchor.get(&i) else { continue };
        let rule = a.rule_hit(i);
        let rule_speaker = a.rule_speaker(si, i);
        content::candidates(&a.d, si, i, rule, &cues, cfg.block, &a.ws, &mut cands);
        let ctx = content::SpanCtx::new(&a.d, &a.ws, si, i, a.uses[i], rule, rule_speaker);
        let options: Vec<Vec<u32>> = cands
            .iter()
            .map(|c| {
                ctx.features(c, &mut feats);
                feats.clone()
            })
            .collect();
        let chars: Vec<Vec<(usize, usize)>> =
            cands.iter().map(|c| c.pieces.iter().map(|&p| a.tc.char_span(p)).collect()).collect();
        // Each gold content on this cue is one ranking example.
        for &gi in golds {
            let overlap: Vec<f32> = chars.iter().map(|c| overlap(c, &a.gold[gi].chars)).collect();
            if overlap.iter().any(|&o| o >= 0.5) {
                out.push(SpanExample { options: options.clone(), overlap });
            }
        }
    }
}

/// The end-scorer examples of one article: for each gold cue whose gold content starts right
/// after it (one piece), its right-hand ends, right where no word lies between the end and the
/// gold content's. `scores` are out-of-fold cue scores, as for the span scorer.
fn end_examples(a: &Article, scores: &[f32], cfg: &TrainConfig, out: &mut Vec<SpanExample>) {
    let cues = likely_cues(&a.toks, scores, cfg.floor);
    let mut feats = Vec::with_capacity(32);
    let mut pos = Vec::new();
    for &(si, i) in &a.toks {
        let Some(golds) = a.by_anchor.get(&i) else { continue };
        let sent = a.d.sents[si];
        let (_, ce) = content::cue_extent(&a.d, &a.ws, sent, i);
        ends::positions(&a.d, &a.ws, sent, i, &mut pos);
        let mut options: Option<Vec<Vec<u32>>> = None;
        for &gi in golds {
            let g = &a.gold[gi];
            let Some((gs, ge)) = (g.chars.len() == 1).then(|| a.tc.range(g.chars[0])).flatten() else {
                continue;
            };
            if gs < ce || a.ws.words_in(ce, gs) > 3 {
                continue;
            }
            let ok: Vec<f32> =
                pos.iter().map(|&b| (a.ws.words_in(b.min(ge), b.max(ge)) == 0) as u8 as f32).collect();
            if !ok.contains(&1.0) {
                continue;
            }
            let options = options.get_or_insert_with(|| {
                let ctx = ends::EndCtx::new(&a.d, &a.ws, sent, i);
                pos.iter()
                    .enumerate()
                    .map(|(n, &b)| {
                        ctx.features(&a.ws, b, n, &cues, &mut feats);
                        feats.clone()
                    })
                    .collect()
            });
            out.push(SpanExample { options: options.clone(), overlap: ok });
        }
    }
}

/// The speaker-scorer examples of one article: for each gold cue, the speaker candidates
/// around its gold content, right when they share a token with the gold source (or name none
/// when the gold has none).
fn speaker_examples(a: &Article, out: &mut Vec<SpanExample>) {
    let mut feats = Vec::with_capacity(32);
    let mut cands = Vec::new();
    for &(si, i) in &a.toks {
        let Some(golds) = a.by_anchor.get(&i) else { continue };
        let sent = a.d.sents[si];
        let rule_speaker = a.rule_speaker(si, i);
        let extent = content::cue_extent(&a.d, &a.ws, sent, i);
        for &gi in golds {
            let g = &a.gold[gi];
            speaker::candidates(&a.d, &a.ws, si, extent, rule_speaker, &[], &mut cands);
            let ok: Vec<f32> = cands
                .iter()
                .map(|c| match (c.span, g.source) {
                    (None, None) => 1.0,
                    (Some((s, e)), Some((x, y))) if s < y && x < e => 1.0,
                    _ => 0.0,
                })
                .collect();
            if !ok.contains(&1.0) {
                continue;
            }
            let options = cands
                .iter()
                .map(|c| {
                    speaker::features(&a.d, si, i, extent, rule_speaker.is_some(), c, &a.ws, &mut feats);
                    feats.clone()
                })
                .collect();
            out.push(SpanExample { options, overlap: ok });
        }
    }
}

/// Tokens scoring above `floor`, with their scores, sorted by token.
pub(crate) fn likely_cues(toks: &[(usize, usize)], scores: &[f32], floor: f32) -> Vec<(usize, f32)> {
    toks.iter().zip(scores).filter(|&(_, &s)| s > floor).map(|(&(_, i), &s)| (i, s)).collect()
}

/// The stems the tagger reads: those that carried a gold cue at least `cfg.cue_min` times,
/// less those seen at least `cfg.stop_count` times that carried one in at most
/// `cfg.stop_share` of them.
fn cue_words(records: &[GoldArticle], cfg: &TrainConfig) -> CueWords {
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    for rec in records {
        let d = Doc::new(&rec.text);
        let ws = Words::new(&d);
        let cm = CharMap::new(&rec.text);
        let tc = TokChars::new(&d, &cm);
        let anchors: std::collections::HashSet<usize> =
            align(&d, &tc, rec).iter().filter_map(|g| g.anchor).collect();
        let uses = cue::rule_uses(&d, &find_hits(&d));
        for i in 0..d.toks.len() {
            if cue::can_be_cue(&d, i, &uses) {
                let e = seen.entry(cue::stem(ws.lower(i)).to_string()).or_default();
                e.0 += 1;
                e.1 += anchors.contains(&i) as usize;
            }
        }
    }
    let mut words = CueWords::default();
    for (w, (n, a)) in seen {
        if a >= cfg.cue_min.max(1) && !(n >= cfg.stop_count && (a as f32) <= cfg.stop_share * n as f32) {
            words.insert(w);
        }
    }
    words
}

/// Drops features that occur in fewer than `min` of the feature lists.
fn prune_rare(lists: &mut [&mut Vec<u32>], min: usize) {
    if min <= 1 {
        return;
    }
    let mut n: HashMap<u32, usize> = HashMap::new();
    for l in lists.iter() {
        for &f in l.iter() {
            *n.entry(f).or_default() += 1;
        }
    }
    for l in lists.iter_mut() {
        l.retain(|f| n[f] >= min);
    }
}

/// Fisher–Yates with a fixed-seed xorshift: reproducible shuffles.
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        order.swap(i, (*rng % (i as u64 + 1)) as usize);
    }
}

/// The cue tagger trained on the candidate tokens of `arts`.
fn train_cues(arts: &[&Article], cfg: &TrainConfig) -> Weights {
    let mut examples: Vec<(Vec<u32>, bool)> = Vec::new();
    for a in arts {
        for (k, &(_, i)) in a.toks.iter().enumerate() {
            examples.push((a.feats[k].clone(), a.by_anchor.contains_key(&i)));
        }
    }
    train_cue_examples(examples, cfg)
}

/// The second-pass cue tagger: each candidate's first-pass features and its stacking features
/// from `first` (per article, the first pass's out-of-fold scores).
fn train_cues2(arts: &[Article], first: &[Vec<f32>], cfg: &TrainConfig) -> Weights {
    let mut examples: Vec<(Vec<u32>, bool)> = Vec::new();
    let mut extra = Vec::new();
    for (a, first) in arts.iter().zip(first) {
        cue::by_sentence(&a.d, &a.toks, first, |k, group, g| {
            cue::stack_features(&a.ws, g, group, &mut extra);
            let mut f = a.feats[k].clone();
            f.extend_from_slice(&extra);
            examples.push((f, a.by_anchor.contains_key(&a.toks[k].1)));
        });
    }
    train_cue_examples(examples, cfg)
}

/// The first scores of `a`'s candidate tokens and the final ones (the second pass's, when
/// the model has one).
fn cue_scores(model: &QuoteModel, a: &Article) -> (Vec<f32>, Vec<f32>) {
    let first: Vec<f32> = a.feats.iter().map(|x| model.cue.score(x)).collect();
    let Some(w2) = &model.cue2 else { return (first.clone(), first) };
    let mut fin = vec![0.0; first.len()];
    let mut extra = Vec::new();
    cue::by_sentence(&a.d, &a.toks, &first, |k, group, g| {
        cue::stack_features(&a.ws, g, group, &mut extra);
        fin[k] = w2.score(&a.feats[k]) + w2.score(&extra);
    });
    (first, fin)
}

fn train_cue_examples(mut examples: Vec<(Vec<u32>, bool)>, cfg: &TrainConfig) -> Weights {
    let mut lists: Vec<&mut Vec<u32>> = examples.iter_mut().map(|e| &mut e.0).collect();
    prune_rare(&mut lists, cfg.min_count);
    let rng = (0x2545_F491_4F6C_DD1D, 0x9E37_79B9_7F4A_7C15);
    train_in_orders(cfg, cfg.cue_bits, cfg.epochs, rng, examples.len(), |t, i| {
        let (f, gold) = &examples[i];
        t.learn_choice(std::slice::from_ref(f), gold.then_some(0), true);
    })
}

/// The mean of `cfg.orders` perceptrons, each trained for `epochs` over `n` examples shuffled
/// in its own order (`learn(trainer, example)`); the `k`th order's generator starts at
/// `rng.0 ^ (cfg.seed + k * 1,000,003) * rng.1`, so the first one is `cfg.seed`'s.
fn train_in_orders(
    cfg: &TrainConfig,
    bits: u8,
    epochs: usize,
    rng: (u64, u64),
    n: usize,
    mut learn: impl FnMut(&mut Trainer, usize),
) -> Weights {
    let parts: Vec<Weights> = (0..cfg.orders.max(1))
        .map(|k| {
            let mut t = Trainer::new(bits);
            let mut order: Vec<usize> = (0..n).collect();
            let seed = cfg.seed.wrapping_add(k as u64 * 1_000_003);
            let mut state = rng.0 ^ seed.wrapping_mul(rng.1);
            for _ in 0..epochs {
                shuffle(&mut order, &mut state);
                for &i in &order {
                    learn(&mut t, i);
                }
            }
            t.averaged(cfg.prune)
        })
        .collect();
    Weights::mean(&parts)
}

/// The span scorer trained on `examples`.
fn train_spans(mut examples: Vec<SpanExample>, bits: u8, cfg: &TrainConfig) -> Weights {
    let mut lists: Vec<&mut Vec<u32>> = examples.iter_mut().flat_map(|s| s.options.iter_mut()).collect();
    prune_rare(&mut lists, cfg.min_count);
    let rng = (0x9E37_79B9_7F4A_7C15, 0x2545_F491_4F6C_DD1D);
    train_in_orders(cfg, bits, cfg.span_epochs, rng, examples.len(), |t, i| {
        let s = &examples[i];
        // Right is what the scorer counts (half the longer side), within `span_slack` of the
        // best candidate.
        let best = s.overlap.iter().copied().fold(0.0, f32::max);
        let ok: Vec<bool> = s.overlap.iter().map(|&o| o >= 0.5 && o >= best - cfg.span_slack).collect();
        t.learn_any(&s.options, &ok);
    })
}

/// Trains a model on `records`. Deterministic: the same records and settings give the same
/// weights.
pub fn train(records: &[GoldArticle], cfg: &TrainConfig) -> QuoteModel {
    let words = cue_words(records, cfg);
    let arts: Vec<Article> =
        records.iter().map(|r| Article::new(r, &words)).filter(|a| !a.d.sents.is_empty()).collect();
    // Out-of-fold cue scores for every training article (stacking), then the span scorer on
    // contents that stop at those cues.
    let j = cfg.jackknife.max(2);
    let mut spans = Vec::new();
    let mut oof: Vec<Vec<f32>> = vec![Vec::new(); arts.len()];
    for f in 0..j {
        let rest: Vec<&Article> =
            arts.iter().enumerate().filter(|(k, _)| k % j != f).map(|(_, a)| a).collect();
        let w = train_cues(&rest, cfg);
        for (k, a) in arts.iter().enumerate().skip(f).step_by(j) {
            let scores: Vec<f32> = a.feats.iter().map(|x| w.score(x)).collect();
            span_examples(a, &scores, cfg, &mut spans);
            oof[k] = scores;
        }
    }
    // The end scorer, on ends that stop at cues as inference finds them.
    let end = cfg.ends.then(|| {
        let mut ex = Vec::new();
        for (a, scores) in arts.iter().zip(&oof) {
            end_examples(a, scores, cfg, &mut ex);
        }
        train_spans(ex, cfg.end_bits, cfg)
    });
    let all: Vec<&Article> = arts.iter().collect();
    let cue = train_cues(&all, cfg);
    let cue2 = cfg.stack.then(|| train_cues2(&arts, &oof, cfg));
    let span = train_spans(spans, cfg.span_bits, cfg);
    let mut speakers = Vec::new();
    for a in &arts {
        speaker_examples(a, &mut speakers);
    }
    let speaker = train_spans(speakers, cfg.speaker_bits, cfg);
    QuoteModel {
        cue,
        span,
        speaker,
        cue2,
        end,
        threshold: cfg.threshold,
        floor: cfg.floor,
        block: cfg.block,
        words,
    }
}

/// `newsloom train quotes`: trains on a gold file, writes the gzip'd model, returns a summary.
pub fn train_file(data: &Path, out: &Path) -> Result<String, String> {
    let t0 = std::time::Instant::now();
    let records = read_gold(data)?;
    if records.is_empty() {
        return Err(format!("{}: no articles", data.display()));
    }
    let cfg = TrainConfig::default();
    let model = train(&records, &cfg);
    let gz = model.to_gz()?;
    std::fs::write(out, &gz).map_err(|e| format!("{}: {e}", out.display()))?;
    let n_attr: usize = records.iter().map(|r| r.attributions.len()).sum();
    Ok(format!(
        "trained the quote tagger on {} articles ({} attributions) in {:.1}s: {} weights; wrote {} ({} KB)",
        records.len(),
        n_attr,
        t0.elapsed().as_secs_f64(),
        model.len(),
        out.display(),
        gz.len().div_ceil(1024)
    ))
}

/// Folds grouped by publisher (never splitting one): publishers in name order, dealt round
/// robin. Returns each record's fold.
pub fn publisher_folds(records: &[GoldArticle], k: usize) -> Vec<usize> {
    let pubs: BTreeMap<&str, usize> = {
        let mut names: Vec<&str> = records.iter().map(|r| r.publisher.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.into_iter().enumerate().map(|(i, p)| (p, i % k.max(1))).collect()
    };
    records.iter().map(|r| pubs[r.publisher.as_str()]).collect()
}

/// K-fold cross-validation by publisher: for each fold, (rules alone, learnt) metrics on the
/// fold after training on the others.
pub fn cross_validate(
    records: &[GoldArticle],
    cfg: &TrainConfig,
    k: usize,
) -> Vec<(QuoteMetrics, QuoteMetrics)> {
    let folds = publisher_folds(records, k);
    (0..k)
        .map(|f| {
            let (test, train_set): (Vec<_>, Vec<_>) = records.iter().zip(&folds).partition(|&(_, &g)| g == f);
            let train_set: Vec<GoldArticle> = train_set.into_iter().map(|(r, _)| r.clone()).collect();
            let test: Vec<GoldArticle> = test.into_iter().map(|(r, _)| r.clone()).collect();
            let model = train(&train_set, cfg);
            let rules = evaluate(&QuoteExtractor::rules_only(), &test);
            let learnt = evaluate(&QuoteExtractor::with_model(Arc::new(model)), &test);
            (rules, learnt)
        })
        .collect()
}

/// Diagnostics of a model on gold articles (for development): the cue tagger's token-level
/// precision and recall against gold cue anchors, the rules' reported-speech cues on the same
/// tokens, and how often the chosen content (and any candidate, and the rules' content) covers
/// half of the gold content of a gold cue. `QDIAG=1` prints the misses.
#[doc(hidden)]
pub fn diagnose(model: &QuoteModel, records: &[GoldArticle]) -> String {
    let (mut tp, mut fp, mut fn_, mut rtp, mut rfp, mut rfn) = (0, 0, 0, 0, 0, 0);
    let (mut n, mut chosen_ok, mut oracle_ok, mut rule_n, mut rule_ok, mut chosen_ok_r) = (0, 0, 0, 0, 0, 0);
    let mut feats = Vec::new();
    let mut cands = Vec::new();
    let mut missed: HashMap<String, usize> = HashMap::new();
    let mut false_pos: HashMap<String, usize> = HashMap::new();
    let mut never: HashMap<String, usize> = HashMap::new();
    // Gold cues not read: in a quotation or its frame, other words, no cue annotated.
    let mut unread = (0, 0, 0);
    let show = std::env::var("QDIAG").is_ok();
    // Gold cues with a source: how many, how many a speaker candidate covers, chosen right.
    let mut spk = (0, 0, 0);
    let mut scands = Vec::new();
    for rec in records {
        let a = Article::new(rec, &model.words);
        let d = &a.d;
        let (scores, fin) = cue_scores(model, &a);
        let cues = likely_cues(&a.toks, &scores, model.floor);
        // Gold cues the first pass never reads: in a quotation frame of the rules (their
        // quotation hit stands for the attribution) or a word the tagger does not read.
        let read: std::collections::HashSet<usize> = a.toks.iter().map(|t| t.1).collect();
        for g in &a.gold {
            match g.anchor {
                Some(x) if read.contains(&x) => {}
                Some(x) if a.uses[x] == RuleUse::Quote || d.in_quote[x].is_some() => unread.0 += 1,
                Some(x) => {
                    unread.1 += 1;
                    *never.entry(d.tok(x).to_lowercase()).or_default() += 1;
                }
                None => unread.2 += 1,
            }
        }
        for (k, &(si, i)) in a.toks.iter().enumerate() {
            let pred = fin[k] > model.threshold;
            let golds = a.by_anchor.get(&i);
            let w = d.tok(i).to_lowercase();
            match (pred, golds.is_some()) {
                (true, true) => tp += 1,
                (true, false) => {
                    fp += 1;
                    *false_pos.entry(w.clone()).or_default() += 1;
                    if std::env::var("QDIAG_FP").is_ok_and(|x| x.split(',').any(|y| y == w)) {
                        let sent = d.sents[si];
                        eprintln!(
                            "FP {w} [{:?}]: {}",
                            a.uses[i],
                            &d.text[d.toks[sent.a].s..d.toks[sent.b - 1].e]
                        );
                    }
                }
                (false, true) => {
                    fn_ += 1;
                    *missed.entry(w.clone()).or_default() += 1;
                }
                _ => {}
            }
            match (a.uses[i] == RuleUse::Reported, golds.is_some()) {
                (true, true) => rtp += 1,
                (true, false) => rfp += 1,
                (false, true) => rfn += 1,
                _ => {}
            }
            let Some(golds) = golds else { continue };
            let rule_hit = a.rule_hit(i);
            let rule_speaker = a.rule_speaker(si, i);
            content::candidates(d, si, i, rule_hit, &cues, model.block, &a.ws, &mut cands);
            let chars = |p: &[(usize, usize)]| p.iter().map(|&x| a.tc.char_span(x)).collect::<Vec<_>>();
            let mut best = (f32::NEG_INFINITY, 0);
            let ctx = content::SpanCtx::new(d, &a.ws, si, i, a.uses[i], rule_hit, rule_speaker);
            let mut scores: Vec<f32> = cands
                .iter()
                .map(|c| {
                    ctx.features(c, &mut feats);
                    model.span.score(&feats)
                })
                .collect();
            let end_scores = model.end_scores(d, &a.ws, d.sents[si], i, &cues, &mut feats);
            ends::adjust(&cands, &end_scores, &mut scores);
            for (ci, &s) in scores.iter().enumerate() {
                if s > best.0 {
                    best = (s, ci);
                }
            }
            for &gi in golds {
                if let Some(source) = a.gold[gi].source {
                    let (covered, ok) = speaker_diag(model, &a, si, i, source, &mut scands, &mut feats);
                    spk.0 += 1;
                    spk.1 += covered as usize;
                    spk.2 += ok as usize;
                }
                let g = &a.gold[gi].chars;
                n += 1;
                let ok = !cands.is_empty() && overlap(&chars(&cands[best.1].pieces), g) >= 0.5;
                chosen_ok += ok as usize;
                oracle_ok += cands.iter().any(|c| overlap(&chars(&c.pieces), g) >= 0.5) as usize;
                if !ok && show {
                    let txt = |p: &[(usize, usize)]| {
                        p.iter()
                            .map(|&(x, y)| &d.text[d.toks[x].s..d.toks[y - 1].e])
                            .collect::<Vec<_>>()
                            .join(" | ")
                    };
                    let sent = d.sents[si];
                    let gold_text: Vec<String> =
                        g.iter().map(|&(x, y)| rec.text.chars().skip(x).take(y - x).collect()).collect();
                    eprintln!(
                        "-- CUE {} [{:?}] SENT: {}\n   GOLD: {}\n   CHOSEN({:?}): {}\n   RULE: {}",
                        d.tok(i),
                        a.uses[i],
                        txt(&[(sent.a, sent.b)]),
                        gold_text.join(" | "),
                        cands.get(best.1).map(|c| c.side),
                        cands.get(best.1).map_or(String::new(), |c| txt(&c.pieces)),
                        rule_hit.map_or(String::new(), |h| txt(&h.content))
                    );
                }
                if let Some(h) = rule_hit {
                    rule_n += 1;
                    rule_ok += (overlap(&chars(&h.content), g) >= 0.5) as usize;
                    chosen_ok_r += ok as usize;
                }
            }
        }
    }
    let prf = |tp: usize, fp: usize, fn_: usize| {
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        format!("P {:.2} R {:.2} F1 {:.2}", 100.0 * p, 100.0 * r, 200.0 * p * r / (p + r).max(1e-9))
    };
    let top = |m: &HashMap<String, usize>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter().take(40).map(|(w, c)| format!("{w}:{c}")).collect::<Vec<_>>().join(" ")
    };
    format!(
        "cue tagger {} (tp {tp} fp {fp} fn {fn_}) | rules' reported cues {}\ncontent on gold cues: chosen {:.2} oracle {:.2} ({n}); where the rules have a hit: rules {:.2} chosen {:.2} ({rule_n})\nmissed: {}\nfalse: {}\ngold cues not read: {} in quotations or the rules' quotation frames, {} other words ({}), {} without a cue",
        prf(tp, fp, fn_),
        prf(rtp, rfp, rfn),
        100.0 * chosen_ok as f64 / n.max(1) as f64,
        100.0 * oracle_ok as f64 / n.max(1) as f64,
        100.0 * rule_ok as f64 / rule_n.max(1) as f64,
        100.0 * chosen_ok_r as f64 / rule_n.max(1) as f64,
        top(&missed),
        top(&false_pos),
        unread.0,
        unread.1,
        top(&never),
        unread.2
    ) + &format!(
        "\nspeaker on gold cues with a source: a candidate covers it {:.2}, the chosen one {:.2} ({})",
        100.0 * spk.1 as f64 / spk.0.max(1) as f64,
        100.0 * spk.2 as f64 / spk.0.max(1) as f64,
        spk.0
    )
}

/// Whether a speaker candidate of the cue at `i` shares a token with the gold `source`, and
/// whether the scorer's choice does (contents left out: the gold cue's own candidates).
/// `QDIAG_SPEAKER=1` prints the sources no candidate covers.
fn speaker_diag(
    model: &QuoteModel,
    a: &Article,
    si: usize,
    i: usize,
    (x, y): (usize, usize),
    cands: &mut Vec<speaker::SpeakerCand>,
    feats: &mut Vec<u32>,
) -> (bool, bool) {
    let d = &a.d;
    let extent = content::cue_extent(d, &a.ws, d.sents[si], i);
    let scores = model.speaker_scores(d, &a.ws, si, i, extent, a.rule_speaker(si, i), feats, cands);
    let hit = |c: &speaker::SpeakerCand| c.span.is_some_and(|(s, e)| s < y && x < e);
    let covered = cands.iter().any(hit);
    // The first best, as inference takes it.
    let mut best: Option<(f32, bool)> = None;
    for (c, &score) in cands.iter().zip(&scores) {
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, hit(c)));
        }
    }
    if !covered && std::env::var_os("QDIAG_SPEAKER").is_some() {
        let text = |(p, q): (usize, usize)| &d.text[d.toks[p].s..d.toks[q - 1].e];
        let sent = d.sents[si];
        eprintln!("UNCOVERED cue {} | source {} | {}", d.tok(i), text((x, y)), text((sent.a, sent.b)));
    }
    (covered, best.is_some_and(|b| b.1))
}

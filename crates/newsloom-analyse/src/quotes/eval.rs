//! `newsloom eval quotes GOLD.jsonl`: scores the extractor on PolNeAR-style JSONL
//! (`{"id", "text", "attributions": [{"kind", "source", "content": {"spans"}}]}`) with the
//! rules of `shared/eval/quotes_score.py`: one-to-one matching at ≥ 50 % character overlap of
//! the longer side, speaker correct when the spans share a character or the texts are equal.
//!
//! Set `NEWSLOOM_QUOTES_PRED=path` to also write the predictions in the scorer's format.

use super::QuoteExtractor;
use super::gold::{GoldArticle, read_gold};
use newsloom_model::EvalReport;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const QUOTE_MARKS: &[char] = &['"', '“', '”', '„', '«', '»'];
const PRONOUNS: &[&str] = &[
    "i",
    "me",
    "my",
    "we",
    "us",
    "our",
    "you",
    "your",
    "he",
    "him",
    "his",
    "she",
    "her",
    "it",
    "its",
    "they",
    "them",
    "their",
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "one",
    "myself",
    "ourselves",
    "yourself",
    "yourselves",
    "himself",
    "herself",
    "itself",
    "themselves",
];
const ROWS: &[(&str, &[&str])] = &[
    ("all", &[]),
    ("direct+mixed", &["direct", "mixed"]),
    ("direct", &["direct"]),
    ("mixed", &["mixed"]),
    ("indirect", &["indirect"]),
];

/// The scorer's kind rule, applied to a content text.
pub(crate) fn kind_of(t: &str) -> &'static str {
    let t = t.trim();
    let chars: Vec<char> = t.chars().collect();
    let tail = t.trim_end_matches(['.', ',', ';', ':']);
    if chars.len() >= 2
        && QUOTE_MARKS.contains(&chars[0])
        && tail.chars().last().is_some_and(|c| QUOTE_MARKS.contains(&c))
    {
        "direct"
    } else if t.contains(QUOTE_MARKS) {
        "mixed"
    } else {
        "indirect"
    }
}

fn charset(spans: &[(usize, usize)]) -> HashSet<usize> {
    spans.iter().flat_map(|&(s, e)| s..e).collect()
}

fn norm(s: &str) -> String {
    let s = s.replace(['’', '‘'], "'");
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || "“”‘’«»—–…".contains(c))
        .to_lowercase()
}

/// Maximum one-to-one matching seeded greedily by score (as the team scorer does).
fn matching(cand: &[(usize, usize, f64)]) -> Vec<(usize, usize)> {
    let mut sorted: Vec<_> = cand.to_vec();
    sorted.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let mut p2g = std::collections::HashMap::new();
    let mut g2p = std::collections::HashMap::new();
    for &(p, g, _) in &sorted {
        if !p2g.contains_key(&p) && !g2p.contains_key(&g) {
            p2g.insert(p, g);
            g2p.insert(g, p);
        }
    }
    let mut adj: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &(p, g, _) in cand {
        adj.entry(p).or_default().push(g);
    }
    fn augment(
        p: usize,
        adj: &std::collections::BTreeMap<usize, Vec<usize>>,
        seen: &mut HashSet<usize>,
        p2g: &mut std::collections::HashMap<usize, usize>,
        g2p: &mut std::collections::HashMap<usize, usize>,
    ) -> bool {
        for &g in adj.get(&p).map(Vec::as_slice).unwrap_or(&[]) {
            if !seen.insert(g) {
                continue;
            }
            let free = match g2p.get(&g).copied() {
                None => true,
                Some(q) => augment(q, adj, seen, p2g, g2p),
            };
            if free {
                p2g.insert(p, g);
                g2p.insert(g, p);
                return true;
            }
        }
        false
    }
    let keys: Vec<usize> = adj.keys().copied().collect();
    for p in keys {
        if !p2g.contains_key(&p) {
            augment(p, &adj, &mut HashSet::new(), &mut p2g, &mut g2p);
        }
    }
    p2g.into_iter().collect()
}

/// A gold attribution: content chars, kind, and source (chars, text) when annotated.
type GoldItem = (HashSet<usize>, String, Option<(HashSet<usize>, String)>);

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    gold: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    etp: usize,
    efp: usize,
    efn: usize,
    sn: usize,
    sok: usize,
    bn: usize,
    bok: usize,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fn_ > 0 { tp as f64 / (tp + fn_) as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

/// Counts of one scoring run, per row of the scorer (`all`, `direct+mixed`, `direct`, `mixed`,
/// `indirect`).
#[derive(Debug, Default, Clone)]
pub struct QuoteMetrics {
    pub docs: usize,
    pub gold: usize,
    pub predicted: usize,
    pub chars: usize,
    pub secs: f64,
    rows: [Counts; 5],
}

impl QuoteMetrics {
    fn row(&self, name: &str) -> Counts {
        ROWS.iter().position(|r| r.0 == name).map(|i| self.rows[i]).unwrap_or_default()
    }

    /// Detection F1 (0..1) of a row.
    pub fn f1(&self, row: &str) -> f64 {
        let c = self.row(row);
        prf(c.tp, c.fp, c.fn_).2
    }

    /// Speaker accuracy (0..1) of a row, over matched pairs with a gold source.
    pub fn speaker_acc(&self, row: &str) -> f64 {
        let c = self.row(row);
        if c.sn > 0 { c.sok as f64 / c.sn as f64 } else { 0.0 }
    }

    /// The metrics by name (`f1`, `direct_f1`, `indirect_speaker_acc`, …), as `eval` reports them.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut metrics = Map::new();
        for (ri, &(name, _)) in ROWS.iter().enumerate() {
            let c = self.rows[ri];
            let (p, r, f) = prf(c.tp, c.fp, c.fn_);
            let (_, _, ef) = prf(c.etp, c.efp, c.efn);
            let acc = if c.sn > 0 { c.sok as f64 / c.sn as f64 } else { 0.0 };
            let bacc = if c.bn > 0 { c.bok as f64 / c.bn as f64 } else { 0.0 };
            let prefix = if name == "all" { String::new() } else { format!("{}_", name.replace('+', "_")) };
            let r4 = |x: f64| (x * 10000.0).round() / 10000.0;
            metrics.insert(format!("{prefix}precision"), json!(r4(p)));
            metrics.insert(format!("{prefix}recall"), json!(r4(r)));
            metrics.insert(format!("{prefix}f1"), json!(r4(f)));
            metrics.insert(format!("{prefix}speaker_acc"), json!(r4(acc)));
            metrics.insert(format!("{prefix}speaker_acc_nonpronoun"), json!(r4(bacc)));
            metrics.insert(format!("{prefix}end_to_end_f1"), json!(r4(ef)));
        }
        let secs = self.secs.max(1e-9);
        metrics.insert("docs".into(), json!(self.docs));
        metrics.insert("predictions".into(), json!(self.predicted));
        metrics.insert("items_per_s".into(), json!((self.docs as f64 / secs).round()));
        metrics.insert("docs_per_s".into(), json!((self.docs as f64 / secs).round()));
        metrics.insert("chars_per_s".into(), json!((self.chars as f64 / secs).round()));
        metrics
    }

    /// The table `newsloom eval quotes` prints.
    pub fn human(&self) -> String {
        let mut human = format!(
            "quotes: {} articles, {} gold attributions, {} predicted\n{:<13} {:>5}  {:>6} {:>6} {:>6}  {:>7} {:>9}  {:>6}\n",
            self.docs,
            self.gold,
            self.predicted,
            "row",
            "gold",
            "P",
            "R",
            "F1",
            "spk_acc",
            "spk_nopr",
            "e2e_F1"
        );
        for (ri, &(name, _)) in ROWS.iter().enumerate() {
            let c = self.rows[ri];
            let (p, r, f) = prf(c.tp, c.fp, c.fn_);
            let (_, _, ef) = prf(c.etp, c.efp, c.efn);
            let acc = if c.sn > 0 { c.sok as f64 / c.sn as f64 } else { 0.0 };
            let bacc = if c.bn > 0 { c.bok as f64 / c.bn as f64 } else { 0.0 };
            human += &format!(
                "{:<13} {:>5}  {:>6.2} {:>6.2} {:>6.2}  {:>7.2} {:>9.2}  {:>6.2}\n",
                name,
                c.gold,
                100.0 * p,
                100.0 * r,
                100.0 * f,
                100.0 * acc,
                100.0 * bacc,
                100.0 * ef
            );
        }
        let secs = self.secs.max(1e-9);
        human += &format!(
            "speed: {:.0} docs/s, {:.0} chars/s (one thread)\n",
            self.docs as f64 / secs,
            self.chars as f64 / secs
        );
        human
    }
}

/// Runs the shipped extractor over a PolNeAR-style gold file and scores it.
pub fn eval(gold: &Path) -> Result<EvalReport, String> {
    let records = read_gold(gold)?;
    let ex = QuoteExtractor::new();
    if let Ok(path) = std::env::var("NEWSLOOM_QUOTES_PRED") {
        write_predictions(&ex, &records, Path::new(&path))?;
    }
    let m = evaluate(&ex, &records);
    Ok(EvalReport { task: "quotes".into(), metrics: m.to_map(), human: m.human() })
}

/// Predictions in the team scorer's format (`shared/eval/quotes_score.py`), one article a line.
pub fn write_predictions(ex: &QuoteExtractor, records: &[GoldArticle], path: &Path) -> Result<(), String> {
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?);
    for d in records {
        let qs: Vec<Value> = ex
            .extract_detailed(&d.id, &d.text, None)
            .iter()
            .map(|p| {
                let mut q = json!({"spans": p.pieces, "speaker": p.quote.speaker, "cue": p.quote.cue,
                                   "kind": p.quote.kind,
                                   "confidence": p.quote.confidence});
                if let Some(s) = &p.quote.speaker_span {
                    q["speaker_start"] = json!(s.start);
                    q["speaker_end"] = json!(s.end);
                }
                q
            })
            .collect();
        writeln!(f, "{}", json!({"id": d.id, "quotes": qs})).map_err(|e| e.to_string())?;
    }
    f.flush().map_err(|e| e.to_string())
}

/// Scores `ex` on `records` with the rules of `shared/eval/quotes_score.py`.
pub fn evaluate(ex: &QuoteExtractor, records: &[GoldArticle]) -> QuoteMetrics {
    let t0 = Instant::now();
    let preds: Vec<_> = records.iter().map(|d| ex.extract_detailed(&d.id, &d.text, None)).collect();
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let chars: usize = records.iter().map(|d| d.text.len()).sum();

    let mut counts = [Counts::default(); 5];
    let mut n_pred = 0;
    let mut n_gold = 0;
    for (d, ps) in records.iter().zip(&preds) {
        let text: Vec<char> = d.text.chars().collect();
        let slice =
            |s: usize, e: usize| text[s.min(text.len())..e.min(text.len())].iter().collect::<String>();
        n_gold += d.attributions.len();
        n_pred += ps.len();
        let gd: Vec<GoldItem> = d
            .attributions
            .iter()
            .map(|g| {
                let src = g.source.as_ref().map(|s| (charset(&s.spans), s.text.clone()));
                (charset(&g.content.spans), g.kind.clone(), src)
            })
            .collect();
        let pd: Vec<(HashSet<usize>, &'static str)> = ps
            .iter()
            .map(|p| {
                let lo = p.pieces.iter().map(|x| x.0).min().unwrap_or(0);
                let hi = p.pieces.iter().map(|x| x.1).max().unwrap_or(0);
                let wlo = if lo > 0 && text.get(lo - 1).is_some_and(|c| QUOTE_MARKS.contains(c)) {
                    lo - 1
                } else {
                    lo
                };
                let whi = if text.get(hi).is_some_and(|c| QUOTE_MARKS.contains(c)) { hi + 1 } else { hi };
                (charset(&p.pieces), kind_of(&slice(wlo, whi)))
            })
            .collect();
        let mut cand = Vec::new();
        for (pi, (pc, _)) in pd.iter().enumerate() {
            for (gi, (gc, _, _)) in gd.iter().enumerate() {
                let ov = pc.intersection(gc).count();
                let longer = pc.len().max(gc.len());
                if longer > 0 && ov * 2 >= longer {
                    cand.push((pi, gi, ov as f64 / longer as f64));
                }
            }
        }
        let m = matching(&cand);
        let p2g: std::collections::HashMap<usize, usize> = m.iter().copied().collect();
        let matched_g: HashSet<usize> = m.iter().map(|x| x.1).collect();
        for (ri, &(_, kinds)) in ROWS.iter().enumerate() {
            let inrow = |k: &str| kinds.is_empty() || kinds.contains(&k);
            let c = &mut counts[ri];
            c.gold += gd.iter().filter(|g| inrow(&g.1)).count();
            for (pi, p) in pd.iter().enumerate() {
                match p2g.get(&pi) {
                    Some(&gi) => {
                        let (_, gk, src) = &gd[gi];
                        if !inrow(gk) {
                            continue;
                        }
                        c.tp += 1;
                        let q = &ps[pi].quote;
                        let ok = match src {
                            None => q.speaker.is_none() && q.speaker_span.is_none(),
                            Some((sc, st)) => {
                                let span_ok = q
                                    .speaker_span
                                    .as_ref()
                                    .is_some_and(|s| (s.start..s.end).any(|x| sc.contains(&x)));
                                span_ok || q.speaker.as_deref().is_some_and(|t| norm(t) == norm(st))
                            }
                        };
                        if let Some((_, st)) = src {
                            c.sn += 1;
                            c.sok += ok as usize;
                            if !PRONOUNS.contains(&norm(st).as_str()) {
                                c.bn += 1;
                                c.bok += ok as usize;
                            }
                        }
                        if ok {
                            c.etp += 1;
                        } else {
                            c.efp += 1;
                            c.efn += 1;
                        }
                    }
                    None if inrow(p.1) => {
                        c.fp += 1;
                        c.efp += 1;
                    }
                    None => {}
                }
            }
            let unmatched =
                gd.iter().enumerate().filter(|(gi, g)| inrow(&g.1) && !matched_g.contains(gi)).count();
            c.fn_ += unmatched;
            c.efn += unmatched;
        }
    }

    QuoteMetrics { docs: records.len(), gold: n_gold, predicted: n_pred, chars, secs, rows: counts }
}

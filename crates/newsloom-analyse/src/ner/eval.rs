//! `newsloom eval ner`: exact-span micro P/R/F1 on CoNLL-style JSONL, as conlleval and
//! `shared/eval/ner_score.py` count it (primary: PER/ORG/LOC; also per type and 4-class).

use super::train::read_jsonl;
use super::{NerLabel, NerTagger};
use newsloom_model::EvalReport;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

#[derive(Default, Clone, Copy)]
struct Count {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Count {
    fn prf(self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp > 0 { self.tp as f64 / (self.tp + self.fp) as f64 } else { 0.0 };
        let r = if self.tp + self.fn_ > 0 { self.tp as f64 / (self.tp + self.fn_) as f64 } else { 0.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
    fn add(&mut self, o: Count) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Predicted spans per document: `(id, text, predicted (char start, end, label), gold spans)`.
type Run = Vec<(String, Vec<(usize, usize, u8)>, Vec<(usize, usize, u8)>, Vec<f32>)>;

fn run(tagger: &NerTagger, gold: &Path) -> Result<(Run, f64, usize), String> {
    let docs = read_jsonl(gold)?;
    let t0 = Instant::now();
    let mut out = Vec::with_capacity(docs.len());
    let mut chars = 0;
    for d in &docs {
        let tagged = tagger.tag(&d.text);
        chars += d.text.chars().count();
        let pred = tagged.spans.iter().map(|s| (s.char_start, s.char_end, s.label as u8)).collect();
        let conf = tagged.spans.iter().map(|s| s.confidence).collect();
        out.push((d.id.clone(), pred, d.spans(), conf));
    }
    Ok((out, t0.elapsed().as_secs_f64(), chars))
}

/// Writes predictions in `ner_score.py`'s format (`{"id", "entities": [{start, end, type}]}`).
pub fn predict_jsonl(gold: &Path, out: &Path) -> Result<(), String> {
    let (run, _, _) = run(NerTagger::shared(), gold)?;
    let mut s = String::new();
    for (id, pred, _, conf) in run {
        let ents: Vec<Value> = pred
            .iter()
            .zip(conf)
            .map(|(&(a, b, l), c)| {
                json!({"start": a, "end": b, "type": NerLabel::ALL[l as usize].as_str(), "confidence": c})
            })
            .collect();
        s.push_str(&json!({"id": id, "entities": ents}).to_string());
        s.push('\n');
    }
    std::fs::write(out, s).map_err(|e| format!("{}: {e}", out.display()))
}

/// Scores the shipped tagger on `gold` (CoNLL-2003 JSONL, see `shared/data/ner/README.md`).
/// With the gold file's `-train` sibling present (the shipped weights' training data), also
/// scores the "unseen" entities, whose string is no entity of that file.
pub fn eval(gold: &Path) -> Result<EvalReport, String> {
    eval_with(NerTagger::shared(), gold, train_sibling(gold).as_deref())
}

/// `x-dev.jsonl` → `x-train.jsonl`, when that file exists.
fn train_sibling(gold: &Path) -> Option<std::path::PathBuf> {
    let name = gold.file_name()?.to_str()?;
    let sibling = gold.with_file_name(name.replace("-dev", "-train"));
    (name.contains("-dev") && sibling.is_file()).then_some(sibling)
}

/// Surface strings of every gold entity (any type) in a training file.
fn entity_strings(train: &Path) -> Result<HashSet<String>, String> {
    let mut out = HashSet::new();
    for d in read_jsonl(train)? {
        let chars: Vec<char> = d.text.chars().collect();
        for (s, e, _) in d.spans() {
            if s < e && e <= chars.len() {
                out.insert(chars[s..e].iter().collect());
            }
        }
    }
    Ok(out)
}

/// `seen`: the training file whose entity strings count as seen; unseen-name scores
/// (`*_unseen`) are reported when it is given. They are the proxy for text from another
/// period, whose names the tagger has mostly never been taught.
pub(crate) fn eval_with(tagger: &NerTagger, gold: &Path, seen: Option<&Path>) -> Result<EvalReport, String> {
    let seen = seen.map(entity_strings).transpose()?;
    let texts: Vec<Vec<char>> = match &seen {
        Some(_) => read_jsonl(gold)?.iter().map(|d| d.text.chars().collect()).collect(),
        None => Vec::new(),
    };
    let (run, secs, chars) = run(tagger, gold)?;
    // Unseen: gold spans (for recall) and predicted spans (for precision) whose string is not a
    // training entity; 3-class (PER/ORG/LOC) and 4-class.
    let (mut unseen3, mut unseen4) = (Count::default(), Count::default());
    if let Some(seen) = &seen {
        for ((_, pred, gold, _), text) in run.iter().zip(&texts) {
            let new = |x: &&(usize, usize, u8)| {
                x.1 <= text.len() && !seen.contains(&text[x.0..x.1].iter().collect::<String>())
            };
            let g: HashSet<_> = gold.iter().copied().collect();
            let p: HashSet<_> = pred.iter().copied().collect();
            for (c, four) in [(&mut unseen3, false), (&mut unseen4, true)] {
                let keep = |x: &&(usize, usize, u8)| four || x.2 != 3;
                let gu: Vec<_> = gold.iter().filter(keep).filter(new).collect();
                let pu: Vec<_> = pred.iter().filter(keep).filter(new).collect();
                let tp_r = gu.iter().filter(|x| p.contains(x)).count();
                let tp_p = pu.iter().filter(|x| g.contains(x)).count();
                // A span's string is the same whether predicted or gold, so tp_r == tp_p.
                debug_assert_eq!(tp_r, tp_p);
                c.add(Count { tp: tp_r, fp: pu.len() - tp_p, fn_: gu.len() - tp_r });
            }
        }
    }
    let mut per = [Count::default(); 4];
    let mut untyped = Count::default();
    for (_, pred, gold, _) in &run {
        let p: HashSet<_> = pred.iter().copied().collect();
        let g: HashSet<_> = gold.iter().copied().collect();
        for (l, c) in per.iter_mut().enumerate() {
            let pl: HashSet<_> = p.iter().filter(|x| x.2 as usize == l).collect();
            let gl: HashSet<_> = g.iter().filter(|x| x.2 as usize == l).collect();
            let tp = pl.intersection(&gl).count();
            c.add(Count { tp, fp: pl.len() - tp, fn_: gl.len() - tp });
        }
        let pu: HashSet<_> = p.iter().filter(|x| x.2 != 3).map(|x| (x.0, x.1)).collect();
        let gu: HashSet<_> = g.iter().filter(|x| x.2 != 3).map(|x| (x.0, x.1)).collect();
        let tp = pu.intersection(&gu).count();
        untyped.add(Count { tp, fp: pu.len() - tp, fn_: gu.len() - tp });
    }
    let mut primary = Count::default();
    per[..3].iter().for_each(|c| primary.add(*c));
    let mut four = primary;
    four.add(per[3]);
    let docs = run.len();
    let docs_per_s = docs as f64 / secs.max(1e-9);
    let mut m = Map::new();
    let r4 = |x: f64| Value::from((x * 10000.0).round() / 10000.0);
    let (p, r, f) = primary.prf();
    m.insert("precision".into(), r4(p));
    m.insert("recall".into(), r4(r));
    m.insert("f1".into(), r4(f));
    let (p4, r4_, f4) = four.prf();
    m.insert("precision_4class".into(), r4(p4));
    m.insert("recall_4class".into(), r4(r4_));
    m.insert("f1_4class".into(), r4(f4));
    for (l, c) in per.iter().enumerate() {
        m.insert(format!("f1_{}", NerLabel::ALL[l].as_str().to_lowercase()), r4(c.prf().2));
    }
    m.insert("f1_untyped_3class".into(), r4(untyped.prf().2));
    if seen.is_some() {
        let (p, r, f) = unseen3.prf();
        m.insert("precision_unseen".into(), r4(p));
        m.insert("recall_unseen".into(), r4(r));
        m.insert("f1_unseen".into(), r4(f));
        m.insert("f1_unseen_4class".into(), r4(unseen4.prf().2));
        m.insert("recall_unseen_4class".into(), r4(unseen4.prf().1));
        m.insert("gold_unseen".into(), (unseen3.tp + unseen3.fn_).into());
    }
    m.insert("docs".into(), docs.into());
    m.insert("docs_per_s".into(), Value::from(docs_per_s.round()));
    m.insert("chars_per_s".into(), Value::from((chars as f64 / secs.max(1e-9)).round()));
    let mut h = String::new();
    let _ = writeln!(h, "NER on {} ({docs} docs), exact-span micro scores", gold.display());
    let _ = writeln!(h, "{:<16} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}", "", "P", "R", "F1", "tp", "fp", "fn");
    let mut row = |name: &str, c: Count| {
        let (p, r, f) = c.prf();
        let _ = writeln!(
            h,
            "{name:<16} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}",
            100.0 * p,
            100.0 * r,
            100.0 * f,
            c.tp,
            c.fp,
            c.fn_
        );
    };
    row("PER/ORG/LOC", primary);
    for (l, c) in per.iter().enumerate() {
        row(NerLabel::ALL[l].as_str(), *c);
    }
    row("4-class", four);
    row("untyped 3-class", untyped);
    if seen.is_some() {
        row("unseen 3-class", unseen3);
        row("unseen 4-class", unseen4);
    }
    let _ = writeln!(
        h,
        "speed: {docs_per_s:.0} docs/s, {:.0} chars/s (one thread)",
        chars as f64 / secs.max(1e-9)
    );
    Ok(EvalReport { task: "ner".into(), metrics: m, human: h })
}

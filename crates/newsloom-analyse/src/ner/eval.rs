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
pub fn eval(gold: &Path) -> Result<EvalReport, String> {
    eval_with(NerTagger::shared(), gold)
}

pub(crate) fn eval_with(tagger: &NerTagger, gold: &Path) -> Result<EvalReport, String> {
    let (run, secs, chars) = run(tagger, gold)?;
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
    let _ = writeln!(
        h,
        "speed: {docs_per_s:.0} docs/s, {:.0} chars/s (one thread)",
        chars as f64 / secs.max(1e-9)
    );
    Ok(EvalReport { task: "ner".into(), metrics: m, human: h })
}

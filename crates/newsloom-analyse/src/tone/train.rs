//! Training the target model on NewsMTSC-style JSONL (`{"id", "article", "text", "targets":
//! [{"id", "start", "end", "polarity"}]}` per sentence; char offsets), and reading that format.

use super::features::{name_mask, normalize_word, target_features};
use super::model::{Example, ToneModel, TrainConfig, fit};
use super::vectors::{SentenceVectors, WordVectors};
use super::{Lexicon, token_range};
use crate::ner::tokenize;
use serde::Deserialize;
use std::borrow::Cow;
use std::path::Path;

#[derive(Deserialize)]
pub(crate) struct SentenceRow {
    pub id: String,
    #[serde(default)]
    pub set: String,
    /// The source article: folds never split one.
    #[serde(default)]
    pub article: String,
    pub text: String,
    pub targets: Vec<TargetRow>,
}

#[derive(Deserialize)]
pub(crate) struct TargetRow {
    pub id: String,
    pub start: usize,
    pub end: usize,
    /// -1, 0, 1 (absent when predicting only).
    #[serde(default)]
    pub polarity: i8,
}

/// Reads sentence rows; a malformed line is an error naming the line.
pub(crate) fn read_sentences(path: &Path) -> Result<Vec<SentenceRow>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}

/// Feature vectors of every target of a sentence, in target order, each with how many of its
/// features (the first ones) are the sentence bag.
pub(crate) fn sentence_features(lex: &Lexicon, row: &SentenceRow) -> Vec<(Vec<(u32, f32)>, usize)> {
    let tokens = tokenize(&row.text);
    let words: Vec<Cow<'_, str>> = tokens.iter().map(|t| normalize_word(t.text(&row.text))).collect();
    let valences = lex.contextual_valences(&words);
    let names = name_mask(tokens.iter().map(|t| t.text(&row.text)));
    let sv = SentenceVectors::new(WordVectors::shared(), &words);
    row.targets
        .iter()
        .map(|t| {
            let (t0, t1) = token_range(&tokens, t.start, t.end);
            let mut f = Vec::with_capacity(128);
            let bag = target_features(lex, &words, &valences, &names, &sv, t0, t1, &mut f);
            (f, bag)
        })
        .collect()
}

/// Training examples of `rows` (targets with a polarity outside -1..1 are skipped).
pub(crate) fn examples<'a>(lex: &Lexicon, rows: impl Iterator<Item = &'a SentenceRow>) -> Vec<Example> {
    let mut out = Vec::new();
    for row in rows {
        for (t, (features, bag)) in row.targets.iter().zip(sentence_features(lex, row)) {
            if (-1..=1).contains(&t.polarity) {
                out.push(Example { features, bag, class: (t.polarity + 1) as usize });
            }
        }
    }
    out
}

/// Fits a model to already built examples.
pub fn train_from_examples(examples: &[Example], cfg: TrainConfig) -> ToneModel {
    fit(examples, cfg)
}

/// `newsloom train tone`: fits the target model on all of `data` and writes it to `out`
/// (reproduces `models/tone-target.bin.gz` from NewsMTSC dev). Returns a short report.
pub fn train(data: &Path, out: &Path) -> Result<String, String> {
    let rows = read_sentences(data)?;
    let lex = Lexicon::shared();
    let ex = examples(lex, rows.iter());
    if ex.is_empty() {
        return Err(format!("{}: no labelled targets", data.display()));
    }
    let t0 = std::time::Instant::now();
    let model = fit(&ex, TrainConfig::default());
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(format!(
        "trained on {} targets of {} sentences in {:.1} s: {} weight rows, {} bytes -> {}",
        ex.len(),
        rows.len(),
        t0.elapsed().as_secs_f64(),
        model.len(),
        bytes.len(),
        out.display()
    ))
}

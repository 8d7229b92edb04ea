//! `newsloom eval ner|quotes|events --folds K` (see [`newsloom_model::folds`]).
//!
//! * NER learns: each fold's tagger is trained on the training file's documents outside the
//!   fold and scored on the gold documents in it. CoNLL-2003 has no site field, so the group
//!   is the document.
//! * Quotes (rules) are grouped by `publisher`.
//! * Events (rules) are grouped by the document (GSR: `AFP0808020675_1` → `AFP0808020675`) or
//!   the unit-test family (`SYNSET-07` → `SYNSET`): the id without its sentence number.

use std::path::{Path, PathBuf};

use newsloom_model::EvalReport;
use newsloom_model::folds::FoldTask;
use serde_json::Value;

fn str_field(r: &Value, k: &str) -> String {
    r.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// The NER eval, trained per fold.
pub struct NerFolds;

impl FoldTask for NerFolds {
    fn name(&self) -> &str {
        "ner"
    }
    fn group_by(&self) -> &str {
        "document"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(|r| str_field(r, "id")).collect()
    }
    fn learns(&self) -> bool {
        true
    }
    fn eval(&self, test: &Path, train: Option<&Path>) -> Result<EvalReport, String> {
        let train = train.ok_or("eval ner --folds needs a training file (--train)")?;
        crate::ner::train_eval_report(train, test, &train.with_extension("weights.bin.gz"))
    }
}

/// The quote eval by publisher.
pub struct QuotesFolds;

impl FoldTask for QuotesFolds {
    fn name(&self) -> &str {
        "quotes"
    }
    fn group_by(&self) -> &str {
        "publisher"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(|r| str_field(r, "publisher")).collect()
    }
    fn eval(&self, test: &Path, _train: Option<&Path>) -> Result<EvalReport, String> {
        crate::quotes::eval(test)
    }
}

/// The event-coder eval by source document / test family.
pub struct EventsFolds;

/// An event gold id without its trailing sentence number.
pub fn event_group(id: &str) -> &str {
    match id.rfind(['_', '-']) {
        Some(i) if i > 0 => &id[..i],
        _ => id,
    }
}

/// The dictionaries the unit-test gold is coded with sit next to it (see `events::eval`).
const DICTIONARIES: &str = "petrarch2-validate-dictionaries";

impl FoldTask for EventsFolds {
    fn name(&self) -> &str {
        "events"
    }
    fn group_by(&self) -> &str {
        "document / test family"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(|r| event_group(&str_field(r, "id")).to_string()).collect()
    }
    fn setup(&self, gold: &Path, fold_dir: &Path) -> Result<(), String> {
        let src: PathBuf = gold.parent().unwrap_or(Path::new(".")).join(DICTIONARIES);
        let dst = fold_dir.join(DICTIONARIES);
        if !src.is_dir() || dst.exists() {
            return Ok(());
        }
        let src = src.canonicalize().map_err(|e| format!("{}: {e}", src.display()))?;
        std::os::unix::fs::symlink(&src, &dst).map_err(|e| format!("{}: {e}", dst.display()))
    }
    fn eval(&self, test: &Path, _train: Option<&Path>) -> Result<EvalReport, String> {
        crate::events::eval(test)
    }
}

/// The fold hooks of `task` (`ner`, `quotes` or `events`).
pub fn fold_task(task: &str) -> Option<Box<dyn FoldTask>> {
    match task {
        "ner" => Some(Box::new(NerFolds)),
        "quotes" => Some(Box::new(QuotesFolds)),
        "events" => Some(Box::new(EventsFolds)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_groups_drop_the_sentence_number() {
        assert_eq!(event_group("AFP0808020675_1"), "AFP0808020675");
        assert_eq!(event_group("github_issue27_4"), "github_issue27");
        assert_eq!(event_group("SYNSET-07"), "SYNSET");
        assert_eq!(event_group("SYRIA"), "SYRIA");
    }

    #[test]
    fn quotes_group_by_publisher() {
        let recs = [json!({"id": "a", "publisher": "nyt"}), json!({"id": "b"})];
        assert_eq!(QuotesFolds.groups(&recs), ["nyt", ""]);
    }
}

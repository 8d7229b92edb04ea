//! `newsloom eval ner|quotes|events`.
use newsloom_model::EvalReport;
use std::path::Path;

/// `task` is `ner`, `quotes` or `events`.
pub fn run(task: &str, gold: &Path) -> Result<EvalReport, String> {
    match task {
        "ner" => crate::ner::eval(gold),
        "quotes" => crate::quotes::eval(gold),
        "events" => crate::events::eval(gold),
        _ => Err(format!("eval {task} is not built yet (issue 7)")),
    }
}

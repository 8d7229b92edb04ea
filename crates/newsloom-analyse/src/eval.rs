//! `newsloom eval ner|quotes|events`.
use newsloom_model::EvalReport;
use std::path::Path;

/// `task` is `ner`, `quotes` or `events`.
pub fn run(task: &str, _gold: &Path) -> Result<EvalReport, String> {
    Err(format!("eval {task} is not built yet (issue 7)"))
}

//! `newsloom eval extract`: runs the extract stage over a gold file and scores it.
use newsloom_model::EvalReport;
use std::path::Path;

pub fn run(_gold: &Path) -> Result<EvalReport, String> {
    Err("eval extract is not built yet (issue 5)".into())
}

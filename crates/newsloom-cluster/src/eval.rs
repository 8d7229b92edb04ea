//! `newsloom eval cluster`.
use newsloom_model::EvalReport;
use std::path::Path;

/// `out`: where to write `{"id","story"}` assignments as JSONL.
pub fn run(_gold: &Path, _out: Option<&Path>) -> Result<EvalReport, String> {
    Err("eval cluster is not built yet (issue 6)".into())
}

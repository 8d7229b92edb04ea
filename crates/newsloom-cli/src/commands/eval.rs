//! `newsloom eval <task> --gold FILE`: runs the real stage on gold data and prints metrics.

use std::path::Path;

use anyhow::{anyhow, bail};

use crate::args::EvalTask;
use crate::output;

pub fn eval(
    task: EvalTask,
    gold: &Path,
    out: Option<&Path>,
    embed_model: Option<&Path>,
    folds: Option<usize>,
    json: bool,
) -> anyhow::Result<()> {
    if !gold.is_file() {
        bail!("gold file {} does not exist", gold.display());
    }
    let report = match task {
        EvalTask::Extract => newsloom_extract::eval::run(gold),
        EvalTask::Cluster => newsloom_cluster::eval::run_embed(gold, out, embed_model),
        EvalTask::Crosslingual => newsloom_cluster::crosslingual::run_crosslingual(gold, embed_model),
        EvalTask::Ner => newsloom_analyse::eval::run("ner", gold),
        EvalTask::Quotes => newsloom_analyse::eval::run("quotes", gold),
        EvalTask::Events => newsloom_analyse::eval::run("events", gold),
        // Dispatched to commands::geo (it takes folds); kept here so the match is complete.
        EvalTask::Geo => newsloom_geo::eval::run(&newsloom_geo::Geoparser::new(), gold, out, 1, false, false),
        EvalTask::Tone => newsloom_analyse::tone::eval(gold, folds, out),
        EvalTask::Themes => newsloom_analyse::themes::eval(gold, folds, out),
    }
    .map_err(|e| anyhow!(e))?;
    if json {
        let mut metrics = report.metrics.clone();
        metrics.insert("task".into(), report.task.clone().into());
        if let Some(mb) = output::peak_rss_mb() {
            metrics.entry("peak_rss_mb").or_insert(mb.into());
        }
        return output::json(&metrics);
    }
    println!("{}", report.human);
    Ok(())
}

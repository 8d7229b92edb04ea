//! `newsloom eval <task> --gold FILE`: runs the real stage on gold data and prints metrics.

use std::path::Path;

use anyhow::{anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use newsloom_model::folds::{self, FoldTask};

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

/// The training file of a learning task: `train`, else the gold file's `-train` sibling.
fn default_train(gold: &Path) -> Option<std::path::PathBuf> {
    let name = gold.file_name()?.to_str()?;
    let sibling = gold.with_file_name(name.replace("-dev", "-train"));
    (name.contains("-dev") && sibling.is_file()).then_some(sibling)
}

/// `newsloom eval <task> --gold FILE --folds K`: see `newsloom_model::folds`.
pub fn eval_folds(
    task: EvalTask,
    gold: &Path,
    k: usize,
    train: Option<&Path>,
    embed_model: Option<&Path>,
    has_out: bool,
    json: bool,
) -> anyhow::Result<()> {
    if !gold.is_file() {
        bail!("gold file {} does not exist", gold.display());
    }
    if has_out {
        bail!("--out is not available with --folds");
    }
    let hooks: Box<dyn FoldTask> = match task {
        EvalTask::Extract => Box::new(newsloom_extract::folds::ExtractFolds),
        EvalTask::Cluster => Box::new(newsloom_cluster::folds::ClusterFolds),
        EvalTask::Crosslingual => Box::new(newsloom_cluster::folds::CrosslingualFolds {
            embed_model: embed_model.map(Path::to_path_buf),
        }),
        EvalTask::Ner => newsloom_analyse::folds::fold_task("ner").expect("ner folds"),
        EvalTask::Quotes => newsloom_analyse::folds::fold_task("quotes").expect("quotes folds"),
        EvalTask::Events => newsloom_analyse::folds::fold_task("events").expect("events folds"),
        // Dispatched elsewhere with their own folds (geo by site, tone/themes by article).
        EvalTask::Geo | EvalTask::Tone | EvalTask::Themes => {
            bail!("{task:?} runs its folds in its own eval")
        }
    };
    // Only NER trains from a separate file; cluster fits on the gold file's other folds.
    let train = match (task, train) {
        (_, Some(t)) if !t.is_file() => bail!("training file {} does not exist", t.display()),
        (EvalTask::Ner, None) => Some(default_train(gold).ok_or_else(|| {
            anyhow!(
                "eval ner --folds trains per fold: give --train FILE (no -train file next to the gold file)"
            )
        })?),
        (EvalTask::Ner, Some(t)) => Some(t.to_path_buf()),
        (_, Some(_)) => bail!("--train is only used by `eval ner --folds`"),
        (_, None) => None,
    };
    let dir = tempfile::tempdir()?;
    let bar = ProgressBar::new(k as u64 + u64::from(!hooks.learns()));
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} [{elapsed_precise}]")
            .expect("valid template"),
    );
    let mut progress = |f: usize, k: usize| {
        bar.set_position(f as u64);
        bar.set_message(if f < k { format!("fold {f}") } else { "tune part".into() });
    };
    let report = folds::run(hooks.as_ref(), gold, train.as_deref(), k, dir.path(), &mut progress)
        .map_err(|e| anyhow!(e))?;
    bar.finish_and_clear();
    if json {
        return output::json(&report.metrics);
    }
    println!("{}", report.human);
    Ok(())
}

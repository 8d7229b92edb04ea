//! `newsloom places` and `newsloom eval geo`.

use std::path::Path;

use anyhow::{anyhow, bail};
use newsloom_store::{PlaceFilter, StoreBackend};

use crate::output;

pub fn places(store: &dyn StoreBackend, filter: &PlaceFilter, json: bool) -> anyhow::Result<()> {
    if let Some(c) = &filter.country
        && (c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()))
    {
        bail!("--country takes an ISO 3166-1 alpha-2 code (RU, US), not {c:?}");
    }
    let places = store.places(filter)?;
    if json {
        return output::json(&places);
    }
    for p in places {
        println!(
            "{:>9}  {:28}  {:2}  {:8}  {:>8.3} {:>9.3}  {:5}  {} mention(s) in {} article(s)",
            p.geonameid,
            output::clip(&p.name, 28),
            output::or_dash(p.country.as_deref()),
            output::or_dash(p.admin1.as_deref()),
            p.lat,
            p.lon,
            output::or_dash(p.feature_code.as_deref()),
            p.mentions,
            p.articles
        );
    }
    Ok(())
}

pub fn eval(
    gold: &Path,
    out: Option<&Path>,
    folds: usize,
    gold_spans: bool,
    literal_only: bool,
    json: bool,
) -> anyhow::Result<()> {
    if !gold.is_file() {
        bail!("gold file {} does not exist", gold.display());
    }
    if folds == 0 {
        bail!("--folds must be at least 1");
    }
    let report =
        newsloom_geo::eval::run(&newsloom_geo::Geoparser::new(), gold, out, folds, gold_spans, literal_only)
            .map_err(|e| anyhow!(e))?;
    if json {
        let mut metrics = report.metrics.clone();
        metrics.insert("task".into(), report.task.clone().into());
        return output::json(&metrics);
    }
    print!("{}", report.human);
    Ok(())
}

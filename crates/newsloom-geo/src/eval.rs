//! `newsloom eval geo`: the geoparser end to end from raw text on the geo gold sets
//! (`shared/data/geo`: LGL, TR-News, GeoWebNews, GeoVirus), scored as
//! `shared/eval/geo_score.py` scores (exact-span detection P/R/F1; over matched toponyms with
//! gold coordinates the error in km — 0 for the right GeoNames id, else the great-circle
//! distance, 20,039 km without coordinates — acc@161, mean/median km and AUC; e2e acc@161 over
//! all gold toponyms with coordinates; GeoNames id, country and ADM1 accuracy), on all
//! articles and in folds grouped by newspaper or site (`group`), with mean and spread.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use newsloom_model::{EvalReport, PlaceMention};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Geoparser;
use crate::gazetteer::distance_km;
use crate::resolve::Hints;

const MAX_KM: f64 = 20039.0;

#[derive(Debug, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    #[serde(default)]
    pub group: Option<Value>,
    #[serde(default)]
    pub domain: Option<String>,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

#[derive(Debug, Deserialize)]
pub struct GoldToponym {
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub geonameid: Option<u64>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub country: Option<Value>,
    #[serde(default)]
    pub admin1: Option<Value>,
    #[serde(default)]
    pub literal: Option<bool>,
}

impl GoldDoc {
    fn group_name(&self) -> String {
        match &self.group {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => self.domain.clone().unwrap_or_else(|| self.id.clone()),
        }
    }
}

/// Reads a gold JSONL file; bad lines are errors with their line number.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

/// Counts behind the metrics, summable over articles.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub articles: usize,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub errors_km: Vec<f64>,
    pub gold_with_coords: usize,
    pub id: (usize, usize),
    pub country: (usize, usize),
    pub admin1: (usize, usize),
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.articles += o.articles;
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.errors_km.extend_from_slice(&o.errors_km);
        self.gold_with_coords += o.gold_with_coords;
        for (a, b) in [(&mut self.id, o.id), (&mut self.country, o.country), (&mut self.admin1, o.admin1)] {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// The metrics, in percent as geo_score.py prints them (AUC 0..1, km).
    pub fn metrics(&self) -> BTreeMap<&'static str, f64> {
        let pct = |a: usize, b: usize| if b == 0 { f64::NAN } else { 100.0 * a as f64 / b as f64 };
        let p = pct(self.tp, self.tp + self.fp);
        let r = pct(self.tp, self.tp + self.fn_);
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        let n = self.errors_km.len();
        let within = self.errors_km.iter().filter(|&&e| e <= 161.0).count();
        let mut sorted = self.errors_km.clone();
        sorted.sort_by(f64::total_cmp);
        let median = if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        let auc = if n < 2 {
            f64::NAN
        } else {
            let ys: Vec<f64> = sorted.iter().map(|e| (1.0 + e).ln()).collect();
            let area: f64 = ys.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
            area / ((n - 1) as f64 * MAX_KM.ln())
        };
        BTreeMap::from([
            ("detection_p", p),
            ("detection_r", r),
            ("detection_f1", f1),
            ("acc161", pct(within, n)),
            ("e2e_acc161", pct(within, self.gold_with_coords)),
            ("mean_km", if n == 0 { f64::NAN } else { self.errors_km.iter().sum::<f64>() / n as f64 }),
            ("median_km", median),
            ("auc", auc),
            ("geonameid_acc", pct(self.id.0, self.id.1)),
            ("country_acc", pct(self.country.0, self.country.1)),
            ("admin1_acc", pct(self.admin1.0, self.admin1.1)),
        ])
    }
}

fn code_of(v: &Option<Value>) -> Option<&str> {
    v.as_ref()?.get("code")?.as_str()
}

/// Scores one article's predictions against its gold, as geo_score.py does.
pub fn score_doc(doc: &GoldDoc, preds: &[PlaceMention], literal_only: bool) -> Tally {
    let mut t = Tally { articles: 1, ..Tally::default() };
    let excluded: HashSet<(usize, usize)> = if literal_only {
        doc.toponyms.iter().filter(|g| g.literal == Some(false)).map(|g| (g.start, g.end)).collect()
    } else {
        HashSet::new()
    };
    let mut gold: HashMap<(usize, usize), &GoldToponym> = HashMap::new();
    for g in doc.toponyms.iter().filter(|g| !(literal_only && g.literal == Some(false))) {
        gold.entry((g.start, g.end)).or_insert(g);
    }
    t.gold_with_coords = gold.values().filter(|g| g.lat.is_some()).count();
    let mut pred: HashMap<(usize, usize), &PlaceMention> = HashMap::new();
    for p in preds {
        let k = (p.span.start, p.span.end);
        if !excluded.contains(&k) {
            pred.entry(k).or_insert(p);
        }
    }
    for (k, g) in &gold {
        let Some(p) = pred.get(k) else {
            t.fn_ += 1;
            continue;
        };
        t.tp += 1;
        let place = p.place.as_ref();
        if let (Some(lat), Some(lon)) = (g.lat, g.lon) {
            let e = match place {
                Some(pl) if g.geonameid == Some(pl.geonameid) => 0.0,
                Some(pl) => distance_km(pl.lat, pl.lon, lat, lon),
                None => MAX_KM,
            };
            t.errors_km.push(e);
        }
        if let Some(id) = g.geonameid {
            t.id.1 += 1;
            t.id.0 += usize::from(place.is_some_and(|pl| pl.geonameid == id));
        }
        if let Some(c) = code_of(&g.country) {
            t.country.1 += 1;
            t.country.0 += usize::from(place.is_some_and(|pl| pl.country == c));
        }
        if let Some(a) = code_of(&g.admin1) {
            t.admin1.1 += 1;
            t.admin1.0 += usize::from(place.is_some_and(|pl| pl.admin1.as_deref() == Some(a)));
        }
    }
    t.fp = pred.len() - t.tp;
    t
}

/// One article's predictions in geo_score.py's format.
pub fn prediction_line(id: &str, preds: &[PlaceMention]) -> Value {
    let tops: Vec<Value> = preds
        .iter()
        .map(|p| {
            let mut o =
                json!({"start": p.span.start, "end": p.span.end, "text": p.text, "literal": p.literal});
            if let Some(pl) = &p.place {
                o["geonameid"] = pl.geonameid.into();
                o["lat"] = pl.lat.into();
                o["lon"] = pl.lon.into();
                o["name"] = pl.name.clone().into();
                o["feature_code"] = pl.feature_code.clone().into();
                if !pl.country.is_empty() {
                    o["country"] = pl.country.clone().into();
                }
                if let Some(a) = &pl.admin1 {
                    o["admin1"] = a.clone().into();
                }
            }
            o
        })
        .collect();
    json!({"id": id, "toponyms": tops})
}

/// Runs the geoparser over gold documents (end to end, or on the gold spans).
pub fn predict(geo: &Geoparser, docs: &[GoldDoc], gold_spans: bool) -> Vec<Vec<PlaceMention>> {
    let first = predict_with(geo, docs, gold_spans, &HashMap::new());
    // The outlet's home, learnt from what its articles name (no gold involved), then a second
    // pass with it: local papers' "Dublin" is their Dublin.
    let homes = outlet_homes(docs.iter().map(GoldDoc::group_name).zip(first.iter()));
    predict_with(geo, docs, gold_spans, &homes)
}

fn predict_with(
    geo: &Geoparser,
    docs: &[GoldDoc],
    gold_spans: bool,
    homes: &HashMap<String, (String, Option<String>)>,
) -> Vec<Vec<PlaceMention>> {
    docs.iter()
        .map(|d| {
            let hints = Hints {
                dateline: None,
                domain: d.domain.as_deref(),
                home: homes.get(&d.group_name()).cloned(),
            };
            if gold_spans {
                let spans: Vec<(usize, usize)> = d.toponyms.iter().map(|t| (t.start, t.end)).collect();
                geo.resolve_spans(&d.id, &d.text, &spans, &hints)
            } else {
                geo.parse_text(&d.id, &d.text, &hints)
            }
        })
        .collect()
}

/// Each outlet's home: the country and ADM1 region most of its articles name (each article
/// counts a place once), when they name one more than any other.
pub fn outlet_homes<'a>(
    per_article: impl Iterator<Item = (String, &'a Vec<PlaceMention>)>,
) -> HashMap<String, (String, Option<String>)> {
    // Per outlet: articles naming each country, and each ADM1 region.
    type Counts = HashMap<String, usize>;
    let mut counts: HashMap<String, (Counts, Counts)> = HashMap::new();
    for (outlet, places) in per_article {
        let entry = counts.entry(outlet).or_default();
        let mut seen_c = HashSet::new();
        let mut seen_a = HashSet::new();
        for p in places.iter().filter_map(|p| p.place.as_ref()) {
            if !p.country.is_empty() && seen_c.insert(p.country.clone()) {
                *entry.0.entry(p.country.clone()).or_default() += 1;
            }
            if let Some(a) = &p.admin1
                && seen_a.insert(a.clone())
            {
                *entry.1.entry(a.clone()).or_default() += 1;
            }
        }
    }
    let top = |m: &HashMap<String, usize>| -> Option<String> {
        let mut v: Vec<(&String, &usize)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        match v.as_slice() {
            [(k, n), (_, m2), ..] if n > m2 => Some((*k).clone()),
            [(k, _)] => Some((*k).clone()),
            _ => None,
        }
    };
    counts
        .into_iter()
        .filter_map(|(o, (c, mut a))| {
            let country = top(&c)?;
            // The region most named among the home country's regions (a foreign namesake
            // region, as Dublin's for an Ohio paper, does not compete with them).
            let prefix = format!("{country}.");
            a.retain(|k, _| k.starts_with(&prefix));
            let admin1 = top(&a);
            Some((o, (country, admin1)))
        })
        .collect()
}

/// Folds by group (the shared scheme of `newsloom_model::folds`), so a newspaper or site is
/// wholly in one fold.
pub fn fold_of_docs(docs: &[GoldDoc], k: usize) -> Vec<usize> {
    newsloom_model::folds::assign(&docs.iter().map(GoldDoc::group_name).collect::<Vec<_>>(), k)
}

fn round(x: f64, digits: i32) -> Value {
    if x.is_nan() {
        return Value::Null;
    }
    let m = 10f64.powi(digits);
    json!((x * m).round() / m)
}

/// Scores predictions: all articles, and per fold with mean and standard deviation.
pub fn report(
    docs: &[GoldDoc],
    preds: &[Vec<PlaceMention>],
    folds: usize,
    literal_only: bool,
) -> (Map<String, Value>, String) {
    let tallies: Vec<Tally> = docs.iter().zip(preds).map(|(d, p)| score_doc(d, p, literal_only)).collect();
    let mut all = Tally::default();
    tallies.iter().for_each(|t| all.add(t));
    let mut metrics = Map::new();
    let m = all.metrics();
    for (k, v) in &m {
        metrics.insert((*k).into(), round(*v, if *k == "auc" { 4 } else { 2 }));
    }
    metrics.insert("articles".into(), docs.len().into());
    metrics.insert("toponyms_scored".into(), all.errors_km.len().into());
    let mut human = format!(
        "geo{}: {} articles\n  detection P/R/F1 {:.1} / {:.1} / {:.1}\n  e2e acc@161 {:.1}   acc@161 {:.1}   mean {:.0} km   median {:.0} km   AUC {:.3}\n  GeoNames id {:.1}   country {:.1}   ADM1 {:.1}\n",
        if literal_only { " (literal only)" } else { "" },
        docs.len(),
        m["detection_p"],
        m["detection_r"],
        m["detection_f1"],
        m["e2e_acc161"],
        m["acc161"],
        m["mean_km"],
        m["median_km"],
        m["auc"],
        m["geonameid_acc"],
        m["country_acc"],
        m["admin1_acc"]
    );
    if folds > 1 {
        let fold = fold_of_docs(docs, folds);
        let mut per: Vec<Tally> = vec![Tally::default(); folds];
        for (t, &f) in tallies.iter().zip(&fold) {
            per[f].add(t);
        }
        let per_m: Vec<BTreeMap<&str, f64>> =
            per.iter().filter(|t| t.articles > 0).map(Tally::metrics).collect();
        let mut fm = Map::new();
        human.push_str(&format!("  {} folds by group (mean ± sd):", per_m.len()));
        for key in ["e2e_acc161", "acc161", "detection_f1", "auc", "geonameid_acc"] {
            let xs: Vec<f64> = per_m.iter().map(|m| m[key]).filter(|x| !x.is_nan()).collect();
            if xs.is_empty() {
                continue;
            }
            let mean = xs.iter().sum::<f64>() / xs.len().max(1) as f64;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len().max(1) as f64).sqrt();
            let d = if key == "auc" { 4 } else { 2 };
            fm.insert(
                key.into(),
                json!({"mean": round(mean, d), "sd": round(sd, d), "folds": xs.iter().map(|x| round(*x, d)).collect::<Vec<_>>()}),
            );
            human.push_str(&format!("  {key} {mean:.2} ± {sd:.2}"));
        }
        human.push('\n');
        metrics.insert("folds".into(), Value::Object(fm));
    }
    (metrics, human)
}

/// The whole `eval geo` command: predict, optionally write predictions, score.
pub fn run(
    geo: &Geoparser,
    gold: &Path,
    out: Option<&Path>,
    folds: usize,
    gold_spans: bool,
    literal_only: bool,
) -> Result<EvalReport, String> {
    let docs = read_gold(gold)?;
    let t = std::time::Instant::now();
    let preds = predict(geo, &docs, gold_spans);
    let secs = t.elapsed().as_secs_f64();
    if let Some(out) = out {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?,
        );
        for (d, p) in docs.iter().zip(&preds) {
            writeln!(f, "{}", prediction_line(&d.id, p)).map_err(|e| e.to_string())?;
        }
        f.flush().map_err(|e| e.to_string())?;
    }
    let (mut metrics, mut human) = report(&docs, &preds, folds, literal_only);
    metrics.insert("gold_spans".into(), gold_spans.into());
    metrics.insert("literal_only".into(), literal_only.into());
    metrics.insert("articles_per_s".into(), round(docs.len() as f64 / secs.max(1e-9), 1));
    human.push_str(&format!(
        "  {:.0} articles/s (gazetteer load included)\n",
        docs.len() as f64 / secs.max(1e-9)
    ));
    Ok(EvalReport { task: "geo".into(), metrics, human })
}

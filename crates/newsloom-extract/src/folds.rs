//! `newsloom eval extract --folds K`: pages grouped by site (see [`newsloom_model::folds`]).

use std::path::Path;

use newsloom_model::EvalReport;
use newsloom_model::folds::{FoldTask, url_site};
use serde_json::Value;

/// The extraction eval split by site.
pub struct ExtractFolds;

/// The site of a gold page: the host of its `url` (or of an `id` that is a URL), else, for the
/// trafilatura set's `hard::<site>-<slug>.html` ids, the first two dotted parts of `<site>`.
pub fn page_site(r: &Value) -> String {
    let s = |k: &str| r.get(k).and_then(Value::as_str);
    if let Some(site) = s("url").and_then(url_site).or_else(|| s("id").and_then(url_site)) {
        return site;
    }
    let id = s("id").or(s("html_file")).unwrap_or("");
    let name = id.rsplit("::").next().unwrap_or(id).rsplit('/').next().unwrap_or(id);
    let name = name.split('-').next().unwrap_or(name).trim_end_matches(".html");
    name.split('.').take(2).collect::<Vec<_>>().join(".").to_lowercase()
}

impl FoldTask for ExtractFolds {
    fn name(&self) -> &str {
        "extract"
    }
    fn group_by(&self) -> &str {
        "site (URL host)"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(page_site).collect()
    }
    /// Fold files live elsewhere, so page paths become absolute.
    fn prepare(&self, record: &mut Value, gold_dir: &Path) {
        let base = gold_dir.canonicalize().unwrap_or_else(|_| gold_dir.to_path_buf());
        if let Some(f) = record.get("html_file").and_then(Value::as_str) {
            let abs = base.join(f).to_string_lossy().into_owned();
            record["html_file"] = Value::String(abs);
        }
    }
    fn eval(&self, test: &Path, _train: Option<&Path>) -> Result<EvalReport, String> {
        crate::eval::run(test)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn site_comes_from_the_url_or_the_page_name() {
        assert_eq!(page_site(&json!({"id": "x", "url": "https://www.bbc.co.uk/news/1"})), "bbc.co.uk");
        assert_eq!(page_site(&json!({"id": "http://blog.example.de/?p=2"})), "blog.example.de");
        assert_eq!(page_site(&json!({"id": "hard::dw.com.colonial.html"})), "dw.com");
        assert_eq!(page_site(&json!({"id": "hard::100noticias.com-millones.html"})), "100noticias.com");
    }

    #[test]
    fn page_paths_become_absolute() {
        let mut r = json!({"html_file": "html/a.html.gz"});
        ExtractFolds.prepare(&mut r, &std::env::temp_dir());
        let p = r["html_file"].as_str().unwrap();
        assert!(Path::new(p).is_absolute() && p.ends_with("html/a.html.gz"), "{p}");
    }
}

//! PolNeAR-style attribution gold (`shared/data/quotes/README.md`): one article per JSONL line
//! with character-offset (code point) spans for each attribution's content, source and cue.

use serde::Deserialize;
use std::path::Path;

/// A role's spans, `[start, end)` in chars; a role can be discontinuous.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldSpans {
    #[serde(default)]
    pub spans: Vec<(usize, usize)>,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldAttribution {
    /// `direct`, `mixed` or `indirect` (derived by the converter from the content text).
    #[serde(default = "indirect")]
    pub kind: String,
    #[serde(default)]
    pub source: Option<GoldSpans>,
    #[serde(default)]
    pub cue: Option<GoldSpans>,
    #[serde(default)]
    pub content: GoldSpans,
}

fn indirect() -> String {
    "indirect".into()
}

/// One annotated article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    #[serde(default)]
    pub id: String,
    /// The outlet: folds are grouped by it so that no publisher is split.
    #[serde(default)]
    pub publisher: String,
    pub text: String,
    #[serde(default)]
    pub attributions: Vec<GoldAttribution>,
}

/// Reads a gold file. A bad line is an error naming the line, so a broken file is not scored as
/// if it were shorter.
pub fn read_gold(path: &Path) -> Result<Vec<GoldArticle>, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}

//! Printing results: one JSON document with `--json`, readable text otherwise.

use serde::Serialize;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub use newsloom_model::process::peak_rss_mb;

/// Shortens `s` to at most `max` chars, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// `a` or `-` for a missing value.
pub fn or_dash(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

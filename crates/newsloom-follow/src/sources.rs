//! The SOURCES file: one feed URL per line (`#` comments), or a TOML config with per-source
//! options.
//!
//! ```toml
//! [defaults]
//! poll = "15m"
//! lang = "en"
//!
//! [[source]]
//! url = "https://example.org/rss.xml"
//! name = "Example News"     # the outlet (the articles' `source`)
//! poll = "5m"
//! ```

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use url::Url;

/// How often a source is polled when nothing says otherwise.
pub const DEFAULT_POLL: Duration = Duration::from_secs(15 * 60);

/// One source to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    pub url: Url,
    /// Outlet name for its articles (meta `source`); a news sitemap's publication name
    /// otherwise, or what the page says.
    pub name: Option<String>,
    /// Language of its articles (meta `lang`), when known in advance.
    pub lang: Option<String>,
    pub poll: Duration,
}

/// A SOURCES file that cannot be used, with the line or TOML error.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcesError(pub String);

impl std::fmt::Display for SourcesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourcesError {}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TomlConfig {
    #[serde(default)]
    defaults: TomlDefaults,
    #[serde(default)]
    source: Vec<TomlSource>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TomlDefaults {
    poll: Option<String>,
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSource {
    url: String,
    name: Option<String>,
    lang: Option<String>,
    poll: Option<String>,
}

/// Reads a SOURCES file (TOML when its name ends in `.toml`).
pub fn load(path: &Path) -> Result<Vec<SourceSpec>, SourcesError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SourcesError(format!("cannot read the sources file {}: {e}", path.display())))?;
    let toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let specs = if toml { parse_toml(&text, DEFAULT_POLL) } else { parse_lines(&text, DEFAULT_POLL) };
    specs.map_err(|e| SourcesError(format!("{}: {e}", path.display())))
}

/// One URL per line; blank lines and `#` comments are skipped.
pub fn parse_lines(text: &str, poll: Duration) -> Result<Vec<SourceSpec>, SourcesError> {
    let mut specs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        let url = parse_url(line).map_err(|e| SourcesError(format!("line {}: {e}", n + 1)))?;
        specs.push(SourceSpec { url, name: None, lang: None, poll });
    }
    dedup(specs)
}

/// The TOML form: `[defaults]` (poll, lang) and `[[source]]` tables (url, name, lang, poll).
pub fn parse_toml(text: &str, poll: Duration) -> Result<Vec<SourceSpec>, SourcesError> {
    let config: TomlConfig = toml::from_str(text).map_err(|e| SourcesError(e.to_string()))?;
    let default_poll = match &config.defaults.poll {
        Some(p) => parse_poll(p)?,
        None => poll,
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut specs = Vec::new();
    for (i, s) in config.source.into_iter().enumerate() {
        let at = |e: String| SourcesError(format!("source {} ({}): {e}", i + 1, s.url));
        let url = parse_url(&s.url).map_err(at)?;
        let poll = match &s.poll {
            Some(p) => parse_poll(p).map_err(|e| at(e.0))?,
            None => default_poll,
        };
        let lang = clean(s.lang.clone()).or_else(|| clean(config.defaults.lang.clone()));
        specs.push(SourceSpec { url, name: clean(s.name), lang, poll });
    }
    dedup(specs)
}

fn parse_url(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| format!("invalid URL {s:?}: {e}"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("unsupported URL scheme {other:?} in {s:?} (only http and https)")),
    }
}

/// A poll interval like `90s`, `10m`, `1h 30m`; at least one second.
pub fn parse_poll(s: &str) -> Result<Duration, SourcesError> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| SourcesError(format!("invalid poll interval {s:?}: {e} (e.g. \"90s\", \"10m\")")))?;
    if d < Duration::from_secs(1) {
        return Err(SourcesError(format!("poll interval {s:?} is under one second")));
    }
    Ok(d)
}

fn dedup(specs: Vec<SourceSpec>) -> Result<Vec<SourceSpec>, SourcesError> {
    let mut seen = std::collections::HashSet::new();
    for s in &specs {
        if !seen.insert(s.url.as_str()) {
            return Err(SourcesError(format!("{} is listed twice", s.url)));
        }
    }
    if specs.is_empty() {
        return Err(SourcesError("no sources listed".into()));
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_lists_with_comments() {
        let specs =
            parse_lines("# feeds\nhttp://a.test/rss  # main\n\n https://b.test/sitemap.xml\n", DEFAULT_POLL)
                .unwrap();
        let urls: Vec<_> = specs.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(urls, ["http://a.test/rss", "https://b.test/sitemap.xml"]);
        assert!(parse_lines("ftp://x/feed\n", DEFAULT_POLL).unwrap_err().0.contains("line 1"));
        assert!(parse_lines("http://a/\nhttp://a/\n", DEFAULT_POLL).unwrap_err().0.contains("twice"));
        assert!(parse_lines("# nothing\n", DEFAULT_POLL).is_err());
    }

    #[test]
    fn reads_toml_with_defaults_and_overrides() {
        let text = r#"
            [defaults]
            poll = "10m"
            lang = "en"
            [[source]]
            url = "http://a.test/rss"
            name = "A News"
            [[source]]
            url = "http://b.test/feed"
            lang = "es"
            poll = "90s"
        "#;
        let specs = parse_toml(text, DEFAULT_POLL).unwrap();
        assert_eq!(specs[0].name.as_deref(), Some("A News"));
        assert_eq!((specs[0].lang.as_deref(), specs[0].poll), (Some("en"), Duration::from_secs(600)));
        assert_eq!((specs[1].lang.as_deref(), specs[1].poll), (Some("es"), Duration::from_secs(90)));
        let bad = parse_toml("[[source]]\nurl = \"http://a/\"\npoll = \"soon\"\n", DEFAULT_POLL).unwrap_err();
        assert!(bad.0.contains("invalid poll interval"), "{bad}");
        assert!(parse_toml("[[source]]\nulr = \"http://a/\"\n", DEFAULT_POLL).is_err());
    }
}

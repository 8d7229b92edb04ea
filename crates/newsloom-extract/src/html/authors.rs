//! Author strings as pages give them ("Posted by X", "Von: X und Y", "X, PhD", a URL, a site
//! name, a bare label) to clean person names.

use std::sync::LazyLock;

use regex::Regex;

use super::meta::clean;

/// Lead-ins before a name, lowercase; matched case-insensitively and stripped when followed by
/// a space, a colon or an uppercase letter ("Veröffentlicht vonChris Jung").
#[rustfmt::skip]
const LEAD_INS: &[&str] = &[
    "posted by", "published by", "written by", "veröffentlicht von", "eingestellt von",
    "geschrieben von", "verfasst von", "erstellt von", "publié par", "escrito por", "publicado por",
    "scritto da", "by", "von", "vom", "par", "por", "di", "autor", "autorin", "author", "auteur",
    "text", "redakteur",
];
/// Values that are labels, not names.
static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(publiziert|veröffentlicht|posted|published|erstellt|geschrieben|eingestellt|updated|aktualisiert)(\s+(am|on|von|by|um))?$|^(auteurs?|autor(en|in)?|authors?|redaktion:?|written by|mehr|more)$").unwrap()
});
/// Trailing labels after a name ("Jane Doe Alle Artikel").
const TRAILERS: &[&str] = &[" alle artikel", " all articles", " mehr artikel", " more articles", " profil"];
const DEGREES: &[&str] =
    &["phd", "ph.d.", "md", "m.d.", "mba", "mph", "jr", "jr.", "sr.", "ii", "iii", "dr."];

/// Words a byline joins names and dates with ("By X and Y | Nov. 20, 2019").
const JOINERS: &[&str] = &[
    "by", "von", "par", "por", "di", "da", "door", "and", "und", "et", "y", "e", "|", "·", "•", "-", "–",
    "—", "/",
];

/// Whether a body line is only the page's byline and date ("November 20, 2019 Emiliano
/// Bellini", "By Jane Doe | Updated 10:32 a.m."): one of the page's authors named in full, and
/// the rest, less joining words, a timestamp. Such lines repeat the metadata, not the article.
pub(super) fn dated_byline(line: &str, authors: &[String]) -> bool {
    if line.len() > 150 || authors.is_empty() || !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    // Each word as written and without the punctuation around it, trimmed once (every
    // author's name parts are looked up among them).
    let words: Vec<(&str, &str)> = line
        .split_whitespace()
        .map(|w| (w, w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')'))))
        .collect();
    let Some(name) = authors.iter().find(|a| {
        a.split_whitespace().count() >= 2 && a.split_whitespace().all(|p| words.iter().any(|&(_, b)| b == p))
    }) else {
        return false;
    };
    let name: Vec<&str> = name.split_whitespace().collect();
    let rest: Vec<&str> = words
        .iter()
        .filter(|&&(_, b)| {
            !b.is_empty() && !name.contains(&b) && !JOINERS.iter().any(|j| j.eq_ignore_ascii_case(b))
        })
        .map(|&(w, _)| w)
        .collect();
    !rest.is_empty() && crate::text::is_timestamp(&rest.join(" "))
}

fn strip_lead_in(s: &str) -> &str {
    let lower = s.to_lowercase();
    for p in LEAD_INS {
        if lower.starts_with(p) && lower.len() == s.len() {
            let rest = &s[p.len()..];
            let next = rest.chars().next();
            if next.is_some_and(|c| c.is_whitespace() || c == ':' || c.is_uppercase()) {
                return rest.trim_start_matches([' ', ':', '\u{a0}']).trim_start();
            }
        }
    }
    s
}

/// Cleans author strings into names; `site` (the outlet's name) is not an author.
pub fn clean_authors(raw: &[String], site: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        let r = clean(r);
        let r = r.trim();
        if r.starts_with("http") || r.contains('@') || r.contains("://") || r.chars().count() > 80 {
            continue;
        }
        let mut stripped = strip_lead_in(r).to_string();
        for t in TRAILERS {
            if stripped.to_lowercase().ends_with(t) && stripped.is_char_boundary(stripped.len() - t.len()) {
                stripped.truncate(stripped.len() - t.len());
            }
        }
        let mut names: Vec<String> = Vec::new();
        for part in stripped
            .split(" and ")
            .flat_map(|p| p.split(" und "))
            .flat_map(|p| p.split(" & "))
            .flat_map(|p| p.split([',', ';', '|', '/']))
        {
            let name = part.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.').to_string();
            if DEGREES.contains(&name.to_lowercase().as_str()) {
                if let Some(prev) = names.last_mut() {
                    prev.push_str(", ");
                    prev.push_str(&name);
                }
                continue;
            }
            let domain_like = !name.contains(' ')
                && name.rsplit_once('.').is_some_and(|(_, tld)| {
                    (2..=4).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_lowercase())
                });
            if name.is_empty()
                || name.chars().any(|c| c.is_ascii_digit())
                || domain_like
                || LABEL_RE.is_match(&name)
                || site.is_some_and(|s| s.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            names.push(strip_lead_in(&name).to_string());
        }
        for n in names {
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&LABEL_RE);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<String> {
        clean_authors(&[s.to_string()], Some("Daily"))
    }

    #[test]
    fn cleans_common_shapes() {
        assert_eq!(c("By Jane Doe and John Roe"), vec!["Jane Doe", "John Roe"]);
        assert_eq!(c("Veröffentlicht vonChris Jung"), vec!["Chris Jung"]);
        assert_eq!(c("Von: Wolfgang Schmale"), vec!["Wolfgang Schmale"]);
        assert_eq!(
            c("Michael L. Anderson, PhD; Carlos Dobkin, PhD"),
            vec!["Michael L. Anderson, PhD", "Carlos Dobkin, PhD"]
        );
        assert_eq!(c("Johanna Kropfitsch Alle Artikel"), vec!["Johanna Kropfitsch"]);
        assert!(c("Publiziert am").is_empty());
        assert!(c("finanztreff.de").is_empty());
        assert!(c("https://facebook.com/x").is_empty());
        assert!(c("Daily").is_empty());
    }

    #[test]
    fn a_body_line_of_byline_and_date_is_recognised() {
        let authors = vec!["Emiliano Bellini".to_string(), "Jane Doe".to_string()];
        for line in [
            "November 20, 2019 Emiliano Bellini",
            "By Jane Doe | Updated 10:32 a.m. Nov. 4, 2019",
            "21. Jan 2022 // Emiliano Bellini",
            "Jane Doe 19.10.2019, 05:00 Uhr",
        ] {
            assert!(dated_byline(line, &authors), "{line}");
        }
        for line in [
            // No date: a byline alone is another filter's.
            "By Jane Doe",
            // Article text naming the author and a date.
            "Emiliano Bellini wrote on November 20, 2019 that the plan would cut costs by half.",
            // Only part of a name.
            "November 20, 2019 Emiliano",
            // Someone else.
            "November 20, 2019 John Smith",
        ] {
            assert!(!dated_byline(line, &authors), "{line}");
        }
        assert!(!dated_byline("November 20, 2019 Emiliano Bellini", &[]));
    }
}

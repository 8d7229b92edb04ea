//! Building one Events row and one Mentions row (see GDELT.md for the mapping).

use chrono::{Datelike, NaiveDate};
use newsloom_store::{EventGroup, EventReport, SqliteStore};
use unicode_segmentation::UnicodeSegmentation;

use super::actors::split_actor;
use super::columns::{ACTOR1, ACTOR2, GEO};
use super::geo::GeoCoder;
use crate::Result;
use crate::time::gdelt_stamp;

/// A stable numeric id for an event: the first 53 bits of the BLAKE3 hash of its grouping key
/// (story, actors, CAMEO code), so the same event keeps its id across exports and readers that
/// load numbers as doubles (pandas, JavaScript) keep it exact.
pub fn global_event_id(key: &str, source_actor: &str, target_actor: Option<&str>, cameo: &str) -> u64 {
    let text = format!("{key}\t{source_actor}\t{}\t{cameo}", target_actor.unwrap_or(""));
    let hash = blake3::hash(text.as_bytes());
    let bytes: [u8; 8] = hash.as_bytes()[..8].try_into().expect("8 bytes");
    u64::from_le_bytes(bytes) & ((1 << 53) - 1)
}

/// What the rows need from an article's body: its length, where its first paragraph ends,
/// where its sentences start, and where its coded actors are mentioned (all in chars).
#[derive(Debug, Default)]
pub(crate) struct ArticleFacts {
    id: String,
    chars: usize,
    first_paragraph_end: usize,
    sentence_starts: Vec<usize>,
    coded_mentions: Vec<(i64, String)>,
    /// The article's tone (GDELT's AvgTone scale), if it was scored.
    tone: Option<f32>,
}

impl ArticleFacts {
    fn new(id: &str, body: &str, coded_mentions: Vec<(i64, String)>) -> Self {
        let chars = body.chars().count();
        let first_paragraph_end = body.find("\n\n").map_or(chars, |b| body[..b].chars().count());
        let mut sentence_starts = vec![];
        let (mut byte, mut char_at) = (0, 0);
        for (start, sentence) in body.split_sentence_bound_indices() {
            char_at += body[byte..start].chars().count();
            byte = start;
            // Each line break ends a segment: blank lines are no sentences.
            if !sentence.trim().is_empty() {
                sentence_starts.push(char_at);
            }
        }
        Self { id: id.to_string(), chars, first_paragraph_end, sentence_starts, coded_mentions, tone: None }
    }

    /// 1-based number of the sentence holding char offset `at`.
    fn sentence_of(&self, at: usize) -> usize {
        self.sentence_starts.partition_point(|&s| s <= at).max(1)
    }

    /// Char offset of the mention of `code` nearest to `at`: the same code first, else the same
    /// root (first three letters); -1 when the article names no such actor, as GDELT writes it.
    fn actor_offset(&self, code: Option<&str>, at: usize) -> i64 {
        let Some(code) = code.filter(|c| !c.is_empty()) else { return -1 };
        let nearest = |matches: &dyn Fn(&str) -> bool| {
            self.coded_mentions
                .iter()
                .filter(|(_, c)| matches(c))
                .min_by_key(|(start, _)| (start - at as i64).abs())
                .map(|(start, _)| *start)
        };
        let root = code.get(..3).unwrap_or(code);
        nearest(&|c| c == code).or_else(|| nearest(&|c| c.starts_with(root))).unwrap_or(-1)
    }
}

/// The facts of the last article looked at: reports come in article order, so each body is
/// read once.
#[derive(Default)]
pub(crate) struct ArticleCache {
    current: Option<ArticleFacts>,
}

impl ArticleCache {
    pub(crate) fn get(&mut self, store: &SqliteStore, id: &str) -> Result<&ArticleFacts> {
        if self.current.as_ref().is_none_or(|a| a.id != id) {
            let body = store.article_body(id)?.unwrap_or_default();
            let mut facts = ArticleFacts::new(id, &body, store.coded_mentions(id)?);
            facts.tone = store.article_tone(id)?.map(|t| t.tone);
            self.current = Some(facts);
        }
        Ok(self.current.as_ref().expect("set above"))
    }
}

/// The event's day: its own date when the text gives a full one, else the first report's
/// publication day, else the day it was added.
fn event_day(g: &EventGroup, date_added: &str) -> NaiveDate {
    let parse = |s: &str| s.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    g.first
        .date
        .as_deref()
        .and_then(parse)
        .or_else(|| g.first_day.as_deref().and_then(parse))
        .or_else(|| NaiveDate::parse_from_str(date_added.get(..8)?, "%Y%m%d").ok())
        .unwrap_or_default()
}

/// Where a report can be found: its URL, or `newsloom:ID` for an article that came without one.
fn identifier(url: Option<&str>, article: &str) -> String {
    url.map_or_else(|| format!("newsloom:{article}"), str::to_string)
}

/// One Events row (61 fields).
pub(crate) fn event_row(
    g: &EventGroup,
    article: &ArticleFacts,
    date_added: &str,
    geo: &dyn GeoCoder,
) -> Vec<String> {
    let mut f = vec![String::new(); 61];
    let id = global_event_id(&g.key, &g.source_actor, g.target_actor.as_deref(), &g.cameo);
    let day = event_day(g, date_added);
    f[0] = id.to_string();
    f[1] = day.format("%Y%m%d").to_string();
    f[2] = day.format("%Y%m").to_string();
    f[3] = day.year().to_string();
    // GDELT's FractionDate: year + ((month - 1) * 30 + day) / 365, four decimals.
    f[4] = format!("{:.4}", day.year() as f64 + ((day.month0() * 30 + day.day()) as f64) / 365.0);
    for (at, code) in [(ACTOR1, Some(g.source_actor.as_str())), (ACTOR2, g.target_actor.as_deref())] {
        if let Some(code) = code {
            for (i, value) in split_actor(code).into_columns().into_iter().enumerate() {
                f[at + i] = value;
            }
        }
    }
    // Root event: reported in the first paragraph of its first article.
    f[25] = u8::from(g.first.span.start < article.first_paragraph_end).to_string();
    f[26] = g.cameo.clone();
    f[27] = g.cameo.get(..3).unwrap_or(&g.cameo).to_string();
    f[28] = g.cameo.get(..2).unwrap_or(&g.cameo).to_string();
    f[29] = (g.first.quad_class as u8).to_string();
    f[30] = format!("{:.1}", g.first.goldstein);
    f[31] = g.reports.to_string();
    f[32] = g.sources.to_string();
    f[33] = g.articles.to_string();
    // AvgTone: the tone of the article first reporting the event (empty when unscored).
    f[34] = tone_text(article.tone);
    geo.fill(g, &mut f[GEO]);
    f[59] = date_added.to_string();
    f[60] = identifier(g.first_url.as_deref(), &g.first.span.article);
    f
}

/// A tone as GDELT writes it, or empty when the article was not scored.
fn tone_text(tone: Option<f32>) -> String {
    tone.map(|t| format!("{t:.4}")).unwrap_or_default()
}

/// One Mentions row (16 fields).
pub(crate) fn mention_row(r: &EventReport, article: &ArticleFacts) -> Vec<String> {
    let at = r.event.span.start;
    let id = global_event_id(&r.key, &r.source_actor, r.target_actor.as_deref(), &r.cameo);
    vec![
        id.to_string(),
        gdelt_stamp(r.group_first_ingested_at),
        gdelt_stamp(r.article_ingested_at),
        // 1 = WEB: a news article.
        "1".to_string(),
        r.article_source.clone().unwrap_or_default(),
        identifier(r.article_url.as_deref(), &r.event.span.article),
        article.sentence_of(at).to_string(),
        article.actor_offset(Some(&r.source_actor), at).to_string(),
        article.actor_offset(r.target_actor.as_deref(), at).to_string(),
        at.to_string(),
        // Coded from the stored text itself, not a translation.
        "1".to_string(),
        ((r.event.confidence.clamp(0.0, 1.0) * 100.0).round() as u32).to_string(),
        article.chars.to_string(),
        // MentionDocTone: the reporting article's tone.
        tone_text(article.tone),
        String::new(),
        String::new(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_facts_count_in_chars() {
        let body = "Première phrase ici. Deuxième phrase.\n\nSecond paragraphe.";
        let a = ArticleFacts::new("a", body, vec![(0, "FRA".into()), (40, "FRAGOV".into())]);
        assert_eq!(a.chars, body.chars().count());
        assert_eq!(a.first_paragraph_end, 37);
        assert_eq!(a.sentence_of(0), 1);
        assert_eq!(a.sentence_of(22), 2);
        assert_eq!(a.sentence_of(45), 3);
        assert_eq!(a.actor_offset(Some("FRAGOV"), 0), 40);
        assert_eq!(a.actor_offset(Some("FRAMIL"), 30), 40);
        assert_eq!(a.actor_offset(Some("USA"), 0), -1);
        assert_eq!(a.actor_offset(None, 0), -1);
    }

    #[test]
    fn event_ids_are_stable_and_exact_as_doubles() {
        let a = global_event_id("s1", "RUS", Some("USA"), "036");
        assert_eq!(a, global_event_id("s1", "RUS", Some("USA"), "036"));
        assert_ne!(a, global_event_id("s1", "RUS", None, "036"));
        assert!(a < 1 << 53);
    }
}

//! Tone and themes of articles: written with each article's facts, read per article, by theme,
//! and as tone series (per story, outlet or entity, by day, month or year).

use newsloom_model::Analysis;
use newsloom_model::{ArticleTone, MentionTone, ThemeLabel};
use rusqlite::{OptionalExtension, ToSql, Transaction, params};
use serde::Serialize;

use crate::write::{bounds, insert_rows};
use crate::{Result, SqliteStore};

/// Writes an article's tone, mention tones and themes (inside the batch transaction).
pub(crate) fn insert_tone(tx: &Transaction, article: &str, seq: i64, an: &Analysis) -> Result<()> {
    if let Some(t) = &an.tone {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO article_tone (article_seq, article, tone, positive, negative, polarity, self_group,
             words) VALUES (?,?,?,?,?,?,?,?)",
        )?
        .execute(params![seq, article, t.tone, t.positive, t.negative, t.polarity, t.self_group_density, t.word_count])?;
    }
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(8 * an.mention_tones.len());
    let at: Vec<_> = an.mention_tones.iter().map(|m| bounds(&m.span)).collect();
    for (m, (start, end)) in an.mention_tones.iter().zip(&at) {
        values.extend([
            &article as &dyn ToSql,
            &seq,
            &m.entity,
            start,
            end,
            &m.polarity,
            &m.score,
            &m.confidence,
        ]);
    }
    insert_rows(
        tx,
        "mention_tones (article, article_seq, entity, start, end, polarity, score, confidence)",
        8,
        &values,
    )?;
    let ranks: Vec<i64> = (0..an.themes.len() as i64).collect();
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(7 * an.themes.len());
    for (l, rank) in an.themes.iter().zip(&ranks) {
        values.extend([&article as &dyn ToSql, &seq, &l.code, &l.label, &l.kind, &l.confidence, rank]);
    }
    insert_rows(
        tx,
        "article_themes (article, article_seq, code, label, kind, confidence, rank)",
        7,
        &values,
    )?;
    Ok(())
}

/// One period of a tone series.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TonePoint {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub period: String,
    /// Articles (or, for an entity, mentions) in the period.
    pub count: usize,
    /// Mean article tone (GDELT AvgTone scale), or for an entity the mean mention score (-1..1).
    pub mean_tone: f64,
}

/// What a tone series is about.
#[derive(Debug, Clone, PartialEq)]
pub enum ToneSubject {
    Story(String),
    Outlet(String),
    /// Mention tones towards an entity id.
    Entity(String),
    /// Articles reporting an event between two actors (either direction; codes by prefix, as
    /// in dyads): how the coverage of that relationship sounds.
    Dyad(String, String),
}

impl SqliteStore {
    /// An article's V2Tone (AvgTone is `tone`), if it was analysed with tone.
    pub fn article_tone(&self, article: &str) -> Result<Option<ArticleTone>> {
        self.by_seq(article, |seq| self.article_tone_at(seq))
    }

    /// [`Self::article_tone`] of the article stored at `seq`.
    pub(crate) fn article_tone_at(&self, seq: i64) -> Result<Option<ArticleTone>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT tone, positive, negative, polarity, self_group, words FROM article_tone WHERE article_seq = ?",
            )?
            .query_row([seq], |r| {
                Ok(ArticleTone {
                    tone: r.get(0)?,
                    positive: r.get(1)?,
                    negative: r.get(2)?,
                    polarity: r.get(3)?,
                    self_group_density: r.get(4)?,
                    word_count: r.get(5)?,
                })
            })
            .optional()?)
    }

    /// An article's themes, main IPTC subject first.
    pub fn article_themes(&self, article: &str) -> Result<Vec<ThemeLabel>> {
        self.by_seq(article, |seq| self.article_themes_at(seq))
    }

    /// [`Self::article_themes`] of the article stored at `seq`.
    pub(crate) fn article_themes_at(&self, seq: i64) -> Result<Vec<ThemeLabel>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, label, kind, confidence FROM article_themes WHERE article_seq = ? ORDER BY rank",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok(ThemeLabel { code: r.get(0)?, label: r.get(1)?, kind: r.get(2)?, confidence: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tone towards each mention of an article.
    pub fn mention_tones(&self, article: &str) -> Result<Vec<MentionTone>> {
        self.by_seq(article, |seq| self.mention_tones_at(seq, article))
    }

    /// [`Self::mention_tones`] of `article`, stored at `seq`.
    pub(crate) fn mention_tones_at(&self, seq: i64, article: &str) -> Result<Vec<MentionTone>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity, start, end, polarity, score, confidence FROM mention_tones
             WHERE article_seq = ? ORDER BY start",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok(MentionTone {
                entity: r.get(0)?,
                span: newsloom_model::Span::new(
                    article,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                ),
                polarity: r.get::<_, i64>(3)? as i8,
                score: r.get(4)?,
                confidence: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of articles labelled with a theme or IPTC code (`medtop:16000000`, `PROTEST`), with at
    /// least `min_confidence`, newest first.
    pub fn articles_with_theme(&self, code: &str, min_confidence: f32, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.article FROM article_themes t JOIN articles a ON a.seq = t.article_seq
             WHERE t.code = ? AND t.confidence >= ? ORDER BY a.day DESC, a.seq DESC LIMIT ?",
        )?;
        let rows = stmt.query_map(params![code, min_confidence, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of articles whose tone is within `min..=max`, newest first.
    pub fn articles_in_tone_range(&self, min: f32, max: f32, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.article FROM article_tone t JOIN articles a ON a.seq = t.article_seq
             WHERE t.tone BETWEEN ? AND ? ORDER BY a.day DESC, a.seq DESC LIMIT ?",
        )?;
        let rows = stmt.query_map(params![min, max, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tone over time of a story, an outlet or an entity; `period_len` is 10 (day), 7 (month)
    /// or 4 (year) characters of the article's day. Articles without a day are left out.
    pub fn tone_series(&self, subject: &ToneSubject, period_len: usize) -> Result<Vec<TonePoint>> {
        let point = |r: &rusqlite::Row| {
            Ok(TonePoint { period: r.get(0)?, count: r.get::<_, i64>(1)? as usize, mean_tone: r.get(2)? })
        };
        if let ToneSubject::Dyad(a, b) = subject {
            let ((a_lo, a_hi), (b_lo, b_hi)) = (crate::actors::actor_range(a), crate::actors::actor_range(b));
            let mut stmt = self.conn.prepare_cached(
                "SELECT substr(a.day, 1, ?1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.seq = t.article_seq
                 WHERE a.day IS NOT NULL AND a.seq IN (SELECT article_seq FROM events WHERE
                   (source_actor >= ?2 AND source_actor < ?3 AND target_actor >= ?4 AND target_actor < ?5) OR
                   (source_actor >= ?4 AND source_actor < ?5 AND target_actor >= ?2 AND target_actor < ?3))
                 GROUP BY 1 ORDER BY 1",
            )?;
            let rows = stmt.query_map(params![period_len as i64, a_lo, a_hi, b_lo, b_hi], point)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        let (sql, key) = match subject {
            ToneSubject::Story(s) => (
                "SELECT substr(a.day, 1, ?1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.seq = t.article_seq
                 WHERE a.story = ?2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Outlet(s) => (
                "SELECT substr(a.day, 1, ?1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.seq = t.article_seq
                 WHERE a.source = ?2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Entity(s) => (
                "SELECT substr(a.day, 1, ?1), COUNT(*), AVG(m.score) FROM mention_tones m JOIN articles a ON a.seq = m.article_seq
                 WHERE m.entity = ?2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Dyad(..) => unreachable!("answered above"),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![period_len as i64, key], point)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Fills the tone, mention tones and themes of a stored analysis.
pub(crate) fn fill_analysis(store: &SqliteStore, seq: i64, article: &str, an: &mut Analysis) -> Result<()> {
    an.tone = store.article_tone_at(seq)?;
    an.mention_tones = store.mention_tones_at(seq, article)?;
    an.themes = store.article_themes_at(seq)?;
    Ok(())
}

//! Places, tone and themes: the reads of newsloom-store's geo.rs and tone.rs.

use newsloom_model::{ArticleTone, Event, MentionTone, PlaceMention, Span, ThemeLabel};
use newsloom_store::{GeoEventFilter, PlaceCount, PlaceFilter, Result, TonePoint, ToneSubject};

use crate::PgStore;
use crate::read::Sql;

impl PgStore {
    pub fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>> {
        let mut sql = Sql::new(
            "SELECT p.geonameid, MIN(p.name), MIN(p.lat), MIN(p.lon), MIN(p.country), MIN(p.admin1),
             MIN(p.feature_code), COUNT(*), COUNT(DISTINCT p.article) FROM places p",
        );
        if let Some(story) = &f.story {
            let p = sql.arg(story.clone());
            sql.push(&format!(" JOIN articles a ON a.id = p.article AND a.story = {p}"));
        }
        sql.push(" WHERE p.geonameid IS NOT NULL");
        if let Some(article) = &f.article {
            let p = sql.arg(article.clone());
            sql.push(&format!(" AND p.article = {p}"));
        }
        if let Some(country) = &f.country {
            let p = sql.arg(country.to_ascii_uppercase());
            sql.push(&format!(" AND p.country = {p}"));
        }
        sql.push(&format!(" GROUP BY p.geonameid ORDER BY 8 DESC, 2 NULLS FIRST LIMIT {}", f.limit.max(1)));
        let rows = self.conn().query(&sql.text, &sql.params())?;
        Ok(rows
            .iter()
            .map(|r| PlaceCount {
                geonameid: r.get(0),
                name: r.get(1),
                lat: r.get(2),
                lon: r.get(3),
                country: r.get(4),
                admin1: r.get(5),
                feature_code: r.get(6),
                mentions: r.get(7),
                articles: r.get(8),
            })
            .collect())
    }

    pub fn article_places(&self, article: &str) -> Result<Vec<PlaceMention>> {
        let rows = self
            .conn()
            .query("SELECT doc FROM places WHERE article = $1 ORDER BY span_start, id", &[&article])?;
        rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
    }

    pub fn events_by_place(&self, f: &GeoEventFilter) -> Result<Vec<Event>> {
        let mut sql =
            Sql::new("SELECT e.doc FROM event_places g JOIN events e ON e.id = g.event WHERE g.role = ");
        let role = sql.arg(f.role.clone().unwrap_or_else(|| "action".into()));
        sql.push(&role);
        if let Some((min_lon, min_lat, max_lon, max_lat)) = f.bbox {
            let (a, b, c, d) = (sql.arg(min_lat), sql.arg(max_lat), sql.arg(min_lon), sql.arg(max_lon));
            // A box crossing the antimeridian (min_lon > max_lon) wraps around.
            let join = if min_lon <= max_lon { "AND" } else { "OR" };
            sql.push(&format!(" AND g.lat >= {a} AND g.lat <= {b} AND (g.lon >= {c} {join} g.lon <= {d})"));
        }
        if let Some(id) = f.geonameid {
            let p = sql.arg(id);
            sql.push(&format!(" AND g.geonameid = {p}"));
        }
        if let Some(story) = &f.story {
            let p = sql.arg(story.clone());
            sql.push(&format!(" AND e.story = {p}"));
        }
        sql.push(&format!(" ORDER BY e.date DESC NULLS LAST, e.id LIMIT {}", f.limit.max(1)));
        let rows = self.conn().query(&sql.text, &sql.params())?;
        rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
    }

    pub fn article_tone(&self, article: &str) -> Result<Option<ArticleTone>> {
        let row = self.conn().query_opt(
            "SELECT tone, positive, negative, polarity, self_group, words FROM article_tone WHERE article = $1",
            &[&article],
        )?;
        Ok(row.map(|r| ArticleTone {
            tone: r.get::<_, f64>(0) as f32,
            positive: r.get::<_, f64>(1) as f32,
            negative: r.get::<_, f64>(2) as f32,
            polarity: r.get::<_, f64>(3) as f32,
            self_group_density: r.get::<_, f64>(4) as f32,
            word_count: r.get::<_, i64>(5) as u32,
        }))
    }

    pub fn article_themes(&self, article: &str) -> Result<Vec<ThemeLabel>> {
        let rows = self.conn().query(
            "SELECT code, label, kind, confidence FROM article_themes WHERE article = $1 ORDER BY rank",
            &[&article],
        )?;
        Ok(rows
            .iter()
            .map(|r| ThemeLabel {
                code: r.get(0),
                label: r.get(1),
                kind: r.get(2),
                confidence: r.get::<_, f64>(3) as f32,
            })
            .collect())
    }

    pub fn mention_tones(&self, article: &str) -> Result<Vec<MentionTone>> {
        let rows = self.conn().query(
            "SELECT entity, span_start, span_end, polarity, score, confidence FROM mention_tones
             WHERE article = $1 ORDER BY span_start, id",
            &[&article],
        )?;
        Ok(rows
            .iter()
            .map(|r| MentionTone {
                entity: r.get(0),
                span: Span::new(article, r.get::<_, i64>(1) as usize, r.get::<_, i64>(2) as usize),
                polarity: r.get::<_, i64>(3) as i8,
                score: r.get::<_, f64>(4) as f32,
                confidence: r.get::<_, f64>(5) as f32,
            })
            .collect())
    }

    pub fn articles_with_theme(&self, code: &str, min_confidence: f32, limit: usize) -> Result<Vec<String>> {
        let rows = self.conn().query(
            "SELECT t.article FROM article_themes t JOIN articles a ON a.id = t.article
             WHERE t.code = $1 AND t.confidence >= $2 ORDER BY a.day DESC NULLS LAST, a.seq DESC LIMIT $3",
            &[&code, &(min_confidence as f64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub fn articles_in_tone_range(&self, min: f32, max: f32, limit: usize) -> Result<Vec<String>> {
        let rows = self.conn().query(
            "SELECT t.article FROM article_tone t JOIN articles a ON a.id = t.article
             WHERE t.tone BETWEEN $1 AND $2 ORDER BY a.day DESC NULLS LAST, a.seq DESC LIMIT $3",
            &[&(min as f64), &(max as f64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub fn tone_series(&self, subject: &ToneSubject, period_len: usize) -> Result<Vec<TonePoint>> {
        let period_len = period_len.min(i32::MAX as usize) as i32;
        let point = |r: &postgres::Row| TonePoint {
            period: r.get(0),
            count: r.get::<_, i64>(1) as usize,
            mean_tone: r.get(2),
        };
        if let ToneSubject::Dyad(a, b) = subject {
            let ((a_lo, a_hi), (b_lo, b_hi)) =
                (newsloom_store::actors::actor_range(a), newsloom_store::actors::actor_range(b));
            let rows = self.conn().query(
                "SELECT substr(a.day, 1, $1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.id = t.article
                 WHERE a.day IS NOT NULL AND a.id IN (SELECT article FROM events WHERE
                   (source_actor >= $2 AND source_actor < $3 AND target_actor >= $4 AND target_actor < $5) OR
                   (source_actor >= $4 AND source_actor < $5 AND target_actor >= $2 AND target_actor < $3))
                 GROUP BY 1 ORDER BY 1",
                &[&period_len, &a_lo, &a_hi, &b_lo, &b_hi],
            )?;
            return Ok(rows.iter().map(point).collect());
        }
        let (sql, key) = match subject {
            ToneSubject::Story(s) => (
                "SELECT substr(a.day, 1, $1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.id = t.article
                 WHERE a.story = $2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Outlet(s) => (
                "SELECT substr(a.day, 1, $1), COUNT(*), AVG(t.tone) FROM article_tone t JOIN articles a ON a.id = t.article
                 WHERE a.source = $2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Entity(s) => (
                "SELECT substr(a.day, 1, $1), COUNT(*), AVG(m.score) FROM mention_tones m JOIN articles a ON a.id = m.article
                 WHERE m.entity = $2 AND a.day IS NOT NULL GROUP BY 1 ORDER BY 1",
                s,
            ),
            ToneSubject::Dyad(..) => unreachable!("answered above"),
        };
        let rows = self.conn().query(sql, &[&period_len, key])?;
        Ok(rows.iter().map(point).collect())
    }
}

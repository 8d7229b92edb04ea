//! Places: each article's resolved toponyms and its events' locations, with queries by place,
//! country, story and bounding box.

use newsloom_model::Analysis;
use newsloom_model::{Event, PlaceMention};
use rusqlite::{ToSql, Transaction, params_from_iter};
use serde::Serialize;

use crate::write::{bounds, insert_rows};
use crate::{Result, SqliteStore};

/// Writes the places of one just-inserted article and the locations of its events (whose rows
/// were inserted just before, in order).
/// `docs` holds each place's JSON, in order.
pub(crate) fn insert_places(
    tx: &Transaction,
    article: &str,
    seq: i64,
    an: &Analysis,
    docs: &[String],
) -> Result<()> {
    // The values a place's row takes from its resolved place, if it has one.
    type Resolved<'a> = (
        Option<i64>,
        Option<&'a String>,
        Option<f64>,
        Option<f64>,
        Option<&'a String>,
        Option<&'a String>,
        Option<&'a String>,
    );
    let resolved: Vec<Resolved> = an
        .places
        .iter()
        .map(|p| {
            let g = p.place.as_ref();
            (
                g.map(|g| g.geonameid as i64),
                g.map(|g| &g.name),
                g.map(|g| g.lat),
                g.map(|g| g.lon),
                g.map(|g| &g.country).filter(|c| !c.is_empty()),
                g.and_then(|g| g.admin1.as_ref()),
                g.map(|g| &g.feature_code),
            )
        })
        .collect();
    let at: Vec<_> = an.places.iter().map(|p| bounds(&p.span)).collect();
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(14 * an.places.len());
    for (((p, doc), (id, name, lat, lon, country, admin1, feature)), (start, end)) in
        an.places.iter().zip(docs).zip(&resolved).zip(&at)
    {
        values.extend([
            &article as &dyn ToSql,
            &seq,
            start,
            end,
            &p.text,
            id,
            name,
            lat,
            lon,
            country,
            admin1,
            feature,
            &p.literal,
            doc,
        ]);
    }
    insert_rows(
        tx,
        "places (article, article_seq, start, end, text, geonameid, name, lat, lon, country, admin1, feature_code,
         literal, doc)",
        14,
        &values,
    )?;
    if an.events.iter().all(|e| e.action_geo.is_none() && e.source_geo.is_none() && e.target_geo.is_none()) {
        return Ok(());
    }
    let rowids: Vec<i64> = tx
        .prepare_cached("SELECT rowid FROM events WHERE article_seq = ? ORDER BY rowid")?
        .query_map([seq], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // (event rowid, role, geonameid, country) of each located role, in order.
    let mut located = Vec::new();
    for (ev, rowid) in an.events.iter().zip(&rowids) {
        for (role, geo) in
            [("action", &ev.action_geo), ("source", &ev.source_geo), ("target", &ev.target_geo)]
        {
            let Some(geo) = geo else { continue };
            let g = &geo.place;
            let country = Some(&g.country).filter(|c| !c.is_empty());
            located.push((rowid, role, geo, g.geonameid as i64, country, bounds(&geo.span)));
        }
    }
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(11 * located.len());
    for (rowid, role, geo, id, country, (start, end)) in &located {
        let g = &geo.place;
        values.extend([
            *rowid as &dyn ToSql,
            &article,
            role,
            id,
            &g.name,
            &g.lat,
            &g.lon,
            country,
            &g.admin1,
            start,
            end,
        ]);
    }
    insert_rows(
        tx,
        "event_places (event, article, role, geonameid, name, lat, lon, country, admin1, start, end)",
        11,
        &values,
    )
}

/// Which places to list.
#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    pub story: Option<String>,
    pub article: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub limit: usize,
}

/// A place with how often the stored articles name it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceCount {
    pub geonameid: i64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub feature_code: Option<String>,
    pub mentions: i64,
    pub articles: i64,
}

/// Events located in a bounding box or at a place.
#[derive(Debug, Clone, Default)]
pub struct GeoEventFilter {
    /// `(min_lon, min_lat, max_lon, max_lat)`.
    pub bbox: Option<(f64, f64, f64, f64)>,
    pub geonameid: Option<i64>,
    pub story: Option<String>,
    /// `action` (default), `source` or `target`.
    pub role: Option<String>,
    pub limit: usize,
}

impl SqliteStore {
    /// Resolved places by number of mentions.
    pub fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>> {
        if f.story.is_none() && f.article.is_none() {
            return self.places_everywhere(f);
        }
        let mut sql = String::from(
            "SELECT p.geonameid, MIN(p.name), MIN(p.lat), MIN(p.lon), MIN(p.country), MIN(p.admin1),
             MIN(p.feature_code), COUNT(*), COUNT(DISTINCT p.article) FROM places p",
        );
        let mut args: Vec<&dyn ToSql> = vec![];
        if f.story.is_some() {
            sql.push_str(" JOIN articles a ON a.seq = p.article_seq AND a.story = ?");
            args.push(&f.story);
        }
        sql.push_str(" WHERE p.geonameid IS NOT NULL");
        if f.article.is_some() {
            sql.push_str(" AND p.article_seq = (SELECT seq FROM articles WHERE id = ?)");
            args.push(&f.article);
        }
        let country = f.country.as_ref().map(|c| c.to_ascii_uppercase());
        if country.is_some() {
            sql.push_str(" AND p.country = ?");
            args.push(&country);
        }
        sql.push_str(&format!(" GROUP BY p.geonameid ORDER BY 8 DESC, 2, 1 LIMIT {}", f.limit.max(1)));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), place_count)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The place list over the whole store (or one country), from the counts triggers keep
    /// (schema step 13): the same rows and order as grouping every toponym.
    fn places_everywhere(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>> {
        let country = f.country.as_ref().map(|c| c.to_ascii_uppercase());
        let mut stmt = self.conn.prepare_cached(
            "SELECT geonameid, name, lat, lon, country, admin1, feature_code, mentions, articles
             FROM place_counts WHERE mentions > 0 AND (?1 IS NULL OR country = ?1)
             ORDER BY mentions DESC, name, geonameid LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![country, f.limit.max(1) as i64], place_count)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One article's toponyms, in text order.
    pub fn article_places(&self, article: &str) -> Result<Vec<PlaceMention>> {
        self.by_seq(article, |seq| self.article_places_at(seq))
    }

    /// [`Self::article_places`] of the article stored at `seq`.
    pub(crate) fn article_places_at(&self, seq: i64) -> Result<Vec<PlaceMention>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT doc FROM places WHERE article_seq = ? ORDER BY start")?;
        let docs = stmt.query_map([seq], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    /// Events located in a bounding box and/or at a place (by their action location unless
    /// another role is asked for), newest first.
    pub fn events_by_place(&self, f: &GeoEventFilter) -> Result<Vec<Event>> {
        let role = f.role.clone().unwrap_or_else(|| "action".into());
        let mut sql = String::from(
            "SELECT e.doc FROM event_places g JOIN events e ON e.rowid = g.event WHERE g.role = ?",
        );
        let mut args: Vec<&dyn ToSql> = vec![&role];
        let bbox = f.bbox.map(|(a, b, c, d)| [a, b, c, d]);
        if let Some(bb) = &bbox {
            // A box crossing the antimeridian (min_lon > max_lon) wraps around.
            let lon =
                if bb[0] <= bb[2] { "(g.lon >= ? AND g.lon <= ?)" } else { "(g.lon >= ? OR g.lon <= ?)" };
            sql.push_str(&format!(" AND g.lat >= ? AND g.lat <= ? AND {lon}"));
            args.extend([&bb[1] as &dyn ToSql, &bb[3], &bb[0], &bb[2]]);
        }
        if f.geonameid.is_some() {
            sql.push_str(" AND g.geonameid = ?");
            args.push(&f.geonameid);
        }
        if f.story.is_some() {
            sql.push_str(" AND e.story = ?");
            args.push(&f.story);
        }
        sql.push_str(&format!(" ORDER BY e.date DESC, e.rowid LIMIT {}", f.limit.max(1)));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let docs = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }
}

fn place_count(r: &rusqlite::Row) -> rusqlite::Result<PlaceCount> {
    Ok(PlaceCount {
        geonameid: r.get(0)?,
        name: r.get(1)?,
        lat: r.get(2)?,
        lon: r.get(3)?,
        country: r.get(4)?,
        admin1: r.get(5)?,
        feature_code: r.get(6)?,
        mentions: r.get(7)?,
        articles: r.get(8)?,
    })
}

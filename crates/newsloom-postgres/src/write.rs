//! Writing: one transaction per batch, under the writer lock (see the crate docs).

use std::collections::HashMap;

use postgres::{Statement, Transaction};

use newsloom_model::{Analysis, EntityKind};
use newsloom_store::{BatchOutcome, NewArticle, Reject, Result};

use crate::{Conn, Params, PgStore, now_secs, pg};

/// Key of the transaction-level advisory lock every batch takes first ("nlwriter"): writers
/// apply batches one at a time, and readers are never blocked by it.
pub const WRITER_LOCK: i64 = 0x6e6c_7772_6974_6572;

/// A transaction with the connection's statement cache.
struct Tx<'a> {
    tx: Transaction<'a>,
    stmts: &'a mut HashMap<String, Statement>,
}

impl Tx<'_> {
    fn stmt(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(pg)?;
        self.stmts.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn execute(&mut self, sql: &str, params: &Params) -> Result<u64> {
        let s = self.stmt(sql)?;
        self.tx.execute(&s, params).map_err(pg)
    }

    fn query_one(&mut self, sql: &str, params: &Params) -> Result<postgres::Row> {
        let s = self.stmt(sql)?;
        self.tx.query_one(&s, params).map_err(pg)
    }

    fn query_opt(&mut self, sql: &str, params: &Params) -> Result<Option<postgres::Row>> {
        let s = self.stmt(sql)?;
        self.tx.query_opt(&s, params).map_err(pg)
    }
}

fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organisation => "organisation",
        EntityKind::Place => "place",
        EntityKind::Misc => "misc",
    }
}

impl PgStore {
    /// Stores a batch atomically; articles already present (same id) are skipped and counted.
    pub fn insert_batch(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome> {
        let mut conn = self.conn();
        let Conn { client, stmts } = &mut *conn;
        let mut tx = Tx { tx: client.transaction().map_err(pg)?, stmts };
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
        let now = now_secs();
        let mut outcome = BatchOutcome::default();
        for item in batch {
            if insert_article(&mut tx, item, now)? {
                outcome.stored += 1;
            } else {
                outcome.duplicates += 1;
            }
        }
        for r in rejects {
            tx.execute(
                "INSERT INTO rejects (origin, kind, message, at) VALUES ($1, $2, $3, $4)",
                &[&r.origin, &r.kind, &r.message, &now],
            )?;
        }
        tx.tx.commit().map_err(pg)?;
        Ok(outcome)
    }
}

/// Inserts one article and its facts; `false` when its id was already stored.
fn insert_article(tx: &mut Tx, item: &NewArticle, now: i64) -> Result<bool> {
    let a = &item.article;
    // Checked first (safe under the writer lock) so a duplicate does not use up a sequence
    // number; ON CONFLICT stays as a guard.
    if tx.query_opt("SELECT 1 FROM articles WHERE id = $1", &[&a.id])?.is_some() {
        return Ok(false);
    }
    let doc = {
        let mut lean = a.clone();
        lean.raw = String::new();
        lean.story = None;
        lean.body = String::new();
        serde_json::to_string(&lean)?
    };
    let day = a.published.as_ref().and_then(|d| d.day()).map(str::to_string);
    let published = a.published.as_ref().map(|d| &d.iso);
    let row = tx.query_opt(
        "INSERT INTO articles (id, url, source, title, published, day, language, story, copy_of,
         body_hash, origin, doc, body, raw, ingested_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
         ON CONFLICT (id) DO NOTHING RETURNING seq",
        &[
            &a.id,
            &a.url,
            &a.source,
            &a.title,
            &published,
            &day,
            &a.language,
            &a.story,
            &item.copy_of,
            &a.body_hash,
            &a.origin,
            &doc,
            &a.body,
            &a.raw,
            &now,
        ],
    )?;
    let Some(row) = row else { return Ok(false) };
    let seq: i64 = row.get(0);
    if let Some(story) = &a.story {
        tx.execute(
            "INSERT INTO stories (id, title, size, first_seen, last_seen, updated_seq)
             VALUES ($1, $2, 1, $3::text, $3::text, $4)
             ON CONFLICT (id) DO UPDATE SET size = stories.size + 1,
               first_seen = CASE WHEN stories.first_seen IS NULL OR $3::text < stories.first_seen
                            THEN $3::text ELSE stories.first_seen END,
               last_seen = CASE WHEN stories.last_seen IS NULL OR $3::text > stories.last_seen
                           THEN $3::text ELSE stories.last_seen END,
               updated_seq = $4",
            &[story, &a.title, &day, &seq],
        )?;
        // A new outlet for the story (the article itself is already in the table).
        tx.execute(
            "UPDATE stories SET outlets = outlets + 1 WHERE id = $1 AND $2::text IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM articles WHERE story = $1 AND source = $2::text AND seq <> $3)",
            &[story, &a.source, &seq],
        )?;
    }
    // After the article is counted in its story, so the merge recount includes it once.
    for (absorbed, into) in &item.merges {
        merge_stories(tx, absorbed, into, now)?;
    }
    insert_facts(tx, item)?;
    Ok(true)
}

fn insert_facts(tx: &mut Tx, item: &NewArticle) -> Result<()> {
    let a = &item.article;
    let an = &item.analysis;
    for e in &an.entities {
        tx.execute(
            "INSERT INTO entities (id, name, kind, code, doc) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (id) DO NOTHING",
            &[&e.id, &e.name, &kind_name(e.kind), &e.code, &serde_json::to_string(e)?],
        )?;
    }
    for m in &an.mentions {
        tx.execute(
            "INSERT INTO mentions (article, entity, span_start, span_end, doc) VALUES ($1,$2,$3,$4,$5)",
            &[&a.id, &m.entity, &(m.span.start as i64), &(m.span.end as i64), &serde_json::to_string(m)?],
        )?;
    }
    for (entity, n) in newsloom_model::mention_counts(&an.mentions) {
        tx.execute("UPDATE entities SET mentions = mentions + $2 WHERE id = $1", &[&entity, &n])?;
    }
    for q in &an.quotes {
        tx.execute(
            "INSERT INTO quotes (article, speaker, speaker_entity, span_start, span_end, doc)
             VALUES ($1,$2,$3,$4,$5,$6)",
            &[
                &a.id,
                &q.speaker,
                &q.speaker_entity,
                &(q.span.start as i64),
                &(q.span.end as i64),
                &serde_json::to_string(q)?,
            ],
        )?;
    }
    let mut event_ids = Vec::with_capacity(an.events.len());
    for e in &an.events {
        let row = tx.query_one(
            "INSERT INTO events (article, story, source_actor, target_actor, cameo, quad, goldstein, date,
             span_start, span_end, doc) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
            &[
                &a.id,
                &a.story,
                &e.source_actor,
                &e.target_actor,
                &e.cameo,
                &(e.quad_class as i64),
                &(e.goldstein as f64),
                &e.date,
                &(e.span.start as i64),
                &(e.span.end as i64),
                &serde_json::to_string(e)?,
            ],
        )?;
        event_ids.push(row.get::<_, i64>(0));
    }
    insert_places(tx, &a.id, an, &event_ids)?;
    insert_tone(tx, &a.id, an)
}

/// The article's toponyms and its events' locations (`event_ids` in the order of `an.events`).
fn insert_places(tx: &mut Tx, article: &str, an: &Analysis, event_ids: &[i64]) -> Result<()> {
    for p in &an.places {
        let g = p.place.as_ref();
        tx.execute(
            "INSERT INTO places (article, span_start, span_end, text, geonameid, name, lat, lon, country,
             admin1, feature_code, literal, doc) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
            &[
                &article,
                &(p.span.start as i64),
                &(p.span.end as i64),
                &p.text,
                &g.map(|g| g.geonameid as i64),
                &g.map(|g| &g.name),
                &g.map(|g| g.lat),
                &g.map(|g| g.lon),
                &g.map(|g| &g.country).filter(|c| !c.is_empty()),
                &g.and_then(|g| g.admin1.as_ref()),
                &g.map(|g| &g.feature_code),
                &p.literal,
                &serde_json::to_string(p)?,
            ],
        )?;
    }
    for (ev, id) in an.events.iter().zip(event_ids) {
        for (role, geo) in
            [("action", &ev.action_geo), ("source", &ev.source_geo), ("target", &ev.target_geo)]
        {
            let Some(geo) = geo else { continue };
            let g = &geo.place;
            tx.execute(
                "INSERT INTO event_places (event, article, role, geonameid, name, lat, lon, country, admin1,
                 span_start, span_end) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                &[
                    id,
                    &article,
                    &role,
                    &(g.geonameid as i64),
                    &g.name,
                    &g.lat,
                    &g.lon,
                    &Some(&g.country).filter(|c| !c.is_empty()),
                    &g.admin1,
                    &(geo.span.start as i64),
                    &(geo.span.end as i64),
                ],
            )?;
        }
    }
    Ok(())
}

/// The article's tone, mention tones and themes. Scores are `f32` in the model and stored as
/// `double precision`, as SQLite stores them, so comparisons give the same answers.
fn insert_tone(tx: &mut Tx, article: &str, an: &Analysis) -> Result<()> {
    if let Some(t) = &an.tone {
        tx.execute(
            "INSERT INTO article_tone (article, tone, positive, negative, polarity, self_group, words)
             VALUES ($1,$2,$3,$4,$5,$6,$7)
             ON CONFLICT (article) DO UPDATE SET tone = excluded.tone, positive = excluded.positive,
               negative = excluded.negative, polarity = excluded.polarity,
               self_group = excluded.self_group, words = excluded.words",
            &[
                &article,
                &(t.tone as f64),
                &(t.positive as f64),
                &(t.negative as f64),
                &(t.polarity as f64),
                &(t.self_group_density as f64),
                &(t.word_count as i64),
            ],
        )?;
    }
    for m in &an.mention_tones {
        tx.execute(
            "INSERT INTO mention_tones (article, entity, span_start, span_end, polarity, score, confidence)
             VALUES ($1,$2,$3,$4,$5,$6,$7)",
            &[
                &article,
                &m.entity,
                &(m.span.start as i64),
                &(m.span.end as i64),
                &(m.polarity as i64),
                &(m.score as f64),
                &(m.confidence as f64),
            ],
        )?;
    }
    for (rank, l) in an.themes.iter().enumerate() {
        tx.execute(
            "INSERT INTO article_themes (article, code, label, kind, confidence, rank) VALUES ($1,$2,$3,$4,$5,$6)",
            &[&article, &l.code, &l.label, &l.kind, &(l.confidence as f64), &(rank as i64)],
        )?;
    }
    Ok(())
}

/// Moves every article of `absorbed` into `into` and records the redirect, so the old id still
/// resolves; `into`'s aggregates are recounted from its articles.
fn merge_stories(tx: &mut Tx, absorbed: &str, into: &str, now: i64) -> Result<()> {
    if absorbed == into {
        return Ok(());
    }
    tx.execute("UPDATE articles SET story = $2 WHERE story = $1", &[&absorbed, &into])?;
    tx.execute("UPDATE events SET story = $2 WHERE story = $1", &[&absorbed, &into])?;
    tx.execute("UPDATE story_redirects SET into_id = $2 WHERE into_id = $1", &[&absorbed, &into])?;
    tx.execute(
        "INSERT INTO story_redirects (absorbed, into_id, at) VALUES ($1, $2, $3)
         ON CONFLICT (absorbed) DO UPDATE SET into_id = excluded.into_id, at = excluded.at",
        &[&absorbed, &into, &now],
    )?;
    let old = tx.query_opt("DELETE FROM stories WHERE id = $1 RETURNING title", &[&absorbed])?;
    if let Some(old) = old {
        let title: String = old.get(0);
        tx.execute(
            "INSERT INTO stories (id, title, size, first_seen, last_seen, updated_seq, outlets)
             SELECT $1, $2, COUNT(*), MIN(day), MAX(day), COALESCE(MAX(seq), 0), COUNT(DISTINCT source)
             FROM articles WHERE story = $1
             ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_seen = excluded.first_seen,
               last_seen = excluded.last_seen, updated_seq = excluded.updated_seq,
               outlets = excluded.outlets",
            &[&into, &title],
        )?;
    }
    Ok(())
}

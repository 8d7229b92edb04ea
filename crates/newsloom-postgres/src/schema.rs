//! Versioned schema migrations for PostgreSQL, recorded in `schema_version`.
//!
//! The tables mirror the SQLite store's (newsloom-store's schema.rs) with three deliberate
//! differences: every text column sorts and compares in byte order (`COLLATE "C"`, as SQLite
//! does, whatever the database's default locale; the actor-code ranges depend on it); the
//! article body has its own column (the JSON `doc` leaves it out) so full-text search can index
//! it; and row order is kept by identity columns where SQLite used its rowid.

use postgres::Client;

use crate::pg;
use newsloom_store::{Result, StoreError};

/// Key of the transaction-level advisory lock held while migrating, so servers and writers
/// opening a new database at the same time apply each migration exactly once.
const MIGRATION_LOCK: i64 = 0x6e6c_6d69_6772_6174; // "nlmigrat"

/// Each entry moves the schema one version up. Never edit a released entry: add a new one.
/// `TEXT` is written as is and made `TEXT COLLATE "C"` when applied (see the module comment).
const MIGRATIONS: &[&str] = &[
    // 1: articles, stories and every fact the analyse stage stores.
    r#"
    CREATE TABLE articles (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        url         TEXT,
        source      TEXT,
        title       TEXT NOT NULL,
        published   TEXT,
        day         TEXT,
        language    TEXT,
        story       TEXT,
        copy_of     TEXT,
        body_hash   TEXT NOT NULL,
        origin      TEXT NOT NULL,
        doc         TEXT NOT NULL,
        body        TEXT NOT NULL,
        raw         TEXT NOT NULL,
        ingested_at BIGINT NOT NULL
    );
    CREATE INDEX articles_story_source ON articles(story, source);
    CREATE INDEX articles_day ON articles(day);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        size        BIGINT NOT NULL,
        first_seen  TEXT,
        last_seen   TEXT,
        updated_seq BIGINT NOT NULL,
        outlets     BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX stories_newest ON stories(last_seen DESC NULLS LAST, size DESC, id);
    CREATE INDEX stories_biggest ON stories(size DESC, last_seen DESC NULLS LAST, id);
    CREATE INDEX stories_outlets ON stories(outlets DESC, size DESC, last_seen DESC NULLS LAST, id);
    CREATE TABLE story_redirects (
        absorbed    TEXT PRIMARY KEY,
        into_id     TEXT NOT NULL,
        at          BIGINT NOT NULL
    );
    CREATE INDEX story_redirects_into ON story_redirects(into_id);
    CREATE TABLE entities (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        code        TEXT,
        doc         TEXT NOT NULL
    );
    CREATE TABLE mentions (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article     TEXT NOT NULL,
        entity      TEXT NOT NULL,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE INDEX mentions_article ON mentions(article);
    CREATE TABLE quotes (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article     TEXT NOT NULL,
        speaker     TEXT,
        speaker_entity TEXT,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX quotes_article ON quotes(article);
    CREATE INDEX quotes_speaker ON quotes(speaker_entity);
    CREATE TABLE events (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article     TEXT NOT NULL,
        story       TEXT,
        source_actor TEXT NOT NULL,
        target_actor TEXT,
        cameo       TEXT NOT NULL,
        quad        BIGINT NOT NULL,
        goldstein   DOUBLE PRECISION NOT NULL,
        date        TEXT,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX events_dyad ON events(source_actor, target_actor);
    CREATE INDEX events_dyad_root ON events(substr(source_actor, 1, 3), substr(target_actor, 1, 3), date);
    CREATE INDEX events_article ON events(article);
    CREATE INDEX events_story ON events(story);
    CREATE TABLE rejects (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        message     TEXT NOT NULL,
        at          BIGINT NOT NULL
    );
    CREATE TABLE places (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article     TEXT NOT NULL,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL,
        text        TEXT NOT NULL,
        geonameid   BIGINT,
        name        TEXT,
        lat         DOUBLE PRECISION,
        lon         DOUBLE PRECISION,
        country     TEXT,
        admin1      TEXT,
        feature_code TEXT,
        literal     BOOLEAN NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX places_article ON places(article);
    CREATE INDEX places_geonameid ON places(geonameid);
    CREATE INDEX places_country ON places(country, geonameid);
    CREATE TABLE event_places (
        event       BIGINT NOT NULL,
        article     TEXT NOT NULL,
        role        TEXT NOT NULL,
        geonameid   BIGINT NOT NULL,
        name        TEXT NOT NULL,
        lat         DOUBLE PRECISION NOT NULL,
        lon         DOUBLE PRECISION NOT NULL,
        country     TEXT,
        admin1      TEXT,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL
    );
    CREATE INDEX event_places_event ON event_places(event);
    CREATE INDEX event_places_box ON event_places(role, lat, lon);
    CREATE INDEX event_places_geonameid ON event_places(geonameid, role);
    CREATE TABLE article_tone (
        article     TEXT PRIMARY KEY,
        tone        DOUBLE PRECISION NOT NULL,
        positive    DOUBLE PRECISION NOT NULL,
        negative    DOUBLE PRECISION NOT NULL,
        polarity    DOUBLE PRECISION NOT NULL,
        self_group  DOUBLE PRECISION NOT NULL,
        words       BIGINT NOT NULL
    );
    CREATE INDEX article_tone_tone ON article_tone(tone);
    CREATE TABLE mention_tones (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article     TEXT NOT NULL,
        entity      TEXT NOT NULL,
        span_start  BIGINT NOT NULL,
        span_end    BIGINT NOT NULL,
        polarity    BIGINT NOT NULL,
        score       DOUBLE PRECISION NOT NULL,
        confidence  DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX mention_tones_entity ON mention_tones(entity);
    CREATE INDEX mention_tones_article ON mention_tones(article);
    CREATE TABLE article_themes (
        article     TEXT NOT NULL,
        code        TEXT NOT NULL,
        label       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        confidence  DOUBLE PRECISION NOT NULL,
        rank        BIGINT NOT NULL
    );
    CREATE INDEX article_themes_code ON article_themes(code, confidence);
    CREATE INDEX article_themes_article ON article_themes(article);
    "#,
    // 2: full-text search (PgSearch): title weighted A over body B, with the 'simple'
    // configuration (no stemming, no stop words: like the tantivy index's default tokenizer,
    // and language-neutral for a multilingual corpus).
    r#"
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
    ) STORED;
    CREATE INDEX articles_search ON articles USING GIN (search);
    "#,
    // 3: leases (lease.rs): which worker is the one writer of a partition, until when (by the
    // database's clock, so workers' clocks never matter), and the term that fences off a
    // holder that lost it.
    r#"
    CREATE TABLE leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        term        BIGINT NOT NULL,
        expires_at  TIMESTAMPTZ NOT NULL
    );
    "#,
    // 4: entity mention counts kept at ingest (the entity list walks an index instead of
    // counting every mention).
    r#"
    ALTER TABLE entities ADD COLUMN mentions BIGINT NOT NULL DEFAULT 0;
    UPDATE entities e SET mentions = (SELECT COUNT(*) FROM mentions m WHERE m.entity = e.id);
    CREATE INDEX entities_by_mentions ON entities (mentions DESC, id);
    "#,
];

/// The newest schema version this build knows.
pub(crate) fn newest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database to the newest schema: all pending steps in one transaction, under an
/// advisory lock so concurrent openers wait for the first and then find nothing to do.
pub(crate) fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(pg)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").map_err(pg)?;
    let current: i64 =
        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[]).map_err(pg)?.get(0);
    if current > newest() {
        return Err(StoreError(format!(
            "the database is at schema version {current}, newer than this newsloom knows ({}); \
             upgrade newsloom",
            newest()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.batch_execute(&sql.replace(" TEXT", " TEXT COLLATE \"C\""))
            .map_err(|e| StoreError(format!("schema migration {} failed: {}", i + 1, pg(e).0)))?;
        tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&(i as i64 + 1)]).map_err(pg)?;
    }
    tx.commit().map_err(pg)
}

/// The version recorded in `schema_version`.
pub(crate) fn version(client: &mut Client) -> Result<i64> {
    Ok(client.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[]).map_err(pg)?.get(0))
}

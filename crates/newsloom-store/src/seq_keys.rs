//! Schema step 17: an article's fact rows are found by the article's `seq`, not by its id.
//!
//! The id is a content hash. Indexed by it, the rows of each new article land on random leaves
//! of six indexes; at a million articles those indexes held about 1.2 GB against a writer cache
//! of 96 MB, so every stored article cost a page read, logged and checkpointed per index, and
//! ingest slowed as the store grew. A seq only grows, so new rows append at the right edge of
//! the index and a batch dirties a few pages. Readers that start from an id look its seq up
//! first, through the articles' own id index (one lookup, however many fact rows follow).
//!
//! The step is code, not SQL, because it must be safe to run again over a store that already
//! has it (the upgrade tests set the version back and migrate again).

use rusqlite::Transaction;

use crate::Result;
use crate::schema::has_column;

/// The fact tables whose rows were found by `article` through an index `<table>_article`.
const FACT_TABLES: &[&str] = &["mentions", "quotes", "events", "places", "mention_tones", "article_themes"];

/// The place-count triggers (steps 13 and 14), finding the article's other rows by seq.
const PLACE_TRIGGERS: &str = r#"
    DROP TRIGGER IF EXISTS count_places_in;
    DROP TRIGGER IF EXISTS count_places_out;
    CREATE TRIGGER count_places_in AFTER INSERT ON places WHEN NEW.geonameid IS NOT NULL BEGIN
        INSERT INTO place_counts VALUES (NEW.geonameid, NEW.name, NEW.lat, NEW.lon, NEW.country, NEW.admin1,
            NEW.feature_code, 1, 1)
        ON CONFLICT(geonameid) DO UPDATE SET mentions = mentions + 1,
            articles = articles + NOT EXISTS (SELECT 1 FROM places p WHERE p.article_seq = NEW.article_seq
                AND +p.geonameid = NEW.geonameid AND p.rowid <> NEW.rowid);
    END;
    CREATE TRIGGER count_places_out AFTER DELETE ON places WHEN OLD.geonameid IS NOT NULL BEGIN
        UPDATE place_counts SET mentions = mentions - 1,
            articles = articles - NOT EXISTS (SELECT 1 FROM places p WHERE p.article_seq = OLD.article_seq
                AND +p.geonameid = OLD.geonameid)
        WHERE geonameid = OLD.geonameid;
    END;
"#;

/// `article_tone` had the id as its primary key: rebuilt with the seq as its rowid.
const TONE_BY_SEQ: &str = r#"
    CREATE TABLE article_tone_by_seq (
        article_seq INTEGER PRIMARY KEY,
        article     TEXT NOT NULL,
        tone        REAL NOT NULL,
        positive    REAL NOT NULL,
        negative    REAL NOT NULL,
        polarity    REAL NOT NULL,
        self_group  REAL NOT NULL,
        words       INTEGER NOT NULL
    );
    INSERT INTO article_tone_by_seq
        SELECT a.seq, t.article, t.tone, t.positive, t.negative, t.polarity, t.self_group, t.words
        FROM article_tone t JOIN articles a ON a.id = t.article;
    DROP TABLE article_tone;
    ALTER TABLE article_tone_by_seq RENAME TO article_tone;
    CREATE INDEX article_tone_tone ON article_tone(tone);
"#;

pub(crate) fn key_facts_by_article_seq(tx: &Transaction) -> Result<()> {
    for table in FACT_TABLES {
        if !has_column(tx, table, "article_seq")? {
            tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN article_seq INTEGER"))?;
        }
        tx.execute_batch(&format!(
            "UPDATE {table} SET article_seq = (SELECT seq FROM articles a WHERE a.id = {table}.article)
               WHERE article_seq IS NULL;
             CREATE INDEX IF NOT EXISTS {table}_article_seq ON {table}(article_seq);
             DROP INDEX IF EXISTS {table}_article;"
        ))?;
    }
    if !has_column(tx, "article_tone", "article_seq")? {
        tx.execute_batch(TONE_BY_SEQ)?;
    }
    tx.execute_batch(PLACE_TRIGGERS)?;
    Ok(())
}

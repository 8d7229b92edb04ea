//! Versioned schema migrations, applied in order; `PRAGMA user_version` records the version.

use rusqlite::{Connection, Transaction};

use crate::{Result, StoreError};

/// One step of the schema: SQL, or code for what SQL alone cannot say (a column added only
/// where it is missing, say).
enum Step {
    Sql(&'static str),
    Code(fn(&Transaction) -> Result<()>),
}
use Step::{Code, Sql};

/// Each entry moves the schema one version up. Never edit a released entry: add a new one.
const MIGRATIONS: &[Step] = &[
    // 1: articles, stories and the analysis facts.
    Sql(r#"
    CREATE TABLE articles (
        seq         INTEGER PRIMARY KEY,   -- insertion order; the search index's high-water mark
        id          TEXT NOT NULL UNIQUE,
        url         TEXT,
        source      TEXT,
        title       TEXT NOT NULL,
        published   TEXT,
        day         TEXT,                  -- YYYY-MM-DD when the day is known
        language    TEXT,
        story       TEXT,
        copy_of     TEXT,
        body_hash   TEXT NOT NULL,
        origin      TEXT NOT NULL,
        doc         TEXT NOT NULL,         -- the Article as JSON, without raw
        raw         TEXT NOT NULL,
        ingested_at INTEGER NOT NULL
    );
    CREATE INDEX articles_story ON articles(story);
    CREATE INDEX articles_day ON articles(day);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        size        INTEGER NOT NULL,
        first_seen  TEXT,
        last_seen   TEXT,
        updated_seq INTEGER NOT NULL
    );
    CREATE INDEX stories_last_seen ON stories(last_seen);
    CREATE TABLE story_redirects (
        absorbed    TEXT PRIMARY KEY,
        into_id     TEXT NOT NULL,
        at          INTEGER NOT NULL
    );
    CREATE TABLE entities (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        code        TEXT,
        doc         TEXT NOT NULL
    );
    CREATE TABLE mentions (
        article     TEXT NOT NULL,
        entity      TEXT NOT NULL,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE INDEX mentions_article ON mentions(article);
    CREATE TABLE quotes (
        article     TEXT NOT NULL,
        speaker     TEXT,
        speaker_entity TEXT,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX quotes_article ON quotes(article);
    CREATE INDEX quotes_speaker ON quotes(speaker_entity);
    CREATE TABLE events (
        article     TEXT NOT NULL,
        story       TEXT,
        source_actor TEXT NOT NULL,
        target_actor TEXT,
        cameo       TEXT NOT NULL,
        quad        INTEGER NOT NULL,
        goldstein   REAL NOT NULL,
        date        TEXT,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX events_dyad ON events(source_actor, target_actor);
    CREATE INDEX events_article ON events(article);
    CREATE INDEX events_story ON events(story);
    CREATE TABLE rejects (
        origin      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        message     TEXT NOT NULL,
        at          INTEGER NOT NULL
    );
    "#),
    // 2: story lists sorted and paged by index (100,000 articles: 0.5 s → under 1 ms for a
    // page by outlets), the number of outlets kept on the story.
    Sql(r#"
    ALTER TABLE stories ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0;
    UPDATE stories SET outlets = (SELECT COUNT(DISTINCT source) FROM articles WHERE articles.story = stories.id);
    CREATE INDEX articles_story_source ON articles(story, source);
    DROP INDEX articles_story;
    DROP INDEX stories_last_seen;
    CREATE INDEX stories_newest ON stories(last_seen DESC, size DESC, id);
    CREATE INDEX stories_biggest ON stories(size DESC, last_seen DESC, id);
    CREATE INDEX stories_outlets ON stories(outlets DESC, size DESC, last_seen DESC, id);
    "#),
    // 3: dyads sought by both actors' roots (RUS, USA, IGO…) rather than a range on the first
    // actor alone (100,000 articles: 15 ms → 2 ms for RUS–USA by month).
    Sql(r#"
    CREATE INDEX events_dyad_root ON events(substr(source_actor, 1, 3), substr(target_actor, 1, 3), date);
    "#),
    // watched files: what `newsloom watch` has ingested, so a restart reads each file once and
    // a file rewritten with new content is read again (see watched.rs).
    Sql(r#"
    CREATE TABLE watched_files (
        path        TEXT PRIMARY KEY,
        size        INTEGER NOT NULL,
        mtime_ns    INTEGER NOT NULL,
        hash        TEXT NOT NULL,
        ingested_at INTEGER NOT NULL
    );
    CREATE INDEX watched_files_hash ON watched_files(hash);
    "#),
    // geo: each article's toponyms resolved to GeoNames, and the locations of its events
    // (role action/source/target, GDELT's ActionGeo/Actor1Geo/Actor2Geo) for place and bounding
    // box queries.
    Sql(r#"
    CREATE TABLE places (
        article     TEXT NOT NULL,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        geonameid   INTEGER,
        name        TEXT,
        lat         REAL,
        lon         REAL,
        country     TEXT,
        admin1      TEXT,
        feature_code TEXT,
        literal     INTEGER NOT NULL,
        doc         TEXT NOT NULL
    );
    CREATE INDEX places_article ON places(article);
    CREATE INDEX places_geonameid ON places(geonameid);
    CREATE INDEX places_country ON places(country, geonameid);
    CREATE TABLE event_places (
        event       INTEGER NOT NULL,      -- rowid in events
        article     TEXT NOT NULL,
        role        TEXT NOT NULL,         -- action, source, target
        geonameid   INTEGER NOT NULL,
        name        TEXT NOT NULL,
        lat         REAL NOT NULL,
        lon         REAL NOT NULL,
        country     TEXT,
        admin1      TEXT,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL
    );
    CREATE INDEX event_places_event ON event_places(event);
    CREATE INDEX event_places_box ON event_places(role, lat, lon);
    CREATE INDEX event_places_geonameid ON event_places(geonameid, role);
    "#),
    // (tone) Article tone (GDELT V2Tone), tone towards each mention, and themes (IPTC subjects
    // and GDELT-like themes) per article; read by newsloom-store's tone.rs.
    Sql(r#"
    CREATE TABLE article_tone (
        article     TEXT PRIMARY KEY,
        tone        REAL NOT NULL,
        positive    REAL NOT NULL,
        negative    REAL NOT NULL,
        polarity    REAL NOT NULL,
        self_group  REAL NOT NULL,
        words       INTEGER NOT NULL
    );
    CREATE INDEX article_tone_tone ON article_tone(tone);
    CREATE TABLE mention_tones (
        article     TEXT NOT NULL,
        entity      TEXT NOT NULL,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        polarity    INTEGER NOT NULL,
        score       REAL NOT NULL,
        confidence  REAL NOT NULL
    );
    CREATE INDEX mention_tones_entity ON mention_tones(entity);
    CREATE INDEX mention_tones_article ON mention_tones(article);
    CREATE TABLE article_themes (
        article     TEXT NOT NULL,
        code        TEXT NOT NULL,
        label       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        confidence  REAL NOT NULL,
        rank        INTEGER NOT NULL
    );
    CREATE INDEX article_themes_code ON article_themes(code, confidence);
    CREATE INDEX article_themes_article ON article_themes(article);
    "#),
    // follow: the state of followed feeds and sitemaps (validators, schedule, error counts) and
    // the items seen in them, so a restart neither re-fetches nor misses items.
    Sql(r#"
    CREATE TABLE IF NOT EXISTS follow_sources (
        url         TEXT PRIMARY KEY,
        parent      TEXT,                  -- the sitemap index a child sitemap was listed in
        name        TEXT,
        kind        TEXT,                  -- rss, atom, json, sitemap, sitemap-index
        etag        TEXT,
        last_modified TEXT,
        last_poll   INTEGER,
        next_poll   INTEGER,
        polls       INTEGER NOT NULL DEFAULT 0,
        items       INTEGER NOT NULL DEFAULT 0,
        errors      INTEGER NOT NULL DEFAULT 0,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        item_errors INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        gone        INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS follow_items (
        source      TEXT NOT NULL,
        key         TEXT NOT NULL,         -- guid/id, else the URL
        url         TEXT NOT NULL,
        article     TEXT,
        state       TEXT NOT NULL,         -- stored, rejected, failed, given-up
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        updated     INTEGER NOT NULL,
        PRIMARY KEY (source, key)
    );
    CREATE INDEX IF NOT EXISTS follow_items_retry ON follow_items(source, state);
    "#),
    // Entity mention counts kept at ingest, so the entity list is an index walk rather than
    // a count over every mention (tens of millions at a million articles).
    Sql(r#"
    ALTER TABLE entities ADD COLUMN mentions INTEGER NOT NULL DEFAULT 0;
    UPDATE entities SET mentions = (SELECT COUNT(*) FROM mentions m WHERE m.entity = entities.id);
    CREATE INDEX entities_by_mentions ON entities(mentions DESC, id);
    "#),
    // Index-only reads for the two aggregates a cold server answers most: a dyad reads its
    // events from one covering index range instead of one table row each (scattered over a
    // store of millions of events), and a story's outlet counts read (story, source, copy_of)
    // without touching article rows.
    Sql(r#"
    CREATE INDEX events_dyad_cover ON events(substr(source_actor, 1, 3), substr(target_actor, 1, 3), date,
        source_actor, target_actor, cameo, quad, goldstein, story, article);
    DROP INDEX events_dyad_root;
    CREATE INDEX articles_story_outlets ON articles(story, source, copy_of);
    DROP INDEX articles_story_source;
    "#),
    // Dyad series kept at ingest: a distinct event is one (story, actors, code, day), counted
    // once in `dyad_days` however many articles of the story report it. A dyad chart then reads
    // a few thousand day rows instead of every event of the pair (hundreds of thousands at a
    // million articles); periods longer than a day add their days up.
    Sql(r#"
    CREATE TABLE dyad_keys (
        story        TEXT NOT NULL,
        source_actor TEXT NOT NULL,
        target_actor TEXT NOT NULL,
        cameo        TEXT NOT NULL,
        day          TEXT NOT NULL,
        quad         INTEGER NOT NULL,
        goldstein    REAL NOT NULL,
        PRIMARY KEY (story, source_actor, target_actor, cameo, day)
    ) WITHOUT ROWID;
    CREATE TABLE dyad_days (
        source_root   TEXT NOT NULL,
        target_root   TEXT NOT NULL,
        day           TEXT NOT NULL,
        source_actor  TEXT NOT NULL,
        target_actor  TEXT NOT NULL,
        quad          INTEGER NOT NULL,
        events        INTEGER NOT NULL,
        reports       INTEGER NOT NULL,
        goldstein_sum REAL NOT NULL,
        PRIMARY KEY (source_root, target_root, day, source_actor, target_actor, quad)
    ) WITHOUT ROWID;
    INSERT INTO dyad_keys
        SELECT COALESCE(story, article), source_actor, target_actor, cameo, substr(date, 1, 10),
               MIN(quad), MIN(goldstein)
        FROM events WHERE date IS NOT NULL AND target_actor IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO dyad_days
        SELECT substr(source_actor, 1, 3), substr(target_actor, 1, 3), day, source_actor, target_actor,
               quad, COUNT(*), SUM(reports), SUM(goldstein)
        FROM (SELECT source_actor, target_actor, substr(date, 1, 10) AS day, MIN(quad) AS quad,
                     MIN(goldstein) AS goldstein, COUNT(*) AS reports
              FROM events WHERE date IS NOT NULL AND target_actor IS NOT NULL
              GROUP BY COALESCE(story, article), source_actor, target_actor, cameo, day)
        GROUP BY 1, 2, 3, 4, 5, 6;
    "#),
    // An article's mentions, quotes and events in one deflated document, keyed by the article's
    // seq: a story page reads one row per article instead of three scattered index ranges and
    // an entity join (see read.rs `story_facts`). Articles stored before this have no row and
    // are read from the fact tables as before.
    Sql(r#"
    CREATE TABLE article_facts (
        seq         INTEGER PRIMARY KEY,
        doc         BLOB NOT NULL
    );
    "#),
    // Store-wide counts kept by triggers, so `stats` reads a few rows instead of counting
    // every row of the largest tables (4-11 s on a million articles, for every new version a
    // server serves). Keys: the table names, `language:L`, `source:S` and `nosource`.
    Sql(r#"
    CREATE TABLE store_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO store_counts
        SELECT 'articles', COUNT(*) FROM articles UNION ALL
        SELECT 'stories', COUNT(*) FROM stories UNION ALL
        SELECT 'mentions', COUNT(*) FROM mentions UNION ALL
        SELECT 'quotes', COUNT(*) FROM quotes UNION ALL
        SELECT 'events', COUNT(*) FROM events UNION ALL
        SELECT 'rejects', COUNT(*) FROM rejects;
    INSERT INTO store_counts
        SELECT 'language:' || COALESCE(language, '?'), COUNT(*) FROM articles GROUP BY 1;
    INSERT INTO store_counts
        SELECT CASE WHEN source IS NULL THEN 'nosource' ELSE 'source:' || source END, COUNT(*)
        FROM articles GROUP BY 1;
    CREATE TRIGGER count_articles_in AFTER INSERT ON articles BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'articles';
        INSERT INTO store_counts VALUES ('language:' || COALESCE(NEW.language, '?'), 1)
            ON CONFLICT(name) DO UPDATE SET n = n + 1;
        INSERT INTO store_counts
            VALUES (CASE WHEN NEW.source IS NULL THEN 'nosource' ELSE 'source:' || NEW.source END, 1)
            ON CONFLICT(name) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER count_articles_out AFTER DELETE ON articles BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name IN ('articles', 'language:' || COALESCE(OLD.language, '?'),
            CASE WHEN OLD.source IS NULL THEN 'nosource' ELSE 'source:' || OLD.source END);
    END;
    CREATE TRIGGER count_articles_moved AFTER UPDATE OF language, source ON articles BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name IN ('language:' || COALESCE(OLD.language, '?'),
            CASE WHEN OLD.source IS NULL THEN 'nosource' ELSE 'source:' || OLD.source END);
        INSERT INTO store_counts VALUES ('language:' || COALESCE(NEW.language, '?'), 1)
            ON CONFLICT(name) DO UPDATE SET n = n + 1;
        INSERT INTO store_counts
            VALUES (CASE WHEN NEW.source IS NULL THEN 'nosource' ELSE 'source:' || NEW.source END, 1)
            ON CONFLICT(name) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER count_stories_in AFTER INSERT ON stories BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'stories';
    END;
    CREATE TRIGGER count_stories_out AFTER DELETE ON stories BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name = 'stories';
    END;
    CREATE TRIGGER count_mentions_in AFTER INSERT ON mentions BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'mentions';
    END;
    CREATE TRIGGER count_mentions_out AFTER DELETE ON mentions BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name = 'mentions';
    END;
    CREATE TRIGGER count_quotes_in AFTER INSERT ON quotes BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'quotes';
    END;
    CREATE TRIGGER count_quotes_out AFTER DELETE ON quotes BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name = 'quotes';
    END;
    CREATE TRIGGER count_events_in AFTER INSERT ON events BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'events';
    END;
    CREATE TRIGGER count_events_out AFTER DELETE ON events BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name = 'events';
    END;
    CREATE TRIGGER count_rejects_in AFTER INSERT ON rejects BEGIN
        UPDATE store_counts SET n = n + 1 WHERE name = 'rejects';
    END;
    CREATE TRIGGER count_rejects_out AFTER DELETE ON rejects BEGIN
        UPDATE store_counts SET n = n - 1 WHERE name = 'rejects';
    END;
    "#),
    // Mentions and articles per resolved place kept by triggers: the place list over the whole
    // store grouped every toponym (millions at a million articles; it timed out at 30 s), and
    // now reads the top rows of an index. `articles` counts an article once per place.
    Sql(r#"
    CREATE TABLE place_counts (
        geonameid    INTEGER PRIMARY KEY,
        name         TEXT,
        lat          REAL,
        lon          REAL,
        country      TEXT,
        admin1       TEXT,
        feature_code TEXT,
        mentions     INTEGER NOT NULL,
        articles     INTEGER NOT NULL
    );
    INSERT INTO place_counts
        SELECT geonameid, MIN(name), MIN(lat), MIN(lon), MIN(country), MIN(admin1), MIN(feature_code),
               COUNT(*), COUNT(DISTINCT article)
        FROM places WHERE geonameid IS NOT NULL GROUP BY geonameid;
    CREATE INDEX place_counts_by_mentions ON place_counts(mentions DESC, name);
    CREATE INDEX place_counts_by_country ON place_counts(country, mentions DESC, name);
    CREATE TRIGGER count_places_in AFTER INSERT ON places WHEN NEW.geonameid IS NOT NULL BEGIN
        INSERT INTO place_counts VALUES (NEW.geonameid, NEW.name, NEW.lat, NEW.lon, NEW.country, NEW.admin1,
            NEW.feature_code, 1, 1)
        ON CONFLICT(geonameid) DO UPDATE SET mentions = mentions + 1,
            articles = articles + NOT EXISTS (SELECT 1 FROM places p WHERE p.article = NEW.article
                AND p.geonameid = NEW.geonameid AND p.rowid <> NEW.rowid);
    END;
    CREATE TRIGGER count_places_out AFTER DELETE ON places WHEN OLD.geonameid IS NOT NULL BEGIN
        UPDATE place_counts SET mentions = mentions - 1,
            articles = articles - NOT EXISTS (SELECT 1 FROM places p WHERE p.article = OLD.article
                AND p.geonameid = OLD.geonameid)
        WHERE geonameid = OLD.geonameid;
    END;
    "#),
    // The place triggers of step 13 looked for another mention of the place in the article
    // through the place's index (SQLite's choice), so each insert read every row of a common
    // place: ingest slowed down as the store grew (14 ms per article at 40,000 articles). The
    // `+` keeps the geonameid term off any index, leaving the article's few rows to read.
    Sql(r#"
    DROP TRIGGER count_places_in;
    DROP TRIGGER count_places_out;
    CREATE TRIGGER count_places_in AFTER INSERT ON places WHEN NEW.geonameid IS NOT NULL BEGIN
        INSERT INTO place_counts VALUES (NEW.geonameid, NEW.name, NEW.lat, NEW.lon, NEW.country, NEW.admin1,
            NEW.feature_code, 1, 1)
        ON CONFLICT(geonameid) DO UPDATE SET mentions = mentions + 1,
            articles = articles + NOT EXISTS (SELECT 1 FROM places p WHERE p.article = NEW.article
                AND +p.geonameid = NEW.geonameid AND p.rowid <> NEW.rowid);
    END;
    CREATE TRIGGER count_places_out AFTER DELETE ON places WHEN OLD.geonameid IS NOT NULL BEGIN
        UPDATE place_counts SET mentions = mentions - 1,
            articles = articles - NOT EXISTS (SELECT 1 FROM places p WHERE p.article = OLD.article
                AND +p.geonameid = OLD.geonameid)
        WHERE geonameid = OLD.geonameid;
    END;
    "#),
    // Events by CAMEO code (a prefix, as a range): a rare code was found by reading every
    // report, newest first (0.36-0.56 s on 100,000 articles, ten times that on a million).
    // `IF NOT EXISTS`: the upgrade tests run the steps after an earlier version again.
    Sql("CREATE INDEX IF NOT EXISTS events_cameo ON events(cameo);"),
    // An article's mentions beside its facts document, which now holds per entity only a count
    // (all a story page uses of them; skipping the mentions was a fifth of parsing a document).
    // NULL in rows written before: their document still holds the mentions.
    Sql("ALTER TABLE article_facts ADD COLUMN mentions BLOB;"),
    // Fact rows found by their article's seq rather than its id. The id is a content hash, so
    // each article's rows landed on random pages of six indexes that outgrew any cache (2.3 GB
    // of such indexes at a million articles; the writer read, logged and checkpointed a page
    // for a few rows, and ingest slowed as the store grew). Seqs only grow: new rows append.
    Code(crate::seq_keys::key_facts_by_article_seq),
    // A story's article list from one index range. Its articles are spread over the table
    // (a story runs for days while others are stored), so listing them read one table page
    // per article: a random disk read each on a cold store. The index that gave the outlet
    // counts now carries every column of the list (the seq is the rowid every entry holds).
    Sql(r#"
    CREATE INDEX IF NOT EXISTS articles_story_cover
        ON articles(story, source, copy_of, published, id, title, language, url);
    DROP INDEX IF EXISTS articles_story_outlets;
    "#),
    // An article page's places, tone, mention tones and themes beside its facts (see
    // `page_facts.rs`): a cold page read ten random pages of their four tables and indexes.
    // NULL in rows written before: their pages read the tables.
    Sql("ALTER TABLE article_facts ADD COLUMN page BLOB;"),
];

/// Brings the database to the newest schema, one transaction per step.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let newest = MIGRATIONS.len() as i64;
    let version =
        |c: &Connection| -> Result<i64> { Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?) };
    let check = |current: i64| {
        if current > newest {
            return Err(StoreError(format!(
                "the database is at schema version {current}, newer than this newsloom knows ({newest}); \
                 upgrade newsloom"
            )));
        }
        Ok(current == newest)
    };
    // Up to date: nothing to write (a read-only store opens too).
    if check(version(conn)?)? {
        return Ok(());
    }
    // Two processes opening a new store at once (a reader and a restarted ingest, say) must
    // not both apply a step: the version is read again under the write lock, and every
    // pending step is applied in that one transaction.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current = version(&tx)?;
    if check(current)? {
        return Ok(());
    }
    for step in MIGRATIONS.iter().skip(current as usize) {
        match step {
            Sql(sql) if column_already_added(&tx, sql)? => {}
            Sql(sql) => tx.execute_batch(sql)?,
            Code(run) => run(&tx)?,
        }
    }
    tx.pragma_update(None, "user_version", newest)?;
    tx.commit()?;
    Ok(())
}

/// Whether `sql` is an `ALTER TABLE t ADD COLUMN c …` step whose column is there already: SQLite
/// has no `IF NOT EXISTS` for columns, and steps run again over a store that an earlier version
/// of newsloom (or an upgrade test) set back to an older schema version.
fn column_already_added(conn: &Connection, sql: &str) -> Result<bool> {
    let words: Vec<&str> = sql.split_whitespace().take(6).collect();
    let [alter, table_kw, table, add, column_kw, column] = words[..] else { return Ok(false) };
    let is_add = |(w, kw): (&str, &str)| w.eq_ignore_ascii_case(kw);
    if ![(alter, "ALTER"), (table_kw, "TABLE"), (add, "ADD"), (column_kw, "COLUMN")].into_iter().all(is_add) {
        return Ok(false);
    }
    has_column(conn, table, column.trim_end_matches(';'))
}

/// Whether `table` has a column named `column`: what a step that adds one asks first, as an
/// upgrade test may run the steps again over a store that has them.
pub(crate) fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    let n: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |r| {
            r.get(0)
        })?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_column_is_not_added_twice() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER)").unwrap();
        let step = "ALTER TABLE t ADD COLUMN b BLOB;";
        assert!(!column_already_added(&conn, step).unwrap());
        conn.execute_batch(step).unwrap();
        assert!(column_already_added(&conn, step).unwrap());
        assert!(!column_already_added(&conn, "CREATE INDEX IF NOT EXISTS i ON t(a);").unwrap());
    }

    #[test]
    fn migrates_once_and_refuses_newer_schemas() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(migrate(&mut conn).unwrap_err().0.contains("newer"));
    }

    #[test]
    fn concurrent_first_opens_apply_each_step_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let mut conn = Connection::open(&path).unwrap();
                    conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
                    migrate(&mut conn).unwrap();
                });
            }
        });
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
    }

    /// Inserting a place costs the same however many articles already name it (the count
    /// triggers once read every earlier row of the place on each insert).
    #[test]
    fn a_place_insert_does_not_read_the_place_s_earlier_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let insert = "INSERT INTO places (article, article_seq, start, end, text, geonameid, name, lat, lon,
            country, admin1, feature_code, literal, doc) VALUES (?1, random(), 0, 6, 'Moscow', 524901, 'Moscow',
            55.75, 37.62, 'RU', '48', 'PPLC', 0, '{}')";
        // VM steps of one insert, the triggers' subprograms included.
        let steps_after = |conn: &Connection, earlier: usize| {
            for i in 0..earlier {
                conn.execute(insert, [format!("old-{earlier}-{i}")]).unwrap();
            }
            let mut stmt = conn.prepare(insert).unwrap();
            stmt.execute([format!("new-{earlier}")]).unwrap();
            stmt.get_status(rusqlite::StatementStatus::VmStep)
        };
        let few = steps_after(&conn, 10);
        let many = steps_after(&conn, 5_000);
        assert!(many < few * 2, "{few} VM steps after 10 rows of the place, {many} after 5,010");
        let (mentions, articles): (i64, i64) = conn
            .query_row("SELECT mentions, articles FROM place_counts WHERE geonameid = 524901", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((mentions, articles), (5_012, 5_012));
    }
}

//! Writing: one transaction per batch of articles with everything found in them.

use newsloom_model::Analysis;
use newsloom_model::{Article, EntityKind, sentence_around};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, ToSql, Transaction, params};

use crate::{NO_SPACE, Result, SqliteStore, StoreError, now_secs};

/// An article ready to store, with its analysis and its place in a story.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    /// `article.story` is the story it joined.
    pub article: Article,
    pub copy_of: Option<String>,
    pub analysis: Analysis,
    /// `(absorbed, into)` story merges decided while placing this article.
    pub merges: Vec<(String, String)>,
    /// The stored form of `article` and `analysis`, made ahead by [`Encoded::new`] (on another
    /// thread) or, when `None`, by the writer itself.
    pub encoded: Option<Encoded>,
}

/// The pure-CPU part of storing one article: its JSON documents, deflated where the store keeps
/// them so (11 % of the writer thread's time when it made them itself). Made by
/// [`Encoded::new`] on any thread, so the single writer only writes. Does not depend on the
/// article's story, copy or merges, which are decided after extraction.
#[derive(Debug, Clone)]
pub struct Encoded {
    doc: Value,
    raw: Value,
    facts: FactsRow,
    entities: Vec<String>,
    mentions: Vec<String>,
    quotes: Vec<String>,
    events: Vec<String>,
    places: Vec<String>,
}

impl Encoded {
    pub fn new(article: &Article, analysis: &Analysis) -> Result<Self> {
        let doc = {
            let mut lean = article.clone();
            lean.raw = String::new();
            lean.story = None;
            serde_json::to_string(&lean)?
        };
        Ok(Encoded {
            doc: crate::packed::pack_value_fast(&doc)?,
            raw: crate::packed::pack_value(&article.raw)?,
            facts: facts_row(Some(&article.body), analysis, true)?,
            entities: analysis
                .entities
                .iter()
                .map(serde_json::to_string)
                .collect::<serde_json::Result<_>>()?,
            mentions: analysis
                .mentions
                .iter()
                .map(serde_json::to_string)
                .collect::<serde_json::Result<_>>()?,
            quotes: analysis.quotes.iter().map(serde_json::to_string).collect::<serde_json::Result<_>>()?,
            events: analysis.events.iter().map(serde_json::to_string).collect::<serde_json::Result<_>>()?,
            places: analysis.places.iter().map(serde_json::to_string).collect::<serde_json::Result<_>>()?,
        })
    }

    /// Whether this has a document for every fact of `an` (a mismatched one is made again).
    fn fits(&self, an: &Analysis) -> bool {
        self.entities.len() == an.entities.len()
            && self.mentions.len() == an.mentions.len()
            && self.quotes.len() == an.quotes.len()
            && self.events.len() == an.events.len()
            && self.places.len() == an.places.len()
    }
}

/// An input item that was rejected, kept so reports can list what was lost and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reject {
    pub origin: String,
    pub kind: String,
    pub message: String,
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub stored: usize,
    /// Articles whose id was already stored (skipped).
    pub duplicates: usize,
}

pub(crate) fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organisation => "organisation",
        EntityKind::Place => "place",
        EntityKind::Misc => "misc",
    }
}

impl SqliteStore {
    /// Stores a batch atomically: all of it is visible after this returns, none of it if the
    /// process dies first. Articles already present (same id) are skipped and counted.
    pub fn insert_batch(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome> {
        self.insert_batch_tx(batch, rejects).map_err(|e| {
            if !e.is_out_of_space() {
                return e;
            }
            // The transaction rolled back: say so, and what to do, with the place that is full.
            StoreError(format!(
                "{NO_SPACE}: cannot write to the store in {}; the batch being written was rolled \
                 back and everything stored before it is intact. Free some space and run the same \
                 command again: it resumes where it stopped",
                self.dir.display()
            ))
        })
    }

    /// Writes the facts document of every article stored before `article_facts` existed, and
    /// the article page document of every facts row written before that existed, 2,000
    /// articles per transaction (a reader never waits long), from the fact tables. Returns the
    /// number of documents written (a facts row written here gets its page document too).
    pub fn backfill_facts(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let rows = self.backfill_facts_rows(progress)?;
        Ok(rows + self.backfill_page_facts(&mut |n| progress(rows + n))?)
    }

    fn backfill_facts_rows(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let (mut done, mut after) = (0u64, 0i64);
        loop {
            let todo: Vec<i64> = self
                .conn
                .prepare_cached(
                    "SELECT a.seq FROM articles a WHERE a.seq > ?
                     AND NOT EXISTS (SELECT 1 FROM article_facts f WHERE f.seq = a.seq)
                     ORDER BY a.seq LIMIT 2000",
                )?
                .query_map([after], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let Some(&last) = todo.last() else { return Ok(done) };
            let facts = todo
                .iter()
                .map(|&seq| Ok((seq, self.facts_from_tables_at(seq)?)))
                .collect::<Result<Vec<_>>>()?;
            let tx = self.conn.transaction()?;
            for (seq, analysis) in &facts {
                insert_facts_row(&tx, *seq, &facts_row(None, analysis, false)?)?;
            }
            tx.commit()?;
            done += facts.len() as u64;
            after = last;
            progress(done);
        }
    }

    fn insert_batch_tx(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome> {
        if let Some(c) = &mut self.checkpoints {
            c.before_transaction();
        }
        let tx = self.conn.transaction()?;
        let mut outcome = BatchOutcome::default();
        let now = now_secs();
        for item in batch {
            if insert_article(&tx, item, now)? {
                outcome.stored += 1;
            } else {
                outcome.duplicates += 1;
            }
        }
        {
            let mut stmt =
                tx.prepare_cached("INSERT INTO rejects (origin, kind, message, at) VALUES (?,?,?,?)")?;
            for r in rejects {
                stmt.execute(params![r.origin, r.kind, r.message, now])?;
            }
        }
        tx.commit()?;
        if let Some(c) = &mut self.checkpoints {
            c.committed();
        }
        Ok(outcome)
    }
}

/// Inserts one article and its facts; `false` when its id was already stored.
fn insert_article(tx: &Transaction, item: &NewArticle, now: i64) -> Result<bool> {
    let a = &item.article;
    let made_here;
    let enc = match &item.encoded {
        Some(enc) if enc.fits(&item.analysis) => enc,
        _ => {
            made_here = Encoded::new(a, &item.analysis)?;
            &made_here
        }
    };
    let day = a.published.as_ref().and_then(|d| d.day()).map(str::to_string);
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO articles (id, url, source, title, published, day, language, story,
             copy_of, body_hash, origin, doc, raw, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        )?
        .execute(params![
            a.id,
            a.url,
            a.source,
            a.title,
            a.published.as_ref().map(|d| &d.iso),
            day,
            a.language,
            a.story,
            item.copy_of,
            a.body_hash,
            a.origin,
            enc.doc,
            enc.raw,
            now
        ])?;
    if inserted == 0 {
        return Ok(false);
    }
    let seq = tx.last_insert_rowid();
    if let Some(story) = &a.story {
        tx.prepare_cached(
            "INSERT INTO stories (id, title, size, first_seen, last_seen, updated_seq) VALUES (?1,?2,1,?3,?3,?4)
             ON CONFLICT(id) DO UPDATE SET size = size + 1,
               first_seen = CASE WHEN first_seen IS NULL OR ?3 < first_seen THEN ?3 ELSE first_seen END,
               last_seen = CASE WHEN last_seen IS NULL OR ?3 > last_seen THEN ?3 ELSE last_seen END,
               updated_seq = ?4",
        )?
        .execute(params![story, a.title, day, seq])?;
        // A new outlet for the story (the article itself is already in the table).
        tx.prepare_cached(
            "UPDATE stories SET outlets = outlets + 1 WHERE id = ?1 AND ?2 IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM articles WHERE story = ?1 AND source = ?2 AND seq <> ?3)",
        )?
        .execute(params![story, a.source, seq])?;
    }
    // After the article is counted in its story, so the merge recount includes it once.
    for (absorbed, into) in &item.merges {
        merge_stories(tx, absorbed, into, now)?;
    }
    insert_facts(tx, item, seq, enc)?;
    insert_facts_row(tx, seq, &enc.facts)?;
    Ok(true)
}

fn insert_facts(tx: &Transaction, item: &NewArticle, seq: i64, enc: &Encoded) -> Result<()> {
    let a = &item.article;
    let an = &item.analysis;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO entities (id, name, kind, code, doc) VALUES (?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
    )?;
    for (e, doc) in an.entities.iter().zip(&enc.entities) {
        stmt.execute(params![e.id, e.name, kind_name(e.kind), e.code, doc])?;
    }
    let at: Vec<_> = an.mentions.iter().map(|m| bounds(&m.span)).collect();
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(6 * an.mentions.len());
    for ((m, doc), (start, end)) in an.mentions.iter().zip(&enc.mentions).zip(&at) {
        values.extend([&a.id as &dyn ToSql, &seq, &m.entity, start, end, doc]);
    }
    insert_rows(tx, "mentions (article, article_seq, entity, start, end, doc)", 6, &values)?;
    let mut stmt = tx.prepare_cached("UPDATE entities SET mentions = mentions + ?2 WHERE id = ?1")?;
    for (entity, n) in newsloom_model::mention_counts(&an.mentions) {
        stmt.execute(params![entity, n])?;
    }
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(7 * an.quotes.len());
    let at: Vec<_> = an.quotes.iter().map(|q| bounds(&q.span)).collect();
    for ((q, doc), (start, end)) in an.quotes.iter().zip(&enc.quotes).zip(&at) {
        values.extend([&a.id as &dyn ToSql, &seq, &q.speaker, &q.speaker_entity, start, end, doc]);
    }
    insert_rows(tx, "quotes (article, article_seq, speaker, speaker_entity, start, end, doc)", 7, &values)?;
    let more: Vec<_> = an.events.iter().map(|e| (e.quad_class as i64, bounds(&e.span))).collect();
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(12 * an.events.len());
    for ((e, doc), (quad, (start, end))) in an.events.iter().zip(&enc.events).zip(&more) {
        values.extend([
            &a.id as &dyn ToSql,
            &seq,
            &a.story,
            &e.source_actor,
            &e.target_actor,
            &e.cameo,
            quad,
            &e.goldstein,
            &e.date,
            start,
            end,
            doc,
        ]);
    }
    insert_rows(
        tx,
        "events (article, article_seq, story, source_actor, target_actor, cameo, quad, goldstein, date, start, end,
         doc)",
        12,
        &values,
    )?;
    let dyad_key = a.story.as_deref().unwrap_or(&a.id);
    for e in &an.events {
        crate::dyads::count_event(tx, dyad_key, e)?;
    }
    crate::geo::insert_places(tx, &a.id, seq, an, &enc.places)?;
    crate::tone::insert_tone(tx, &a.id, seq, an)?;
    Ok(())
}

/// A span's bounds as SQLite integers.
pub(crate) fn bounds(span: &newsloom_model::Span) -> (i64, i64) {
    (span.start as i64, span.end as i64)
}

/// Rows one INSERT writes at most. An insert into a table with a trigger (the kept counts)
/// keeps a statement journal of the pages it changes, and every statement opens cursors on the
/// table and each of its indexes and closes them again: one statement for an article's rows of
/// a table, instead of one per row, pays that once.
const ROWS_PER_INSERT: usize = 8;

/// Inserts rows of `width` values each (`values` holds them row after row) with
/// `INSERT INTO {into} VALUES (…), (…)`, at most [`ROWS_PER_INSERT`] rows a statement. The
/// rows get their rowids in order, and each row's triggers run before the next row is
/// inserted, as with one statement per row.
pub(crate) fn insert_rows(tx: &Transaction, into: &str, width: usize, values: &[&dyn ToSql]) -> Result<()> {
    debug_assert_eq!(values.len() % width, 0);
    for chunk in values.chunks(width * ROWS_PER_INSERT) {
        let row = format!("({})", vec!["?"; width].join(","));
        let sql = format!("INSERT INTO {into} VALUES {}", vec![row; chunk.len() / width].join(","));
        tx.prepare_cached(&sql)?.execute(chunk)?;
    }
    Ok(())
}

/// An article's `article_facts` row: the story page's document of its facts
/// ([`crate::facts::FactsDocRef`]) and, apart, its mentions, which only a reader of the whole
/// analysis wants (a story page counts them by entity, as the document has them already).
/// Both LZ4-compressed; mentions, quotes and events in the order the fact tables give them: by
/// start, ties in insertion order.
#[derive(Debug, Clone)]
struct FactsRow {
    doc: Value,
    mentions: Value,
    /// The article page's places, tone and themes ([`crate::page_facts`]); `Null` when the
    /// row is made from the fact tables without them, which a page then reads.
    page: Value,
}

/// The `article_facts` row; with the body, each event's sentence is cut out here, once,
/// rather than by every story page that shows the event (which read and decoded the body).
fn facts_row(body: Option<&str>, an: &Analysis, with_page: bool) -> Result<FactsRow> {
    let mut mentions: Vec<_> = an.mentions.iter().collect();
    mentions.sort_by_key(|m| m.span.start);
    let mut quotes: Vec<_> = an.quotes.iter().collect();
    quotes.sort_by_key(|q| q.span.start);
    let mut events: Vec<_> = an.events.iter().collect();
    events.sort_by_key(|e| e.span.start);
    let event_sentences = match body {
        Some(body) => events.iter().map(|e| sentence_around(body, e.span.start, e.span.end)).collect(),
        None => vec![],
    };
    let doc = crate::facts::FactsDocRef::new(mentions.iter().copied(), quotes, events, event_sentences);
    Ok(FactsRow {
        doc: crate::packed::pack_value_fast(&serde_json::to_string(&doc)?)?,
        mentions: crate::packed::pack_value_fast(&serde_json::to_string(&mentions)?)?,
        page: if with_page {
            crate::packed::pack_value_fast(&crate::page_facts::page_facts_json(an)?)?
        } else {
            Value::Null
        },
    })
}

fn insert_facts_row(tx: &Transaction, seq: i64, row: &FactsRow) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO article_facts (seq, doc, mentions, page) VALUES (?, ?, ?, ?)")?
        .execute(params![seq, row.doc, row.mentions, row.page])?;
    Ok(())
}

/// An article's seq and id.
type SeqAndId = (i64, String);

impl SqliteStore {
    /// Fills the `page` column ([`crate::page_facts`]) of facts rows written before it existed.
    /// It reads every facts row once (only `reindex` calls it, which reads every article): an
    /// index of the rows without one would have cost a scan of the table when the schema step
    /// ran, at the first open of any command.
    fn backfill_page_facts(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let (mut done, mut after) = (0u64, 0i64);
        loop {
            let (todo, last) = self.facts_rows_without_page(after)?;
            let Some(last) = last else { return Ok(done) };
            after = last;
            let pages = todo
                .iter()
                .map(|(seq, id)| {
                    let mut an = Analysis::default();
                    self.fill_page_facts_from_tables(*seq, id, &mut an)?;
                    Ok((*seq, crate::packed::pack_value_fast(&crate::page_facts::page_facts_json(&an)?)?))
                })
                .collect::<Result<Vec<_>>>()?;
            let tx = self.conn.transaction()?;
            for (seq, page) in &pages {
                tx.prepare_cached("UPDATE article_facts SET page = ? WHERE seq = ?")?
                    .execute(params![page, seq])?;
            }
            tx.commit()?;
            done += pages.len() as u64;
            progress(done);
        }
    }

    /// The facts rows without a page document among the 2,000 after seq `after`, as (seq,
    /// article id), and the last seq looked at (`None` past the end).
    fn facts_rows_without_page(&self, after: i64) -> Result<(Vec<SeqAndId>, Option<i64>)> {
        let rows: Vec<(i64, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT f.seq, CASE WHEN f.page IS NULL THEN a.id END FROM article_facts f
                 LEFT JOIN articles a ON a.seq = f.seq WHERE f.seq > ? ORDER BY f.seq LIMIT 2000",
            )?
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let last = rows.last().map(|r| r.0);
        Ok((rows.into_iter().filter_map(|(seq, id)| Some((seq, id?))).collect(), last))
    }
}

/// Moves every article of `absorbed` into `into` and records the redirect, so the old id still
/// resolves.
fn merge_stories(tx: &Transaction, absorbed: &str, into: &str, now: i64) -> Result<()> {
    if absorbed == into {
        return Ok(());
    }
    tx.execute("UPDATE articles SET story = ?2 WHERE story = ?1", params![absorbed, into])?;
    tx.execute("UPDATE events SET story = ?2 WHERE story = ?1", params![absorbed, into])?;
    crate::dyads::merge_story(tx, absorbed, into)?;
    tx.execute("UPDATE story_redirects SET into_id = ?2 WHERE into_id = ?1", params![absorbed, into])?;
    tx.execute(
        "INSERT OR REPLACE INTO story_redirects (absorbed, into_id, at) VALUES (?,?,?)",
        params![absorbed, into, now],
    )?;
    let old: Option<(String, i64)> = tx
        .query_row("SELECT title, size FROM stories WHERE id = ?", [absorbed], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    tx.execute("DELETE FROM stories WHERE id = ?", [absorbed])?;
    if let Some((title, _)) = old {
        tx.execute(
            "INSERT INTO stories (id, title, size, first_seen, last_seen, updated_seq, outlets)
             SELECT ?1, ?2, COUNT(*), MIN(day), MAX(day), MAX(seq), COUNT(DISTINCT source)
             FROM articles WHERE story = ?1
             ON CONFLICT(id) DO UPDATE SET size = excluded.size, first_seen = excluded.first_seen,
               last_seen = excluded.last_seen, updated_seq = excluded.updated_seq,
               outlets = excluded.outlets",
            params![into, title],
        )?;
    }
    Ok(())
}

//! Rewriting the values read on every page in the codec this version writes for them.
//!
//! Articles' documents and facts documents were stored deflated before they were stored as LZ4
//! (see [`crate::packed`]). Both read back either way, so an upgraded store works as it is, but
//! its older rows keep costing inflate on every story and article page (a ninth of a story
//! page's CPU on a million-article store written by the older version). `newsloom compact
//! --recode` rewrites those rows once.

use rusqlite::params;
use rusqlite::types::{Value, ValueRef};

use crate::packed::{Packed, is_fast_coded, pack_value_fast};
use crate::{Result, SqliteStore};

/// Rows read and rewritten per transaction: bounded so the WAL stays small and a reader never
/// waits long.
const BATCH: i64 = 2_000;

/// What [`SqliteStore::recode_page_values`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecodeStats {
    /// Values looked at.
    pub values: u64,
    /// Values rewritten.
    pub rewritten: u64,
    /// Bytes of the rewritten values before and after.
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// The tables and columns recoded, each keyed by `seq`.
const COLUMNS: [(&str, &str); 2] = [("articles", "doc"), ("article_facts", "doc")];

impl SqliteStore {
    /// Rewrites the articles' documents and facts documents that are stored deflated as LZ4,
    /// `BATCH` rows per transaction; the text of every value stays the same. `progress` gets
    /// the values looked at so far. Run it holding the store's writer lock.
    pub fn recode_page_values(&mut self, progress: &mut dyn FnMut(u64)) -> Result<RecodeStats> {
        let mut stats = RecodeStats::default();
        for (table, column) in COLUMNS {
            let select =
                format!("SELECT seq, {column} FROM {table} WHERE seq > ? ORDER BY seq LIMIT {BATCH}");
            let update = format!("UPDATE {table} SET {column} = ? WHERE seq = ?");
            let mut after = i64::MIN;
            loop {
                let tx = self.conn.transaction()?;
                let mut last = None;
                {
                    let mut read = tx.prepare_cached(&select)?;
                    let mut write = tx.prepare_cached(&update)?;
                    let mut rows = read.query([after])?;
                    while let Some(row) = rows.next()? {
                        let seq: i64 = row.get(0)?;
                        last = Some(seq);
                        stats.values += 1;
                        let ValueRef::Blob(stored) = row.get_ref(1)? else { continue };
                        if is_fast_coded(stored) {
                            continue;
                        }
                        let before = stored.len() as u64;
                        let Packed(text) = row.get(1)?;
                        let value = pack_value_fast(&text)?;
                        stats.bytes_before += before;
                        stats.bytes_after += match &value {
                            Value::Blob(b) => b.len() as u64,
                            Value::Text(t) => t.len() as u64,
                            _ => 0,
                        };
                        stats.rewritten += 1;
                        write.execute(params![value, seq])?;
                    }
                }
                tx.commit()?;
                progress(stats.values);
                match last {
                    Some(seq) => after = seq,
                    None => break,
                }
            }
        }
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packed::pack_value;

    #[test]
    fn deflated_values_are_rewritten_as_lz4_with_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let long = "Russia warned NATO on Tuesday. ".repeat(20);
        // Rows as an older version wrote them: deflated, plain (short) and already LZ4.
        for (seq, doc) in [
            (1, pack_value(&long).unwrap()),
            (2, Value::Text("short".into())),
            (3, pack_value_fast(&long).unwrap()),
        ] {
            store
                .conn
                .execute("INSERT INTO article_facts (seq, doc) VALUES (?, ?)", params![seq, doc])
                .unwrap();
        }
        let mut seen = vec![];
        let stats = store.recode_page_values(&mut |n| seen.push(n)).unwrap();
        assert_eq!((stats.values, stats.rewritten), (3, 1));
        assert!(stats.bytes_before > 0 && stats.bytes_after > 0);
        assert_eq!(seen.last(), Some(&3));
        let read = |seq: i64| -> (String, Vec<u8>) {
            let text: Packed = store
                .conn
                .query_row("SELECT doc FROM article_facts WHERE seq = ?", [seq], |r| r.get(0))
                .unwrap();
            let raw: Vec<u8> = store
                .conn
                .query_row("SELECT CAST(doc AS BLOB) FROM article_facts WHERE seq = ?", [seq], |r| r.get(0))
                .unwrap();
            (text.0, raw)
        };
        let (text, raw) = read(1);
        assert_eq!(text, long);
        assert!(is_fast_coded(&raw));
        assert_eq!(read(2).0, "short");
        assert_eq!(read(3).0, long);
        // A second run finds nothing left to do.
        let again = store.recode_page_values(&mut |_| {}).unwrap();
        assert_eq!((again.values, again.rewritten), (3, 0));
    }
}

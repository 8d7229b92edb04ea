//! Compressed text columns: an article's stored document and raw input are most of the
//! store's size and are read whole, one article at a time, so they are kept deflated.
//!
//! A value is written as a BLOB (raw deflate, fast level) and read back from a BLOB or, for
//! stores written before compression, from plain TEXT: old and new rows live side by side.

use std::io::{Read, Write};

use flate2::Compression;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// Text stored deflated (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed(pub String);

/// Values shorter than this are stored as plain text: deflate would not pay for itself.
const MIN_PACKED: usize = 128;

/// Borrowed text to be stored deflated, as [`Packed`] writes it: no copy of a large value
/// just to write it.
#[derive(Debug, Clone, Copy)]
pub struct PackedRef<'a>(pub &'a str);

impl ToSql for Packed {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        pack(&self.0)
    }
}

impl ToSql for PackedRef<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        pack(self.0)
    }
}

fn pack(text: &str) -> rusqlite::Result<ToSqlOutput<'_>> {
    if text.len() < MIN_PACKED {
        return Ok(ToSqlOutput::from(text));
    }
    let mut enc = flate2::write::DeflateEncoder::new(Vec::with_capacity(text.len() / 3), Compression::fast());
    enc.write_all(text.as_bytes()).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let bytes = enc.finish().map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(ToSqlOutput::from(bytes))
}

impl FromSql for Packed {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(t) => {
                Ok(Packed(std::str::from_utf8(t).map_err(|e| FromSqlError::Other(Box::new(e)))?.to_string()))
            }
            ValueRef::Blob(b) => {
                let mut text = String::with_capacity(b.len() * 3);
                flate2::read::DeflateDecoder::new(b)
                    .read_to_string(&mut text)
                    .map_err(|e| FromSqlError::Other(Box::new(e)))?;
                Ok(Packed(text))
            }
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_stored_smaller_and_reads_back_and_old_text_rows_still_read() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute("CREATE TABLE t (v TEXT)", []).unwrap();
        let long = "The council met on Tuesday to discuss the harbour strike. ".repeat(40);
        conn.execute("INSERT INTO t VALUES (?)", [Packed(long.clone())]).unwrap();
        conn.execute("INSERT INTO t VALUES (?)", [Packed("short".into())]).unwrap();
        conn.execute("INSERT INTO t VALUES (?)", [PackedRef(&long)]).unwrap();
        // A row written by an older version, as plain text.
        conn.execute("INSERT INTO t VALUES ('plain old row')", []).unwrap();
        let (kind, size): (String, i64) = conn
            .query_row("SELECT typeof(v), length(v) FROM t WHERE rowid = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(kind, "blob");
        assert!((size as usize) < long.len() / 4, "{size} of {}", long.len());
        let all: Vec<String> = conn
            .prepare("SELECT v FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get::<_, Packed>(0))
            .unwrap()
            .map(|p| p.unwrap().0)
            .collect();
        assert_eq!(all, vec![long.clone(), "short".to_string(), long, "plain old row".to_string()]);
    }

    #[test]
    fn a_corrupt_blob_is_an_error_not_a_panic() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let r = conn.query_row("SELECT x'00ff00ff13'", [], |r| r.get::<_, Packed>(0));
        assert!(r.is_err());
    }
}

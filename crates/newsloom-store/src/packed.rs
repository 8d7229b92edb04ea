//! Compressed text columns: an article's stored document and raw input are most of the
//! store's size and are read whole, one article at a time, so they are kept deflated.
//!
//! A value is written as a BLOB and read back from a BLOB or, for stores written before
//! compression, from plain TEXT: old and new rows live side by side. Two codecs:
//! - raw deflate (fast level) for the raw input, the largest column and rarely read;
//! - LZ4 for the documents read on every page (an article's document, its facts), tagged by a
//!   first byte [`LZ4_TAG`] that no deflate stream starts with. On a million-article store a
//!   facts document (5.7 KB of JSON) inflated in 13.7 µs and decompresses from LZ4 in 2.6 µs,
//!   for 11 % more bytes (1,483 → 1,651); inflating was 13 % of a story page's CPU.

use flate2::Compression;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// Text stored deflated (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed(pub String);

/// Values shorter than this are stored as plain text: deflate would not pay for itself.
const MIN_PACKED: usize = 128;

impl ToSql for Packed {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        pack(&self.0)
    }
}

fn pack(text: &str) -> rusqlite::Result<ToSqlOutput<'_>> {
    if text.len() < MIN_PACKED {
        return Ok(ToSqlOutput::from(text));
    }
    let bytes = deflate(text.as_bytes()).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(ToSqlOutput::from(bytes))
}

/// The first byte of an LZ4 value. As the first byte of a raw deflate stream it would open a
/// block of type 3, which is reserved: no deflate value starts with it.
const LZ4_TAG: u8 = 0xFE;

/// Whether a stored BLOB is in the codec [`pack_value_fast`] writes.
pub(crate) fn is_fast_coded(stored: &[u8]) -> bool {
    stored.first() == Some(&LZ4_TAG)
}

/// [`pack_value`] for a value read often: LZ4, which decompresses about five times faster
/// than inflate, for about an eighth more bytes.
pub(crate) fn pack_value_fast(text: &str) -> crate::Result<rusqlite::types::Value> {
    if text.len() < MIN_PACKED {
        return Ok(rusqlite::types::Value::Text(text.to_string()));
    }
    // Tag, size (u32 little-endian, as `compress_prepend_size` writes it), then the block,
    // compressed in place rather than into a second buffer that is then copied.
    let size = u32::try_from(text.len())
        .map_err(|_| crate::StoreError(format!("a value of {} bytes is too large to store", text.len())))?;
    let mut bytes = vec![0u8; 5 + lz4_flex::block::get_maximum_output_size(text.len())];
    bytes[0] = LZ4_TAG;
    bytes[1..5].copy_from_slice(&size.to_le_bytes());
    let n = lz4_flex::block::compress_into(text.as_bytes(), &mut bytes[5..])
        .map_err(|e| crate::StoreError(format!("cannot compress a value: {e}")))?;
    bytes.truncate(5 + n);
    Ok(rusqlite::types::Value::Blob(bytes))
}

/// Decompresses an LZ4 value (after its tag): the size it claims is checked against what its
/// bytes can expand to (LZ4 expands at most 255-fold), so a corrupt value cannot ask for
/// gigabytes.
fn unpack_lz4(value: &[u8]) -> std::io::Result<Vec<u8>> {
    let bad = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
    let Some((size, block)) = value.split_first_chunk::<4>() else {
        return Err(bad("LZ4 value too short".into()));
    };
    let size = u32::from_le_bytes(*size) as usize;
    if size > block.len().saturating_mul(255) + 16 {
        return Err(bad(format!("LZ4 value claims {size} bytes from {}", block.len())));
    }
    lz4_flex::block::decompress(block, size).map_err(|e| bad(e.to_string()))
}

/// The value [`Packed`] writes for `text`, owned: made on one thread, written on another.
pub(crate) fn pack_value(text: &str) -> crate::Result<rusqlite::types::Value> {
    if text.len() < MIN_PACKED {
        return Ok(rusqlite::types::Value::Text(text.to_string()));
    }
    let bytes =
        deflate(text.as_bytes()).map_err(|e| crate::StoreError(format!("cannot deflate a value: {e}")))?;
    Ok(rusqlite::types::Value::Blob(bytes))
}

thread_local! {
    /// One deflate state per thread, as for inflating: setting one up allocates and zeroes its
    /// window and hash tables: a 3.4 KB value took 7.5 µs to deflate with a fresh state, 3.0 µs
    /// with a reused one.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(Compression::fast(), false));
}

/// Deflates one value (raw deflate, fast level) with this thread's reused state.
fn deflate(input: &[u8]) -> std::io::Result<Vec<u8>> {
    DEFLATE.with_borrow_mut(|state| {
        state.reset();
        let mut out = Vec::with_capacity(input.len() / 3 + 64);
        loop {
            let consumed = state.total_in() as usize;
            let status = state
                .compress_vec(&input[consumed..], &mut out, flate2::FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            match status {
                flate2::Status::StreamEnd => return Ok(out),
                // Output full: grow and go on.
                _ => out.reserve(out.capacity().max(64)),
            }
        }
    })
}

impl FromSql for Packed {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(t) => {
                Ok(Packed(std::str::from_utf8(t).map_err(|e| FromSqlError::Other(Box::new(e)))?.to_string()))
            }
            ValueRef::Blob(b) => {
                let bytes = match b.split_first() {
                    Some((&LZ4_TAG, rest)) => unpack_lz4(rest),
                    _ => inflate(b),
                }
                .map_err(|e| FromSqlError::Other(Box::new(e)))?;
                Ok(Packed(String::from_utf8(bytes).map_err(|e| FromSqlError::Other(Box::new(e)))?))
            }
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

thread_local! {
    /// One inflate state per thread: a fresh one per value was zeroed and set up each time,
    /// which cost more than inflating a story page's small documents (perf: ~10 % of its CPU).
    static INFLATE: std::cell::RefCell<flate2::Decompress> = std::cell::RefCell::new(flate2::Decompress::new(false));
}

/// Inflates one raw-deflate value with this thread's reused state.
fn inflate(input: &[u8]) -> std::io::Result<Vec<u8>> {
    INFLATE.with_borrow_mut(|state| {
        state.reset(false);
        let mut out = Vec::with_capacity(input.len() * 4 + 64);
        loop {
            let consumed = state.total_in() as usize;
            let status = state
                .decompress_vec(&input[consumed..], &mut out, flate2::FlushDecompress::None)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            match status {
                flate2::Status::StreamEnd => return Ok(out),
                // Output full: grow and go on; no progress with room left means a cut stream.
                _ if out.len() == out.capacity() => out.reserve(out.capacity()),
                _ => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "deflated value ends early",
                    ));
                }
            }
        }
    })
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
        conn.execute("INSERT INTO t VALUES (?)", [pack_value(&long).unwrap()]).unwrap();
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
    fn a_cut_blob_is_an_error_and_the_next_value_still_reads() {
        let long = "The harbour strike went on for a third day. ".repeat(200);
        let ToSqlOutput::Owned(rusqlite::types::Value::Blob(blob)) = pack(&long).unwrap() else { panic!() };
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = |b: &[u8]| conn.query_row("SELECT ?", [b], |r| r.get::<_, Packed>(0));
        assert!(read(&blob[..blob.len() / 2]).is_err());
        // The thread's reused inflate state starts clean for the next value.
        assert_eq!(read(&blob).unwrap().0, long);
    }

    #[test]
    fn the_reused_deflate_state_gives_each_value_on_its_own() {
        // Incompressible bytes past the first output guess, then text: each value inflates
        // alone, and the same value always deflates to the same bytes.
        let mut noise = String::new();
        let mut x = 7u64;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            noise.push(char::from(b'!' + (x >> 58) as u8));
        }
        let text = "The harbour strike went on for a third day. ".repeat(50);
        let first = deflate(text.as_bytes()).unwrap();
        for value in [&noise, &text] {
            let packed = deflate(value.as_bytes()).unwrap();
            assert_eq!(inflate(&packed).unwrap(), value.as_bytes());
        }
        assert_eq!(deflate(text.as_bytes()).unwrap(), first);
    }

    #[test]
    fn lz4_and_deflate_values_read_side_by_side_and_bad_lz4_is_an_error() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let long = "The council met on Tuesday to discuss the harbour strike. ".repeat(40);
        let read = |v: &rusqlite::types::Value| conn.query_row("SELECT ?", [v], |r| r.get::<_, Packed>(0));
        let fast = pack_value_fast(&long).unwrap();
        let rusqlite::types::Value::Blob(bytes) = &fast else { panic!("not a blob") };
        assert_eq!(bytes[0], LZ4_TAG);
        assert!(bytes.len() < long.len() / 4, "{} of {}", bytes.len(), long.len());
        assert_eq!(read(&fast).unwrap().0, long);
        assert_eq!(read(&pack_value(&long).unwrap()).unwrap().0, long);
        assert_eq!(read(&pack_value_fast("short").unwrap()).unwrap().0, "short");
        // Cut, or claiming far more than its bytes can hold: errors, no panic, no huge allocation.
        let blob = |b: &[u8]| rusqlite::types::Value::Blob(b.to_vec());
        assert!(read(&blob(&bytes[..bytes.len() / 2])).is_err());
        assert!(read(&blob(&[LZ4_TAG, 1, 2])).is_err());
        assert!(read(&blob(&[LZ4_TAG, 0xff, 0xff, 0xff, 0x7f, 0x10, 0x41])).is_err());
        // No deflate stream starts with the tag: a deflate value of any text never does.
        for text in [long.as_str(), "x", ""] {
            assert_ne!(deflate(text.as_bytes()).unwrap().first(), Some(&LZ4_TAG));
        }
    }

    #[test]
    fn a_corrupt_blob_is_an_error_not_a_panic() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let r = conn.query_row("SELECT x'00ff00ff13'", [], |r| r.get::<_, Packed>(0));
        assert!(r.is_err());
    }
}

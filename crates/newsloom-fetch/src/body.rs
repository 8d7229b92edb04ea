//! Reading a response body under a size cap and a deadline, decoding gzip/br/deflate as it
//! streams, so a 50 MB page or a gzip bomb is cut at the cap without ever being held whole.

use std::io;
use std::pin::Pin;

use async_compression::tokio::bufread::{BrotliDecoder, DeflateDecoder, GzipDecoder, ZlibDecoder};
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt};
use tokio::time::Instant;
use tokio_util::io::StreamReader;

use crate::error::{FetchError, TimeoutPhase, error_chain};

/// The value sent as `Accept-Encoding`: exactly the encodings [`Encoding`] decodes.
pub const ACCEPT_ENCODING: &str = "gzip, br, deflate";

/// A body's `Content-Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
    Deflate,
}

impl Encoding {
    /// Parses a `Content-Encoding` header; `None` for encodings we do not decode (including
    /// stacked ones such as `gzip, br`, which no real server sends to a client that asked for
    /// one of them).
    pub fn from_header(value: Option<&str>) -> Option<Encoding> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Some(Encoding::Identity);
        };
        match value.to_ascii_lowercase().as_str() {
            "identity" => Some(Encoding::Identity),
            "gzip" | "x-gzip" => Some(Encoding::Gzip),
            "br" => Some(Encoding::Brotli),
            "deflate" => Some(Encoding::Deflate),
            _ => None,
        }
    }
}

/// Why the wire stream failed: kept apart from decoder errors so a broken connection is
/// reported (and retried) as such, not as corrupt data.
#[derive(Debug)]
struct WireError(String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

/// Marks that the undecoded bytes crossed the cap.
#[derive(Debug)]
struct WireTooLarge;

impl std::fmt::Display for WireTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("wire bytes over the cap")
    }
}

impl std::error::Error for WireTooLarge {}

/// Reads `chunks` (the raw body), decodes `encoding`, and returns the decoded bytes, failing with
/// `TooLarge` once either the raw or the decoded size passes `limit`, and with
/// `Timeout { Body }` at `deadline`.
pub async fn read_capped<S, E>(
    chunks: S,
    encoding: Encoding,
    limit: u64,
    deadline: Instant,
) -> Result<Bytes, FetchError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::error::Error,
{
    // The wire cap: count raw bytes as they arrive, so an endless compressed stream that
    // decodes to little is cut too.
    let mut wire_bytes = 0u64;
    let capped = chunks.map_err(|e| io::Error::other(WireError(error_chain(&e)))).and_then(move |chunk| {
        wire_bytes += chunk.len() as u64;
        let over = wire_bytes > limit;
        async move { if over { Err(io::Error::other(WireTooLarge)) } else { Ok(chunk) } }
    });
    let mut raw = StreamReader::new(Box::pin(capped));
    // A peek at the first bytes: an empty body needs no decoder (servers send empty 200s
    // labelled gzip), and "deflate" may be zlib-wrapped (as RFC 9110 says) or raw (as some
    // servers send it).
    let first_two = match tokio::time::timeout_at(deadline, raw.fill_buf()).await {
        Err(_) => return Err(FetchError::Timeout { phase: TimeoutPhase::Body }),
        Ok(Err(e)) => return Err(classify_io_error(e, limit)),
        Ok(Ok(head)) => head.get(..2.min(head.len())).map(<[u8]>::to_vec).unwrap_or_default(),
    };
    if first_two.is_empty() {
        return Ok(Bytes::new());
    }
    let mut decoded: Pin<Box<dyn AsyncRead + Send>> = match encoding {
        Encoding::Identity => Box::pin(raw),
        Encoding::Gzip => {
            let mut decoder = GzipDecoder::new(raw);
            decoder.multiple_members(true);
            Box::pin(decoder)
        }
        Encoding::Brotli => Box::pin(BrotliDecoder::new(raw)),
        Encoding::Deflate if is_zlib_header(&first_two) => Box::pin(ZlibDecoder::new(raw)),
        Encoding::Deflate => Box::pin(DeflateDecoder::new(raw)),
    };
    let mut out = Vec::new();
    // One byte past the cap tells "exactly at the cap" from "over it" without reading more.
    let mut capped_decoded = (&mut decoded).take(limit.saturating_add(1));
    match tokio::time::timeout_at(deadline, capped_decoded.read_to_end(&mut out)).await {
        Err(_) => Err(FetchError::Timeout { phase: TimeoutPhase::Body }),
        Ok(Err(e)) => Err(classify_io_error(e, limit)),
        Ok(Ok(_)) if out.len() as u64 > limit => Err(FetchError::TooLarge { limit }),
        Ok(Ok(_)) => Ok(Bytes::from(out)),
    }
}

/// A zlib stream starts with CMF (method 8 = deflate) and FLG such that CMF*256+FLG is a
/// multiple of 31 (RFC 1950); raw deflate data almost never does.
fn is_zlib_header(head: &[u8]) -> bool {
    match head {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

fn classify_io_error(e: io::Error, limit: u64) -> FetchError {
    if let Some(inner) = e.get_ref() {
        if inner.is::<WireTooLarge>() {
            return FetchError::TooLarge { limit };
        }
        if let Some(wire) = inner.downcast_ref::<WireError>() {
            return FetchError::Body(wire.0.clone());
        }
    }
    FetchError::Decode(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_compression::tokio::bufread::GzipEncoder;
    use std::time::Duration;

    fn chunks(data: Vec<u8>) -> impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
        let pieces: Vec<_> = data.chunks(4096).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        futures_util::stream::iter(pieces)
    }

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(30)
    }

    async fn gzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        GzipEncoder::new(data).read_to_end(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn decodes_gzip_and_stops_bombs_at_the_cap() {
        let page = b"<html>hello</html>".repeat(100);
        let body = read_capped(chunks(gzip(&page).await), Encoding::Gzip, 1 << 20, later()).await.unwrap();
        assert_eq!(&body[..], &page[..]);
        let bomb = gzip(&vec![0u8; 4 << 20]).await;
        assert!(bomb.len() < 64 << 10);
        let err = read_capped(chunks(bomb), Encoding::Gzip, 1 << 20, later()).await.unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { limit } if limit == 1 << 20), "{err}");
    }

    #[tokio::test]
    async fn exact_cap_passes_and_garbage_is_a_decode_error() {
        let body = read_capped(chunks(vec![b'a'; 1000]), Encoding::Identity, 1000, later()).await.unwrap();
        assert_eq!(body.len(), 1000);
        let err = read_capped(chunks(vec![b'a'; 1001]), Encoding::Identity, 1000, later()).await.unwrap_err();
        assert_eq!(err.kind(), "too_large");
        let err = read_capped(chunks(b"not gzip at all".to_vec()), Encoding::Gzip, 1000, later()).await;
        assert_eq!(err.unwrap_err().kind(), "decode");
    }

    #[tokio::test]
    async fn deflate_is_zlib_or_raw_and_empty_bodies_need_no_decoder() {
        use async_compression::tokio::bufread::{DeflateEncoder, ZlibEncoder};
        let page = b"<p>deflated</p>".repeat(20);
        for wrapped in [true, false] {
            let mut data = Vec::new();
            if wrapped {
                ZlibEncoder::new(&page[..]).read_to_end(&mut data).await.unwrap();
            } else {
                DeflateEncoder::new(&page[..]).read_to_end(&mut data).await.unwrap();
            }
            let body = read_capped(chunks(data), Encoding::Deflate, 1 << 20, later()).await.unwrap();
            assert_eq!(&body[..], &page[..], "zlib-wrapped: {wrapped}");
        }
        let body = read_capped(chunks(Vec::new()), Encoding::Gzip, 1 << 20, later()).await.unwrap();
        assert!(body.is_empty());
    }

    #[tokio::test]
    async fn a_broken_connection_is_a_body_error() {
        let broken = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"abc")),
            Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset by peer")),
        ]);
        let err = read_capped(broken, Encoding::Identity, 1000, later()).await.unwrap_err();
        assert!(matches!(&err, FetchError::Body(m) if m.contains("reset")), "{err}");
    }

    #[test]
    fn content_encodings() {
        assert_eq!(Encoding::from_header(None), Some(Encoding::Identity));
        assert_eq!(Encoding::from_header(Some(" GZIP ")), Some(Encoding::Gzip));
        assert_eq!(Encoding::from_header(Some("br")), Some(Encoding::Brotli));
        assert_eq!(Encoding::from_header(Some("zstd")), None);
    }
}

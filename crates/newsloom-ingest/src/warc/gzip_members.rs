//! A gzip file read member by member, so that one corrupt or truncated member costs only the
//! records inside it.
//!
//! `flate2::read::MultiGzDecoder` stops for good at the first bad member. Here each member gets
//! its own `flate2::bufread::GzDecoder`, which consumes exactly its member's bytes; after an
//! error the file is searched from just past the bad member's start for the next gzip header
//! (`1f 8b 08`), and decoding resumes there. A false match inside compressed data fails at once
//! and the search goes on, so every intact member after the damage is still read. Per-record
//! gzip (CC-NEWS) and whole-file gzip are the same case: one member or many.

use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use flate2::bufread::GzDecoder;

const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Where the member being decoded starts: its compressed offset in the file and the offset of
/// its first decoded byte in the decoded stream (both are needed to point at a record).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberPos {
    pub compressed: u64,
    pub decoded: u64,
}

enum State<R: Read + Seek> {
    /// Between members: the next read opens one (or finds the end).
    Between(BufReader<R>),
    /// Boxed: the decoder's state is large beside a reader.
    Decoding(Box<GzDecoder<BufReader<R>>>),
    /// Only while switching states.
    Empty,
}

/// The decoded bytes of all members of a gzip file, in order. A read that hits a bad member
/// returns an `InvalidData` error naming the member's offset; the next read continues with
/// the next intact member.
pub struct GzMembers<R: Read + Seek> {
    state: State<R>,
    member: MemberPos,
    decoded: u64,
    /// Set after a bad member until a member yields data: a false header match met while
    /// searching fails at once and is not worth a second report.
    resyncing: bool,
}

impl<R: Read + Seek> GzMembers<R> {
    pub fn new(inner: R) -> Self {
        Self {
            state: State::Between(BufReader::with_capacity(1 << 16, inner)),
            member: MemberPos::default(),
            decoded: 0,
            resyncing: false,
        }
    }

    /// The member the last decoded bytes came from.
    pub fn member(&self) -> MemberPos {
        self.member
    }

    /// Opens the member at the current position, skipping (and reporting) any bytes before the
    /// next gzip header. `Ok(false)` at the end of the file.
    fn open_member(&mut self) -> io::Result<bool> {
        let State::Between(mut input) = std::mem::replace(&mut self.state, State::Empty) else {
            unreachable!("open_member is only called between members");
        };
        let start = input.stream_position()?;
        let found = seek_magic(&mut input);
        let result = match found {
            Ok(Some(at)) => {
                self.member = MemberPos { compressed: at, decoded: self.decoded };
                self.state = State::Decoding(Box::new(GzDecoder::new(input)));
                if at > start && !self.resyncing {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} bytes that are not gzip data skipped at offset {start}", at - start),
                    ));
                }
                return Ok(true);
            }
            Ok(None) => Ok(false),
            Err(e) => Err(e),
        };
        self.state = State::Between(input);
        result
    }
}

impl<R: Read + Seek> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match &mut self.state {
                State::Between(_) => {
                    if !self.open_member()? {
                        return Ok(0);
                    }
                }
                State::Decoding(decoder) => match decoder.read(buf) {
                    Ok(0) if !buf.is_empty() => {
                        let State::Decoding(decoder) = std::mem::replace(&mut self.state, State::Empty)
                        else {
                            unreachable!()
                        };
                        self.state = State::Between(decoder.into_inner());
                    }
                    Ok(n) => {
                        self.decoded += n as u64;
                        self.resyncing = false;
                        return Ok(n);
                    }
                    Err(e) => {
                        let State::Decoding(decoder) = std::mem::replace(&mut self.state, State::Empty)
                        else {
                            unreachable!()
                        };
                        let mut input = decoder.into_inner();
                        let at = self.member.compressed;
                        // Look for the next member from just past this one's header.
                        input.seek(SeekFrom::Start(at + 1))?;
                        self.state = State::Between(input);
                        if self.resyncing && self.decoded == self.member.decoded {
                            continue;
                        }
                        self.resyncing = true;
                        let what =
                            if e.kind() == io::ErrorKind::UnexpectedEof { "truncated" } else { "corrupt" };
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{what} gzip member at offset {at}: {e}"),
                        ));
                    }
                },
                State::Empty => unreachable!("state is always restored"),
            }
        }
    }
}

/// Advances `input` to the next gzip header and returns its offset, or `None` at the end.
fn seek_magic<R: Read + Seek>(input: &mut BufReader<R>) -> io::Result<Option<u64>> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        let Some(i) = memchr::memchr(MAGIC[0], buf) else {
            let n = buf.len();
            input.consume(n);
            continue;
        };
        if buf.len() - i >= MAGIC.len() {
            if buf[i..i + MAGIC.len()] == MAGIC {
                input.consume(i);
                return Ok(Some(input.stream_position()?));
            }
            input.consume(i + 1);
            continue;
        }
        // The candidate straddles the buffer's end: read its bytes directly, then go back.
        input.consume(i);
        let at = input.stream_position()?;
        let mut head = [0u8; 3];
        let got = read_up_to(input, &mut head)?;
        if got == MAGIC.len() && head == MAGIC {
            input.seek(SeekFrom::Start(at))?;
            return Ok(Some(at));
        }
        if got < MAGIC.len() {
            return Ok(None);
        }
        input.seek(SeekFrom::Start(at + 1))?;
    }
}

fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Reads everything, collecting the text read and the errors met on the way.
    fn drain(mut r: GzMembers<Cursor<Vec<u8>>>) -> (String, Vec<String>) {
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        let mut buf = [0u8; 7];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => errors.push(e.to_string()),
            }
            assert!(errors.len() < 10, "no progress: {errors:?}");
        }
        (String::from_utf8_lossy(&out).into_owned(), errors)
    }

    #[test]
    fn reads_all_members_in_order() {
        let mut file = gz(b"one ");
        file.extend(gz(b"two "));
        file.extend(gz(b"three"));
        let (text, errors) = drain(GzMembers::new(Cursor::new(file)));
        assert_eq!((text.as_str(), errors.len()), ("one two three", 0));
    }

    #[test]
    fn a_truncated_member_costs_only_itself() {
        let first = gz(b"first member ");
        let broken = gz("second member that is long enough to be cut ".repeat(20).as_bytes());
        let mut file = first.clone();
        file.extend(&broken[..broken.len() / 2]);
        file.extend(gz(b"third member"));
        let (text, errors) = drain(GzMembers::new(Cursor::new(file)));
        assert!(text.starts_with("first member "), "{text}");
        assert!(text.ends_with("third member"), "{text}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(&format!("offset {}", first.len())), "{errors:?}");
    }

    #[test]
    fn garbage_between_members_is_reported_and_skipped() {
        let mut file = gz(b"a");
        file.extend(b"not gzip at all");
        file.extend(gz(b"b"));
        let (text, errors) = drain(GzMembers::new(Cursor::new(file)));
        assert_eq!(text, "ab");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("15 bytes"), "{errors:?}");
    }
}

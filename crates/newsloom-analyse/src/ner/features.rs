//! Feature extraction for the tagger. Every feature is a 32-bit hash, so nothing is allocated
//! per feature: per token we hash its forms once ([`TokInfo`]) and combine those hashes.

use super::clusters::Clusters;
use super::gazetteer::Gazetteer;
use super::names;
use super::places::Places;
use super::tokenize::Token;
use std::collections::HashMap;

pub use super::templates::*;

pub(crate) const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Murmur3's 64-bit finaliser: spreads every input bit over the output.
#[inline]
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[inline]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// The longest phrase of a phrase table starting at `infos[0]`, at most `max_len` tokens: each
/// token's [`TokInfo::upper`] is mixed into `seed` and finalised, `prefixes` holds every proper
/// and whole phrase's hash (the walk stops at the first unknown prefix), `phrases` the whole
/// ones. `accept(last token, value)` says whether a whole phrase counts. `(length, value)`.
pub(crate) fn longest_phrase<'v, V>(
    infos: &[TokInfo],
    seed: u64,
    max_len: usize,
    prefixes: &HashMap64<()>,
    phrases: &'v HashMap64<V>,
    accept: impl Fn(&TokInfo, &V) -> bool,
) -> Option<(usize, &'v V)> {
    let mut h = seed;
    let mut best = None;
    for (len, info) in infos.iter().take(max_len).enumerate() {
        h = mix(h, info.upper);
        let f = fmix(h);
        if !prefixes.contains_key(&f) {
            break;
        }
        if let Some(v) = phrases.get(&f)
            && accept(info, v)
        {
            best = Some((len + 1, v));
        }
    }
    best
}

/// FNV-1a over bytes, finalised.
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    fmix(h)
}

/// [`hash_bytes`] of a token's upper-case form with digits as `0` (see
/// [`super::gazetteer::upper_hash`]), without allocating, when the token is plain ASCII that
/// [`normalise`] leaves alone; `None` otherwise.
#[inline]
pub(crate) fn upper_hash_ascii(tok: &str) -> Option<u64> {
    if !tok.is_ascii() || tok.contains('`') || tok == "''" {
        return None;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in tok.as_bytes() {
        let c = if b.is_ascii_digit() { b'0' } else { b.to_ascii_uppercase() };
        h ^= c as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    Some(fmix(h))
}

#[inline]
pub(crate) fn key(template: u64, a: u64, b: u64) -> u32 {
    let k = fmix(mix(mix(template.wrapping_mul(K), a), b)) as u32;
    k.max(1) // 0 marks an empty slot in the weight table
}

/// A hasher for keys that are already well-mixed 64-bit hashes: passes them through, which
/// spares SipHash on the hot path.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by our own 64-bit hashes.
pub(crate) type HashMap64<V> = HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Per-token precomputed hashes and flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokInfo {
    pub lower: u64,
    pub word: u64,
    pub upper: u64,
    pub shape: u64,
    pub sshape: u64,
    pub prefix: [u64; 4],
    pub suffix: [u64; 4],
    pub len: u8,
    /// Gazetteer hit: 0 none, else 1 + category * 2 + (inside ? 1 : 0).
    pub gaz: u8,
    /// GeoNames place-name hit ([`super::places`]): 0 none, else 1 + 2 * class + (inside ? 1 : 0).
    pub geo: u8,
    /// Dictionary word classes ([`Gazetteer::word_bits`]).
    pub gwords: u8,
    /// Case flags of the same word elsewhere in the document (see [`doc_case`]).
    pub doc_case: u8,
    /// Person cues around the same word elsewhere in the document (see [`doc_context`]).
    pub doc_ctx: u8,
    pub flags: u8,
    /// The word's cluster ([`Clusters::get`]), 0 when it has none.
    pub cluster: u32,
    /// The word's GloVe cluster ([`Clusters::glove`]), 0 when it has none.
    pub glove: u32,
    /// Hyphenated word ("Tripoli-based"): hash of the lower-case part after the last hyphen
    /// and whether the part before it is capitalised; 0 otherwise.
    pub hyph: u64,
    /// Prefix and suffix of five characters (lower case), 0 for words of five or fewer.
    pub affix5: [u64; 2],
}

pub const F_INIT_CAP: u8 = 1;
pub const F_ALL_CAPS: u8 = 2;
pub const F_LOWER: u8 = 4;
pub const F_ALPHA: u8 = 8;
pub const F_SENT_START: u8 = 16;
pub const F_CAPS_SENT: u8 = 32;
/// Training only: the word is treated as unknown, so its identity features (word, lower and
/// upper forms, alone or combined) are left out, as they are for a word the tagger was never
/// taught. Set for rare capitalised words and a share of the others (see `train.rs`): the
/// weights then also learn what recognises names from shape, affixes, clusters and context.
pub const F_UNK: u8 = 64;

impl TokInfo {
    /// The lower-case form's hash for features, `None` for an unknown word ([`F_UNK`]).
    #[inline]
    pub fn fl(&self) -> Option<u64> {
        (self.flags & F_UNK == 0).then_some(self.lower)
    }
    #[inline]
    pub fn fw(&self) -> Option<u64> {
        (self.flags & F_UNK == 0).then_some(self.word)
    }
    #[inline]
    pub fn fu(&self) -> Option<u64> {
        (self.flags & F_UNK == 0).then_some(self.upper)
    }
}

/// Pushes `key(t, a, b)` when every lexical value it needs is known.
/// Normalises a token for features: typographic quotes/dashes to the ASCII the training text uses.
pub(crate) fn normalise(tok: &str, buf: &mut String) {
    buf.clear();
    match tok {
        "“" | "”" | "„" | "«" | "»" | "″" | "''" | "``" => buf.push('"'),
        "—" | "–" | "―" => buf.push_str("--"),
        "…" => buf.push_str("..."),
        _ => {
            for c in tok.chars() {
                buf.push(match c {
                    '’' | '‘' | '‛' | '`' | '′' => '\'',
                    '–' | '‑' | '‐' => '-',
                    c => c,
                });
            }
        }
    }
}

fn shapes(word: &str, full: &mut String, short: &mut String) {
    full.clear();
    short.clear();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            short.push(s);
        }
        if run <= 4 {
            full.push(s);
        }
        last = s;
    }
}

/// The word-level part of [`TokInfo`] (everything but the sentence and document flags).
fn word_info(tok: &str, gaz: &Gazetteer, bufs: &mut [String; 5]) -> TokInfo {
    word_info_ascii(tok, gaz).unwrap_or_else(|| word_info_general(tok, gaz, bufs))
}

/// [`word_info_general`] for the common case, a short ASCII token that [`normalise`] leaves
/// alone: the same values from byte arrays on the stack. `None` for other tokens.
pub(crate) fn word_info_ascii(tok: &str, gaz: &Gazetteer) -> Option<TokInfo> {
    const MAX: usize = 48;
    let b = tok.as_bytes();
    if b.is_empty() || b.len() > MAX || !tok.is_ascii() || b.contains(&b'`') || tok == "''" {
        return None;
    }
    let n = b.len();
    let (mut lower, mut upper, mut full, mut short) = ([0u8; MAX], [0u8; MAX], [0u8; MAX], [0u8; MAX]);
    let (mut nf, mut ns, mut last, mut run) = (0, 0, 0u8, 0);
    let (mut alpha, mut all_upper, mut all_lower) = (false, true, true);
    for (k, &c) in b.iter().enumerate() {
        let d = if c.is_ascii_digit() { b'0' } else { c };
        lower[k] = d.to_ascii_lowercase();
        upper[k] = d.to_ascii_uppercase();
        let s = if c.is_ascii_uppercase() {
            b'X'
        } else if c.is_ascii_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            short[ns] = s;
            ns += 1;
        }
        if run <= 4 {
            full[nf] = s;
            nf += 1;
        }
        last = s;
        if c.is_ascii_alphabetic() {
            alpha = true;
            all_upper &= c.is_ascii_uppercase();
            all_lower &= c.is_ascii_lowercase();
        }
    }
    let mut info = TokInfo {
        word: hash_bytes(b),
        lower: hash_bytes(&lower[..n]),
        upper: hash_bytes(&upper[..n]),
        shape: hash_bytes(&full[..nf]),
        sshape: hash_bytes(&short[..ns]),
        len: n as u8,
        ..TokInfo::default()
    };
    info.gwords = gaz.word_bits(info.upper) | names::bits(info.upper);
    info.cluster = Clusters::shipped().get(info.lower);
    info.glove = Clusters::glove().get(info.lower);
    for k in 0..4.min(n) {
        info.prefix[k] = hash_bytes(&lower[..k + 1]);
        info.suffix[k] = hash_bytes(&lower[n - 1 - k..n]);
    }
    if n > 5 {
        info.affix5 = [hash_bytes(&lower[..5]), hash_bytes(&lower[n - 5..n])];
    }
    info.hyph = hyphen_tail(&lower[..n], b[0].is_ascii_uppercase());
    if alpha {
        info.flags |= F_ALPHA;
        if b[0].is_ascii_uppercase() {
            info.flags |= F_INIT_CAP;
        }
        if all_upper {
            info.flags |= F_ALL_CAPS;
        }
        if all_lower {
            info.flags |= F_LOWER;
        }
    }
    Some(info)
}

/// The word-level part of [`TokInfo`] for any token.
pub(crate) fn word_info_general(tok: &str, gaz: &Gazetteer, bufs: &mut [String; 5]) -> TokInfo {
    let [norm, lower, upper, full, short] = bufs;
    let mut info = TokInfo::default();
    normalise(tok, norm);
    lower.clear();
    upper.clear();
    for c in norm.chars() {
        // Digits collapse to 0 so that years and amounts share statistics.
        let c = if c.is_ascii_digit() { '0' } else { c };
        lower.extend(c.to_lowercase());
        upper.extend(c.to_uppercase());
    }
    shapes(norm, full, short);
    info.word = hash_bytes(norm.as_bytes());
    info.lower = hash_bytes(lower.as_bytes());
    info.upper = hash_bytes(upper.as_bytes());
    info.gwords = gaz.word_bits(info.upper) | names::bits(info.upper);
    info.cluster = Clusters::shipped().get(info.lower);
    info.glove = Clusters::glove().get(info.lower);
    info.shape = hash_bytes(full.as_bytes());
    info.sshape = hash_bytes(short.as_bytes());
    let lb = lower.as_bytes();
    let nchars = lower.chars().count();
    // Prefix k ends where char k + 1 starts; suffix k starts at the (k + 1)-th char from the end.
    let mut ends = lower.char_indices().map(|(b, _)| b).skip(1).chain(std::iter::once(lower.len()));
    let mut starts = lower.char_indices().rev().map(|(b, _)| b);
    for k in 0..4.min(nchars) {
        info.prefix[k] = hash_bytes(&lb[..ends.next().unwrap_or(lb.len())]);
        info.suffix[k] = hash_bytes(&lb[starts.next().unwrap_or(0)..]);
    }
    if nchars > 5 {
        let p5 = lower.char_indices().nth(5).map_or(lb.len(), |(b, _)| b);
        let s5 = lower.char_indices().rev().nth(4).map_or(0, |(b, _)| b);
        info.affix5 = [hash_bytes(&lb[..p5]), hash_bytes(&lb[s5..])];
    }
    info.hyph = hyphen_tail(lb, norm.chars().next().is_some_and(char::is_uppercase));
    info.len = nchars.min(255) as u8;
    let mut letters = norm.chars().filter(|c| c.is_alphabetic()).peekable();
    if letters.peek().is_some() {
        info.flags |= F_ALPHA;
        let first_upper = norm.chars().next().is_some_and(char::is_uppercase);
        let all_upper = norm.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let all_lower = norm.chars().filter(|c| c.is_alphabetic()).all(char::is_lowercase);
        if first_upper {
            info.flags |= F_INIT_CAP;
        }
        if all_upper {
            info.flags |= F_ALL_CAPS;
        }
        if all_lower {
            info.flags |= F_LOWER;
        }
    }
    info
}

/// [`TokInfo::hyph`] of a lower-case word: the part after its last hyphen, when both parts
/// have a letter ("tripoli-based" → "based"), with whether the word starts upper case.
fn hyphen_tail(lower: &[u8], cap: bool) -> u64 {
    let Some(h) = lower.iter().rposition(|&c| c == b'-') else { return 0 };
    let (head, tail) = (&lower[..h], &lower[h + 1..]);
    let letter = |p: &[u8]| p.iter().any(|c| c.is_ascii_alphabetic() || *c >= 0x80);
    if !letter(head) || !letter(tail) {
        return 0;
    }
    mix(hash_bytes(tail), cap as u64 + 1)
}

/// A token of at most 23 bytes, stored inline: the cache key, compared in full on every hit.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ShortKey {
    len: u8,
    bytes: [u8; 23],
}

impl ShortKey {
    fn new(t: &str) -> Option<Self> {
        let mut bytes = [0u8; 23];
        bytes.get_mut(..t.len())?.copy_from_slice(t.as_bytes());
        Some(ShortKey { len: t.len() as u8, bytes })
    }
}

/// Word-level token infos by token text, kept per thread across documents. Bounded: emptied
/// when it holds [`INFO_CACHE_WORDS`] tokens at the start of a document (about 1 MB).
#[derive(Default)]
struct InfoCache {
    /// [`Gazetteer::id`] of the gazetteer the infos' word bits come from.
    gaz: u64,
    index: HashMap64<u32>,
    infos: Vec<(ShortKey, TokInfo)>,
}

const INFO_CACHE_WORDS: usize = 8192;

thread_local! {
    static INFO_CACHE: std::cell::RefCell<InfoCache> = std::cell::RefCell::default();
}

/// Computes [`TokInfo`] for every token of one document.
pub fn token_infos(text: &str, tokens: &[Token], sents: &[(usize, usize)], gaz: &Gazetteer) -> Vec<TokInfo> {
    let mut infos = Vec::with_capacity(tokens.len());
    let mut bufs: [String; 5] = Default::default();
    // Word-level infos are computed once per distinct token string and thread (see
    // [`InfoCache`]): most tokens of an article are words seen before ("the", ",", names).
    let mut cache = INFO_CACHE.try_with(|c| std::mem::take(&mut *c.borrow_mut())).unwrap_or_default();
    if cache.gaz != gaz.id || cache.infos.len() >= INFO_CACHE_WORDS {
        cache = InfoCache { gaz: gaz.id, ..Default::default() };
    }
    for tok in tokens {
        let t = tok.text(text);
        let Some(short) = ShortKey::new(t) else {
            infos.push(word_info(t, gaz, &mut bufs));
            continue;
        };
        let h = hash_bytes(t.as_bytes());
        let info = match cache.index.get(&h) {
            Some(&k) if cache.infos[k as usize].0 == short => cache.infos[k as usize].1,
            _ => {
                let info = word_info(t, gaz, &mut bufs);
                cache.index.insert(h, cache.infos.len() as u32);
                cache.infos.push((short, info));
                info
            }
        };
        infos.push(info);
    }
    // `try_with`: during thread teardown the cache is simply dropped.
    let _ = INFO_CACHE.try_with(|c| *c.borrow_mut() = cache);
    for &(s, e) in sents {
        if s < e {
            infos[s].flags |= F_SENT_START;
        }
        let alpha = (s..e).filter(|&i| infos[i].flags & F_ALPHA != 0 && infos[i].len > 1).count();
        let caps = (s..e)
            .filter(|&i| infos[i].flags & (F_ALPHA | F_ALL_CAPS) == F_ALPHA | F_ALL_CAPS && infos[i].len > 1)
            .count();
        // Title-case headlines ("Russian Foreign Ministry Appeals for NATO Reset") are as
        // uninformative about case as all-caps ones.
        let long = (s..e).filter(|&i| infos[i].flags & F_ALPHA != 0 && infos[i].len > 3).count();
        let long_cap = (s..e)
            .filter(|&i| infos[i].flags & (F_ALPHA | F_INIT_CAP) == F_ALPHA | F_INIT_CAP && infos[i].len > 3)
            .count();
        let title_line = long >= 4 && long_cap == long;
        if alpha > 0 && caps * 10 >= alpha * 8 || title_line {
            for info in &mut infos[s..e] {
                info.flags |= F_CAPS_SENT;
            }
        }
        gaz.mark(&mut infos[s..e]);
        Places::shipped().mark(&mut infos[s..e]);
    }
    doc_case(&mut infos);
    doc_context(&mut infos);
    infos
}

/// The order to tag sentences in: all-caps lines (headlines) last, so that they see the
/// prediction history of the body, where case is informative.
pub fn sentence_order(infos: &[TokInfo], sents: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let caps = |&&(s, e): &&(usize, usize)| s < e && infos[s].flags & F_CAPS_SENT != 0;
    let mut out: Vec<(usize, usize)> = sents.iter().filter(|x| !caps(x)).copied().collect();
    out.extend(sents.iter().filter(caps).copied());
    out
}

/// For each word, how it is cased elsewhere in the document, where case is informative (not
/// sentence-initial, not in an all-caps line): bit 1 Title, bit 2 lower, bit 4 ALLCAPS.
fn doc_case(infos: &mut [TokInfo]) {
    let mut seen: HashMap64<u8> = HashMap64::with_capacity_and_hasher(infos.len(), Default::default());
    for t in infos.iter() {
        if t.flags & F_ALPHA == 0 || t.flags & (F_SENT_START | F_CAPS_SENT) != 0 {
            continue;
        }
        let bit = if t.flags & F_ALL_CAPS != 0 && t.len > 1 {
            4
        } else if t.flags & F_INIT_CAP != 0 {
            1
        } else if t.flags & F_LOWER != 0 {
            2
        } else {
            0
        };
        *seen.entry(t.lower).or_insert(0) |= bit;
    }
    for t in infos.iter_mut() {
        if t.flags & F_ALPHA != 0 {
            t.doc_case = seen.get(&t.lower).copied().unwrap_or(0) | 8;
        }
    }
}

/// Words that title a person when they precede the name, by their [`TokInfo::lower`] hash.
static TITLES: std::sync::LazyLock<HashMap64<()>> = std::sync::LazyLock::new(|| {
    const MORE: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "dr",
        "mr.",
        "mrs.",
        "dr.",
        "coach",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "captain",
        "manager",
    ];
    super::words::TITLE_WORDS.iter().chain(MORE).map(|w| (hash_bytes(w.as_bytes()), ())).collect()
});

/// For each capitalised word, the person cues around all its occurrences in the document
/// (where case is informative), so that every mention of a name sees what its clearest one
/// shows ("Kelin" alone profits from "Andrei Kelin" and "Mr Kelin" elsewhere): bit 1 after a
/// capitalised Census first name, 2 before a capitalised Census surname, 4 after a title.
fn doc_context(infos: &mut [TokInfo]) {
    let cap = |t: &TokInfo| t.flags & (F_INIT_CAP | F_CAPS_SENT) == F_INIT_CAP;
    let mut seen: HashMap64<u8> = HashMap64::default();
    for i in 0..infos.len() {
        let t = &infos[i];
        if !cap(t) {
            continue;
        }
        let mut bits = 0u8;
        if i > 0 {
            let p = &infos[i - 1];
            if cap(p) && p.gwords & names::FIRST != 0 {
                bits |= 1;
            }
            if p.flags & F_CAPS_SENT == 0 && TITLES.contains_key(&p.lower) {
                bits |= 4;
            }
        }
        if let Some(n) = infos.get(i + 1)
            && cap(n)
            && n.gwords & names::LAST != 0
        {
            bits |= 2;
        }
        if bits != 0 {
            *seen.entry(t.lower).or_insert(0) |= bits;
        }
    }
    if seen.is_empty() {
        return;
    }
    for t in infos.iter_mut() {
        if t.flags & F_INIT_CAP != 0 {
            t.doc_ctx = seen.get(&t.lower).copied().unwrap_or(0);
        }
    }
}

//! Class/id cues (boilerplate, content, lead words), matched by hand on ASCII class strings.
//!
//! They run for nearly every element with a class, where a regex call (and, early in a
//! process, building the lazy DFA's states for these large alternations) cost more than a
//! scan of the few word starts. The patterns stay as the definition: non-ASCII class strings
//! (rare) still go through them, and a test checks the scans against them.

use std::sync::LazyLock;

use regex::Regex;

/// Unambiguous boilerplate words, matched anywhere in a class/id between separators.
static NEGATIVE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s_\-])(?:share|sharing|sharedaddy|shariff|social|socials|related|relatedposts|recommended|recommendations?|comments?|commentlist|disqus|cookies?|cookiebanner|consent|gdpr|advert\w*|adsbygoogle|sponsor\w*|promo\w*|newsletter|subscribe|subscription|paywall|sidebar|breadcrumbs?|outbrain|taboola|more-stories|read-more|readmore|popmake|author-bio|author-?box|authorbox|author-?info|about-?the-?author|about-?author|author-?description|autoren?-?box|most-popular|mostpopular|most-read|mostread|popular|navbar|navigation)(?:$|[\s_\-])").unwrap()
});
/// [`NEGATIVE_RE`]'s words, `?` expanded; `STEMS` take any `\w*` after them.
const NEGATIVE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "sharedaddy",
    "shariff",
    "social",
    "socials",
    "related",
    "relatedposts",
    "recommended",
    "recommendation",
    "recommendations",
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "cookie",
    "cookies",
    "cookiebanner",
    "consent",
    "gdpr",
    "adsbygoogle",
    "newsletter",
    "subscribe",
    "subscription",
    "paywall",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "outbrain",
    "taboola",
    "more-stories",
    "read-more",
    "readmore",
    "popmake",
    "author-bio",
    "author-box",
    "authorbox",
    "author-info",
    "authorinfo",
    "about-the-author",
    "about-theauthor",
    "aboutthe-author",
    "abouttheauthor",
    "about-author",
    "aboutauthor",
    "author-description",
    "authordescription",
    "autore-box",
    "autorebox",
    "autoren-box",
    "autorenbox",
    "most-popular",
    "mostpopular",
    "most-read",
    "mostread",
    "popular",
    "navbar",
    "navigation",
];
/// `negative` matches these stems (`advert\w*`, …) by hand.
#[cfg(test)]
const NEGATIVE_STEMS: &[&str] = &["advert", "sponsor", "promo"];

/// Short or ambiguous words, matched only at the start of a class/id token (after an optional
/// BEM-style `m-`/`c-` prefix): `ad-slot` yes, `non-ad-column` no.
static WEAK_NEGATIVE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?:[a-z]{1,2}-)?(?:nav|menu|ad|ads|dfp|banner|widgets?|footer|foot|masthead|popup|modal|overlay|tags|tag-list|taglist|pagination|pager|print|toolbar|rating|login|search|byline|meta|post-meta|entry-meta|article-meta|dateline|caption|visually-hidden|sr-only|screen-reader-text|jump|toc|infobox|trending|follow|copyright|legal|contact|reply|respond|sns)(?:$|\s|[_\-])").unwrap()
});
const WEAK_WORDS: &[&str] = &[
    "nav",
    "menu",
    "ad",
    "ads",
    "dfp",
    "banner",
    "widget",
    "widgets",
    "footer",
    "foot",
    "masthead",
    "popup",
    "modal",
    "overlay",
    "tags",
    "tag-list",
    "taglist",
    "pagination",
    "pager",
    "print",
    "toolbar",
    "rating",
    "login",
    "search",
    "byline",
    "meta",
    "post-meta",
    "entry-meta",
    "article-meta",
    "dateline",
    "caption",
    "visually-hidden",
    "sr-only",
    "screen-reader-text",
    "jump",
    "toc",
    "infobox",
    "trending",
    "follow",
    "copyright",
    "legal",
    "contact",
    "reply",
    "respond",
    "sns",
];

#[cfg(test)]
static POSITIVE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|richtext|rich-text)").unwrap()
});
/// [`POSITIVE_RE`]'s words, less those holding another (`hentry`, `rich-text`, …); `positive`
/// matches them by hand.
#[cfg(test)]
const POSITIVE_WORDS: &[&str] =
    &["article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story", "prose"];

static LEAD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s_\-])(?:intro|introduction|lead|lede|chapo|chapeau|standfirst|teaser|summary|excerpt|abstract|kicker-text|vorspann|einleitung|art-lead|article-lead|post-excerpt|subtitle|sub-title|subheadline|bajada|texto-bajada|deck|dek|entradilla|sottotitolo)(?:$|[\s_\-])").unwrap()
});
const LEAD_WORDS: &[&str] = &[
    "intro",
    "introduction",
    "lead",
    "lede",
    "chapo",
    "chapeau",
    "standfirst",
    "teaser",
    "summary",
    "excerpt",
    "abstract",
    "kicker-text",
    "vorspann",
    "einleitung",
    "art-lead",
    "article-lead",
    "post-excerpt",
    "subtitle",
    "sub-title",
    "subheadline",
    "bajada",
    "texto-bajada",
    "deck",
    "dek",
    "entradilla",
    "sottotitolo",
];

/// Which list a word is on.
const NEG: u8 = 1;
const WEAK: u8 = 2;
const LEAD: u8 = 4;

/// The three word lists by their first two letters (every word has two), so a token start is
/// compared with the one or two words that can follow it, mostly none.
struct Words {
    /// Per letter pair, its range of `words`.
    slots: Vec<(u16, u16)>,
    words: Vec<(&'static [u8], u8)>,
}

/// The table slot of two lowercase ASCII letters.
fn pair(a: u8, b: u8) -> Option<usize> {
    (a.is_ascii_lowercase() && b.is_ascii_lowercase()).then(|| (a - b'a') as usize * 26 + (b - b'a') as usize)
}

impl Words {
    fn new() -> Self {
        let mut words: Vec<(usize, &'static [u8], u8)> = Vec::new();
        for (list, kind) in [(NEGATIVE_WORDS, NEG), (WEAK_WORDS, WEAK), (LEAD_WORDS, LEAD)] {
            for w in list {
                let w = w.as_bytes();
                words.push((pair(w[0], w[1]).expect("cue words start with two letters"), w, kind));
            }
        }
        words.sort_by_key(|w| w.0);
        let mut slots = vec![(0u16, 0u16); 26 * 26];
        for (k, &(slot, ..)) in words.iter().enumerate() {
            if slots[slot].1 == 0 {
                slots[slot].0 = k as u16;
            }
            slots[slot].1 = k as u16 + 1;
        }
        Self { slots, words: words.into_iter().map(|(_, w, k)| (w, k)).collect() }
    }

    /// Whether a word of one of `kinds` starts `b` at `i` and ends at a separator or the end.
    #[inline]
    fn at(&self, b: &[u8], i: usize, kinds: u8) -> bool {
        let Some(slot) = b.get(i + 1).and_then(|&c| pair(b[i], c)) else { return false };
        let (start, end) = self.slots[slot];
        self.words[start as usize..end as usize]
            .iter()
            .any(|&(w, k)| k & kinds != 0 && b[i..].starts_with(w) && ends_at(b, i + w.len()))
    }
}

static WORDS: LazyLock<Words> = LazyLock::new(Words::new);

/// `\s` on ASCII (White_Space: tab to carriage return, including vertical tab, and space).
fn space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// `[\s_\-]`.
fn sep(b: u8) -> bool {
    b == b'_' || b == b'-' || space(b)
}

/// [`sep`] as a table: one load a byte while skipping to the next token.
static SEP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b == b'_' || b == b'-' || b == b' ' || (b >= b'\t' && b <= b'\r');
        c += 1;
    }
    t
};

/// `(?:$|[\s_\-])` at `i`.
fn ends_at(b: &[u8], i: usize) -> bool {
    i == b.len() || sep(b[i])
}

/// Calls `f(i, after_space)` at each token start `i` of `b` (0 and every byte after a
/// separator; `after_space`: 0 or after whitespace) until it returns true.
fn any_token(b: &[u8], mut f: impl FnMut(usize, bool) -> bool) -> bool {
    let mut i = 0;
    let mut after_space = true;
    while i < b.len() {
        if f(i, after_space) {
            return true;
        }
        let mut j = i;
        while j < b.len() && !SEP[b[j] as usize] {
            j += 1;
        }
        if j == b.len() {
            return false;
        }
        after_space = space(b[j]);
        i = j + 1;
    }
    false
}

/// `stem\w*` then a separator or the end at `i` (the word run may stop at an `_`, itself one).
fn stem_at(b: &[u8], i: usize, stem: &[u8]) -> bool {
    b[i..].starts_with(stem) && {
        let mut j = i + stem.len();
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        ends_at(b, j)
    }
}

/// A weak word at `i` after a `[a-z]{1,2}-` prefix (without one, `negative` looks it up with
/// the others).
fn weak_at(b: &[u8], i: usize) -> bool {
    let lower = |k: usize| b.get(k).is_some_and(u8::is_ascii_lowercase);
    let dash = |k: usize| b.get(k) == Some(&b'-');
    (lower(i) && dash(i + 1) && WORDS.at(b, i + 2, WEAK))
        || (lower(i) && lower(i + 1) && dash(i + 2) && WORDS.at(b, i + 3, WEAK))
}

/// A boilerplate cue in a (lowercased) class/id.
pub(super) fn negative(class_id: &str) -> bool {
    if !class_id.is_ascii() {
        return NEGATIVE_RE.is_match(class_id) || WEAK_NEGATIVE_RE.is_match(class_id);
    }
    let b = class_id.as_bytes();
    any_token(b, |i, after_space| {
        WORDS.at(b, i, if after_space { NEG | WEAK } else { NEG })
            || match b[i] {
                b'a' => stem_at(b, i, b"advert"),
                b's' => stem_at(b, i, b"sponsor"),
                b'p' => stem_at(b, i, b"promo"),
                _ => false,
            }
            || (after_space && weak_at(b, i))
    })
}

/// A content cue (`article`, `body`, `post`, … anywhere) in a class/id.
pub(super) fn positive(class_id: &str) -> bool {
    let b = class_id.as_bytes();
    (0..b.len()).any(|i| {
        let r = &b[i..];
        match b[i] {
            b'a' => r.starts_with(b"article"),
            b'b' => r.starts_with(b"body") || r.starts_with(b"blog"),
            b'c' => r.starts_with(b"content"),
            b'e' => r.starts_with(b"entry"),
            b'm' => r.starts_with(b"main"),
            b'p' => r.starts_with(b"page") || r.starts_with(b"post") || r.starts_with(b"prose"),
            b's' => r.starts_with(b"story"),
            b't' => r.starts_with(b"text"),
            _ => false,
        }
    })
}

/// A lead/standfirst cue in a (lowercased) class/id.
pub(super) fn lead(class_id: &str) -> bool {
    if !class_id.is_ascii() {
        return LEAD_RE.is_match(class_id);
    }
    let b = class_id.as_bytes();
    any_token(b, |i, _| WORDS.at(b, i, LEAD))
}

/// Builds the patterns and word tables now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&NEGATIVE_RE);
    LazyLock::force(&WEAK_NEGATIVE_RE);
    LazyLock::force(&LEAD_RE);
    LazyLock::force(&WORDS);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Class strings built from the cue words, near misses, prefixes and separators (a fixed
    /// pseudo-random walk), each checked against the patterns the scans stand for.
    #[test]
    fn scans_match_the_patterns() {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(NEGATIVE_WORDS);
        parts.extend(NEGATIVE_STEMS);
        parts.extend(WEAK_WORDS);
        parts.extend(POSITIVE_WORDS);
        parts.extend(LEAD_WORDS);
        parts.extend([
            "h-entry",
            "hentry",
            "rich-text",
            "m-",
            "c-",
            "abc-",
            "x",
            "ab",
            "ing",
            "s",
            "er",
            "_",
            "-",
            " ",
            "\t",
            "\u{b}",
            "\u{c}",
            "\r",
            "\n",
            ".",
            ":",
            "0",
            "9",
            "a",
            "--",
            "__",
            "non",
            "sharex",
            "adv",
            "navx",
            "b-ad",
            "é",
            "\u{a0}",
            "\u{2003}",
            "ü-",
            "author",
            "about",
            "the",
            "most",
            "read",
            "more",
            "stories",
            "tag",
            "list",
            "entry",
            "screen",
            "reader",
            "text",
            "sub",
            "title",
        ]);
        let mut pieces = crate::test_strings::Pieces::new(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..200_000 {
            let s = pieces.string(&parts, 5);
            assert_eq!(
                negative(&s),
                NEGATIVE_RE.is_match(&s) || WEAK_NEGATIVE_RE.is_match(&s),
                "negative {s:?}"
            );
            assert_eq!(positive(&s), POSITIVE_RE.is_match(&s), "positive {s:?}");
            assert_eq!(lead(&s), LEAD_RE.is_match(&s), "lead {s:?}");
        }
        for s in ["", "advert_x", "advertx.y", "promo-box", "sponsored", "m-nav", "abc-nav", "a-ad", "x-ad-y"]
        {
            assert_eq!(negative(s), NEGATIVE_RE.is_match(s) || WEAK_NEGATIVE_RE.is_match(s), "{s:?}");
        }
    }
}

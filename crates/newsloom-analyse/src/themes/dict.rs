//! Keyword dictionaries (`models/themes.tsv`): IPTC top-level subjects the learnt model does not
//! cover, and GDELT-like themes. A keyword is a word, a word prefix (`arrest*`) or a phrase of
//! them (`peace talks`, `suicide bomb*`).

use rustc_hash::FxHashMap as HashMap;

const THEMES_TSV: &str = include_str!("../../models/themes.tsv");

/// One dictionary: a code with its kind (`iptc` or `theme`).
#[derive(Debug, Clone)]
pub struct Dictionary {
    pub kind: String,
    pub code: String,
}

/// One keyword part: an exact word or a prefix.
#[derive(Debug, Clone)]
struct Part {
    text: String,
    prefix: bool,
}

impl Part {
    fn matches(&self, w: &str) -> bool {
        if self.prefix { w.starts_with(&self.text) } else { w == self.text }
    }
}

#[derive(Debug, Clone)]
struct Keyword {
    dict: usize,
    parts: Vec<Part>,
}

/// All dictionaries, indexed for one pass over an article's words.
pub struct Dictionaries {
    pub dicts: Vec<Dictionary>,
    keywords: Vec<Keyword>,
    /// First part exact → keywords.
    exact: HashMap<String, Vec<usize>>,
    /// First three bytes of a prefix first part → keywords.
    prefixes: HashMap<[u8; 3], Vec<usize>>,
}

impl Dictionaries {
    pub fn shipped() -> Self {
        Self::parse(THEMES_TSV)
    }

    /// Parses `kind<TAB>code<TAB>keyword,keyword,...` lines (`#` comments).
    pub fn parse(tsv: &str) -> Self {
        let mut d = Dictionaries {
            dicts: Vec::new(),
            keywords: Vec::new(),
            exact: HashMap::default(),
            prefixes: HashMap::default(),
        };
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.split('\t');
            let (Some(kind), Some(code), Some(words)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let dict = d.dicts.len();
            d.dicts.push(Dictionary { kind: kind.to_string(), code: code.to_string() });
            for kw in words.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                let parts: Vec<Part> = kw
                    .split_whitespace()
                    .map(|p| match p.strip_suffix('*') {
                        Some(stem) => Part { text: stem.to_string(), prefix: true },
                        None => Part { text: p.to_string(), prefix: false },
                    })
                    .collect();
                let idx = d.keywords.len();
                let first = &parts[0];
                if first.prefix && first.text.len() >= 3 {
                    let b = first.text.as_bytes();
                    d.prefixes.entry([b[0], b[1], b[2]]).or_default().push(idx);
                } else {
                    // Short prefixes are kept exact: they would match too much.
                    d.exact.entry(first.text.clone()).or_default().push(idx);
                }
                d.keywords.push(Keyword { dict, parts });
            }
        }
        d
    }

    /// Keyword hits per dictionary over lower-case `words`.
    pub fn count(&self, words: &[&str]) -> Vec<u32> {
        let mut hits = vec![0u32; self.dicts.len()];
        for (i, w) in words.iter().enumerate() {
            let exact = self.exact.get(*w).into_iter().flatten();
            let b = w.as_bytes();
            let pre = (b.len() >= 3)
                .then(|| self.prefixes.get(&[b[0], b[1], b[2]]))
                .flatten()
                .into_iter()
                .flatten();
            for &k in exact.chain(pre) {
                let kw = &self.keywords[k];
                let fits = kw.parts.len() <= words.len() - i
                    && kw.parts.iter().zip(&words[i..]).all(|(p, w)| p.matches(w));
                if fits {
                    hits[kw.dict] += 1;
                }
            }
        }
        hits
    }
}

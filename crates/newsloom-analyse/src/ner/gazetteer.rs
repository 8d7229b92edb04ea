//! A name gazetteer derived from PETRARCH2's Phoenix actor dictionaries (MIT, Open Event Data
//! Alliance; see `models/PHOENIX-LICENSE`): country names, adjectives and cities, leaders with
//! their dated CAMEO codes, institutions ("the Kremlin" → RUSGOV), IGOs, non-state groups, and
//! agent nouns ("foreign ministry" → GOV).
//!
//! The shipped file `models/gazetteer.tsv.gz` is built by [`build_from_phoenix`]; each line is
//! `CAT<TAB>PHRASE<TAB>CODES`, where CODES is `;`-separated `CODE[ DATERANGE]`.

use super::features::{
    HashMap64, TokInfo, fmix, hash_bytes, longest_phrase, mix, normalise, upper_hash_ascii,
};
use super::tokenize::tokenize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Gazetteer categories; the order is part of the trained model (feature values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GazCat {
    /// A country's names, adjectives, regions and cities (code = the country).
    Country = 0,
    Person = 1,
    /// Institutions in the country file ("Kremlin", "State Duma").
    Institution = 2,
    /// International organisations and their officials.
    International = 3,
    /// Militant and non-state groups.
    NonState = 4,
    /// Agent nouns ("foreign ministry", "spokesman") → role codes.
    Agent = 5,
}

impl GazCat {
    fn from_letter(c: &str) -> Option<Self> {
        Some(match c {
            "C" => Self::Country,
            "P" => Self::Person,
            "O" => Self::Institution,
            "I" => Self::International,
            "G" => Self::NonState,
            "A" => Self::Agent,
            _ => return None,
        })
    }
    fn letter(self) -> char {
        ['C', 'P', 'O', 'I', 'G', 'A'][self as usize]
    }
}

#[derive(Debug, Clone)]
pub struct GazEntry {
    pub cat: GazCat,
    /// The dictionary's phrase, upper case, words separated by single spaces.
    pub phrase: String,
    /// `;`-separated `CODE[ DATERANGE]` specs, as in the dictionary.
    pub codes: String,
}

impl GazEntry {
    /// The CAMEO code for `date` (`YYYY-MM-DD`), or the current/undated one when no date is given.
    pub fn code(&self, date: Option<&str>) -> Option<&str> {
        code_at(&self.codes, date)
    }
}

const SEED: u64 = 0x5151_7a7a;
const MAX_LEN: usize = 8;

/// Hash of a token's upper-case form, as used for phrase keys and [`TokInfo::upper`].
pub(crate) fn upper_hash(tok: &str, norm: &mut String, buf: &mut String) -> u64 {
    if let Some(h) = upper_hash_ascii(tok) {
        return h;
    }
    normalise(tok, norm);
    buf.clear();
    for c in norm.chars() {
        let c = if c.is_ascii_digit() { '0' } else { c };
        buf.extend(c.to_uppercase());
    }
    hash_bytes(buf.as_bytes())
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Country code → display name (`RUS` → `Russian Federation`), from `N` lines.
    names: HashMap<String, String>,
    entries: Vec<GazEntry>,
    /// Per word (upper-case hash): where it occurs in names, see [`Gazetteer::word_bits`].
    words: HashMap64<u8>,
    phrases: HashMap64<u32>,
    prefixes: HashMap64<()>,
    /// Unique per parsed gazetteer (0 for an empty default one), for caches of word infos.
    pub(crate) id: u64,
}

impl Gazetteer {
    /// The gazetteer shipped with the crate.
    pub fn shipped() -> Self {
        static GZ: &[u8] = include_bytes!("../../models/gazetteer.tsv.gz");
        let text = super::model::gunzip(GZ).unwrap_or_default();
        Self::parse(&text)
    }

    /// Parses the `CAT<TAB>PHRASE<TAB>CODES` format; bad lines are skipped.
    pub fn parse(text: &str) -> Self {
        static IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut g =
            Gazetteer { id: IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed), ..Default::default() };
        let (mut norm, mut buf) = (String::new(), String::new());
        for line in text.lines() {
            let mut it = line.split('\t');
            let (Some(cat), Some(phrase), codes) = (it.next(), it.next(), it.next().unwrap_or("")) else {
                continue;
            };
            if cat == "N" {
                // Display names come last in the file and override the placeholders.
                g.names.insert(codes.to_string(), phrase.to_string());
                continue;
            }
            let Some(cat) = GazCat::from_letter(cat) else { continue };
            let toks: Vec<&str> = phrase.split(' ').filter(|t| !t.is_empty()).collect();
            if toks.is_empty() || toks.len() > MAX_LEN {
                continue;
            }
            let mut h = SEED;
            let last = toks.len() - 1;
            for (k, t) in toks.iter().enumerate() {
                let uh = upper_hash(t, &mut norm, &mut buf);
                h = mix(h, uh);
                g.prefixes.insert(fmix(h), ());
                let bit = match cat {
                    GazCat::Person if last > 0 && k == 0 => 1,
                    GazCat::Person if last > 0 && k == last => 2,
                    GazCat::Institution | GazCat::International | GazCat::NonState if t.len() > 3 => {
                        if k == last { 8 } else { 4 }
                    }
                    GazCat::Country if last == 0 => 16,
                    GazCat::Agent => 32,
                    _ => 0,
                };
                *g.words.entry(uh).or_insert(0) |= bit;
            }
            if cat == GazCat::Country {
                for spec in codes.split(';') {
                    let code = spec.split_whitespace().next().unwrap_or("");
                    if code.len() == 3 && !g.names.contains_key(code) {
                        g.names.insert(code.to_string(), String::new());
                    }
                }
            }
            let idx = g.entries.len() as u32;
            if let std::collections::hash_map::Entry::Vacant(v) = g.phrases.entry(fmix(h)) {
                v.insert(idx);
                g.entries.push(GazEntry { cat, phrase: toks.join(" "), codes: codes.to_string() });
            }
        }
        g
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Where a word (by its upper-case hash) occurs in the dictionaries: 1 first name, 2 last
    /// name, 4 inside an organisation's name, 8 last word of one, 16 a one-word place or
    /// nationality, 32 in an agent noun.
    #[inline]
    pub fn word_bits(&self, upper: u64) -> u8 {
        self.words.get(&upper).copied().unwrap_or(0)
    }

    /// The display name of a country code (`RUS` → `Russian Federation`).
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str).filter(|n| !n.is_empty())
    }

    /// Is `code` a country code (`RUS`, `UKR`) of the dictionaries?
    pub fn is_country(&self, code: &str) -> bool {
        self.names.contains_key(code)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry whose phrase equals these tokens (compared in upper case).
    pub fn lookup<'a, I: IntoIterator<Item = &'a str>>(&self, toks: I) -> Option<&GazEntry> {
        let (mut norm, mut buf) = (String::new(), String::new());
        let mut h = SEED;
        for t in toks {
            h = mix(h, upper_hash(t, &mut norm, &mut buf));
        }
        self.phrases.get(&fmix(h)).map(|&i| &self.entries[i as usize])
    }

    /// Longest match starting at `infos[i]`, optionally only among `want` categories:
    /// `(length in tokens, entry)`.
    pub fn longest_at(
        &self,
        infos: &[TokInfo],
        i: usize,
        want: Option<&[GazCat]>,
    ) -> Option<(usize, &GazEntry)> {
        let entry = |idx: u32| &self.entries[idx as usize];
        longest_phrase(&infos[i..], SEED, MAX_LEN, &self.prefixes, &self.phrases, |_, &idx| {
            want.is_none_or(|w| w.contains(&entry(idx).cat))
        })
        .map(|(len, &idx)| (len, entry(idx)))
    }

    /// Marks capitalised gazetteer phrases in one sentence (longest match, left to right).
    pub fn mark(&self, infos: &mut [TokInfo]) {
        use super::features::F_INIT_CAP;
        let mut i = 0;
        while i < infos.len() {
            if infos[i].flags & F_INIT_CAP == 0 {
                i += 1;
                continue;
            }
            match self.longest_at(infos, i, None) {
                Some((len, e)) if infos[i + len - 1].flags & F_INIT_CAP != 0 => {
                    let c = e.cat as u8;
                    infos[i].gaz = 1 + c * 2;
                    for info in &mut infos[i + 1..i + len] {
                        info.gaz = 2 + c * 2;
                    }
                    i += len;
                }
                _ => i += 1,
            }
        }
    }
}

/// Picks the code valid on `date` from `CODE[ RANGE]` specs; without a date, an open-ended
/// (`>...`) code wins, then an undated one, then the last listed.
pub fn code_at<'a>(codes: &'a str, date: Option<&str>) -> Option<&'a str> {
    let day = date.and_then(|d| {
        let digits: String = d.chars().filter(char::is_ascii_digit).take(8).collect();
        (digits.len() == 8).then(|| digits.parse::<u32>().ok()).flatten()
    });
    let mut open = None;
    let mut undated = None;
    let mut last = None;
    for spec in codes.split(';') {
        let mut it = spec.split_whitespace();
        let Some(code) = it.next() else { continue };
        if code.starts_with('-') || code.starts_with('~') && code.len() == 1 {
            continue;
        }
        last = Some(code);
        match it.next() {
            None => {
                undated.get_or_insert(code);
            }
            Some(range) => {
                let (lo, hi) = parse_range(range);
                if let Some(d) = day
                    && lo.is_none_or(|l| d >= l)
                    && hi.is_none_or(|h| d <= h)
                {
                    return Some(code);
                }
                if hi.is_none() && lo.is_some() {
                    open = Some(code);
                }
            }
        }
    }
    if day.is_some() {
        return undated.or(open).or(last);
    }
    open.or(undated).or(last)
}

fn parse_date(s: &str) -> Option<u32> {
    let v: u32 = s.parse().ok()?;
    Some(match s.len() {
        8 => v,
        6 => v + if v / 10000 <= 30 { 20_000_000 } else { 19_000_000 },
        _ => return None,
    })
}

fn parse_range(r: &str) -> (Option<u32>, Option<u32>) {
    if let Some(x) = r.strip_prefix('>') {
        (parse_date(x), None)
    } else if let Some(x) = r.strip_prefix('<') {
        (None, parse_date(x))
    } else if let Some((a, b)) = r.split_once('-') {
        (parse_date(a), parse_date(b))
    } else {
        (None, None)
    }
}

/// Turns a dictionary name (`ST._PETERSBURG_`) into the token-spaced phrase (`ST. PETERSBURG`).
fn phrase_of(name: &str) -> Option<String> {
    let s: String = name.chars().map(|c| if c == '_' { ' ' } else { c }).collect();
    let s = s.trim();
    if s.is_empty() || s.contains('!') || s.contains('+') {
        return None;
    }
    let toks = tokenize(s);
    if toks.is_empty() || toks.len() > MAX_LEN {
        return None;
    }
    Some(toks.iter().map(|t| t.text(s).to_uppercase()).collect::<Vec<_>>().join(" "))
}

fn codes_in(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('[') {
        let Some(b) = rest[a..].find(']') else { break };
        let spec = rest[a + 1..a + b].split_whitespace().collect::<Vec<_>>().join(" ");
        if !spec.is_empty() && !spec.starts_with("---") {
            out.push(spec);
        }
        rest = &rest[a + b + 1..];
    }
    out
}

struct Block {
    names: Vec<String>,
    codes: Vec<String>,
    person: bool,
}

fn parse_actor_file(text: &str, file_cat: GazCat, out: &mut String) {
    let mut blocks: Vec<Block> = Vec::new();
    for raw in text.lines() {
        let (line, comment) = raw.split_once('#').unwrap_or((raw, ""));
        if line.trim().is_empty() {
            continue;
        }
        let codes = codes_in(line);
        let name_part = line.split('[').next().unwrap_or("").trim();
        if raw.starts_with(['\t', ' ']) && name_part.is_empty() {
            if let Some(b) = blocks.last_mut() {
                b.codes.extend(codes);
            }
            continue;
        }
        if let Some(alias) = name_part.strip_prefix('+') {
            if let Some(b) = blocks.last_mut() {
                b.names.push(alias.trim().to_string());
                b.codes.extend(codes);
            }
            continue;
        }
        // A new head name: it joins the previous block only while that block has no codes yet.
        let person = comment.contains("CountryInfo") || comment.contains("IGOrulers");
        match blocks.last_mut() {
            Some(b) if b.codes.is_empty() && codes.is_empty() => {
                b.names.push(name_part.to_string());
                b.person |= person;
            }
            _ => blocks.push(Block { names: vec![name_part.to_string()], codes, person }),
        }
    }
    for b in blocks {
        if b.codes.is_empty() {
            continue;
        }
        let codes = b.codes.join(";");
        // A country block: its current code is a bare country code (`UKR >911221` counts).
        let country = file_cat == GazCat::Country
            && !b.person
            && code_at(&codes, None)
                .is_some_and(|c| c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()));
        let cat = if country {
            GazCat::Country
        } else if b.person {
            GazCat::Person
        } else if file_cat == GazCat::Country {
            GazCat::Institution
        } else {
            file_cat
        };
        for n in &b.names {
            if let Some(p) = phrase_of(n) {
                let _ = writeln!(out, "{}\t{}\t{}", cat.letter(), p, codes);
            }
        }
    }
}

fn parse_agents(text: &str, out: &mut String) {
    let mut macros: Vec<(String, Vec<String>)> = Vec::new();
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('!')
            && let Some((name, vals)) = line.split_once('=')
        {
            let vals = vals.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            macros.push((name.trim().to_string(), vals));
            continue;
        }
        let codes = codes_in(line);
        let name = line.split('[').next().unwrap_or("").trim().trim_start_matches('+');
        if codes.is_empty() || name.is_empty() {
            continue;
        }
        let mut names = vec![name.to_string()];
        for (m, vals) in &macros {
            if names[0].contains(m.as_str()) {
                names = vals.iter().map(|v| names[0].replace(m.as_str(), v)).collect();
            }
        }
        for n in names {
            if let Some(p) = phrase_of(&n) {
                let _ = writeln!(out, "A\t{}\t{}", p, codes.join(";"));
            }
        }
    }
}

/// Builds the gazetteer text from a Phoenix dictionary folder (PETRARCH2's `dictionaries/`).
pub fn build_from_phoenix(dir: &Path) -> Result<String, String> {
    let read = |f: &str| {
        let p = dir.join(f);
        std::fs::read(&p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut out = String::new();
    parse_actor_file(&read("Phoenix.Countries.actors.txt")?, GazCat::Country, &mut out);
    parse_actor_file(&read("Phoenix.International.actors.txt")?, GazCat::International, &mut out);
    parse_actor_file(&read("Phoenix.MilNonState.actors.txt")?, GazCat::NonState, &mut out);
    parse_agents(&read("Phoenix.agents.txt")?, &mut out);
    // Display names of the country codes (the head entry of each Phoenix country block).
    if let Ok(tsv) = std::fs::read_to_string(dir.join("../cameo_actor_countries.tsv")) {
        for line in tsv.lines().skip(1) {
            if let Some((code, name)) = line.split_once('\t') {
                let _ = writeln!(out, "N\t{}\t{}", name.trim(), code.trim());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_phoenix_blocks() {
        let dict = "RUSSIAN_FEDERATION_  [RUS]\n+RUSSIA_\n+MOSCOW_\nKREMLIN_\n+RUSSIAN_WHITE_HOUSE\n\t[RUSGOV]\n\
                    VLADIMIR_PUTIN_  # CountryInfo.txt\n+PUTIN_\n\t[RUSELI 700101-990809]\n\t[RUSGOV >080508]\n";
        let mut out = String::new();
        parse_actor_file(dict, GazCat::Country, &mut out);
        let g = Gazetteer::parse(&out);
        let e = g.lookup(["Moscow"]).unwrap();
        assert_eq!((e.cat, e.code(None)), (GazCat::Country, Some("RUS")));
        assert_eq!(g.lookup(["Kremlin"]).unwrap().code(None), Some("RUSGOV"));
        let p = g.lookup(["Vladimir", "Putin"]).unwrap();
        assert_eq!(p.cat, GazCat::Person);
        assert_eq!(p.code(None), Some("RUSGOV"));
        assert_eq!(p.code(Some("1995-01-01")), Some("RUSELI"));
        assert!(g.lookup(["Putin", "said"]).is_none());
    }

    #[test]
    fn agents_expand_macros() {
        let mut out = String::new();
        parse_agents("!MINIST! = MINISTER, MINISTRY\nFOREIGN_!MINIST! [~GOV]\n", &mut out);
        let g = Gazetteer::parse(&out);
        assert_eq!(g.lookup(["foreign", "ministry"]).unwrap().code(None), Some("~GOV"));
    }
}

//! Place names from GeoNames (geonames.org, CC BY 4.0), as compiled into `newsloom-geo`'s
//! gazetteer: countries, first-level subdivisions (states, provinces) and cities of at least
//! [`MIN_CITY_POP`] people, so that a place the tagger was never taught still looks like one.
//! Shipped as `models/ner-places.tsv.gz` (`PHRASE \t class`, the phrase upper case with its
//! tokens separated by single spaces), built by [`build`] from
//! `crates/newsloom-geo/data/gazetteer.tsv.gz` (this crate cannot depend on newsloom-geo).
//!
//! Feature value of a token ([`super::features::TokInfo::geo`]): 0 outside any place name,
//! else `1 + 2 * class + (inside ? 1 : 0)`, where the class is 0 country, 1 subdivision, 2 city
//! of a million or more, 3 of 100,000 or more, 4 smaller; the longest capitalised match wins.

use super::features::{F_INIT_CAP, HashMap64, TokInfo, fmix, longest_phrase, mix};
use super::gazetteer::upper_hash;
use super::tokenize::tokenize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

static SHIPPED: &[u8] = include_bytes!("../../models/ner-places.tsv.gz");

/// Cities smaller than this are left out (most of them share a name with something else).
pub const MIN_CITY_POP: u64 = 15_000;
/// Alternate (ASCII) names are kept for countries, subdivisions and cities this large (the smaller cities' alternate names are mostly foreign spellings that are words elsewhere).
const ALT_MIN_POP: u64 = 1_000_000;
const MAX_LEN: usize = 6;
const SEED: u64 = 0x9e0_4a3e5;

#[derive(Default)]
pub struct Places {
    phrases: HashMap64<u8>,
    prefixes: HashMap64<()>,
}

static PLACES: LazyLock<Places> =
    LazyLock::new(|| super::model::shipped_or_override("NEWSLOOM_NER_PLACES", SHIPPED, Places::from_gz));

impl Places {
    /// The shipped table (built once per process).
    pub fn shipped() -> &'static Places {
        &PLACES
    }

    pub fn from_gz(gz: &[u8]) -> Result<Places, String> {
        Ok(Self::parse(&super::model::gunzip(gz)?))
    }

    pub fn parse(text: &str) -> Places {
        let mut p = Places::default();
        let (mut norm, mut buf) = (String::new(), String::new());
        for line in text.lines() {
            let Some((phrase, class)) = line.split_once('\t') else { continue };
            let Ok(class) = class.parse::<u8>() else { continue };
            let mut h = SEED;
            for t in phrase.split(' ').filter(|t| !t.is_empty()) {
                h = mix(h, upper_hash(t, &mut norm, &mut buf));
                p.prefixes.insert(fmix(h), ());
            }
            let e = p.phrases.entry(fmix(h)).or_insert(class);
            *e = (*e).min(class);
        }
        p
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Sets [`TokInfo::geo`] in one sentence: longest capitalised place names, left to right.
    pub fn mark(&self, infos: &mut [TokInfo]) {
        if self.phrases.is_empty() {
            return;
        }
        let mut i = 0;
        while i < infos.len() {
            if infos[i].flags & F_INIT_CAP == 0 {
                i += 1;
                continue;
            }
            let best =
                longest_phrase(&infos[i..], SEED, MAX_LEN, &self.prefixes, &self.phrases, |last, _| {
                    last.flags & F_INIT_CAP != 0
                });
            match best.map(|(len, &c)| (len, c)) {
                Some((len, c)) => {
                    infos[i].geo = 1 + 2 * c;
                    for t in &mut infos[i + 1..i + len] {
                        t.geo = 2 + 2 * c;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
    }
}

/// Is this a name to keep: Latin letters (any accents), digits, spaces and name punctuation,
/// with at least one letter, starting with an upper-case letter.
fn usable(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric() || " -'.".contains(c) || (c.is_alphabetic() && (c as u32) < 0x250) // Latin-1 and Latin Extended
        })
}

/// The table from newsloom-geo's compiled GeoNames gazetteer (gzip TSV: geonameid, fcode, name,
/// lat, lon, country, admin1, admin2, population, names, iso3; see its `build_gazetteer.py`).
/// Each phrase gets the smallest class of the places it names.
pub fn build(geo_gz: &Path) -> Result<String, String> {
    let gz = std::fs::read(geo_gz).map_err(|e| format!("{}: {e}", geo_gz.display()))?;
    let text = super::model::gunzip(&gz).map_err(|e| format!("{}: {e}", geo_gz.display()))?;
    let mut out = BTreeMap::<String, u8>::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 10 {
            continue;
        }
        let pop: u64 = f[8].parse().unwrap_or(0);
        let class = match f[1] {
            "PCLI" => 0,
            "ADM1" => 1,
            "PPL" | "PPLC" if pop >= 1_000_000 => 2,
            "PPL" | "PPLC" if pop >= 100_000 => 3,
            "PPL" | "PPLC" if pop >= MIN_CITY_POP => 4,
            _ => continue,
        };
        let alts = if class <= 1 || pop >= ALT_MIN_POP { f[9] } else { "" };
        let names = std::iter::once(f[2]).chain(alts.split('|').filter(|n| n.is_ascii()));
        for name in names {
            // `~` aliases are adjectives and demonyms, `^` abbreviations: not the place's name.
            if name.starts_with(['~', '^']) || !usable(name) {
                continue;
            }
            let toks = tokenize(name);
            if toks.is_empty() || toks.len() > MAX_LEN {
                continue;
            }
            let phrase = toks.iter().map(|t| t.text(name).to_uppercase()).collect::<Vec<_>>().join(" ");
            let e = out.entry(phrase).or_insert(class);
            *e = (*e).min(class);
        }
    }
    Ok(out.iter().map(|(n, c)| format!("{n}\t{c}\n")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::token_infos;
    use crate::ner::{Gazetteer, tokenize};

    #[test]
    fn marks_longest_capitalised_place_names() {
        let p = Places::parse("NEW YORK\t1\nYORK\t3\nCHAD\t0\n");
        let text = "Chad flew from New York to York and new york .";
        let toks = tokenize(text);
        let mut infos = token_infos(text, &toks, &[(0, 0)], &Gazetteer::default());
        p.mark(&mut infos);
        let geo: Vec<u8> = infos.iter().map(|t| t.geo).collect();
        // Chad flew from New York to York and new york .
        assert_eq!(geo, [1, 0, 0, 3, 4, 0, 7, 0, 0, 0, 0]);
    }

    #[test]
    fn shipped_table_knows_countries_and_cities() {
        let p = Places::shipped();
        assert!(p.len() > 40_000);
        let text = "Officials in Leicester and Karachi said so .";
        let toks = tokenize(text);
        let mut infos = token_infos(text, &toks, &[(0, 0)], &Gazetteer::default());
        p.mark(&mut infos);
        assert!(infos[2].geo > 0 && infos[4].geo > 0 && infos[0].geo == 0);
    }
}

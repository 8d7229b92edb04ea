//! Personal names from the US Census Bureau's 1990 name frequency lists (public domain, as
//! shipped by the MIT-licensed PyPI package `names` 0.3.0): first names (male and female) and
//! surnames, so that a person's name the tagger was never taught still looks like one. Shipped
//! as `models/person-names.tsv.gz` (`NAME \t bits`), built by [`build`].

use super::features::{HashMap64, hash_bytes};
use std::path::Path;
use std::sync::LazyLock;

static SHIPPED: &[u8] = include_bytes!("../../models/person-names.tsv.gz");

/// Word bits ([`super::features::TokInfo::gwords`]) beside the gazetteer's own (1..32).
pub const FIRST: u8 = 64;
pub const LAST: u8 = 128;

static NAMES: LazyLock<HashMap64<u8>> = LazyLock::new(|| {
    let mut map = HashMap64::default();
    if let Ok(text) = super::model::gunzip(SHIPPED) {
        for line in text.lines() {
            if let Some((name, bits)) = line.split_once('\t') {
                map.insert(hash_bytes(name.as_bytes()), bits.parse().unwrap_or(0));
            }
        }
    }
    map
});

/// [`FIRST`] | [`LAST`] bits of a word by its upper-case hash.
#[inline]
pub fn bits(upper: u64) -> u8 {
    NAMES.get(&upper).copied().unwrap_or(0)
}

/// The table from the Census files `dist.male.first`, `dist.female.first` and `dist.all.last`
/// in `dir` (lines `NAME freq cumulative rank`). Surnames rarer than `min_last_freq` percent are
/// left out (the long tail is mostly one-off spellings).
pub fn build(dir: &Path, min_last_freq: f64) -> Result<String, String> {
    let mut bits = std::collections::BTreeMap::<String, u8>::new();
    for (file, bit, min) in [
        ("dist.male.first", FIRST, 0.0),
        ("dist.female.first", FIRST, 0.0),
        ("dist.all.last", LAST, min_last_freq),
    ] {
        let p = dir.join(file);
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        for line in text.lines() {
            let mut f = line.split_whitespace();
            let (Some(name), Some(freq)) = (f.next(), f.next()) else { continue };
            if freq.parse::<f64>().unwrap_or(0.0) >= min && name.chars().all(|c| c.is_ascii_uppercase()) {
                *bits.entry(name.to_string()).or_insert(0) |= bit;
            }
        }
    }
    Ok(bits.iter().map(|(n, b)| format!("{n}\t{b}\n")).collect())
}

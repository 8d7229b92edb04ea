//! The GeoNames gazetteer compiled into the binary (`data/gazetteer.tsv.gz`, built by
//! `build_gazetteer.py`; GeoNames, geonames.org, CC BY 4.0): countries, continents, ADM1–ADM3
//! regions and every populated place of 500 people or more, with alternate names.
//!
//! Loaded once per process on first use ([`Gazetteer::shared`], one to two seconds). Names are
//! looked up by a normalised key (lower case, accents and dots dropped, hyphens as spaces): the
//! index is one sorted array of `(key hash, entry)` pairs, which keeps
//! the million names in about 16 MB instead of a map of strings several times that, plus a map
//! from each key hash to its run in that array, so a lookup is one probe.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::sync::LazyLock;

use newsloom_model::GeoPlace;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

static SHIPPED: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");

static SHARED: LazyLock<Gazetteer> = LazyLock::new(|| {
    // The file is part of the binary and checked by the tests; an empty gazetteer (no places
    // found) is the safe outcome if it were ever broken.
    Gazetteer::parse_gz(SHIPPED).unwrap_or_else(|_| Gazetteer::default())
});

/// The keys are already hashes: use them as they are.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What kind of GeoNames feature an entry is, coarsely: what resolution ranks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Continent,
    Country,
    Adm1,
    Adm2,
    Adm3,
    City,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub geonameid: u64,
    pub level: Level,
    pub feature_code: Box<str>,
    pub name: Box<str>,
    pub lat: f32,
    pub lon: f32,
    pub country: [u8; 2],
    /// GeoNames ADM1 code (`US.KY`), empty when none.
    pub admin1: Box<str>,
    /// GeoNames ADM2 code (`US.KY.125`), empty when none.
    pub admin2: Box<str>,
    pub population: u64,
}

impl Entry {
    pub fn country_code(&self) -> &str {
        std::str::from_utf8(&self.country).unwrap_or("").trim()
    }

    pub fn feature_class(&self) -> &'static str {
        match self.level {
            Level::City => "P",
            Level::Continent => "L",
            _ => "A",
        }
    }
}

/// How a name reaches an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    /// The entry's own name.
    Primary,
    /// An alternate name (other languages, official or short forms).
    Alternate,
    /// An adjective, demonym or other variant from the Phoenix country dictionary ("Russian"):
    /// used only when no entry has the name as its own or alternate name.
    Adjective,
    /// A US state abbreviation ("Ky.", "KY"): a place only as a qualifier ("Dallas, Tex.").
    Abbreviation,
}

/// A lookup result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub entry: u32,
    pub kind: NameKind,
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Sorted by key hash: (hash, entry index, name kind).
    index: Vec<(u64, u32, NameKind)>,
    /// Key hash → (first position in `index`, count): one probe per lookup.
    slots: HashMap<u64, (u32, u32), BuildHasherDefault<PassThrough>>,
    by_id: Vec<(u64, u32)>,
    /// ADM1 code → entry index.
    adm1: Vec<(Box<str>, u32)>,
    /// ISO2 → country entry index.
    countries: Vec<([u8; 2], u32)>,
    /// ISO3 (also the CAMEO country code) → country entry index.
    iso3: Vec<([u8; 3], u32)>,
    /// Most names a single key reaches (to bound scans of very common keys).
    pub max_words: usize,
}

/// The normalised lookup key of a name: lower case, accents folded, dots and apostrophes
/// dropped, hyphens and runs of spaces as one space (`U.S.` → `us`, `Mát-xcơ-va` → `mat xco va`).
pub fn normalise(name: &str, out: &mut String) {
    out.clear();
    let mut space = false;
    if name.is_ascii() {
        // The common case, without Unicode decomposition.
        for b in name.bytes() {
            match b {
                b'.' | b'\'' | b'`' => {}
                b'-' | b' ' | b'\t' | b'\n' | b'\r' => space = !out.is_empty(),
                _ => {
                    if space {
                        out.push(' ');
                        space = false;
                    }
                    out.push(b.to_ascii_lowercase() as char);
                }
            }
        }
        return;
    }
    for c in name.nfd() {
        if is_combining_mark(c) || matches!(c, '.' | '\'' | '’' | '`') {
            continue;
        }
        if c.is_whitespace() || c == '-' || c == '‐' || c == '–' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
}

/// Names the compiled table lacks: adjectives and demonyms of the countries the Phoenix
/// dictionary has none for, of the continents, and the European Union as Europe (news names
/// it as a place: "EU officials", "in the EU"). `(level, entry name, names)`; `~` marks an
/// adjective as in the TSV.
const SUPPLEMENT: &[(Level, &str, &[&str])] = &[
    (Level::Continent, "Europe", &["European Union", "EU", "E.U.", "~European"]),
    (Level::Continent, "Africa", &["~African"]),
    (Level::Continent, "Asia", &["~Asian"]),
    (Level::Continent, "Oceania", &["~Oceanian"]),
    (Level::Country, "Ukraine", &["~Ukrainian"]),
    (Level::Country, "Armenia", &["~Armenian"]),
    (Level::Country, "Azerbaijan", &["~Azerbaijani", "~Azeri"]),
    (Level::Country, "Eritrea", &["~Eritrean"]),
    (Level::Country, "Estonia", &["~Estonian"]),
    (Level::Country, "Latvia", &["~Latvian"]),
    (Level::Country, "Lithuania", &["~Lithuanian"]),
    (Level::Country, "Belarus", &["~Belarusian"]),
    (Level::Country, "Georgia", &["~Georgian"]),
    (Level::Country, "North Macedonia", &["~Macedonian"]),
    (Level::Country, "Kosovo", &["~Kosovar"]),
    (Level::Country, "Turkmenistan", &["~Turkmen"]),
    (Level::Country, "Tajikistan", &["~Tajik"]),
    (Level::Country, "Uzbekistan", &["~Uzbek"]),
    (Level::Country, "Kazakhstan", &["~Kazakh", "~Kazakhstani"]),
    (Level::Country, "Kyrgyzstan", &["~Kyrgyz"]),
    (Level::Country, "South Sudan", &["~South Sudanese"]),
    (Level::Country, "Greenland", &["~Greenlandic"]),
    (Level::Country, "Puerto Rico", &["~Puerto Rican"]),
];

fn add_supplement(g: &mut Gazetteer) {
    let mut key = String::new();
    for &(level, name, names) in SUPPLEMENT {
        let Some(idx) = g.entries.iter().position(|e| e.level == level && &*e.name == name) else {
            continue;
        };
        for alt in names {
            let (kind, alt) = match alt.strip_prefix('~') {
                Some(a) => (NameKind::Adjective, a),
                None => (NameKind::Alternate, *alt),
            };
            normalise(alt, &mut key);
            g.max_words = g.max_words.max(key.split(' ').count());
            g.index.push((key_hash(&key), idx as u32, kind));
        }
    }
}

fn key_hash(key: &str) -> u64 {
    // FNV-1a then a finaliser: stable across builds and platforms, no dependency.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

fn level_of(fcode: &str) -> Option<Level> {
    Some(match fcode {
        "CONT" => Level::Continent,
        "PCLI" => Level::Country,
        "ADM1" => Level::Adm1,
        "ADM2" => Level::Adm2,
        "ADM3" => Level::Adm3,
        c if c.starts_with("PPL") => Level::City,
        _ => return None,
    })
}

impl Gazetteer {
    /// The shipped gazetteer, loaded on first use.
    pub fn shared() -> &'static Gazetteer {
        &SHARED
    }

    /// Parses a gzip-compressed gazetteer TSV (the format `build_gazetteer.py` writes).
    pub fn parse_gz(bytes: &[u8]) -> Result<Self, String> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| format!("gazetteer: {e}"))?;
        Self::parse(&text)
    }

    /// Parses the gazetteer TSV: `geonameid fcode name lat lon country admin1 admin2 population
    /// names`, names `|`-separated, adjectives prefixed `~`. Lines starting `#` are comments.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut g = Gazetteer::default();
        let mut key = String::new();
        let mut heads: Vec<(u64, u32)> = Vec::new();
        let mut country_names: Vec<u64> = Vec::new();
        for (no, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let bad = || format!("gazetteer line {}: malformed", no + 1);
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 10 {
                return Err(bad());
            }
            let Some(level) = level_of(f[1]) else { continue };
            let cc = f[5].as_bytes();
            let country = if cc.len() == 2 { [cc[0], cc[1]] } else { [b' ', b' '] };
            let idx = g.entries.len() as u32;
            g.entries.push(Entry {
                geonameid: f[0].parse().map_err(|_| bad())?,
                level,
                feature_code: f[1].into(),
                name: f[2].into(),
                lat: f[3].parse().map_err(|_| bad())?,
                lon: f[4].parse().map_err(|_| bad())?,
                country,
                admin1: f[6].into(),
                admin2: f[7].into(),
                population: f[8].parse().unwrap_or(0),
            });
            normalise(f[2], &mut key);
            g.index.push((key_hash(&key), idx, NameKind::Primary));
            if level == Level::Country {
                country_names.push(key_hash(&key));
            }
            // ISO-style inverted country names ("Venezuela, Bolivarian Republic of"): the part
            // before the comma is the name in running text (added below unless another country
            // has it as its own name, as the Republic of the Congo has "Congo").
            if level == Level::Country
                && let Some((head, _)) = f[2].split_once(", ")
            {
                normalise(head, &mut key);
                heads.push((key_hash(&key), idx));
            }
            for alt in f[9].split('|').filter(|a| !a.is_empty()) {
                let (kind, alt) = if let Some(a) = alt.strip_prefix('~') {
                    (NameKind::Adjective, a)
                } else if let Some(a) = alt.strip_prefix('^') {
                    (NameKind::Abbreviation, a)
                } else {
                    (NameKind::Alternate, alt)
                };
                normalise(alt, &mut key);
                g.max_words = g.max_words.max(key.split(' ').count());
                g.index.push((key_hash(&key), idx, kind));
            }
            match level {
                Level::Adm1 => g.adm1.push((f[6].into(), idx)),
                Level::Country => {
                    g.countries.push((country, idx));
                    if let Some(code3) = f.get(10).filter(|c| c.len() == 3) {
                        g.iso3.push((code3.as_bytes().try_into().unwrap_or([0; 3]), idx));
                    }
                }
                _ => {}
            }
        }
        for (h, idx) in heads {
            if !country_names.contains(&h) {
                g.index.push((h, idx, NameKind::Alternate));
            }
        }
        add_supplement(&mut g);
        g.index.sort_unstable_by_key(|&(h, i, k)| (h, i, k));
        // One pair per (name, entry): the best way the name reaches it.
        g.index.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
        g.slots.reserve(g.index.len());
        let mut i = 0;
        while i < g.index.len() {
            let h = g.index[i].0;
            let n = g.index[i..].iter().take_while(|x| x.0 == h).count();
            g.slots.insert(h, (i as u32, n as u32));
            i += n;
        }
        g.by_id = g.entries.iter().enumerate().map(|(i, e)| (e.geonameid, i as u32)).collect();
        g.by_id.sort_unstable();
        g.adm1.sort_unstable();
        g.countries.sort_unstable();
        g.iso3.sort_unstable();
        Ok(g)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }

    /// Entries a name can refer to (by its own, alternate or adjective form).
    pub fn lookup(&self, name: &str) -> Vec<Candidate> {
        let mut key = String::new();
        normalise(name, &mut key);
        self.lookup_key(&key)
    }

    /// Like [`Gazetteer::lookup`] with an already normalised key.
    pub fn lookup_key(&self, key: &str) -> Vec<Candidate> {
        if key.is_empty() {
            return Vec::new();
        }
        let Some(&(start, n)) = self.slots.get(&key_hash(key)) else { return Vec::new() };
        self.index[start as usize..(start + n) as usize]
            .iter()
            .map(|&(_, entry, kind)| Candidate { entry, kind })
            .collect()
    }

    /// [`Gazetteer::lookup_key`] without collecting (for the detection scan's many probes).
    pub fn candidates<'a>(&'a self, key: &str) -> impl Iterator<Item = Candidate> + Clone + 'a {
        let run = if key.is_empty() {
            &[][..]
        } else {
            match self.slots.get(&key_hash(key)) {
                Some(&(start, n)) => &self.index[start as usize..(start + n) as usize],
                None => &[][..],
            }
        };
        run.iter().map(|&(_, entry, kind)| Candidate { entry, kind })
    }

    /// Whether any entry has this normalised key as a name.
    pub fn has_key(&self, key: &str) -> bool {
        self.slots.contains_key(&key_hash(key))
    }

    pub fn by_geonameid(&self, id: u64) -> Option<&Entry> {
        let i = self.by_id.binary_search_by_key(&id, |&(g, _)| g).ok()?;
        Some(self.entry(self.by_id[i].1))
    }

    /// The ADM1 region with this GeoNames code (`RU.48`).
    pub fn admin1(&self, code: &str) -> Option<&Entry> {
        let i = self.adm1.binary_search_by(|(c, _)| (**c).cmp(code)).ok()?;
        Some(self.entry(self.adm1[i].1))
    }

    /// The country with this ISO2 code.
    pub fn country(&self, iso2: &str) -> Option<&Entry> {
        let b = iso2.as_bytes();
        if b.len() != 2 {
            return None;
        }
        let i = self.countries.binary_search_by_key(&[b[0], b[1]], |&(c, _)| c).ok()?;
        Some(self.entry(self.countries[i].1))
    }

    /// The country with this ISO3 code, which is also its CAMEO actor code (`RUS`).
    pub fn country_iso3(&self, iso3: &str) -> Option<&Entry> {
        let b: [u8; 3] = iso3.as_bytes().try_into().ok()?;
        let i = self.iso3.binary_search_by_key(&b, |&(c, _)| c).ok()?;
        Some(self.entry(self.iso3[i].1))
    }

    /// The model's view of an entry, with its ADM1's name.
    pub fn place(&self, e: &Entry) -> GeoPlace {
        let admin1 = (!e.admin1.is_empty()).then(|| e.admin1.to_string());
        GeoPlace {
            geonameid: e.geonameid,
            name: e.name.to_string(),
            lat: f64::from(e.lat),
            lon: f64::from(e.lon),
            country: e.country_code().to_string(),
            admin1_name: admin1.as_deref().and_then(|c| self.admin1(c)).map(|a| a.name.to_string()),
            admin1,
            feature_class: e.feature_class().to_string(),
            feature_code: e.feature_code.to_string(),
        }
    }
}

/// Great-circle distance in km (haversine, R = 6371.0088 km, as the shared scorer uses).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (la1, lo1, la2, lo2) = (lat1.to_radians(), lon1.to_radians(), lat2.to_radians(), lon2.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

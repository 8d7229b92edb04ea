//! Splitting a CAMEO actor code (`RUSGOV`, `IGOWSTNAT`, `USAMILREB`) into GDELT's actor columns:
//! country, known group, ethnic, religion and up to three type codes.
//!
//! Codes are runs of 3-letter segments. Which segment is a country (or region, which GDELT also
//! puts in the country column) and which is a type comes from `data/cameo_actor_codes.tsv`. A
//! segment that is neither and comes after an international type (IGO, NGO, NGM, IMG, MNC, INT) is the
//! named organisation: GDELT's known group (`UNO`, `NAT`, `EEC`). newsloom's coder emits no
//! ethnic or religion codes, so those columns stay empty.

use std::collections::HashMap;
use std::sync::LazyLock;

static TABLE: &str = include_str!("../../data/cameo_actor_codes.tsv");

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Region,
    Type,
}

/// code → (kind, name)
static CODES: LazyLock<HashMap<&'static str, (Kind, &'static str)>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (code, kind, name) = (f.next()?, f.next()?, f.next().unwrap_or(""));
            let kind = match kind {
                "country" => Kind::Country,
                "region" => Kind::Region,
                "type" => Kind::Type,
                _ => return None,
            };
            Some((code, (kind, name)))
        })
        .collect()
});

const INTERNATIONAL: [&str; 6] = ["IGO", "NGO", "NGM", "IMG", "MNC", "INT"];

/// An actor code split into GDELT's ten actor columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorColumns {
    pub code: String,
    /// The country's name in capitals (GDELT style), when the actor is a country's.
    pub name: String,
    pub country: String,
    pub known_group: String,
    pub ethnic: String,
    pub religion1: String,
    pub religion2: String,
    pub types: [String; 3],
}

impl ActorColumns {
    /// The ten columns in file order (Code, Name, CountryCode, KnownGroupCode, EthnicCode,
    /// Religion1Code, Religion2Code, Type1Code, Type2Code, Type3Code).
    pub fn into_columns(self) -> [String; 10] {
        let [t1, t2, t3] = self.types;
        [
            self.code,
            self.name,
            self.country,
            self.known_group,
            self.ethnic,
            self.religion1,
            self.religion2,
            t1,
            t2,
            t3,
        ]
    }
}

/// Splits `code`; an empty or absent code gives empty columns.
///
/// ```
/// use newsloom_export::gdelt::split_actor;
/// let a = split_actor("IGOWSTNAT");
/// assert_eq!((a.country.as_str(), a.known_group.as_str(), a.types[0].as_str()), ("WST", "NAT", "IGO"));
/// let a = split_actor("RUSGOV");
/// assert_eq!((a.country.as_str(), a.name.as_str(), a.types[0].as_str()), ("RUS", "RUSSIAN FEDERATION", "GOV"));
/// ```
pub fn split_actor(code: &str) -> ActorColumns {
    let code = code.trim();
    let mut out = ActorColumns { code: code.to_string(), ..Default::default() };
    if !code.is_ascii() {
        return out;
    }
    let mut types = 0;
    let mut international = false;
    for seg in (0..code.len() / 3).map(|i| &code[i * 3..i * 3 + 3]) {
        match CODES.get(seg) {
            Some((Kind::Country, name)) if out.country.is_empty() => {
                out.country = seg.to_string();
                out.name = name.to_uppercase();
            }
            Some((Kind::Region, _)) if out.country.is_empty() => out.country = seg.to_string(),
            Some((Kind::Type, _)) if types < 3 => {
                out.types[types] = seg.to_string();
                types += 1;
            }
            None if out.known_group.is_empty() && international => {
                out.known_group = seg.to_string();
            }
            _ => {}
        }
        international |= INTERNATIONAL.contains(&seg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_codes_the_coder_emits() {
        let a = split_actor("USAMIL");
        assert_eq!((a.country.as_str(), a.types[0].as_str(), a.known_group.as_str()), ("USA", "MIL", ""));
        let a = split_actor("IGOUNO");
        assert_eq!((a.country.as_str(), a.known_group.as_str(), a.types[0].as_str()), ("", "UNO", "IGO"));
        let a = split_actor("IGOEUREEC");
        assert_eq!((a.country.as_str(), a.known_group.as_str()), ("EUR", "EEC"));
        let a = split_actor("UKRMILREB");
        assert_eq!(a.types, ["MIL".to_string(), "REB".to_string(), String::new()]);
        assert_eq!(a.name, "UKRAINE");
        assert_eq!(split_actor("").into_columns(), <[String; 10]>::default());
        // Not a multiple of three, or not ASCII: kept as the code, nothing guessed.
        assert_eq!(split_actor("ÄÖÜX").country, "");
    }
}

//! The CAMEO code table (name, quad class, Goldstein score) and newsloom's CAMEO → PLOVER map.

use newsloom_model::QuadClass;
use std::collections::HashMap;
use std::sync::LazyLock;

static CAMEO_TSV: &str = include_str!("data/cameo_eventcodes.tsv");

/// code → (name, quad class 1..4, Goldstein)
static CAMEO: LazyLock<HashMap<&'static str, (&'static str, u8, f32)>> = LazyLock::new(|| {
    CAMEO_TSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((*f.first()?, (*f.get(1)?, f.get(3)?.parse().ok()?, f.get(4)?.parse().ok()?)))
        })
        .collect()
});

/// Name, quad class and Goldstein score of a CAMEO code; unknown sub-codes fall back to
/// their parent (`0874` → `087` → `08`).
pub fn cameo_info(code: &str) -> Option<(&'static str, u8, f32)> {
    let mut c = code;
    while c.len() >= 2 {
        if let Some(v) = CAMEO.get(c) {
            return Some(*v);
        }
        c = &c[..c.len() - 1];
    }
    None
}

/// Quad class number (1..4) of a code, by its root when the code is not in the table; 0 if unknown.
pub(crate) fn quad_of(code: &str) -> u8 {
    if let Some((_, q, _)) = cameo_info(code) {
        return q;
    }
    match code.get(..2).and_then(|r| r.parse::<u8>().ok()) {
        Some(1..=5) => 1,
        Some(6..=9) => 2,
        Some(10..=14) => 3,
        Some(15..=20) => 4,
        _ => 0,
    }
}

pub(crate) fn quad_class(q: u8) -> QuadClass {
    match q {
        2 => QuadClass::MaterialCooperation,
        3 => QuadClass::VerbalConflict,
        4 => QuadClass::MaterialConflict,
        _ => QuadClass::VerbalCooperation,
    }
}

/// CAMEO → PLOVER (event type, mode). Written for newsloom from the CAMEO and PLOVER
/// codebooks; the most specific prefix wins. `None` for CAMEO statements PLOVER drops
/// (plain comments, 010–014, 017).
pub fn plover(code: &str) -> Option<(&'static str, Option<&'static str>)> {
    // (prefix, type, mode)
    const MAP: &[(&str, &str, &str)] = &[
        ("015", "CONCEDE", "responsibility"),
        ("016", "REJECT", "deny"),
        ("018", "SUPPORT", "empathize"),
        ("019", "AGREE", "accord"),
        ("021", "REQUEST", "cooperate"),
        ("022", "REQUEST", "support"),
        ("023", "REQUEST", "aid"),
        ("024", "REQUEST", "reform"),
        ("025", "REQUEST", "yield"),
        ("026", "REQUEST", "consult"),
        ("027", "REQUEST", "settle"),
        ("028", "REQUEST", "mediate"),
        ("02", "REQUEST", ""),
        ("031", "AGREE", "cooperate"),
        ("032", "AGREE", "support"),
        ("033", "AGREE", "aid"),
        ("034", "AGREE", "reform"),
        ("035", "AGREE", "yield"),
        ("036", "AGREE", "consult"),
        ("037", "AGREE", "settle"),
        ("038", "AGREE", "mediate"),
        ("039", "AGREE", "mediate"),
        ("03", "AGREE", ""),
        ("041", "CONSULT", "phone"),
        ("042", "CONSULT", "visit"),
        ("043", "CONSULT", "host"),
        ("044", "CONSULT", "third-party"),
        ("045", "CONSULT", "mediate"),
        ("046", "CONSULT", "negotiate"),
        ("04", "CONSULT", ""),
        ("051", "SUPPORT", "praise"),
        ("052", "SUPPORT", "defend"),
        ("053", "SUPPORT", "rally"),
        ("054", "SUPPORT", "recognize"),
        ("055", "SUPPORT", "apologize"),
        ("056", "SUPPORT", "forgive"),
        ("057", "AGREE", "sign"),
        ("05", "SUPPORT", ""),
        ("061", "COOPERATE", "economic"),
        ("062", "COOPERATE", "military"),
        ("063", "COOPERATE", "judicial"),
        ("064", "COOPERATE", "intelligence"),
        ("06", "COOPERATE", ""),
        ("071", "AID", "economic"),
        ("072", "AID", "military"),
        ("073", "AID", "humanitarian"),
        ("074", "AID", "protection"),
        ("075", "AID", "asylum"),
        ("07", "AID", ""),
        ("081", "CONCEDE", "ease sanctions"),
        ("082", "CONCEDE", "ease opposition"),
        ("083", "CONCEDE", "reform"),
        ("084", "CONCEDE", "return"),
        ("085", "CONCEDE", "ease sanctions"),
        ("086", "CONCEDE", "allow involvement"),
        ("087", "RETREAT", "de-escalate"),
        ("08", "CONCEDE", ""),
        ("09", "ACCUSE", "investigate"),
        ("10", "REQUEST", "demand"),
        ("111", "ACCUSE", "disapprove"),
        ("112", "ACCUSE", "allege"),
        ("113", "ACCUSE", "rally opposition"),
        ("114", "ACCUSE", "complain"),
        ("115", "ACCUSE", "lawsuit"),
        ("116", "ACCUSE", "find guilty"),
        ("11", "ACCUSE", "disapprove"),
        ("12", "REJECT", ""),
        ("138", "THREATEN", "military"),
        ("13", "THREATEN", ""),
        ("141", "PROTEST", "demonstrate"),
        ("142", "PROTEST", "hunger strike"),
        ("143", "PROTEST", "strike"),
        ("144", "PROTEST", "obstruct"),
        ("145", "PROTEST", "riot"),
        ("14", "PROTEST", ""),
        ("15", "MOBILIZE", ""),
        ("161", "SANCTION", "break relations"),
        ("162", "SANCTION", "reduce aid"),
        ("163", "SANCTION", "embargo"),
        ("164", "SANCTION", "halt negotiations"),
        ("165", "SANCTION", "halt mediation"),
        ("166", "SANCTION", "expel"),
        ("16", "SANCTION", ""),
        ("171", "COERCE", "seize"),
        ("172", "SANCTION", "administrative"),
        ("173", "COERCE", "arrest"),
        ("174", "COERCE", "deport"),
        ("175", "COERCE", "repression"),
        ("176", "COERCE", "cyber"),
        ("17", "COERCE", ""),
        ("181", "ASSAULT", "abduct"),
        ("182", "ASSAULT", "beat"),
        ("183", "ASSAULT", "explosives"),
        ("185", "ASSAULT", "assassinate"),
        ("186", "ASSAULT", "assassinate"),
        ("18", "ASSAULT", ""),
        ("191", "COERCE", "blockade"),
        ("192", "ASSAULT", "occupy"),
        ("193", "ASSAULT", "firearms"),
        ("194", "ASSAULT", "artillery"),
        ("195", "ASSAULT", "aerial"),
        ("196", "ASSAULT", "violate ceasefire"),
        ("19", "ASSAULT", ""),
        ("202", "ASSAULT", "mass killing"),
        ("203", "ASSAULT", "ethnic cleansing"),
        ("204", "ASSAULT", "wmd"),
        ("20", "ASSAULT", "mass violence"),
    ];
    MAP.iter()
        .filter(|(p, _, _)| code.starts_with(p))
        .max_by_key(|(p, _, _)| p.len())
        .map(|&(_, t, m)| (t, (!m.is_empty()).then_some(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_lookup_and_plover() {
        let (name, q, g) = cameo_info("112").unwrap();
        assert!(name.to_lowercase().contains("accuse"));
        assert_eq!(q, 3);
        assert!(g < 0.0);
        assert_eq!(cameo_info("0369").map(|x| x.1), Some(1)); // falls back to 036
        assert_eq!(plover("046"), Some(("CONSULT", Some("negotiate"))));
        assert_eq!(plover("1711"), Some(("COERCE", Some("seize"))));
        assert_eq!(plover("010"), None);
        assert_eq!(quad_of("190"), 4);
    }
}

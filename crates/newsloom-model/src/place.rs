use serde::{Deserialize, Serialize};

use crate::Span;

/// A GeoNames entry a toponym resolves to (GeoNames, geonames.org, CC BY 4.0).
///
/// Countries and administrative regions carry a centroid computed from the populated places
/// inside them (see `newsloom-geo`), since the gazetteer ships none for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GeoPlace {
    pub geonameid: u64,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2 (`RU`); empty for continents.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    /// GeoNames ADM1 code (`RU.48`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1_name: Option<String>,
    /// GeoNames feature class (`P` populated place, `A` country/region, `L` area).
    pub feature_class: String,
    /// GeoNames feature code (`PPLC`, `PCLI`, `ADM1`, `ADM2`, `CONT`).
    pub feature_code: String,
}

/// One toponym in an article: where it is, and what it resolves to when it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub text: String,
    pub span: Span,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<GeoPlace>,
    /// False for associative uses: adjectives and demonyms ("Russian"), and a country name as an
    /// actor ("Turkey said").
    #[serde(default = "yes")]
    pub literal: bool,
    pub confidence: f32,
}

fn yes() -> bool {
    true
}

/// A located fact: the place and the text that names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoRef {
    pub place: GeoPlace,
    pub span: Span,
}

//! The geo columns of an Events row. newsloom does not geocode yet, so they stay empty, as
//! GDELT leaves them when it cannot place an event; a geocoder plugs in here.

use newsloom_store::EventGroup;

/// Fills the 24 geo columns (Actor1Geo_*, Actor2Geo_*, ActionGeo_*; see
/// [`super::columns::GEO`]) of one event.
pub trait GeoCoder {
    fn fill(&self, event: &EventGroup, columns: &mut [String]);
}

/// Leaves every geo column empty.
pub struct NoGeo;

impl GeoCoder for NoGeo {
    fn fill(&self, _event: &EventGroup, _columns: &mut [String]) {}
}

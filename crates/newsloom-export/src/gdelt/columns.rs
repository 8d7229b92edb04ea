//! GDELT 2.0's column lists, in file order, as its codebooks publish them (GDELT-Event_Codebook-V2.0
//! for the 61 Events columns; the GDELT 2.0 Event Database documentation for the 16 Mentions
//! columns). The files have no header row; these names are what readers pass as `names=`.

pub const EVENT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

pub const MENTION_COLUMNS: [&str; 16] = [
    "GlobalEventID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// Index of the first actor's block (Actor1Code … Actor1Type3Code: 10 columns); the second
/// actor's block follows it.
pub const ACTOR1: usize = 5;
pub const ACTOR2: usize = 15;
/// The 24 geo columns (Actor1Geo_*, Actor2Geo_*, ActionGeo_*: 8 each), filled by a
/// [`super::geo::GeoCoder`].
pub const GEO: std::ops::Range<usize> = 35..59;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_sit_where_the_codebook_puts_them() {
        assert_eq!(EVENT_COLUMNS[ACTOR1], "Actor1Code");
        assert_eq!(EVENT_COLUMNS[ACTOR2], "Actor2Code");
        assert_eq!(EVENT_COLUMNS[GEO.start], "Actor1Geo_Type");
        assert_eq!(EVENT_COLUMNS[GEO.end - 1], "ActionGeo_FeatureID");
        assert_eq!(EVENT_COLUMNS[GEO.end], "DATEADDED");
    }
}

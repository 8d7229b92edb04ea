//! English month and weekday names, lowercase, for the stages that read dates in text or must
//! not mistake a month ("May", "March") for a name or a place.

/// `MONTHS[m - 1]` is month `m`.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Monday first, as ISO 8601 numbers them.
pub const WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Whether a lowercase word is a month or weekday name.
///
/// ```
/// assert!(newsloom_model::calendar::is_month_or_weekday("may"));
/// assert!(!newsloom_model::calendar::is_month_or_weekday("moscow"));
/// ```
pub fn is_month_or_weekday(lower: &str) -> bool {
    MONTHS.contains(&lower) || WEEKDAYS.contains(&lower)
}

//! Actor-code ranges for dyad and event queries, shared by every store engine.

/// Common names for actors whose CAMEO/Phoenix code is not what users type.
const ACTOR_ALIASES: &[(&str, &str)] =
    &[("NATO", "IGOWSTNAT"), ("EU", "IGOEUREEC"), ("UN", "IGOUNO"), ("OPEC", "IGOOPC")];

/// The half-open range `[code, code + DEL)` of actor codes starting with `s` (common names
/// mapped to their codes). A range, unlike `LIKE 'RUS%'`, lets the engine use the dyad index;
/// codes are ASCII letters, so in byte order (SQLite's, and `COLLATE "C"` in PostgreSQL) every
/// code with this prefix sorts below prefix + U+007F.
///
/// ```
/// assert_eq!(newsloom_store::actors::actor_range("nato").0, "IGOWSTNAT");
/// ```
pub fn actor_range(s: &str) -> (String, String) {
    let upper = s.trim().to_ascii_uppercase();
    let code = ACTOR_ALIASES.iter().find(|(name, _)| *name == upper).map_or(upper.as_str(), |(_, code)| code);
    (code.to_string(), format!("{code}\u{7f}"))
}

/// The root (first three letters: country or organisation) shared by every code of a range
/// starting at `lo`, when `lo` is that long; the dyad-root index finds events by it.
pub fn actor_root(lo: &str) -> Option<String> {
    (lo.chars().count() >= 3).then(|| lo.chars().take(3).collect())
}

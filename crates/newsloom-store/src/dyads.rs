//! Actor-pair (dyad) series kept at ingest.
//!
//! A distinct event is one (story, source actor, target actor, CAMEO code, day): however many
//! articles of a story report it, it counts once, and `reports` counts the articles' rows.
//! `dyad_keys` holds every distinct event seen; `dyad_days` holds, per actor roots, day, actors
//! and quad class, how many distinct events, reports and the sum of their Goldstein scores. A
//! chart reads `dyad_days` alone; longer periods add their days up, so a month is the sum of
//! its days whatever the zoom.

use std::collections::BTreeMap;

use newsloom_model::Event;
use rusqlite::{Transaction, params};

use crate::actors::{actor_range, actor_root};
use crate::read::DyadPoint;
use crate::{Result, SqliteStore};

/// One direction of a pair: its day rows by roots (?6, ?7), read in key order from `dyad_days`.
pub(crate) const DIRECTION_BY_ROOTS: &str =
    "SELECT day, quad, events, reports, goldstein_sum, source_actor, target_actor FROM dyad_days
     WHERE source_root = ?6 AND target_root = ?7 AND source_actor >= ?1 AND source_actor < ?2
       AND target_actor >= ?4 AND target_actor < ?5 AND length(day) >= ?3";
/// Codes shorter than a root: by the code ranges alone (a scan of the day rows).
const DIRECTION_BY_RANGES: &str =
    "SELECT day, quad, events, reports, goldstein_sum, source_actor, target_actor FROM dyad_days
     WHERE source_actor >= ?1 AND source_actor < ?2 AND target_actor >= ?4 AND target_actor < ?5
       AND length(day) >= ?3 AND ?6 IS NULL AND ?7 IS NULL";

/// The root of an actor code as `dyad_days` keys it (its first three characters).
fn root(code: &str) -> &str {
    code.char_indices().nth(3).map_or(code, |(i, _)| &code[..i])
}

fn in_range(code: &str, lo: &str, hi: &str) -> bool {
    code >= lo && code < hi
}

/// Counts one stored event (of the article or story `key`) in the dyad tables.
pub(crate) fn count_event(tx: &Transaction, key: &str, e: &Event) -> Result<()> {
    let (Some(target), Some(date)) = (&e.target_actor, &e.date) else {
        return Ok(());
    };
    let day: String = date.chars().take(10).collect();
    let quad = e.quad_class as i64;
    let new = tx
        .prepare_cached("INSERT OR IGNORE INTO dyad_keys VALUES (?,?,?,?,?,?,?)")?
        .execute(params![key, e.source_actor, target, e.cameo, day, quad, e.goldstein])?;
    let (events, goldstein) = if new == 1 { (1, e.goldstein) } else { (0, 0.0) };
    tx.prepare_cached(
        "INSERT INTO dyad_days VALUES (?1,?2,?3,?4,?5,?6,?7,1,?8)
         ON CONFLICT DO UPDATE SET events = events + ?7, reports = reports + 1,
           goldstein_sum = goldstein_sum + ?8",
    )?
    .execute(params![
        root(&e.source_actor),
        root(target),
        day,
        e.source_actor,
        target,
        quad,
        events,
        goldstein
    ])?;
    Ok(())
}

/// Story `absorbed` became part of `into`: its distinct events move there, and one that `into`
/// already has stops counting twice.
pub(crate) fn merge_story(tx: &Transaction, absorbed: &str, into: &str) -> Result<()> {
    type Key = (String, String, String, String, i64, f64);
    let keys: Vec<Key> = tx
        .prepare_cached(
            "SELECT source_actor, target_actor, cameo, day, quad, goldstein FROM dyad_keys WHERE story = ?",
        )?
        .query_map([absorbed], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (source, target, cameo, day, quad, goldstein) in &keys {
        let moved = tx
            .prepare_cached("INSERT OR IGNORE INTO dyad_keys VALUES (?,?,?,?,?,?,?)")?
            .execute(params![into, source, target, cameo, day, quad, goldstein])?;
        if moved == 0 {
            tx.prepare_cached(
                "UPDATE dyad_days SET events = events - 1, goldstein_sum = goldstein_sum - ?7
                 WHERE source_root = ?1 AND target_root = ?2 AND day = ?3 AND source_actor = ?4
                   AND target_actor = ?5 AND quad = ?6",
            )?
            .execute(params![
                root(source),
                root(target),
                day,
                source,
                target,
                quad,
                goldstein
            ])?;
        }
    }
    tx.prepare_cached("DELETE FROM dyad_keys WHERE story = ?")?.execute([absorbed])?;
    Ok(())
}

impl SqliteStore {
    /// The actor pair `a`–`b` (either direction, codes by prefix) over time: per period
    /// (`YYYY-MM-DD`, `YYYY-MM` or `YYYY` when `period_len` is 10, 7 or 4) the number of
    /// distinct events per quad class, reports, and the mean Goldstein score.
    pub fn dyad(&self, a: &str, b: &str, period_len: usize) -> Result<Vec<DyadPoint>> {
        let ((a_lo, a_hi), (b_lo, b_hi)) = (actor_range(a), actor_range(b));
        let (a_root, b_root) = (actor_root(&a_lo), actor_root(&b_lo));
        // Both roots known: a primary-key seek for each direction.
        let sql = if a_root.is_some() && b_root.is_some() { DIRECTION_BY_ROOTS } else { DIRECTION_BY_RANGES };
        let mut stmt = self.conn.prepare_cached(sql)?;
        // The periods are summed here rather than by SQL: two key-ordered index ranges merge
        // without the sort a GROUP BY over both directions would need.
        let mut periods: BTreeMap<String, DyadPoint> = BTreeMap::new();
        let overlap = a_lo.starts_with(&b_lo) || b_lo.starts_with(&a_lo);
        let mut second = false;
        for (from, to) in [
            ((&a_lo, &a_hi, &a_root), (&b_lo, &b_hi, &b_root)),
            ((&b_lo, &b_hi, &b_root), (&a_lo, &a_hi, &a_root)),
        ] {
            let args = params![from.0, from.1, period_len as i64, to.0, to.1, from.2, to.2];
            let mut rows = stmt.query(args)?;
            while let Some(r) = rows.next()? {
                if second && overlap {
                    // Nested ranges (RUS and RUSGOV, say): a row the first direction counted.
                    let (s, t) = (
                        r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)?,
                    );
                    if in_range(s, &a_lo, &a_hi) && in_range(t, &b_lo, &b_hi) {
                        continue;
                    }
                }
                let day = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                let (quad, events, reports): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
                let period = day.get(..period_len).unwrap_or(day);
                let p = match periods.get_mut(period) {
                    Some(p) => p,
                    None => periods
                        .entry(period.to_string())
                        .or_insert_with(|| DyadPoint { period: period.to_string(), ..Default::default() }),
                };
                p.add(quad, events, reports, r.get(4)?);
            }
            second = true;
        }
        Ok(periods
            .into_values()
            .map(|mut p| {
                p.finish();
                p
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_the_first_three_characters() {
        assert_eq!(root("RUSGOV"), "RUS");
        assert_eq!(root("IGOWSTNAT"), "IGO");
        assert_eq!(root("EU"), "EU");
    }

    /// A dyad chart must read the day rows of its two roots alone, never the events table.
    #[test]
    fn a_dyad_seeks_the_day_rows_of_its_roots() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let plan = store.query_plan(DIRECTION_BY_ROOTS).unwrap().join("\n");
        assert!(
            plan.contains("SEARCH dyad_days USING PRIMARY KEY (source_root=? AND target_root=?"),
            "{plan}"
        );
        assert!(!plan.contains("events"), "{plan}");
    }
}

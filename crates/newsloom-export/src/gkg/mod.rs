//! GDELT Global Knowledge Graph 2.1 files: one row per article, with its places (V1/V2
//! Locations), themes (V1/V2 Themes), people, organisations, quotations and V1.5 Tone, in the
//! 27 tab-separated columns of the GKG 2.1 codebook. `DIR/<stamp>.gkg.csv`, no header row.

use std::path::Path;

use newsloom_model::{Analysis, Article, EntityKind};
use newsloom_store::SqliteStore;

pub mod text;

use crate::gdelt::geo;
use crate::manifest::TableCount;
use crate::time::{gdelt_stamp, parse_since};
use crate::{ExportError, Result};

/// The GKG 2.1 columns, in file order.
pub const GKG_COLUMNS: [&str; 27] = [
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
];

/// Column indexes the tests and readers look up.
pub const THEMES: usize = 8;
pub const LOCATIONS: usize = 10;
pub const TONE: usize = 15;

/// `newsloom export --format gkg`: every article (or those stored since `since`) as one GKG row.
pub fn export(store: &SqliteStore, dir: &Path, since: Option<&str>, at_secs: i64) -> Result<TableCount> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError(format!("cannot create {}: {e}", dir.display())))?;
    let after_seq = match since {
        Some(s) => store.seq_before_time(parse_since(s)?)?,
        None => 0,
    };
    let stamp = gdelt_stamp(at_secs);
    let mut table = TableCount { file: format!("{stamp}.gkg.csv"), ..Default::default() };
    let name = table.file.clone();
    store.read_snapshot(|store| {
        crate::gdelt::write_tsv(dir, &name, |w| {
            let mut after = after_seq;
            loop {
                let batch = store.scan_articles(after, 500, false)?;
                let Some((last, _)) = batch.last() else { break };
                after = *last;
                for (seq, article) in batch {
                    match store.analysis(&article.id) {
                        Ok(an) => {
                            crate::gdelt::write_row(w, &row(&stamp, seq, &article, &an))?;
                            table.rows += 1;
                        }
                        Err(e) => table.skip(e.0),
                    }
                }
            }
            Ok(())
        })
    })?;
    Ok(table)
}

/// GKG lists use `;` and `,` (and `#`, `|` inside entries) as separators: none may appear
/// inside a value.
fn clean(s: &str) -> String {
    s.replace([';', ',', '#', '|', '\t', '\n', '\r'], " ")
}

/// Location entries separate their fields with `#` and each other with `;`; their full names
/// keep their commas, as GDELT's do.
fn clean_location(s: &str) -> String {
    s.replace([';', '#', '\t', '\n', '\r'], " ")
}

/// One GKG 2.1 row (27 fields).
pub fn row(stamp: &str, seq: i64, a: &Article, an: &Analysis) -> Vec<String> {
    let mut f = vec![String::new(); 27];
    f[0] = format!("{stamp}-{seq}");
    // V2.1DATE: the publication time when known (YYYYMMDDHHMMSS), else the export's.
    f[1] = a
        .published
        .as_ref()
        .and_then(|p| p.day())
        .map(|d| format!("{}000000", d.replace('-', "")))
        .unwrap_or_else(|| stamp.to_string());
    f[2] = "1".into(); // 1 = WEB
    f[3] = a.source.clone().unwrap_or_default();
    f[4] = a.url.clone().unwrap_or_else(|| format!("newsloom:{}", a.id));
    // Themes are labels of the whole article: their offset is the start of the text.
    f[7] = an.themes.iter().map(|t| clean(&t.code)).collect::<Vec<_>>().join(";");
    f[8] = an.themes.iter().map(|t| format!("{},0", clean(&t.code))).collect::<Vec<_>>().join(";");
    // Each place's GDELT fields once, for both location columns.
    let places: Vec<([String; 7], usize)> =
        an.places.iter().filter_map(|p| Some((geo::fields(p.place.as_ref()?), p.span.start))).collect();
    f[9] = places
        .iter()
        .map(|([kind, name, cc, adm1, lat, lon, id], _)| {
            format!("{kind}#{}#{cc}#{adm1}#{lat}#{lon}#{id}", clean_location(name))
        })
        .collect::<Vec<_>>()
        .join(";");
    f[10] = places
        .iter()
        .map(|([kind, name, cc, adm1, lat, lon, id], at)| {
            format!("{kind}#{}#{cc}#{adm1}##{lat}#{lon}#{id}#{at}", clean_location(name))
        })
        .collect::<Vec<_>>()
        .join(";");
    let named = |kind: EntityKind| {
        let names: Vec<(String, usize)> = an
            .mentions
            .iter()
            .filter(|m| m.kind == kind)
            .filter_map(|m| Some((an.entities.iter().find(|e| e.id == m.entity)?.name.clone(), m.span.start)))
            .collect();
        let mut v1: Vec<String> = names.iter().map(|(n, _)| clean(n)).collect();
        v1.sort();
        v1.dedup();
        let v2: Vec<String> = names.iter().map(|(n, at)| format!("{},{at}", clean(n))).collect();
        (v1.join(";"), v2.join(";"))
    };
    (f[11], f[12]) = named(EntityKind::Person);
    (f[13], f[14]) = named(EntityKind::Organisation);
    // Tone, Positive, Negative, Polarity, Activity Reference Density (not measured: empty),
    // Self/Group Reference Density, Word Count.
    if let Some(t) = &an.tone {
        f[15] = format!(
            "{:.4},{:.4},{:.4},{:.4},,{:.4},{}",
            t.tone, t.positive, t.negative, t.polarity, t.self_group_density, t.word_count
        );
    }
    let dates = text::dates(&a.body);
    f[16] = dates
        .iter()
        .map(|d| format!("{}#{}#{}#{}#{}", d.resolution, d.month, d.day, d.year, d.offset))
        .collect::<Vec<_>>()
        .join(";");
    f[24] = text::amounts(&a.body, &dates)
        .iter()
        .map(|m| format!("{},{},{}", m.amount, clean(&m.object), m.offset))
        .collect::<Vec<_>>()
        .join(";");
    f[22] = an
        .quotes
        .iter()
        .map(|q| {
            let len = q.span.end.saturating_sub(q.span.start);
            format!("{}|{len}|{}|{}", q.span.start, clean(q.cue.as_deref().unwrap_or("")), clean(&q.text))
        })
        .collect::<Vec<_>>()
        .join("#");
    let mut all: Vec<String> = an
        .mentions
        .iter()
        .filter_map(|m| {
            Some(format!("{},{}", clean(&an.entities.iter().find(|e| e.id == m.entity)?.name), m.span.start))
        })
        .collect();
    all.dedup();
    f[23] = all.join(";");
    f[26] = format!("<PAGE_TITLE>{}</PAGE_TITLE>", xml_escape(&a.title));
    f
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_fill_their_gkg_columns() {
        let article = Article {
            id: "a".into(),
            body: "On March 1, 2014, 3,400 troops crossed; in 2015 two ministers resigned.".into(),
            ..Default::default()
        };
        let f = row("20261203103000", 1, &article, &Analysis::default());
        assert_eq!(GKG_COLUMNS[16], "V2.1ENHANCEDDATES");
        assert_eq!(f[16], "4#3#1#2014#3;1#0#0#2015#43");
        assert_eq!(GKG_COLUMNS[24], "V2.1AMOUNTS");
        assert_eq!(f[24], "3400,troops,18;2,ministers,48");
    }
}

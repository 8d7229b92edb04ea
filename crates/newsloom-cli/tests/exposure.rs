//! `newsloom articles` filtered by place, tone and theme, `export --format gkg`, and
//! `serve --tiles` refusing a template it cannot allow, over the ingested seeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn newsloom(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> =
        v.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().into()).collect();
    ids.sort();
    ids
}

fn seeds() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    p.is_dir().then_some(p)
}

#[test]
fn articles_filter_by_place_tone_and_theme_and_gkg_rows_carry_them() {
    let Some(seeds) = seeds() else {
        eprintln!("skipped: ../shared/seeds not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    json(&newsloom(&db, &["--json", "ingest", seeds.to_str().unwrap()]));
    // One article of our own that names no Russian place, so the country filter must narrow.
    let own = dir.path().join("own.jsonl");
    let line = serde_json::json!({
        "title": "Lyon council approves a wonderful new tram line",
        "source": "Rhone Daily",
        "date": "2017-03-02",
        "language": "en",
        "text": "LYON — The city council of Lyon on Thursday approved a new tram line, a great success \
                 for the mayor, who said the happy residents would enjoy it from next spring."
    });
    std::fs::write(&own, format!("{line}\n")).unwrap();
    json(&newsloom(&db, &["--json", "ingest", own.to_str().unwrap()]));
    let all = ids(&json(&newsloom(&db, &["--json", "articles", "--limit", "1000"])));
    let shown: Vec<serde_json::Value> =
        all.iter().map(|id| json(&newsloom(&db, &["--json", "show", id]))["analysis"].clone()).collect();
    let expect = |keep: &dyn Fn(&serde_json::Value) -> bool| {
        all.iter().zip(&shown).filter(|(_, an)| keep(an)).map(|(id, _)| id.clone()).collect::<Vec<_>>()
    };
    let names = |an: &serde_json::Value, key: &str, value: &serde_json::Value| {
        an["places"].as_array().unwrap().iter().any(|p| &p["place"][key] == value)
    };

    let ru = expect(&|an| names(an, "country", &"RU".into()));
    assert!(!ru.is_empty() && ru.len() < all.len(), "{} of {}", ru.len(), all.len());
    assert_eq!(ids(&json(&newsloom(&db, &["--json", "articles", "--country", "ru", "--limit", "1000"]))), ru);
    let moscow = expect(&|an| names(an, "geonameid", &524_901.into()));
    let got = json(&newsloom(&db, &["--json", "articles", "--geonameid", "524901", "--limit", "1000"]));
    assert_eq!(ids(&got), moscow);

    let negative = expect(&|an| an["tone"]["tone"].as_f64().is_some_and(|t| t <= 0.0));
    let got = json(&newsloom(&db, &["--json", "articles", "--tone-max", "0", "--limit", "1000"]));
    assert_eq!(ids(&got), negative);
    let got = json(&newsloom(
        &db,
        &["--json", "articles", "--tone-min", "-1.5", "--tone-max", "1.5", "--limit", "1000"],
    ));
    assert_eq!(
        ids(&got),
        expect(&|an| an["tone"]["tone"].as_f64().is_some_and(|t| (-1.5..=1.5).contains(&t)))
    );

    let themed =
        shown.iter().find_map(|an| an["themes"][0]["code"].as_str()).expect("a themed seed").to_string();
    let got = json(&newsloom(&db, &["--json", "articles", "--theme", &themed, "--limit", "1000"]));
    assert_eq!(
        ids(&got),
        expect(&|an| an["themes"].as_array().unwrap().iter().any(|t| t["code"] == themed.as_str()))
    );

    let bad = newsloom(&db, &["articles", "--country", "Russia"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ISO 3166"));

    // GKG: one row per article; the articles naming places and scored for tone carry them.
    let out = dir.path().join("gkg");
    let table =
        json(&newsloom(&db, &["--json", "export", "--format", "gkg", "--out", out.to_str().unwrap()]));
    assert_eq!(table["rows"].as_u64().unwrap() as usize, all.len());
    let text = std::fs::read_to_string(out.join(table["file"].as_str().unwrap())).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 27));
    // GDELT writes FIPS 10-4 country codes: Russia is `RS`.
    let located = rows.iter().filter(|r| r[10].contains("#RS#")).count();
    assert_eq!(located, ru.len(), "V2ENHANCEDLOCATIONS names Russia wherever the article does");
    assert!(rows.iter().all(|r| r[15].split(',').count() == 7), "V1.5TONE has 7 fields in every row");
}

#[test]
fn serve_refuses_tiles_it_cannot_allow() {
    let dir = tempfile::tempdir().unwrap();
    let out = newsloom(
        dir.path(),
        &["serve", "--addr", "127.0.0.1:0", "--tiles", "https://x.org;script-src */{z}/{x}/{y}"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--tiles"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

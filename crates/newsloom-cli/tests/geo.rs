//! `newsloom places` over ingested seeds, and `newsloom eval geo` on a fixture of our own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn newsloom(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn seeds() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    p.is_dir().then_some(p)
}

#[test]
fn places_lists_moscow_from_the_seeds_and_filters_by_country() {
    let Some(seeds) = seeds() else {
        eprintln!("skipped: ../shared/seeds not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    json(&newsloom(&db, &["--json", "ingest", seeds.to_str().unwrap()]));
    let places = json(&newsloom(&db, &["--json", "places"]));
    let moscow = places.as_array().unwrap().iter().find(|p| p["geonameid"] == 524_901).expect("Moscow");
    assert_eq!(moscow["country"], "RU");
    assert_eq!(moscow["admin1"], "RU.48");
    let ru = json(&newsloom(&db, &["--json", "places", "--country", "RU"]));
    assert!(ru.as_array().unwrap().iter().all(|p| p["country"] == "RU"));
    let bad = newsloom(&db, &["places", "--country", "Russia"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ISO 3166"));
    let text = newsloom(&db, &["places", "--limit", "3"]);
    assert!(text.status.success() && !text.stdout.is_empty());
}

#[test]
fn eval_geo_scores_its_own_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    // Our own text: Moscow resolved right, Paris (Texas) given as the French one counts 0 km
    // only for the right id.
    let line = serde_json::json!({
        "id": "g1", "group": "site-a", "text": "Officials met in Moscow and later flew to Paris, Texas.",
        "toponyms": [
            {"start": 17, "end": 23, "text": "Moscow", "geonameid": 524901, "lat": 55.75, "lon": 37.62,
             "country": {"code": "RU"}, "admin1": {"code": "RU.48"}},
            {"start": 42, "end": 47, "text": "Paris", "geonameid": 4717560, "lat": 33.66, "lon": -95.56,
             "country": {"code": "US"}, "admin1": {"code": "US.TX"}}]
    });
    std::fs::write(&gold, format!("{line}\nnot json\n")).unwrap();
    let bad = newsloom(dir.path(), &["eval", "geo", "--gold", gold.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1), "a malformed gold line is an error with its line number");
    assert!(String::from_utf8_lossy(&bad.stderr).contains(":2:"));
    std::fs::write(&gold, format!("{line}\n")).unwrap();
    let out = dir.path().join("pred.jsonl");
    let m = json(&newsloom(
        dir.path(),
        &[
            "--json",
            "eval",
            "geo",
            "--gold",
            gold.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--folds",
            "2",
        ],
    ));
    assert_eq!(m["task"], "geo");
    assert_eq!(m["detection_r"], 100.0, "{m}");
    assert_eq!(m["country_acc"], 100.0, "{m}");
    assert_eq!(m["e2e_acc161"], 100.0, "{m}");
    let pred = std::fs::read_to_string(&out).unwrap();
    let pred: serde_json::Value = serde_json::from_str(pred.lines().next().unwrap()).unwrap();
    assert_eq!(pred["id"], "g1");
    assert!(
        pred["toponyms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["geonameid"] == 524_901 && t["admin1"] == "RU.48")
    );
}

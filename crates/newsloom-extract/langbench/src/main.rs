//! Throwaway measurement behind the choice in `newsloom_extract::lang`: whatlang vs lingua,
//! accuracy and texts/s on labelled news texts (`lang` + `text`, or `lang1`/`text1` pairs), at
//! the 400-char prefix the extractor uses and at 100 and 40 chars (titles, snippets). lingua
//! is built with only the languages below (its full model set is ~1 GB); whatlang runs with
//! all 69 of its languages and with an allowlist of the same 14.
use std::time::Instant;

use lingua::{IsoCode639_1, Language, LanguageDetectorBuilder};

fn prefix(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn main() {
    let mut items: Vec<(String, String)> = Vec::new();
    for path in std::env::args().skip(1) {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if let (Some(l), Some(t)) = (v["lang"].as_str(), v["text"].as_str()) {
                items.push((l.into(), t.into()));
            }
            for (lk, tk) in [("lang1", "text1"), ("lang2", "text2")] {
                if let (Some(l), Some(t)) = (v[lk].as_str(), v[tk].as_str()) {
                    items.push((l.into(), t.into()));
                }
            }
        }
    }
    items.retain(|(_, t)| t.trim().chars().count() >= 20);
    let mut by = std::collections::BTreeMap::new();
    for (l, _) in &items {
        *by.entry(l.clone()).or_insert(0) += 1;
    }
    println!("{} texts {:?}", items.len(), by);
    let wl_all = whatlang::Detector::new();
    let allow: Vec<whatlang::Lang> = ["eng", "spa", "ita", "nld", "deu", "tur", "pol", "ara", "fra", "por", "rus", "cat", "dan", "swe"]
        .iter()
        .filter_map(|c| whatlang::Lang::from_code(*c))
        .collect();
    let wl_9 = whatlang::Detector::with_allowlist(allow);
    let langs = [
        Language::English, Language::Spanish, Language::Italian, Language::Dutch, Language::German,
        Language::Turkish, Language::Polish, Language::Arabic, Language::French, Language::Portuguese,
        Language::Russian, Language::Catalan, Language::Danish, Language::Swedish,
    ];
    let t = Instant::now();
    let li = LanguageDetectorBuilder::from_languages(&langs).with_preloaded_language_models().build();
    println!("lingua model load {:.2} s", t.elapsed().as_secs_f64());
    let li_low = LanguageDetectorBuilder::from_languages(&langs).with_low_accuracy_mode().with_preloaded_language_models().build();
    let wl_code = |l: whatlang::Lang| -> String {
        let m = [("eng", "en"), ("spa", "es"), ("ita", "it"), ("nld", "nl"), ("deu", "de"), ("tur", "tr"), ("pol", "pl"), ("ara", "ar"), ("fra", "fr")];
        m.iter().find(|(a, _)| *a == l.code()).map_or(l.code().to_string(), |(_, b)| b.to_string())
    };
    let li_code = |l: Language| -> String { let c: IsoCode639_1 = l.iso_code_639_1(); c.to_string() };
    for n in [400usize, 100, 40] {
        let texts: Vec<(&str, &str)> = items.iter().map(|(l, t)| (l.as_str(), prefix(t, n))).collect();
        let run = |name: &str, f: &dyn Fn(&str) -> Option<String>| {
            let t = Instant::now();
            let mut ok = 0;
            for (l, x) in &texts {
                if f(x).as_deref() == Some(*l) {
                    ok += 1;
                }
            }
            let s = t.elapsed().as_secs_f64();
            println!("prefix {n:>3}  {name:<28} acc {:.4}  {:>9.0} texts/s", ok as f64 / texts.len() as f64, texts.len() as f64 / s);
        };
        run("whatlang (all 69 langs)", &|x| wl_all.detect_lang(x).map(wl_code));
        run("whatlang (14-lang allowlist)", &|x| wl_9.detect_lang(x).map(wl_code));
        run("lingua high (14 langs)", &|x| li.detect_language_of(x).map(li_code));
        run("lingua low (14 langs)", &|x| li_low.detect_language_of(x).map(li_code));
    }
}

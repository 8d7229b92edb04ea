use super::*;

#[test]
fn learnt_subjects_on_short_texts() {
    let c = ThemeClassifier::shared();
    assert!(c.model_error().is_none(), "{:?}", c.model_error());
    let main = |t: &str| c.classify(t)[0].code.clone();
    assert_eq!(
        main("The striker scored twice as the club won the league title and the cup final."),
        "medtop:15000000"
    );
    assert_eq!(
        main(
            "Shares fell as the bank reported lower quarterly profits and the company cut its sales forecast."
        ),
        "medtop:04000000"
    );
    assert_eq!(
        main("The film won best picture at the Oscars and the actress thanked the director."),
        "medtop:01000000"
    );
    assert_eq!(
        main("The prime minister told MPs the government would win the election, Labour said."),
        "medtop:11000000"
    );
}

#[test]
fn dictionaries_add_other_subjects_and_themes_with_confidences() {
    let c = ThemeClassifier::shared();
    let text = "Troops and rebels clashed as the military launched airstrikes; the ceasefire collapsed. \
                Soldiers shelled the town and the war spread, while diplomats held talks on a new ceasefire. \
                Protesters marched in the capital against the war.";
    let labels = c.classify(text);
    let get = |code: &str| labels.iter().find(|l| l.code == code);
    let war = get("medtop:16000000").expect("conflict, war and peace");
    assert_eq!(war.label, "conflict, war and peace");
    assert_eq!(war.kind, "iptc");
    assert_eq!(labels[0].code, "medtop:16000000", "{labels:?}");
    assert!(get("ARMEDCONFLICT").is_some_and(|l| l.kind == "theme"));
    assert!(get("PROTEST").is_some());
    assert!(labels.iter().all(|l| (0.0..=1.0).contains(&l.confidence)));
}

#[test]
fn keyword_prefixes_and_phrases_match() {
    let d = dict::Dictionaries::parse("theme\tT\tarrest*,peace talks\n");
    assert_eq!(d.count(&["police", "arrested", "two"]), vec![1]);
    assert_eq!(d.count(&["peace", "talks", "resumed"]), vec![1]);
    assert_eq!(d.count(&["peace", "now"]), vec![0]);
}

#[test]
fn model_file_round_trips() {
    let m = TopicModel::fit(
        [("goal match striker league", "medtop:15000000"), ("shares profit bank market", "medtop:04000000")]
            .into_iter(),
    );
    let back = TopicModel::from_bytes(&m.to_bytes()).unwrap();
    assert_eq!(back.classes, m.classes);
    let p = back.posterior(&["striker", "goal"]);
    assert!(p[0] > p[1]);
    assert!(TopicModel::from_bytes(b"junk").is_err());
}

#[test]
fn eval_on_a_tiny_fixture_with_folds() {
    let dir = std::env::temp_dir().join(format!("newsloom-themes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gold = dir.join("bbc.jsonl");
    let mut lines = Vec::new();
    for i in 0..10 {
        let (text, code) = if i % 2 == 0 {
            ("The striker scored a goal and the team won the match in the league.", "medtop:15000000")
        } else {
            ("The bank said profits rose and shares gained on the stock market.", "medtop:04000000")
        };
        lines.push(format!(r#"{{"id":"b{i}","group":"g{i}","text":"{text}","iptc":{{"code":"{code}"}}}}"#));
    }
    std::fs::write(&gold, lines.join("\n")).unwrap();
    let out = dir.join("pred.jsonl");
    let r = eval(&gold, Some(5), Some(&out)).unwrap();
    assert_eq!(r.metrics["n"], 10);
    assert_eq!(r.metrics["accuracy"], 100.0);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 10);
}

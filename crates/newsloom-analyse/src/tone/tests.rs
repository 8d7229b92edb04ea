use super::*;
use newsloom_model::EntityKind;

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn negation_flips_and_damps_a_sentiment_word() {
    let lex = Lexicon::shared();
    let good = lex.contextual_valences(&words("the plan is good"))[3];
    let not_good = lex.contextual_valences(&words("the plan is not good"))[4];
    assert!(good > 0.0);
    assert!(not_good < 0.0 && not_good.abs() < good, "{not_good} vs {good}");
    // "n't" as the tokeniser splits it negates too.
    let tokens = words("it was n't good");
    assert!(lex.contextual_valences(&tokens)[3] < 0.0);
}

#[test]
fn intensifiers_boost_and_dampeners_weaken() {
    let lex = Lexicon::shared();
    let bad = lex.contextual_valences(&words("a bad result"))[1];
    let very_bad = lex.contextual_valences(&words("a very bad result"))[2];
    let slightly_bad = lex.contextual_valences(&words("a slightly bad result"))[2];
    assert!(very_bad < bad && bad < slightly_bad && slightly_bad < 0.0, "{very_bad} {bad} {slightly_bad}");
    assert!(lex.compound(&words("a very good result")) > lex.compound(&words("a good result")));
}

#[test]
fn but_shifts_weight_to_the_second_clause() {
    let lex = Lexicon::shared();
    assert!(lex.compound(&words("the food was good but the service was terrible")) < 0.0);
}

#[test]
fn article_tone_counts_words_like_v2tone() {
    let t = ToneAnalyser::shared().article_tone("We welcomed the peace deal. The attack killed five people.");
    assert_eq!(t.word_count, 10);
    // welcomed, peace (+); attack, killed (-): 2 of 10 words each way.
    assert!((t.positive - 20.0).abs() < 1e-3, "{t:?}");
    assert!((t.negative - 20.0).abs() < 1e-3, "{t:?}");
    assert!(t.tone.abs() < 1e-3 && (t.polarity - 40.0).abs() < 1e-3);
    assert!((t.self_group_density - 10.0).abs() < 1e-3); // "We"
    assert_eq!(ToneAnalyser::shared().article_tone("").word_count, 0);
}

#[test]
fn target_tone_follows_what_is_said_about_each_person() {
    let tone = ToneAnalyser::shared();
    assert!(tone.model_error().is_none(), "{:?}", tone.model_error());
    let s = "Critics accused Smith of corruption and lies.";
    let p = tone.target_in_sentence(s, 16, 21).unwrap();
    assert_eq!(argmax(p), 0, "Smith is attacked: {p:?}");
    let s = "Jones was praised for her courageous and admirable leadership.";
    let p = tone.target_in_sentence(s, 0, 5).unwrap();
    assert_eq!(argmax(p), 2, "Jones is praised: {p:?}");
}

#[test]
fn mention_tones_match_the_per_sentence_scores() {
    // The analyser sums the sentence's bag once and takes the target's words off: it must give
    // what the training features give for the same sentence.
    let tone = ToneAnalyser::shared();
    let body = "The weather was mild.\n\nCritics accused Smith of corruption, while Jones was praised.";
    let mention = |text: &str, start: usize| Mention {
        entity: format!("person:{}", text.to_lowercase()),
        text: text.into(),
        kind: EntityKind::Person,
        span: Span::new("a", start, start + text.len()),
        confidence: 0.9,
    };
    let ms = vec![mention("Smith", 39), mention("Jones", 65)];
    assert_eq!(&body[39..44], "Smith");
    let (t, tones) = tone.analyse("a", body, &ms);
    assert!(t.word_count > 0);
    assert_eq!(tones.len(), 2);
    let sentence = &body[23..];
    for (m, mt) in ms.iter().zip(&tones) {
        let p = tone.target_in_sentence(sentence, m.span.start - 23, m.span.end - 23).unwrap();
        assert!((mt.score - (p[2] - p[0])).abs() < 1e-4, "{mt:?} vs {p:?}");
        assert_eq!(mt.span, m.span);
    }
}

#[test]
fn model_file_round_trips_and_rejects_garbage() {
    let lex = Lexicon::shared();
    let rows: Vec<train::SentenceRow> = [
        r#"{"id":"1","article":"a","text":"Smith was praised for great work.","targets":[{"id":"1a","start":0,"end":5,"polarity":1}]}"#,
        r#"{"id":"2","article":"b","text":"Smith was blamed for the awful failure.","targets":[{"id":"2a","start":0,"end":5,"polarity":-1}]}"#,
        r#"{"id":"3","article":"c","text":"Smith met the committee on Tuesday.","targets":[{"id":"3a","start":0,"end":5,"polarity":0}]}"#,
    ]
    .iter()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let ex = train::examples(lex, rows.iter());
    let model =
        train_from_examples(&ex, TrainConfig { epochs: 30, learning_rate: 0.5, ..Default::default() });
    let back = ToneModel::from_bytes(&model.to_bytes()).unwrap();
    // Dense (word vector) rows are kept too, under their keys above the hashed buckets.
    assert_eq!(back.len(), model.len());
    assert!(ex[0].features.iter().any(|&(k, _)| k as usize >= features::BUCKETS));
    for e in &ex {
        let (a, b) = (model.probabilities(&e.features), back.probabilities(&e.features));
        assert_eq!(argmax(a), e.class);
        assert_eq!(argmax(b), e.class);
        assert!((0..NC).all(|c| (a[c] - b[c]).abs() < 0.01), "{a:?} {b:?}");
    }
    assert!(ToneModel::from_bytes(b"not gzip").is_err());
}

fn fixture(name: &str, lines: &[&str]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("newsloom-tone-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.jsonl"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn eval_scores_a_tiny_newsmtsc_fixture_and_writes_predictions() {
    let mut lines = Vec::new();
    for i in 0..12 {
        let (text, pol) = match i % 3 {
            0 => ("Smith was praised for his wonderful and brilliant work.", 1),
            1 => ("Smith was condemned for the terrible, disastrous failure.", -1),
            _ => ("Smith met the committee on Tuesday afternoon.", 0),
        };
        lines.push(format!(
            r#"{{"id":"s{i}","set":"train","article":"art{i}","text":"{text}","targets":[{{"id":"t{i}","start":0,"end":5,"polarity":{pol}}}]}}"#
        ));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let gold = fixture("nm", &refs);
    let out = gold.with_extension("pred.jsonl");
    let r = eval(&gold, Some(3), Some(&out)).unwrap();
    let all = &r.metrics["rows"]["all"];
    assert_eq!(all["n"], 12);
    // Each fold holds out whole articles; the three sentence kinds are easy to tell apart.
    assert!(all["F1m"].as_f64().unwrap() > 90.0, "{all}");
    let preds = std::fs::read_to_string(&out).unwrap();
    assert_eq!(preds.lines().count(), 12);
    assert!(preds.lines().next().unwrap().contains(r#""id":"t0""#));
    assert!(eval(&gold, Some(1), None).is_err());
}

#[test]
fn eval_rejects_unknown_formats() {
    let gold = fixture("bad", &[r#"{"id":"x","text":"no labels"}"#]);
    assert!(eval(&gold, None, None).unwrap_err().contains("neither"));
}

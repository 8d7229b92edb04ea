use super::super::QuoteExtractor;
use super::super::gold::{GoldArticle, GoldAttribution, GoldSpans};
use super::super::text::{CharMap, Doc};
use super::*;
use std::sync::Arc;

#[test]
fn shipped_model_loads() {
    let m = QuoteModel::from_gz(QuoteModel::shipped_bytes()).expect("shipped quote model loads");
    assert!(m.len() > 1000, "{m:?}");
    assert!(m.threshold < 0.0 && m.floor < m.threshold, "{m:?}");
    assert!(m.cue2.as_ref().is_some_and(|w| w.len() > 1000), "no second pass: {m:?}");
    assert!(m.end.as_ref().is_some_and(|w| w.len() > 1000), "no end scorer: {m:?}");
    assert!(QuoteModel::shipped().is_some());
}

#[test]
fn second_pass_reads_the_strong_neighbours_only() {
    let d = Doc::new("Budget talks\n\nAnn Lutz said the deal, which Bo Park told reporters about, was dead.");
    let ws = cue::Words::new(&d);
    let (said, told, about) = (at(&d, "said"), at(&d, "told"), at(&d, "about"));
    let feats = |cands: &[(usize, f32)], k: usize| {
        let mut f = Vec::new();
        cue::stack_features(&ws, k, &cue::StackGroup::new(&d, cands), &mut f);
        f
    };
    let base = feats(&[(said, 4.0), (told, 3.0)], 0);
    // A candidate the first pass gives no chance changes nothing…
    assert_eq!(base, feats(&[(said, 4.0), (told, 3.0), (about, -5.0)], 0));
    // …a likely one does, as does the candidate's own score.
    assert_ne!(base, feats(&[(said, 4.0), (told, -1.5)], 0));
    assert_ne!(base, feats(&[(said, -0.5), (told, 3.0)], 0));
}

#[test]
fn end_scorer_reads_the_breaks_after_the_cue_and_moves_only_right_hand_contents() {
    let d = Doc::new("Budget talks\n\nAnn Lutz discussed her sentence on Fox News, and she left early.");
    let ws = cue::Words::new(&d);
    let (cue, on, comma) = (at(&d, "discussed"), at(&d, "on"), at(&d, ","));
    let sent = d.sents[d.sents.len() - 1];
    let mut pos = Vec::new();
    ends::positions(&d, &ws, sent, cue, &mut pos);
    let se = super::super::find::trim_end(&d, sent.a, sent.b);
    // The preposition, the comma, `and` and the sentence end; never the cue itself.
    assert!(pos.contains(&on) && pos.contains(&comma) && pos.last() == Some(&se), "{pos:?}");
    assert!(pos.iter().all(|&b| b > cue + 1) && pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    let right = |b: usize| content::Cand {
        pieces: vec![(cue + 1, b)],
        side: content::Side::Right,
        nth_end: 0,
        inner: f32::NEG_INFINITY,
    };
    let left = content::Cand {
        pieces: vec![(sent.a, cue)],
        side: content::Side::Left,
        nth_end: 0,
        inner: f32::NEG_INFINITY,
    };
    let cands = [right(on), right(se), left];
    let mut scores = [1.0, 1.0, 1.0];
    ends::adjust(&cands, &[(on, 2.0), (comma, 0.5), (se, -1.0)], &mut scores);
    // The best end keeps its score, a worse one loses the gap, the left-hand content is as scored.
    assert_eq!(scores, [1.0, -2.0, 1.0]);
}

#[test]
fn broken_model_files_are_errors() {
    assert!(QuoteModel::from_gz(b"junk").is_err());
    let gz = QuoteModel::shipped().unwrap().to_gz().unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut raw).unwrap();
    raw.truncate(raw.len() / 2);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &raw).unwrap();
    assert!(QuoteModel::from_gz(&enc.finish().unwrap()).is_err());
}

/// A made-up article where `harrumphed` (a word the rules' lexicon lacks) is a speech cue.
fn article(i: usize) -> GoldArticle {
    let names = ["Ann Lutz", "Bo Park", "Cy Dunn", "Di Ames"];
    let name = names[i % names.len()];
    let claim = format!("the budget for year {i} was a disgrace");
    let text = format!("Budget talks\n\n{name} harrumphed that {claim}. The weather was mild on day {i}.");
    let chars = |s: &str| {
        let b = text.find(s).unwrap();
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let span = |s: &str| GoldSpans { spans: vec![chars(s)], text: s.to_string() };
    let content = format!("that {claim}");
    GoldArticle {
        id: format!("a{i}"),
        publisher: ["p1", "p2", "p3"][i % 3].to_string(),
        attributions: vec![GoldAttribution {
            kind: "indirect".into(),
            source: Some(span(name)),
            cue: Some(span("harrumphed")),
            content: span(&content),
        }],
        text,
    }
}

#[test]
fn training_learns_a_cue_the_rules_lack_and_the_model_round_trips() {
    let records: Vec<GoldArticle> = (0..30).map(article).collect();
    let rules = crate::quotes::evaluate(&QuoteExtractor::rules_only(), &records);
    assert_eq!(rules.f1("all"), 0.0, "the rules should not know `harrumphed`");
    let model = train(&records, &TrainConfig::default());
    // The first pass reads the cue word and skips words that never carried one.
    assert!(model.words.contains("harrumphed") && !model.words.contains("weather"));
    let back = QuoteModel::from_gz(&model.to_gz().unwrap()).unwrap();
    assert_eq!(back.len(), model.len());
    assert_eq!(back.threshold, model.threshold);
    let held_out: Vec<GoldArticle> = (100..110).map(article).collect();
    let learnt = crate::quotes::evaluate(&QuoteExtractor::with_model(Arc::new(back)), &held_out);
    assert_eq!(learnt.f1("all"), 1.0);
    assert_eq!(learnt.speaker_acc("all"), 1.0);
}

#[test]
fn folds_never_split_a_publisher() {
    let records: Vec<GoldArticle> = (0..30).map(article).collect();
    let folds = train::publisher_folds(&records, 2);
    for (r, f) in records.iter().zip(&folds) {
        for (r2, f2) in records.iter().zip(&folds) {
            if r.publisher == r2.publisher {
                assert_eq!(f, f2);
            }
        }
    }
    assert!(folds.contains(&0) && folds.contains(&1));
}

/// Token index of the first token equal to `w`.
fn at(d: &Doc, w: &str) -> usize {
    (0..d.toks.len()).find(|&i| d.tok(i) == w).unwrap_or_else(|| panic!("no token {w}"))
}

#[test]
fn cue_anchor_skips_auxiliaries_determiners_and_time_words() {
    let d = Doc::new("Kelin has also said that a call for calm on Monday warned nobody.");
    let said = at(&d, "said");
    assert_eq!(align::anchor(&d, (at(&d, "has"), said + 1)), said);
    assert_eq!(align::anchor(&d, (at(&d, "a"), at(&d, "for") + 1)), at(&d, "call"));
    assert_eq!(align::anchor(&d, (at(&d, "on"), at(&d, "warned") + 1)), at(&d, "warned"));
    // Nothing but function words: the first token.
    assert_eq!(align::anchor(&d, (at(&d, "on"), at(&d, "on") + 1)), at(&d, "on"));
}

#[test]
fn gold_spans_map_onto_tokens_and_overlap_counts_characters() {
    let text = "Über Kelin said “we agree” today.";
    let d = Doc::new(text);
    let cm = CharMap::new(text);
    let tc = align::TokChars::new(&d, &cm);
    // Characters 5..10 are `Kelin` (the `Ü` is one character, two bytes).
    assert_eq!(tc.range((5, 10)), Some((1, 2)));
    // A span starting inside a token takes the whole token; an empty one maps to nothing.
    assert_eq!(tc.range((6, 15)), Some((1, 3)));
    assert_eq!(tc.range((10, 10)), None);
    assert_eq!(tc.char_span((1, 3)), (5, 15));
    assert_eq!(align::overlap(&[(0, 10)], &[(5, 10)]), 0.5);
    assert_eq!(align::overlap(&[(0, 4), (6, 10)], &[(0, 10)]), 0.8);
    assert_eq!(align::overlap(&[(0, 4)], &[(4, 8)]), 0.0);
}

#[test]
fn content_candidates_stop_short_of_other_cues() {
    let d = Doc::new("Lutz said the bridge will close, and Park warned the tolls will rise.");
    let said = at(&d, "said");
    let warned = at(&d, "warned");
    let ws = cue::Words::new(&d);
    let mut cands = Vec::new();
    let text = |c: &content::Cand| {
        c.pieces.iter().map(|&(a, b)| &d.text[d.toks[a].s..d.toks[b - 1].e]).collect::<Vec<_>>().join(" | ")
    };
    // Without other cues, the content may run to the sentence end.
    content::candidates(&d, 0, said, None, &[], f32::INFINITY, &ws, &mut cands);
    let all: Vec<String> = cands.iter().map(text).collect();
    assert!(all.contains(&"the bridge will close".to_string()), "{all:?}");
    assert!(all.iter().any(|t| t.ends_with("the tolls will rise")), "{all:?}");
    // A confident cue inside blocks the longer reading; a weak one only marks it.
    let cues = [(said, 3.0), (warned, 3.0)];
    content::candidates(&d, 0, said, None, &cues, 2.0, &ws, &mut cands);
    let blocked: Vec<String> = cands.iter().map(text).collect();
    assert!(blocked.contains(&"the bridge will close".to_string()), "{blocked:?}");
    assert!(!blocked.iter().any(|t| t.contains("warned")), "{blocked:?}");
    content::candidates(&d, 0, said, None, &cues, f32::INFINITY, &ws, &mut cands);
    let long = cands.iter().find(|c| text(c).ends_with("will rise")).expect("the long reading stays");
    assert_eq!(long.inner, 3.0);
    let short = cands.iter().find(|c| text(c) == "the bridge will close").unwrap();
    assert_eq!(short.inner, f32::NEG_INFINITY);
}

#[test]
fn speaker_candidates_hold_the_subject_the_inverted_phrase_and_none() {
    let d = Doc::new("The new rules are unfair, said the union, which Ann Lutz leads.");
    let said = at(&d, "said");
    let mut cands = Vec::new();
    let content = [(0, at(&d, ","))];
    let ws = cue::Words::new(&d);
    speaker::candidates(&d, &ws, 0, (said, said + 1), None, &content, &mut cands);
    assert!(cands.iter().any(|c| c.span.is_none()));
    let inv = cands.iter().find(|c| c.inverted).expect("the phrase after the cue");
    let (s, e) = inv.span.unwrap();
    assert_eq!(&d.text[d.toks[s].s..d.toks[e - 1].e], "the union");
    assert_eq!(inv.rank, 0);
    // Nothing inside the content (`The new rules`) is offered as its speaker.
    assert!(cands.iter().all(|c| c.span.is_none_or(|(s, _)| s >= content[0].1)));
    let lutz = cands.iter().find(|c| c.span.is_some_and(|(s, _)| d.tok(s) == "Ann")).expect("a name");
    assert!(lutz.rank > 0);
}

/// The speaker candidates of the cue `cue` in the one-sentence text `text`, as strings.
fn speaker_texts(text: &str, cue: &str) -> Vec<String> {
    let d = Doc::new(text);
    let i = at(&d, cue);
    let ws = cue::Words::new(&d);
    let mut cands = Vec::new();
    speaker::candidates(&d, &ws, 0, (i, i + 1), None, &[], &mut cands);
    cands
        .iter()
        .filter_map(|c| c.span)
        .map(|(s, e)| d.text[d.toks[s].s..d.toks[e - 1].e].to_string())
        .collect()
}

#[test]
fn speaker_candidates_reach_sources_without_capitals() {
    let has = |text: &str, cue: &str, source: &str| {
        let got = speaker_texts(text, cue);
        assert!(got.iter().any(|t| t == source), "{text}: {source:?} not in {got:?}");
    };
    // A pronoun fused with its auxiliary is the cue word and the speaker at once.
    has("He’s predicting big wins in the races ahead.", "He’s", "He’s");
    // A passive cue's agent, up to a clause word.
    has(
        "Trump was criticized by some of his rivals for failing to campaign.",
        "criticized",
        "some of his rivals",
    );
    // The words right before the cue, lower case as they are.
    has("Polls closed late, and multiple reports reveal a tie.", "reveal", "multiple reports");
    // Quantifiers and possessives.
    has("The bill passed, though some say it is too late.", "say", "some");
    has("Jewish leaders were angered by his comments on Muslims.", "comments", "his");
    // Contractions of other words are no pronouns.
    assert!(
        !speaker_texts("It’s about whether he is a fringe candidate.", "It’s").iter().any(|t| t == "It’s")
    );
}

#[test]
fn cue_features_generalise_over_inflections() {
    assert_eq!(cue::stem("supported"), "support");
    assert_eq!(cue::stem("supports"), "support");
    assert_eq!(cue::stem("supporting"), "support");
    // Too short to strip.
    assert_eq!(cue::stem("was"), "was");
    let d = Doc::new("Lutz supported the plan. Park supports the plan.");
    let uses = vec![cue::RuleUse::None; d.toks.len()];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let ws = cue::Words::new(&d);
    cue::features(&d, &ws, d.sents[0], at(&d, "supported"), uses[0], &mut a);
    cue::features(&d, &ws, d.sents[1], at(&d, "supports"), uses[0], &mut b);
    let shared = a.iter().filter(|f| b.contains(f)).count();
    assert!(shared >= 10 && shared < a.len(), "{shared} of {}", a.len());
}

#[test]
fn feature_keys_separate_their_pieces() {
    use perceptron::Key;
    assert_ne!(Key::new(1).s("ab").s("c").get(), Key::new(1).s("a").s("bc").get());
    assert_ne!(Key::new(1).s("a").get(), Key::new(2).s("a").get());
    assert_ne!(Key::new(1).n(1).get(), Key::new(1).n(256).get());
    assert_eq!(Key::new(3).s("x").n(2).get(), Key::new(3).s("x").n(2).get());
}

#[test]
fn latent_perceptron_moves_toward_any_right_option() {
    use perceptron::{Key, Trainer};
    let f = |s: &str| vec![Key::new(0).s(s).get()];
    let options = [f("long"), f("short"), f("other")];
    let mut t = Trainer::new(10);
    // First the third is right, then either of the first two: the third stops winning.
    assert!(t.learn_any(&options, &[false, false, true]));
    assert!(!t.learn_any(&options, &[false, false, true]));
    for _ in 0..5 {
        t.learn_any(&options, &[true, true, false]);
    }
    assert!(!t.learn_any(&options, &[true, true, false]));
    let w = t.averaged(0.0);
    assert!(w.score(&options[2]) < w.score(&options[0]).max(w.score(&options[1])));
}

#[test]
fn clusters_are_looked_up_as_the_ner_table_keys_them() {
    use crate::ner::clusters::{Clusters, lower_form};
    use crate::ner::features::hash_bytes;
    let mut known = 0;
    for tok in ["said", "Said", "told", "Trump’s", "1990s", "co-chair", "Über", "warned", "the"] {
        let expect = Clusters::shipped().get(hash_bytes(lower_form(tok).as_bytes()));
        assert_eq!(cue::cluster(tok), expect, "{tok}");
        known += (expect != 0) as usize;
    }
    assert!(known >= 5, "the shipped table should know most of these words");
}

#[test]
fn cached_span_scores_equal_the_full_feature_sums() {
    // The shipped model's weights, on a sentence with right, left and quoted readings.
    let m = QuoteModel::shipped().expect("shipped model");
    let d = Doc::new("The bridge will close, Lutz said on Friday, and the council warned of “chaos” ahead.");
    let ws = cue::Words::new(&d);
    let said = at(&d, "said");
    let mut cands = Vec::new();
    content::candidates(&d, 0, said, None, &[(said, 3.0)], f32::INFINITY, &ws, &mut cands);
    assert!(cands.len() > 10, "{}", cands.len());
    let ctx = content::SpanCtx::new(&d, &ws, 0, said, cue::RuleUse::None, None, None);
    let mut cached = Vec::new();
    ctx.scores(&cands, &m.span, &mut cached);
    let mut feats = Vec::new();
    for (c, s) in cands.iter().zip(&cached) {
        ctx.features(c, &mut feats);
        assert!((m.span.score(&feats) - s).abs() < 1e-3, "{c:?}");
    }
    // Some readings score apart: the weights are in use.
    assert!(cached.iter().any(|&s| (s - cached[0]).abs() > 0.1));
}

#[test]
fn first_pass_keeps_every_cue_and_drops_only_words_never_seen_as_one() {
    // The shipped model with its cue-word first pass, and the same model reading every word.
    let m = QuoteModel::shipped().expect("shipped model");
    let text = "Budget talks stall\n\n\
        The finance minister said on Monday that the budget would be cut. \
        According to officials, the talks collapsed late at night. \
        Ann Lutz, who leads the union, warned that strikes could follow, and Bo Park told \
        reporters the deal was dead. “We will not sign,” he added. \
        The council claims the plan is illegal, while critics argued it never had support. \
        Park believes the vote will fail. The weather was mild and the trains ran on time. \
        She denied the report: it was false, a spokesman insisted. \
        Lawmakers urged calm and called for new elections in the spring.";
    let d = Doc::new(text);
    let ws = cue::Words::new(&d);
    let mut every = m.clone();
    every.words = cue::CueWords::default();
    for i in 0..d.toks.len() {
        every.words.insert(cue::stem(ws.lower(i)).to_string());
    }
    let hits = crate::quotes::find::find_hits(&d);
    let read = |hs: Vec<crate::quotes::find::Hit>| -> Vec<(usize, String)> {
        hs.iter()
            .filter_map(|h| {
                let p: Vec<&str> =
                    h.content.iter().map(|&(a, b)| &d.text[d.toks[a].s..d.toks[b - 1].e]).collect();
                Some((h.cue?.0, format!("{:?} {}", h.speaker, p.join(" | "))))
            })
            .collect()
    };
    let filtered = read(m.apply(&d, hits.clone()));
    let full = read(every.apply(&d, hits));
    // Every cue of the fixture is read, with the same content and speaker as without the pass.
    let cues: Vec<&str> = filtered.iter().map(|(c, _)| d.tok(*c)).collect();
    for w in [
        "said",
        "According",
        "warned",
        "told",
        "added",
        "claims",
        "argued",
        "believes",
        "denied",
        "urged",
        "called",
    ] {
        assert!(cues.contains(&w), "{w} missing: {filtered:#?}");
    }
    for f in &filtered {
        assert!(full.contains(f), "{f:?} not found without the first pass: {full:#?}");
    }
    // What only the full tagger finds hangs on words the first pass rightly skips.
    for (c, _) in full.iter().filter(|f| !filtered.contains(f)) {
        assert!(!m.words.contains(ws.lower(*c)), "{} was skipped", d.tok(*c));
    }
}

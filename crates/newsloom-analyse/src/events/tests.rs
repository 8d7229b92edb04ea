use super::*;

/// Dev-set scores: `NEWSLOOM_EVENTS_GOLD=... cargo test --release -p newsloom-analyse
/// events::tests::dev_eval -- --ignored --nocapture` (both gold files when unset).
#[test]
#[ignore]
fn dev_eval() {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/events/");
    let golds = match std::env::var("NEWSLOOM_EVENTS_GOLD") {
        Ok(g) => vec![g],
        Err(_) => {
            vec![format!("{base}petrarch-gsr-dev.jsonl"), format!("{base}petrarch2-unittest-dev.jsonl")]
        }
    };
    for g in golds {
        let r = eval(std::path::Path::new(&g)).unwrap();
        println!("{g}\n{}", r.human);
    }
}

/// Debug helper: `NEWSLOOM_Q="text" cargo test events::tests::show -- --ignored --nocapture`.
#[test]
#[ignore]
fn show() {
    let body = std::env::var("NEWSLOOM_Q").unwrap_or_default();
    let c = match std::env::var("NEWSLOOM_DICTS") {
        Ok(dir) => {
            let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
            EventCoder::with_dictionaries(
                &read("PETR.Validate.verbs.txt"),
                &[&read("PETR.Validate.actors.txt")],
                &read("PETR.Validate.agents.txt"),
                &read("PETR.Validate.discards.txt"),
            )
        }
        Err(_) => EventCoder::new(),
    };
    let ws = coder::words(&body);
    let actors = c.dicts.actors(&ws, Some(20170104));
    for a in &actors {
        println!("ACTOR {:?} {}", ws[a.s..a.e].iter().map(|w| w.w.as_str()).collect::<Vec<_>>(), a.code);
    }
    for e in c.code("t", &body, Some("2017-01-04"), None) {
        println!(
            "{} -> {:?} {} neg={} date={:?} {:?}",
            e.source_actor,
            e.target_actor,
            e.cameo,
            e.negated,
            e.date,
            e.span.slice(&body)
        );
    }
}

fn coder() -> EventCoder {
    EventCoder::new()
}

#[test]
fn codes_source_target_and_pattern() {
    let body = "Russia accused Ukraine of shelling the city. The talks went well.";
    let ev = coder().code("t", body, Some("2017-01-04"), None);
    let e = ev.iter().find(|e| e.cameo == "112").expect("an accusation");
    assert_eq!(e.source_actor, "RUS");
    assert_eq!(e.target_actor.as_deref(), Some("UKR"));
    assert_eq!(e.quad_class, newsloom_model::QuadClass::VerbalConflict);
    assert!(e.goldstein < 0.0);
    assert_eq!(e.plover.as_deref(), Some("ACCUSE"));
    assert_eq!(e.span.slice(body), Some("Russia accused Ukraine of shelling the city."));
    assert_eq!(e.date.as_deref(), Some("2017-01-04"));
}

#[test]
fn passive_with_by_swaps_roles() {
    let ev = coder().code("t", "The embassy of France was attacked by Iranian protesters.", None, None);
    assert!(
        ev.iter().any(|e| e.source_actor.starts_with("IRN")
            && e.target_actor.as_deref().is_some_and(|t| t.starts_with("FRA"))),
        "{ev:?}"
    );
}

#[test]
fn negation_and_intent() {
    let ev = coder().code("t", "Germany did not attack Poland.", None, None);
    assert!(ev.iter().all(|e| e.negated), "{ev:?}");
    let ev = coder().code("t", "Germany expressed a desire to restore relations with Poland.", None, None);
    assert!(
        ev.iter().any(|e| e.cameo.starts_with("03") && e.target_actor.as_deref() == Some("POL")),
        "{ev:?}"
    );
    let ev = coder().code("t", "Germany wants to attack Poland.", None, None);
    assert!(ev.iter().any(|e| e.cameo == "138"), "{ev:?}");
}

#[test]
fn compound_subjects_meet_each_other() {
    let ev = coder().code("t", "France and Germany met on Monday.", None, None);
    let dyads: Vec<_> = ev.iter().map(|e| (e.source_actor.as_str(), e.target_actor.as_deref())).collect();
    assert!(dyads.contains(&("FRA", Some("DEU"))) && dyads.contains(&("DEU", Some("FRA"))), "{dyads:?}");
}

#[test]
fn compound_subjects_without_target_only_cooperate() {
    // PETRARCH2's `get_events` pairs the members of a compound source with each other only
    // for cooperation (roots 03–06): two victims were not fighting each other.
    let ev = coder().code("t", "France and Germany were fighting on Monday.", None, None);
    assert!(ev.is_empty(), "{ev:?}");
    let ev = coder().code("t", "Two Russian soldiers and a Ukrainian civilian were killed.", None, None);
    assert!(ev.is_empty(), "{ev:?}");
}

#[test]
fn passive_source_comes_from_by_from_or_in() {
    // No BY/FROM/IN actor: the subject was acted on, so it is not the source.
    let ev = coder().code("t", "Two French soldiers were rushed to a hospital in Kabul.", None, None);
    assert!(ev.iter().all(|e| !e.source_actor.starts_with("FRA")), "{ev:?}");
    let ev = coder().code("t", "A Russian general was attacked at the embassy of Turkey.", None, None);
    assert!(ev.iter().all(|e| !e.source_actor.starts_with("TUR")), "{ev:?}");
    // Where it happened stands for the source (`killed in Ukraine`).
    let ev = coder().code("t", "Ten Russian soldiers were killed in Ukraine.", None, None);
    assert!(
        ev.iter().any(|e| e.source_actor == "UKR" && e.target_actor.as_deref() == Some("RUSMIL")),
        "{ev:?}"
    );
    // The subject of an agentless passive is the subject of the verb chained to it.
    let ev =
        coder().code("t", "Obama is scheduled to attend a summit in Switzerland.", Some("2015-06-09"), None);
    assert!(
        ev.iter().any(|e| e.source_actor == "USAGOV" && e.target_actor.as_deref() == Some("CHE")),
        "{ev:?}"
    );
}

#[test]
fn passive_source_phrase_belongs_to_the_verb() {
    // A BY/FROM/IN phrase inside another phrase or clause is not the passive's source.
    for body in [
        "Four Russian soldiers were injured after a shooting in Ukraine.",
        "Two Russian soldiers were shot, the army said in Ukraine.",
        "Two Russian soldiers were taken to a hospital near the border in Ukraine.",
        "Two Russian soldiers were shot at a wedding in Ukraine.",
    ] {
        let ev = coder().code("t", body, None, None);
        assert!(ev.iter().all(|e| e.source_actor != "UKR"), "{body}: {ev:?}");
    }
    // A time phrase does not hold the phrase after it.
    let ev = coder().code("t", "Ten Russian soldiers were killed on Friday in Ukraine.", None, None);
    assert!(
        ev.iter().any(|e| e.source_actor == "UKR" && e.target_actor.as_deref() == Some("RUSMIL")),
        "{ev:?}"
    );
}

#[test]
fn participle_after_and_shares_the_passive() {
    // `were injured and taken to …`: the victims are not the actors of `taken`.
    let ev = coder().code("t", "Two Russian soldiers were injured and taken to Ukraine.", None, None);
    assert!(ev.iter().all(|e| !e.source_actor.starts_with("RUS")), "{ev:?}");
    // The coordinated participle still takes a source from its own BY phrase.
    let ev = coder().code("t", "Two Russian soldiers were shot and killed by Ukraine.", None, None);
    assert!(
        ev.iter().any(|e| e.source_actor == "UKR" && e.target_actor.as_deref() == Some("RUSMIL")),
        "{ev:?}"
    );
}

#[test]
fn dateline_places_the_bare_agents() {
    // The dateline's country goes with the subject's agents, as PETRARCH2 mixes them in one NP.
    let body = "KABUL, Afghanistan (AP) - Police arrested two Russian soldiers.";
    let ev = coder().code("t", body, None, None);
    assert!(
        ev.iter().any(|e| e.source_actor == "AFGCOP" && e.target_actor.as_deref() == Some("RUSMIL")),
        "{ev:?}"
    );
    // The generic people agent still gives way to a specific one once both are placed.
    let body = "KABUL, Afghanistan (AP) - Two children and a man were killed by Russian soldiers.";
    let ev = coder().code("t", body, None, None);
    assert!(ev.iter().any(|e| e.target_actor.as_deref() == Some("AFGCVL")), "{ev:?}");
    assert!(ev.iter().all(|e| e.target_actor.as_deref() != Some("AFGPPL")), "{ev:?}");
    // A place elsewhere in the sentence is no dateline: the agent stays bare.
    let ev = coder().code("t", "Police arrested two Russian soldiers in Kabul, Afghanistan.", None, None);
    assert!(ev.iter().all(|e| e.source_actor != "AFGCOP"), "{ev:?}");
}

#[test]
fn according_to_is_no_verb() {
    // `ACCORD` is a GRANT verb (060); `according to` heads a prepositional phrase.
    let ev =
        coder().code("t", "Two Russian soldiers died in Ukraine, according to the government.", None, None);
    assert!(ev.iter().all(|e| e.cameo != "060"), "{ev:?}");
    let ev = coder().code("t", "Russia attacked Ukraine on Monday, according to NATO.", None, None);
    assert!(ev.iter().any(|e| e.source_actor == "RUS" && e.cameo.starts_with("19")), "{ev:?}");
    assert!(ev.iter().all(|e| e.cameo != "060"), "{ev:?}");
}

#[test]
fn alternative_dictionaries_load() {
    let c = EventCoder::with_dictionaries(
        "--- SMITE [190] ---\nSMITE {SMITES SMOTE SMITING}\n- * GENTLY [051]\n",
        &["ARNOR_ [ARN]\nGONDOR_ [GON]\n"],
        "WARRIOR [~MIL]\n",
        "",
    );
    let ev = c.code("t", "Arnor warriors smote Gondor.", None, None);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(
        (ev[0].source_actor.as_str(), ev[0].target_actor.as_deref(), ev[0].cameo.as_str()),
        ("ARNMIL", Some("GON"), "190")
    );
    let ev = c.code("t", "Arnor smote Gondor gently.", None, None);
    assert_eq!(ev[0].cameo, "051");
    assert!(c.code("t", "", None, None).is_empty());
    assert!(c.code("t", "… , ; “ ”", None, None).is_empty());
}

/// An agent written `CODE~` goes before the actor code, and stands alone without one.
#[test]
fn trailing_tilde_agents_go_first() {
    let c = EventCoder::with_dictionaries(
        "--- SMITE [190] ---\nSMITE {SMITES SMOTE SMITING}\n",
        &["ARNOR_ [ARN]\nGONDOR_ [GON]\n"],
        "HUMAN_RIGHTS_BODY [NGO~]\nWARRIOR [~MIL]\n",
        "",
    );
    let dyad = |s: &str| {
        let ev = c.code("t", s, None, None);
        ev.first().map(|e| (e.source_actor.clone(), e.target_actor.clone().unwrap_or_default()))
    };
    assert_eq!(dyad("A Gondor human rights body smote Arnor."), Some(("NGOGON".into(), "ARN".into())));
    assert_eq!(dyad("A human rights body smote Arnor warriors."), Some(("NGO".into(), "ARNMIL".into())));
}

#[test]
fn joined_pattern_words_must_be_consecutive() {
    // `_` joins words that must follow each other (also to the verb: `*_WITH`, `FAILED_TO_*`);
    // words apart may have others between them.
    let c = EventCoder::with_dictionaries(
        "&KIND\n+TRADE\n+ARMS\n\n--- SMITE [190] ---\nSMITE {SMITES SMOTE SMITING}\n\
         - * NEW_&KIND_DEALS [901]\n- * OLD DEALS [902]\n- FAILED_TO_* [903]\n- * THEN_AGAIN [904]\n",
        &["ARNOR_ [ARN]\nGONDOR_ [GON]\n"],
        "",
        "",
    );
    let code = |s: &str| c.code("t", s, None, None).first().map(|e| e.cameo.clone());
    assert_eq!(code("Arnor smote Gondor over new trade deals.").as_deref(), Some("901"));
    assert_eq!(code("Arnor smote Gondor over new secret trade deals.").as_deref(), Some("190"));
    assert_eq!(code("Arnor smote Gondor over old secret deals.").as_deref(), Some("902"));
    assert_eq!(code("Arnor failed to smite Gondor.").as_deref(), Some("903"));
    assert_eq!(code("Arnor failed badly to smite Gondor.").as_deref(), Some("190"));
    assert_eq!(code("Arnor smote Gondor then again.").as_deref(), Some("904"));
    assert_eq!(code("Arnor smote Gondor then once again.").as_deref(), Some("190"));
}

#[test]
fn a_comma_between_modifiers_does_not_end_the_clause() {
    let c = EventCoder::with_dictionaries(
        "--- RESTORE [064] ---\nRESTORE\n",
        &["ARNOR_ [ARN]\nGONDOR_ [GON]\n"],
        "",
        "",
    );
    let dyads = |s: &str| {
        c.code("t", s, None, None)
            .into_iter()
            .map(|e| (e.source_actor, e.target_actor.unwrap_or_default(), e.cameo))
            .collect::<Vec<_>>()
    };
    let arn_gon = vec![("ARN".to_string(), "GON".to_string(), "064".to_string())];
    assert_eq!(dyads("Arnor restored complete, full diplomatic ties with Gondor."), arn_gon);
    // An apposition, a participle clause, a new clause: the comma still ends the clause.
    assert!(dyads("Arnor restored the old embassy, the pride of Gondor.").is_empty());
    assert!(dyads("Arnor restored the embassy, angering Gondor.").is_empty());
    assert!(dyads("Arnor restored the embassy, but Gondor left.").is_empty());
}

/// The Moscow Times seed (the whole file is the body).
#[test]
fn seed_events() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(mt) = std::fs::read_to_string(dir.join("000_68d2beda7c2c8ce2.txt")) else {
        println!("seeds not found under {}; skipping", dir.display());
        return;
    };
    let ev = coder().code("mt", &mt, Some("2017-01-04"), None);
    let nato = |c: &Option<String>| c.as_deref().is_some_and(|c| c.contains("NAT"));
    let sent = |e: &newsloom_model::Event| e.span.slice(&mt).unwrap_or("").to_string();
    let intent = ev
        .iter()
        .find(|e| e.source_actor.starts_with("RUS") && nato(&e.target_actor) && e.cameo.starts_with("03"));
    let intent = intent.unwrap_or_else(|| panic!("RUS→NATO 03x in {ev:#?}"));
    assert!(sent(intent).starts_with("A representative of the Ministry said it denied"));
    let accuse = ev.iter().find(|e| {
        e.source_actor.starts_with("RUS")
            && e.source_actor.contains("MIL")
            && nato(&e.target_actor)
            && e.cameo == "112"
    });
    let accuse = accuse.unwrap_or_else(|| panic!("Shoigu accuses NATO in {ev:#?}"));
    assert!(sent(accuse).starts_with("In November, Defense Minister Sergei Shoigu even accused NATO"));
    assert_eq!(accuse.date.as_deref(), Some("2016-11"));
    let suspend = ev.iter().find(|e| {
        e.source_actor.contains("NAT")
            && e.target_actor.as_deref() == Some("RUS")
            && e.cameo.starts_with("16")
    });
    let suspend = suspend.unwrap_or_else(|| panic!("NATO suspends cooperation in {ev:#?}"));
    assert!(sent(suspend).starts_with("NATO suspended all practical cooperation with Russia in 2014"));
    assert_eq!(suspend.date.as_deref(), Some("2014"));
    let meet = ev
        .iter()
        .find(|e| e.cameo.starts_with("04") && sent(e).starts_with("Russia and the alliance reopened"));
    let meet = meet.unwrap_or_else(|| panic!("NATO-Russia Council meeting in {ev:#?}"));
    assert_eq!(meet.date.as_deref(), Some("2016-04"));
    let dyad = (meet.source_actor.as_str(), meet.target_actor.as_deref().unwrap_or(""));
    assert!(
        matches!(dyad, ("RUS", t) if t.contains("NAT")) || matches!(dyad, (s, "RUS") if s.contains("NAT")),
        "{dyad:?}"
    );
}

/// Throughput of quotes + events over real articles (PolNeAR texts, 84 articles, one thread):
/// `cargo test --release -p newsloom-analyse events::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/quotes/polnear-dev.jsonl");
    let Ok(raw) = std::fs::read_to_string(path) else { return };
    let texts: Vec<String> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let t_load = std::time::Instant::now();
    let (qx, ec) = (crate::quotes::QuoteExtractor::new(), EventCoder::new());
    ec.code("warm", "Russia accused Ukraine.", None, None);
    println!("dictionary load: {:.2}s", t_load.elapsed().as_secs_f64());
    // CPU time of this thread (utime + stime, clock ticks), so a loaded machine does not skew it.
    let cpu = || {
        std::fs::read_to_string("/proc/thread-self/stat")
            .ok()
            .and_then(|s| {
                let f: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
                Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
            })
            .unwrap_or(0.0)
            / 100.0
    };
    let c0 = cpu();
    let t0 = std::time::Instant::now();
    let (mut nq, mut ne) = (0, 0);
    let mut cq = 0.0;
    for _ in 0..5 {
        let q0 = cpu();
        for t in &texts {
            nq += qx.extract("a", t, None).len();
        }
        cq += cpu() - q0;
        for t in &texts {
            ne += ec.code("a", t, Some("2016-09-20"), None).len();
        }
    }
    println!("quotes alone: {:.0} articles per CPU-second", (texts.len() * 5) as f64 / cq.max(0.01));
    let s = t0.elapsed().as_secs_f64();
    let c = (cpu() - c0).max(0.01);
    let n = (texts.len() * 5) as f64;
    println!(
        "{n} articles in {s:.2}s wall, {c:.2}s CPU: {:.0} articles/s wall, {:.0} per CPU-second; {nq} quotes, {ne} events",
        n / s,
        n / c
    );
}

/// Pathological bodies: no panics, and time stays bounded (linear-ish) on big inputs.
#[test]
fn hostile_input_is_bounded() {
    let qx = crate::quotes::QuoteExtractor::new();
    let ec = coder();
    let mut cases: Vec<String> = vec![
        "“".repeat(20_000),
        "“a ".repeat(20_000),
        "\"".repeat(20_000),
        "( ) said , ".repeat(5_000),
        "Russia said Ukraine attacked NATO and said ".repeat(3_000),
        "«»„“‘’''``".repeat(2_000),
        "é—“x”— said Kelin, ".repeat(3_000),
        "\u{0}\u{feff}\r\n\t ".repeat(1_000),
    ];
    cases.push((0..5_000).map(|i| char::from_u32(0x20 + (i * 7919) % 0x2fff).unwrap_or(' ')).collect());
    for body in &cases {
        let t0 = std::time::Instant::now();
        let qs = qx.extract("x", body, None);
        let es = ec.code("x", body, Some("2017-01-04"), None);
        // The analysers' time only: the span checks below slice from the start each time.
        let spent = t0.elapsed().as_secs_f64();
        for q in &qs {
            assert!(q.span.slice(body).is_some());
        }
        for e in &es {
            assert!(e.span.slice(body).is_some());
        }
        assert!(spent < 5.0, "too slow on {:?}…", &body.chars().take(20).collect::<String>());
    }
}

/// Throughput of the whole analyse stage (entities, quotes, events) on real articles, on all
/// cores: `cargo test --release -p newsloom-analyse events::tests::analyser_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn analyser_speed() {
    use crate::Analyser;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/quotes/polnear-dev.jsonl");
    let Ok(raw) = std::fs::read_to_string(path) else { return };
    let articles: Vec<newsloom_model::Article> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| newsloom_model::Article {
            id: v["id"].as_str().unwrap_or("").into(),
            body: v["text"].as_str().unwrap_or("").into(),
            published: v["date"].as_str().and_then(|d| newsloom_model::PublishedDate::parse_iso(d, "input")),
            ..Default::default()
        })
        .collect();
    let an = crate::NewsAnalyser::new();
    an.analyse(&articles[0]);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let cpu = || {
        std::fs::read_to_string("/proc/thread-self/stat")
            .ok()
            .and_then(|s| {
                let f: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
                Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
            })
            .unwrap_or(0.0)
            / 100.0
    };
    let t0 = std::time::Instant::now();
    let rounds = 10;
    let cpu_total: f64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (an, articles) = (&an, &articles);
                s.spawn(move || {
                    let c0 = cpu();
                    for (k, a) in articles.iter().cycle().take(articles.len() * rounds).enumerate() {
                        if k % threads == t {
                            std::hint::black_box(an.analyse(a));
                        }
                    }
                    cpu() - c0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0.0)).sum()
    });
    let n = (articles.len() * rounds) as f64;
    println!(
        "{n} articles on {threads} threads: {:.0} articles/s wall, {:.0} articles per CPU-second",
        n / t0.elapsed().as_secs_f64(),
        n / cpu_total.max(0.01)
    );
}

/// Events alone, many rounds, for profiling.
#[test]
#[ignore]
fn events_loop() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/quotes/polnear-dev.jsonl");
    let Ok(raw) = std::fs::read_to_string(path) else { return };
    let texts: Vec<String> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let ec = EventCoder::new();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..20 {
        for t in &texts {
            n += ec.code("a", t, Some("2016-09-20"), None).len();
        }
    }
    println!("events: {n} in {:.2}s", t0.elapsed().as_secs_f64());
}

/// Prints what the whole analyser finds in the seed articles (for eyeballing).
#[test]
#[ignore]
fn seed_show() {
    use crate::Analyser;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    for f in ["000_68d2beda7c2c8ce2.txt", "003_5c09ee7d739e82a2.txt"] {
        let Ok(body) = std::fs::read_to_string(dir.join(f)) else { continue };
        let article = newsloom_model::Article {
            id: f.into(),
            body: body.clone(),
            published: newsloom_model::PublishedDate::parse_iso("2017-01-04", "test"),
            ..Default::default()
        };
        let a = crate::NewsAnalyser::new().analyse(&article);
        for q in &a.quotes {
            let t = q.span.slice(&body).unwrap_or("").chars().take(70).collect::<String>();
            println!(
                "Q {:?} {:?} [{:?}] cue={:?} med={:?} {t}",
                q.kind, q.speaker, q.speaker_entity, q.cue, q.medium
            );
        }
        for e in &a.events {
            let t = e.span.slice(&body).unwrap_or("").chars().take(70).collect::<String>();
            println!(
                "E {} -> {:?} {} {:?}/{:?} g={} neg={} date={:?} {t}",
                e.source_actor,
                e.target_actor,
                e.cameo,
                e.plover,
                e.plover_mode,
                e.goldstein,
                e.negated,
                e.date
            );
        }
    }
}

#[test]
fn recognised_entities_fill_dictionary_gaps() {
    use newsloom_model::{Entity, EntityKind, Mention, Span};
    let body = "Zorblax Quint accused Ukraine of shelling the city.";
    let entity = Entity {
        id: "person:zorblax-quint".into(),
        name: "Zorblax Quint".into(),
        kind: EntityKind::Person,
        code: Some("RUSGOV".into()),
        role: None,
        country: None,
    };
    let mention = Mention {
        entity: entity.id.clone(),
        text: "Zorblax Quint".into(),
        kind: EntityKind::Person,
        span: Span::new("t", 0, 13),
        confidence: 1.0,
    };
    assert!(coder().code("t", body, None, None).is_empty());
    let ev = coder().code_with_entities("t", body, None, &[mention], &[entity]);
    assert!(
        ev.iter().any(|e| e.source_actor == "RUSGOV"
            && e.target_actor.as_deref() == Some("UKR")
            && e.cameo == "112"),
        "{ev:?}"
    );
}

#[test]
fn malformed_dictionaries_do_not_panic() {
    let junk = [
        "",
        "---",
        "--- [",
        "--- X [ ---",
        "- * [",
        "- [010]",
        "&",
        "+",
        "{",
        "ÉTÉ {ÉTÉS} [01",
        "X [~",
        "[[[]]]",
        "NAME [CODE 99999999-1]\n\t[X >]\n+",
        "!M! = \nA!M! {B [~GOV]",
        "--- É [É] ---\nÉ\n- É * É [É:É]",
    ];
    for j in junk {
        let c = EventCoder::with_dictionaries(j, &[j], j, j);
        let _ = c.code("t", "É Russia attacked Ukraine * [010] — “ÉTÉ”.", Some("2017-01-04"), None);
    }
}

/// The words of a sentence as first written (several allocations per word); the run-time
/// version must give the same words.
fn words_reference(text: &str) -> Vec<(String, bool, bool, bool, usize)> {
    let mut out = Vec::new();
    for (ti, t) in crate::quotes::text::tokenize(text).iter().enumerate() {
        let s = &text[t.s..t.e];
        if !t.word {
            out.push((s.to_string(), true, false, false, ti));
            continue;
        }
        let lower = s.to_ascii_lowercase();
        if ["re-", "co-", "pre-"].iter().any(|p| lower.starts_with(p)) && s.matches('-').count() == 1 {
            out.push((s.to_uppercase(), false, s.starts_with(char::is_uppercase), false, ti));
            continue;
        }
        let hyph = s.contains(['-', '‑']);
        for part in s.split(['-', '‑']) {
            if part.is_empty() {
                continue;
            }
            let mut w = part.to_uppercase();
            if w.contains('’') {
                w = w.replace('’', "'");
            }
            if let Some(x) = w.strip_suffix("'S") {
                w = x.to_string();
            } else if w.ends_with("S'") {
                w.pop();
            }
            let w = w.trim_end_matches('.').to_string();
            let cap = part.chars().next().is_some_and(char::is_uppercase);
            if w.len() > 3
                && let Some(stem) = w.strip_suffix("N'T")
            {
                out.push((stem.to_string(), false, cap, hyph, ti));
                out.push(("N'T".into(), false, false, hyph, ti));
                continue;
            }
            out.push((w, false, cap, hyph, ti));
        }
    }
    out
}

#[test]
fn words_match_the_reference() {
    let text = "Russia’s envoy didn’t re-examine the NATO-Russia pact; Co-operation ‑ U.S. officials’ \
                Straße-Élysée CAN'T Pre-war ISN’T nations' n't it's Mr. Peskov’s 3.5% «Ü» so...";
    let got: Vec<_> = coder::words(text).into_iter().map(|w| (w.w, w.punct, w.cap, w.hyph, w.tok)).collect();
    assert_eq!(got, words_reference(text));
    // Reusing the words of a longer sentence for a shorter one, and the other way round.
    let mut ws = Vec::new();
    for t in [text, "NATO-Russia didn't.", text, "x"] {
        coder::words_into(t, &crate::quotes::text::tokenize(t), &mut ws);
        let got: Vec<_> = ws.iter().map(|w| (w.w.clone(), w.punct, w.cap, w.hyph, w.tok)).collect();
        assert_eq!(got, words_reference(t), "{t}");
    }
}

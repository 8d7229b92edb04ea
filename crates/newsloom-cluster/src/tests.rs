//! Behaviour tests on hand-written fixtures (invented towns, people and outlets).

use newsloom_model::{Article, PublishedDate};

use crate::{ClusterConfig, OnlineClusterer, StoryClusterer};

fn art(id: &str, date: &str, source: &str, title: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        body_hash: newsloom_model::content_id(body.as_bytes()),
        published: PublishedDate::parse_iso(date, "input"),
        source: Some(source.into()),
        language: Some("en".into()),
        ..Default::default()
    }
}

/// Unrelated background so the online IDF has seen ordinary news words.
fn background(c: &mut OnlineClusterer) {
    let topics = [
        (
            "Council approves new budget",
            "The Brantford city council approved a budget of 41 million dollars on Tuesday after a long debate about road repairs and library hours. Mayor Ellen Castro said the plan keeps taxes flat.",
        ),
        (
            "Storm knocks out power",
            "A storm knocked out power to 12,000 homes in Lakeview County overnight, the utility Northway Electric said. Crews expect to restore service by Thursday evening.",
        ),
        (
            "School board names superintendent",
            "The Fairmont school board named Gloria Ndiaye as superintendent on Monday. She previously led schools in Kensington for eight years and starts in July.",
        ),
        (
            "Man wounded in Eastport shooting",
            "A 19-year-old man was wounded in a shooting on Harbor Avenue in Eastport late Friday, police said. He was taken to Eastport General Hospital in stable condition. No arrests were made.",
        ),
        (
            "Woman killed in crash",
            "A 52-year-old woman died when her car struck a tree on Route 9 near Glenwood early Sunday, state police said. The cause of the crash is under investigation.",
        ),
    ];
    for (i, (t, b)) in topics.iter().enumerate() {
        c.assign(&art(&format!("bg{i}"), "2020-03-01", "bg.example", t, b), &[]);
    }
}

const FIRST: &str = "MILLBROOK — A 34-year-old man was shot and killed Saturday night outside the Riverside \
    Tavern on Oak Street in Millbrook, police said. The victim was identified as Darnell Pruitt of Millbrook. \
    Witnesses told officers that two men argued with Pruitt in the parking lot before one of them fired \
    several shots. Police Chief Maria Okafor said detectives were reviewing video from the tavern.";
const FOLLOW_UP: &str = "Detectives in Millbrook have charged a 27-year-old man with murder in the death of \
    Darnell Pruitt, who was gunned down outside the Riverside Tavern on Oak Street. Chief Maria Okafor told \
    reporters that surveillance video led investigators to the suspect, Kevin Marsh, who was arrested at a \
    relative's home. Pruitt, 34, was a father of two.";
const UNRELATED: &str = "GREENVILLE — Two teenagers were wounded Tuesday afternoon in a drive-by shooting \
    near Lincoln Park in Greenville, authorities said. Sheriff Tom Baxter said the boys, aged 15 and 16, were \
    standing on a corner of Elm Avenue when a gray sedan pulled up and someone inside opened fire.";

#[test]
fn follow_up_days_later_joins_and_unrelated_does_not() {
    let mut c = OnlineClusterer::new();
    background(&mut c);
    let a = c.assign(
        &art("a1", "2020-03-07", "millbrook-herald.example", "Man killed outside tavern", FIRST),
        &[],
    );
    assert_eq!(a.story, "s-a1");
    let u = c.assign(
        &art("u1", "2020-03-10", "greenville-news.example", "Teens hurt in drive-by", UNRELATED),
        &[],
    );
    assert_ne!(u.story, a.story);
    let f = c.assign(
        &art("f1", "2020-03-15", "county-tv.example", "Suspect charged in tavern killing", FOLLOW_UP),
        &[],
    );
    assert_eq!(f.story, a.story, "the follow-up 8 days later belongs to the first report's story");
    assert!(f.copy_of.is_none(), "a rewritten report is not a copy");
}

#[test]
fn lightly_edited_reprint_is_a_copy_of_the_earliest_original() {
    let mut c = OnlineClusterer::new();
    background(&mut c);
    let a = c.assign(
        &art("orig", "2020-03-07", "millbrook-herald.example", "Man killed outside tavern", FIRST),
        &[],
    );
    let reprint = FIRST.replace("Saturday night", "late Saturday").replace(" Police Chief", " Chief")
        + " Updated 9:14 p.m.";
    let r = c.assign(&art("r1", "2020-03-08", "wire.example", "Millbrook man shot dead", &reprint), &[]);
    assert_eq!(r.copy_of.as_deref(), Some("orig"));
    assert_eq!(r.story, a.story);
    // A copy of the copy still names the first original.
    let r2 =
        c.assign(&art("r2", "2020-03-08", "other.example", "Shooting", &(reprint + " Share this.")), &[]);
    assert_eq!(r2.copy_of.as_deref(), Some("orig"));
    assert_eq!(r2.story, a.story);
}

#[test]
fn restored_state_keeps_story_ids() {
    let mut c = OnlineClusterer::new();
    background(&mut c);
    c.restore(
        &art("a1", "2020-03-07", "m.example", "Man killed outside tavern", FIRST),
        &[],
        "story-42",
        None,
    );
    let f =
        c.assign(&art("f1", "2020-03-09", "c.example", "Suspect charged in tavern killing", FOLLOW_UP), &[]);
    assert_eq!(f.story, "story-42");
    // The same text again is a copy of the restored article.
    let r = c.assign(&art("r1", "2020-03-09", "w.example", "Tavern shooting", FIRST), &[]);
    assert_eq!((r.story.as_str(), r.copy_of.as_deref()), ("story-42", Some("a1")));
}

#[test]
fn merges_are_reported_and_redirect() {
    let cfg = ClusterConfig { merge_threshold: 0.3, ..ClusterConfig::default() };
    let mut c = OnlineClusterer::with_config(cfg);
    background(&mut c);
    // Two stories about the same event, as a previous run might have left them.
    c.restore(&art("a1", "2020-03-07", "m.example", "Man killed outside tavern", FIRST), &[], "s-old", None);
    c.restore(&art("a2", "2020-03-08", "c.example", "Suspect charged", FOLLOW_UP), &[], "s-new", None);
    assert_eq!(c.open_stories(), 2 + 5);
    let text = format!("{FIRST} {FOLLOW_UP}");
    let m = c.assign(&art("m1", "2020-03-09", "x.example", "Tavern killing: what we know", &text), &[]);
    assert_eq!(m.story, "s-old", "the older story survives");
    assert_eq!(m.merges.len(), 1);
    assert_eq!((m.merges[0].absorbed.as_str(), m.merges[0].into.as_str()), ("s-new", "s-old"));
    assert_eq!(c.resolve("s-new"), Some("s-old"));
}

#[test]
fn inactive_stories_are_closed() {
    let cfg = ClusterConfig { window_days: 10.0, ..ClusterConfig::default() };
    let mut c = OnlineClusterer::with_config(cfg);
    let a = c.assign(&art("a1", "2020-03-07", "m.example", "Man killed outside tavern", FIRST), &[]);
    assert_eq!(c.open_stories(), 1);
    assert_eq!(c.indexed_articles(), 1);
    let later = c.assign(&art("u1", "2020-05-01", "g.example", "Teens hurt", UNRELATED), &[]);
    assert_ne!(later.story, a.story);
    assert_eq!(c.open_stories(), 1, "the March story was closed");
    assert_eq!(c.indexed_articles(), 1);
    assert_eq!(c.resolve(&a.story), None);
    // Even an exact reprint, arriving after the window, starts a new story.
    let r = c.assign(&art("r1", "2020-05-02", "w.example", "Old news", FIRST), &[]);
    assert_ne!(r.story, a.story);
}

#[test]
fn open_stories_are_capped() {
    let cfg = ClusterConfig { max_open_stories: 3, ..ClusterConfig::default() };
    let mut c = OnlineClusterer::with_config(cfg);
    background(&mut c);
    // The cap is enforced before each article is placed, so it may open one more.
    assert_eq!(c.open_stories(), 4);
    let a = c.assign(&art("a1", "2020-03-07", "m.example", "Man killed outside tavern", FIRST), &[]);
    assert_eq!(c.resolve(&a.story), Some(a.story.as_str()), "the newest story stays open");
}

/// Sweeps close many stories at once (over the cap, and past the window); the retrieval index
/// then holds the open stories' keys and nothing of the closed ones.
#[test]
fn closing_stories_in_bulk_leaves_only_open_stories_indexed() {
    let cfg = ClusterConfig { max_open_stories: 8, window_days: 3.0, ..ClusterConfig::default() };
    let mut c = OnlineClusterer::with_config(cfg);
    background(&mut c);
    let towns = ["Millbrook", "Greenville", "Eastport", "Lakeview", "Fairmont", "Glenwood", "Brantford"];
    let mut most_open = 0;
    for day in 0..12 {
        for (i, town) in towns.iter().enumerate() {
            let body = format!(
                "{town} officials said on day {day} that crews number {i} repaired the {town} water main, \
                 and resident {day}{i} said the {town} council meets again next week."
            );
            let date = format!("2020-03-{:02}", day + 1);
            c.assign(
                &art(&format!("a{day}-{i}"), &date, "t.example", &format!("{town} news {day}"), &body),
                &[],
            );
            most_open = most_open.max(c.open_stories());
            assert!(c.postings_match_open_stories(), "after day {day}, article {i}");
        }
    }
    assert!(most_open > 8, "the cap was never exceeded, so no sweep closed stories over it");
    assert!(c.open_stories() <= 8 + 8 / 8 + 1, "{} open", c.open_stories());
}

#[test]
fn odd_input_does_not_panic() {
    let mut c = OnlineClusterer::new();
    let empty = art("e", "", "", "", "");
    let s1 = c.assign(&empty, &[]);
    let s2 = c.assign(&Article { id: "e".into(), ..Default::default() }, &["ent:1".into()]);
    assert_ne!(s1.story, s2.story, "ids stay unique even for a repeated article id");
    let long = "Ω word 123 ".repeat(20_000);
    c.assign(&art("l", "9999-12-31T23:59", "x", &long, &long), &[]);
}

/// A clusterer resumed from a snapshot decides every later article as the one that never
/// stopped; a snapshot taken under other settings is refused and changes nothing.
#[test]
fn a_snapshot_resumes_exactly_and_only_under_the_same_settings() {
    let mut running = OnlineClusterer::new();
    background(&mut running);
    running.assign(&art("a1", "2020-03-07", "one.example", "Man shot dead outside tavern", FIRST), &[]);
    let bytes = running.snapshot().expect("the online clusterer snapshots");

    let mut resumed = OnlineClusterer::new();
    assert!(resumed.restore_snapshot(&bytes));
    let later = [
        art("a2", "2020-03-09", "two.example", "Suspect charged in tavern killing", FOLLOW_UP),
        art("a3", "2020-03-10", "three.example", "Two teens wounded in drive-by", UNRELATED),
        art("a4", "2020-03-10", "four.example", "Millbrook man charged with murder", FOLLOW_UP),
    ];
    for a in &later {
        assert_eq!(resumed.assign(a, &[]), running.assign(a, &[]), "{}", a.id);
    }
    // (Not byte for byte: hash maps serialise in their own order.)
    assert_eq!(resumed.open_stories(), running.open_stories());

    let other = ClusterConfig { join_threshold: 0.9, ..ClusterConfig::default() };
    let mut differently = OnlineClusterer::with_config(other);
    assert!(!differently.restore_snapshot(&bytes));
    assert!(!differently.restore_snapshot(b"not a snapshot"));
    assert_eq!(differently.open_stories(), 0);
}

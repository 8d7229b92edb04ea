//! Read-only commands over the store and index.

use anyhow::{Context, bail};
use newsloom_search::{SearchIndex, SearchQuery, Searcher};
use newsloom_store::Location;
use newsloom_store::{ArticleFilter, EventFilter, QuoteFilter, StoreBackend, StoryQuery};

use crate::args::{ArticleArgs, ArticleFactArgs, Period, SearchArgs};
use crate::output::{self, clip, or_dash};

fn filter(args: &ArticleArgs) -> ArticleFilter {
    ArticleFilter {
        source: args.source.clone(),
        language: args.lang.clone(),
        story: args.story.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        limit: args.limit,
        ..ArticleFilter::default()
    }
}

fn check_day(day: &Option<String>, flag: &str) -> anyhow::Result<()> {
    if let Some(d) = day
        && newsloom_model::PublishedDate::parse_iso(d, "arg").is_none_or(|p| p.day().is_none())
    {
        bail!("--{flag} must be a day as YYYY-MM-DD, not {d:?}");
    }
    Ok(())
}

pub fn articles(
    store: &dyn StoreBackend,
    args: &ArticleArgs,
    facts: &ArticleFactArgs,
    json: bool,
) -> anyhow::Result<()> {
    check_day(&args.from, "from")?;
    check_day(&args.to, "to")?;
    if let Some(c) = &facts.country
        && (c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()))
    {
        bail!("--country takes an ISO 3166-1 alpha-2 code (RU, US), not {c:?}");
    }
    let filter = ArticleFilter {
        theme: facts.theme.clone(),
        tone_min: facts.tone_min,
        tone_max: facts.tone_max,
        country: facts.country.clone(),
        geonameid: facts.geonameid,
        ..filter(args)
    };
    let rows = store.articles(&filter)?;
    if json {
        return output::json(&rows);
    }
    if rows.is_empty() {
        println!("no articles (ingest some with `newsloom ingest PATH`)");
    }
    for r in rows {
        println!(
            "{}  {:10}  {:18}  {:3}  {}",
            r.id,
            clip(or_dash(r.published.as_deref()), 10),
            clip(or_dash(r.source.as_deref()), 18),
            or_dash(r.language.as_deref()),
            clip(&r.title, 80)
        );
    }
    Ok(())
}

pub fn show(store: &dyn StoreBackend, what: &str, id: Option<&str>, json: bool) -> anyhow::Result<()> {
    match (what, id) {
        ("story", Some(id)) => show_story(store, id, json),
        ("article", Some(id)) => show_article(store, id, json),
        (id, None) => show_article(store, id, json),
        (other, Some(_)) => bail!("`show` takes `article ID` or `story ID`, not {other:?}"),
    }
}

fn show_article(store: &dyn StoreBackend, id: &str, json: bool) -> anyhow::Result<()> {
    let Some(article) = store.article(id)? else { bail!("no article with id {id}") };
    let analysis = store.analysis(id)?;
    if json {
        let mut value = serde_json::to_value(&article)?;
        value["analysis"] = serde_json::to_value(&analysis)?;
        value["copy_of"] = serde_json::json!(store.copy_of(id)?);
        return output::json(&value);
    }
    println!("{}", article.title);
    if let Some(sub) = &article.subtitle {
        println!("{sub}");
    }
    println!(
        "id {}  source {}  published {}  language {}  story {}",
        article.id,
        or_dash(article.source.as_deref()),
        article.published.as_ref().map(|p| p.iso.as_str()).unwrap_or("-"),
        or_dash(article.language.as_deref()),
        or_dash(article.story.as_deref())
    );
    if !article.bylines.is_empty() {
        println!("by {}", article.bylines.join(", "));
    }
    if let Some(d) = &article.dateline {
        println!("dateline {} {} {}", d.place, or_dash(d.date.as_deref()), or_dash(d.agency.as_deref()));
    }
    if let Some(url) = &article.url {
        println!("{url}");
    }
    println!("\n{}\n", article.body);
    for q in &analysis.quotes {
        println!("quote  {}: {}", or_dash(q.speaker.as_deref()), clip(&q.text, 100));
    }
    for e in &analysis.events {
        println!(
            "event  {} → {} {} (Goldstein {:+.1})",
            e.source_actor,
            or_dash(e.target_actor.as_deref()),
            e.cameo,
            e.goldstein
        );
    }
    Ok(())
}

fn show_story(store: &dyn StoreBackend, id: &str, json: bool) -> anyhow::Result<()> {
    let Some((story, articles)) = store.story(id)? else { bail!("no story with id {id}") };
    if json {
        return output::json(&serde_json::json!({ "story": story, "articles": articles }));
    }
    println!(
        "{}  ({} articles, {} outlets, {} reprints)",
        story.title,
        story.size,
        story.outlets.len(),
        story.reprints
    );
    println!(
        "story {}  first seen {}  last seen {}",
        story.id,
        or_dash(story.first_seen.as_deref()),
        or_dash(story.last_seen.as_deref())
    );
    for a in articles {
        let copy = a.copy_of.as_deref().map(|c| format!("  (reprint of {c})")).unwrap_or_default();
        println!(
            "  {}  {:10}  {:18}  {}{copy}",
            a.id,
            clip(or_dash(a.published.as_deref()), 10),
            clip(or_dash(a.source.as_deref()), 18),
            clip(&a.title, 70)
        );
    }
    Ok(())
}

pub fn search(location: &Location, args: &SearchArgs, json: bool) -> anyhow::Result<()> {
    check_day(&args.filter.from, "from")?;
    check_day(&args.filter.to, "to")?;
    // The embedded store searches its tantivy index; PostgreSQL searches itself.
    let index: Box<dyn Searcher> = match location {
        Location::Dir(db) => {
            if !db.join("newsloom.db").exists() {
                bail!("no store in {} (ingest something first, or pass --db)", db.display());
            }
            Box::new(
                SearchIndex::open(db)
                    .with_context(|| format!("opening the search index in {}", db.display()))?,
            )
        }
        Location::Postgres(url) => Box::new(
            newsloom_postgres::PgSearch::open(url)
                .with_context(|| format!("opening {}", location.display()))?,
        ),
    };
    let f = &args.filter;
    let query = SearchQuery {
        text: args.query.clone(),
        source: f.source.clone(),
        language: f.lang.clone(),
        story: f.story.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        limit: f.limit,
        offset: args.offset,
    };
    let results = index.search(&query)?;
    if json {
        return output::json(&results);
    }
    println!("{} matching articles", results.total);
    for hit in &results.hits {
        println!(
            "\n{}  {}  {}  {}",
            hit.id,
            or_dash(hit.day.as_deref()),
            or_dash(hit.source.as_deref()),
            clip(&hit.title, 80)
        );
        println!("    {}", highlight(&hit.snippet, &hit.highlights).replace('\n', " "));
    }
    for (name, values) in &results.facets {
        if !values.is_empty() {
            let shown: Vec<String> = values.iter().take(8).map(|(v, n)| format!("{v} ({n})")).collect();
            println!("\n{name}: {}", shown.join(", "));
        }
    }
    Ok(())
}

/// Marks matched ranges with `[` `]` for terminals.
fn highlight(snippet: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > snippet.len() || !snippet.is_char_boundary(s) || !snippet.is_char_boundary(e) {
            continue;
        }
        out.push_str(&snippet[at..s]);
        out.push('[');
        out.push_str(&snippet[s..e]);
        out.push(']');
        at = e;
    }
    out.push_str(&snippet[at..]);
    out
}

pub fn stories(store: &dyn StoreBackend, query: &StoryQuery, json: bool) -> anyhow::Result<()> {
    let stories = store.stories(query)?;
    if json {
        return output::json(&stories);
    }
    if stories.is_empty() {
        println!("no stories yet (ingest some articles with `newsloom ingest PATH`)");
    }
    for s in stories {
        println!(
            "{}  {:>3} articles  {:>2} outlets  {} – {}  {}",
            s.id,
            s.size,
            s.outlets.len(),
            or_dash(s.first_seen.as_deref()),
            or_dash(s.last_seen.as_deref()),
            clip(&s.title, 70)
        );
    }
    Ok(())
}

pub fn entities(
    store: &dyn StoreBackend,
    query: Option<&str>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let rows = store.entities(query, 0, limit)?;
    if json {
        let list: Vec<_> =
            rows.iter().map(|(e, n)| serde_json::json!({ "entity": e, "mentions": n })).collect();
        return output::json(&list);
    }
    for (e, n) in rows {
        println!("{:>5}  {:28}  {:?}  {}", n, clip(&e.id, 28), e.kind, e.name);
    }
    Ok(())
}

pub fn quotes(
    store: &dyn StoreBackend,
    speaker: Option<String>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let quotes = store.quotes(&QuoteFilter { speaker, limit, ..Default::default() })?;
    if json {
        return output::json(&quotes);
    }
    for q in quotes {
        println!("{}  {}: {}", q.span.article, or_dash(q.speaker.as_deref()), clip(&q.text, 110));
    }
    Ok(())
}

pub fn events(store: &dyn StoreBackend, filter: &EventFilter, json: bool) -> anyhow::Result<()> {
    check_day(&filter.from, "from")?;
    check_day(&filter.to, "to")?;
    let events = store.events(filter)?;
    if json {
        let list: Vec<_> =
            events.iter().map(|(e, n)| serde_json::json!({ "event": e, "reports": n })).collect();
        return output::json(&list);
    }
    for (e, reports) in events {
        println!(
            "{:10}  {:8} → {:8}  {:5}  {:+5.1}  {} report(s)  {}",
            or_dash(e.date.as_deref()),
            e.source_actor,
            or_dash(e.target_actor.as_deref()),
            e.cameo,
            e.goldstein,
            reports,
            e.span.article
        );
    }
    Ok(())
}

pub fn dyad(store: &dyn StoreBackend, a: &str, b: &str, by: Period, json: bool) -> anyhow::Result<()> {
    let len = match by {
        Period::Day => 10,
        Period::Month => 7,
        Period::Year => 4,
    };
    let points = store.dyad(a, b, len)?;
    if json {
        return output::json(&serde_json::json!({ "a": a, "b": b, "points": points }));
    }
    if points.is_empty() {
        println!("no events between {a} and {b}");
    }
    println!(
        "{:10}  {:>7} {:>7} {:>7} {:>7}  {:>8}",
        "period", "v-coop", "m-coop", "v-confl", "m-confl", "goldstein"
    );
    for p in points {
        let [vc, mc, vf, mf] = p.quad_counts;
        println!("{:10}  {vc:>7} {mc:>7} {vf:>7} {mf:>7}  {:>+8.2}", p.period, p.mean_goldstein);
    }
    Ok(())
}

pub fn stats(store: &dyn StoreBackend, json: bool) -> anyhow::Result<()> {
    let s = store.stats()?;
    if json {
        return output::json(&s);
    }
    println!("store        {} ({})", store.location(), store.engine());
    println!("articles     {}", s.articles);
    println!("stories      {}", s.stories);
    println!("sources      {}", s.sources);
    println!("entities     {} ({} mentions)", s.entities, s.mentions);
    println!("quotes       {}", s.quotes);
    println!("events       {}", s.events);
    println!("rejected     {}", s.rejects);
    println!("dates        {} – {}", or_dash(s.first_day.as_deref()), or_dash(s.last_day.as_deref()));
    let langs: Vec<String> = s.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
    println!("languages    {}", langs.join(", "));
    Ok(())
}

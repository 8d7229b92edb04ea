//! One module per group of commands; `run` dispatches.

mod bench;
mod bench_warc;
mod eval;
mod export;
mod follow;
mod geo;
mod ingest;
mod query;
mod watch;
mod worker;

use anyhow::Context;
use newsloom_store::{Location, PlaceFilter, SqliteStore, StoreBackend, StoryOrder};

use crate::args::{Cli, Command, StorySort};
use crate::output;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    let db = cli.db;
    let location = Location::parse(&db.to_string_lossy());
    // What only the embedded store keeps (exports, follow state) opens it directly; everything
    // else goes through the store interface, whatever the engine.
    let open = || SqliteStore::open(&db).with_context(|| format!("opening the store in {}", db.display()));
    let open_any = || -> anyhow::Result<Box<dyn StoreBackend>> {
        newsloom_pipeline::open_store(&location)
            .with_context(|| format!("opening the store {}", location.display()))
    };
    embedded_only(&location, &cli.command)?;
    match cli.command {
        Command::Ingest(args) if args.to.is_some() => worker::publish(&args, json),
        Command::Ingest(args) => ingest::ingest(&location, &args, json),
        Command::Worker { stage, nats } => worker::worker(stage, &nats.url, &location),
        Command::ClusterStatus { nats, interval_ms } => worker::cluster_status(&nats.url, interval_ms, json),
        Command::Articles { filter, facts } => query::articles(open_any()?.as_ref(), &filter, &facts, json),
        Command::Show { what, id } => query::show(open_any()?.as_ref(), &what, id.as_deref(), json),
        Command::Search(args) => query::search(&location, &args, json),
        Command::Stories { limit, sort, by_size, from, to, offset } => {
            let order = match (sort, by_size) {
                (_, true) | (StorySort::Biggest, _) => StoryOrder::Biggest,
                (StorySort::Newest, _) => StoryOrder::Newest,
                (StorySort::Outlets, _) => StoryOrder::Outlets,
            };
            let query = newsloom_store::StoryQuery { order, from, to, offset, limit };
            query::stories(open_any()?.as_ref(), &query, json)
        }
        Command::Entities { query, limit } => {
            query::entities(open_any()?.as_ref(), query.as_deref(), limit, json)
        }
        Command::Quotes { speaker, limit } => query::quotes(open_any()?.as_ref(), speaker, limit, json),
        Command::Events { actor, target, code, from, to, limit } => {
            let filter = newsloom_store::EventFilter { actor, target, code, from, to, limit };
            query::events(open_any()?.as_ref(), &filter, json)
        }
        Command::Dyad { a, b, by } => query::dyad(open_any()?.as_ref(), &a, &b, by, json),
        Command::Stats => query::stats(open_any()?.as_ref(), json),
        Command::Export { format, out, with_raw, since, every } => {
            export::export(&open()?, format, out.as_deref(), with_raw, since, every, json)
        }
        Command::Reindex => ingest::reindex(&db, json),
        Command::Compact { recode } => ingest::compact(&db, recode, json),
        Command::Eval {
            task: crate::args::EvalTask::Geo,
            gold,
            out,
            folds,
            gold_spans,
            literal_only,
            ..
        } => geo::eval(&gold, out.as_deref(), folds.unwrap_or(1), gold_spans, literal_only, json),
        Command::Places { story, country, article, limit } => {
            geo::places(open_any()?.as_ref(), &PlaceFilter { story, country, article, limit }, json)
        }
        // Tone and themes cross-validate their own learnt models; the other stages share the
        // generic grouped folds.
        Command::Eval { task, gold, out, embed_model, folds: Some(k), train, .. }
            if !matches!(task, crate::args::EvalTask::Tone | crate::args::EvalTask::Themes) =>
        {
            eval::eval_folds(task, &gold, k, train.as_deref(), embed_model.as_deref(), out.is_some(), json)
        }
        Command::Eval { task, gold, out, embed_model, folds, .. } => {
            eval::eval(task, &gold, out.as_deref(), embed_model.as_deref(), folds, json)
        }
        Command::Watch(args) => watch::watch(&db, &args, json),
        Command::Bench { what } => bench::bench(what, json),
        Command::Train { what: crate::args::TrainCommand::Ner { data, out } } => {
            let report = newsloom_analyse::ner::train(&data, &out).map_err(|e| anyhow::anyhow!(e))?;
            if json {
                return output::json(&serde_json::json!({ "model": "ner", "out": out, "report": report }));
            }
            println!("{report}");
            Ok(())
        }
        Command::Train { what: crate::args::TrainCommand::Quotes { data, out } } => {
            train_report("quotes", newsloom_analyse::quotes::learn::train_file(&data, &out), &out, json)
        }
        Command::Train { what: crate::args::TrainCommand::Tone { data, out } } => {
            train_report("tone", newsloom_analyse::tone::train(&data, &out), &out, json)
        }
        Command::Train { what: crate::args::TrainCommand::Themes { data, out } } => {
            train_report("themes", newsloom_analyse::themes::train(&data, &out), &out, json)
        }
        Command::Serve {
            addr, write_token, public, follow: Some(sources), poll, host_delay, nats, ..
        } => {
            check_public_addr(addr, public, write_token.as_deref());
            let config = newsloom_server::ServerConfig { db, addr, write_token, tiles: None, nats };
            follow::serve_following(config, &sources, poll.as_deref(), &host_delay)
        }
        Command::Serve { addr, write_token, public, tiles, nats, .. } => {
            check_public_addr(addr, public, write_token.as_deref());
            if let Some(t) = &tiles {
                newsloom_server::tile_origin(t).map_err(anyhow::Error::msg)?;
            }
            let config = newsloom_server::ServerConfig { db, addr, write_token, tiles, nats };
            newsloom_server::serve(config).map_err(|e| anyhow::anyhow!(e))
        }
        Command::Follow(args) => follow::follow(&db, &args, json),
        Command::Sources => follow::sources(&open()?, json),
    }
}

/// Commands that need what only the embedded store keeps (files to export from one snapshot,
/// follow and watch state, the tantivy index) stop with a clear error on another engine.
fn embedded_only(location: &Location, command: &Command) -> anyhow::Result<()> {
    if matches!(location, Location::Dir(_)) {
        return Ok(());
    }
    let name = match command {
        Command::Export { .. } => "export",
        Command::Watch(_) => "watch",
        Command::Follow(_) => "follow",
        Command::Sources => "sources",
        Command::Serve { follow: Some(_), .. } => "serve --follow",
        Command::Reindex => "reindex (PostgreSQL keeps its own full-text index)",
        Command::Compact { .. } => "compact (PostgreSQL keeps its own full-text index)",
        _ => return Ok(()),
    };
    anyhow::bail!("{name} needs the embedded store (a data directory), not {}", location.display())
}

/// A server reachable from the network is a decision, not a typo: a non-loopback address needs
/// `--public` and a write token, or the command stops with a usage error (exit 2).
fn check_public_addr(addr: std::net::SocketAddr, public: bool, write_token: Option<&str>) {
    if addr.ip().is_loopback() {
        return;
    }
    let missing = match (public, write_token.is_some_and(|t| !t.trim().is_empty())) {
        (true, true) => return,
        (false, _) => "--public",
        (true, false) => "--write-token (or NEWSLOOM_WRITE_TOKEN)",
    };
    clap::Error::raw(
        clap::error::ErrorKind::ArgumentConflict,
        format!("{addr} is not a loopback address: serving it needs {missing}\n"),
    )
    .exit()
}

/// Prints what a `train` command did.
fn train_report(
    model: &str,
    result: Result<String, String>,
    out: &std::path::Path,
    json: bool,
) -> anyhow::Result<()> {
    let report = result.map_err(|e| anyhow::anyhow!(e))?;
    if json {
        return output::json(&serde_json::json!({ "model": model, "out": out, "report": report }));
    }
    println!("{report}");
    Ok(())
}

//! One module per group of commands; `run` dispatches.

mod bench;
mod eval;
mod export;
mod ingest;
mod query;

use anyhow::Context;
use newsloom_store::{Store, StoryOrder};

use crate::args::{Cli, Command, StorySort};
use crate::output;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    let db = cli.db;
    let open = || Store::open(&db).with_context(|| format!("opening the store in {}", db.display()));
    match cli.command {
        Command::Ingest(args) => ingest::ingest(&db, &args, json),
        Command::Articles(args) => query::articles(&open()?, &args, json),
        Command::Show { what, id } => query::show(&open()?, &what, id.as_deref(), json),
        Command::Search(args) => query::search(&db, &args, json),
        Command::Stories { limit, sort, by_size, from, to, offset } => {
            let order = match (sort, by_size) {
                (_, true) | (StorySort::Biggest, _) => StoryOrder::Biggest,
                (StorySort::Newest, _) => StoryOrder::Newest,
                (StorySort::Outlets, _) => StoryOrder::Outlets,
            };
            let query = newsloom_store::StoryQuery { order, from, to, offset, limit };
            query::stories(&open()?, &query, json)
        }
        Command::Entities { query, limit } => query::entities(&open()?, query.as_deref(), limit, json),
        Command::Quotes { speaker, limit } => query::quotes(&open()?, speaker, limit, json),
        Command::Events { actor, target, code, from, to, limit } => {
            let filter = newsloom_store::EventFilter { actor, target, code, from, to, limit };
            query::events(&open()?, &filter, json)
        }
        Command::Dyad { a, b, by } => query::dyad(&open()?, &a, &b, by, json),
        Command::Stats => query::stats(&open()?, json),
        Command::Export { format: _, out, with_raw } => export::jsonl(&open()?, out.as_deref(), with_raw),
        Command::Reindex => ingest::reindex(&db, json),
        Command::Eval { task, gold, out, embed_model } => {
            eval::eval(task, &gold, out.as_deref(), embed_model.as_deref(), json)
        }
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
            let report =
                newsloom_analyse::quotes::learn::train_file(&data, &out).map_err(|e| anyhow::anyhow!(e))?;
            if json {
                return output::json(&serde_json::json!({ "model": "quotes", "out": out, "report": report }));
            }
            println!("{report}");
            Ok(())
        }
        Command::Serve { addr, write_token } => {
            let config = newsloom_server::ServerConfig { db, addr, write_token };
            newsloom_server::serve(config).map_err(|e| anyhow::anyhow!(e))
        }
    }
}

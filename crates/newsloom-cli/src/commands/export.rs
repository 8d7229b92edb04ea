//! `newsloom export --format jsonl`: every article with its analysis, one per line, streamed.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use newsloom_store::Store;

pub fn jsonl(store: &Store, out: Option<&Path>, with_raw: bool) -> anyhow::Result<()> {
    let sink: Box<dyn Write> = match out {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::new(sink);
    let mut seq = 0;
    let mut n = 0u64;
    loop {
        let rows = store.scan_articles(seq, 500, with_raw)?;
        let Some(last) = rows.last().map(|(s, _)| *s) else { break };
        for (_, article) in rows {
            let analysis = store.analysis(&article.id)?;
            let copy_of = store.copy_of(&article.id)?;
            let mut value = serde_json::to_value(&article)?;
            value["copy_of"] = serde_json::json!(copy_of);
            value["analysis"] = serde_json::to_value(&analysis)?;
            serde_json::to_writer(&mut w, &value)?;
            w.write_all(b"\n")?;
            n += 1;
        }
        seq = last;
    }
    w.flush()?;
    if let Some(path) = out {
        eprintln!("exported {n} articles to {}", path.display());
    }
    Ok(())
}

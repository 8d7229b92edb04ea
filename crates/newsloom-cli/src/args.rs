//! Command-line definitions (clap). Parsing only: the commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "newsloom", version, about = "News intelligence engine: extract, cluster, analyse, search")]
pub struct Cli {
    /// Data directory of the store (SQLite database and search index).
    #[arg(long, global = true, env = "NEWSLOOM_DB", default_value = "newsloom-data")]
    pub db: PathBuf,

    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Ingest files, directories (recursive), .gz, JSONL, or - for stdin.
    Ingest(IngestArgs),
    /// List stored articles, newest first.
    Articles(ArticleArgs),
    /// Show an article (`show ID`, `show article ID`) or a story (`show story ID`).
    Show {
        /// `article` or `story`, or directly an article id.
        what: String,
        id: Option<String>,
    },
    /// Full-text search over titles and bodies.
    Search(SearchArgs),
    /// List stories, most recently active first.
    Stories {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = StorySort::Newest)]
        sort: StorySort,
        /// Same as `--sort biggest`.
        #[arg(long, hide = true)]
        by_size: bool,
        /// Only stories seen on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only stories seen on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Skip this many stories (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Entities by number of mentions.
    Entities {
        /// Only entities whose name contains this.
        query: Option<String>,
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Quotes with their speakers.
    Quotes {
        #[arg(long)]
        speaker: Option<String>,
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Coded events (one per story, with the number of reports).
    Events {
        /// Source actor code prefix (RUS matches RUSGOV).
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        target: Option<String>,
        /// CAMEO code prefix.
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Relations between two actors over time: events per quad class and mean Goldstein.
    Dyad {
        a: String,
        b: String,
        #[arg(long, value_enum, default_value_t = Period::Month)]
        by: Period,
    },
    /// Counts of everything in the store.
    Stats,
    /// Export articles with their analysis.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include the raw input of each article.
        #[arg(long)]
        with_raw: bool,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Run a stage on gold data and print its metrics.
    Eval {
        #[arg(value_enum)]
        task: EvalTask,
        #[arg(long)]
        gold: PathBuf,
        /// (cluster) Write assignments as JSONL {"id","story"}.
        #[arg(long)]
        out: Option<PathBuf>,
        /// (cluster, crosslingual) A sentence-embedding model directory; needs a build with
        /// `--features embed`. Crosslingual reports with and without it.
        #[arg(long, env = "NEWSLOOM_EMBED_MODEL")]
        embed_model: Option<PathBuf>,
    },
    /// Train a model from data and write its weights (reproduces the shipped ones).
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
    /// Serve the HTTP API and web UI.
    Serve {
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Enable `POST /api/articles`, requiring `Authorization: Bearer TOKEN`.
        #[arg(long, env = "NEWSLOOM_WRITE_TOKEN")]
        write_token: Option<String>,
    },
    /// Benchmarks that print throughput and memory.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Articles per store transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch_size: usize,
    /// Largest accepted article (file or JSONL line), in MB.
    #[arg(long, default_value_t = 16)]
    pub max_item_mb: usize,
    /// Outlet name for items that do not carry one (e.g. text scraped from one site).
    #[arg(long)]
    pub source: Option<String>,
}

#[derive(Args, Debug)]
pub struct ArticleArgs {
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long)]
    pub story: Option<String>,
    /// First day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    pub query: String,
    #[command(flatten)]
    pub filter: ArticleArgs,
    /// Skip this many hits (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Generate a synthetic corpus and ingest it into a fresh temporary store.
    Ingest {
        #[arg(long, default_value_t = 50_000)]
        articles: u64,
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
        /// Keep the generated store in this directory instead of a temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// The named-entity tagger, from CoNLL-style JSONL (e.g. ../shared/data/ner/conll2003-train.jsonl).
    Ner {
        #[arg(long)]
        data: PathBuf,
        /// Where to write the gzip'd weights (the shipped file is
        /// crates/newsloom-analyse/models/ner-weights.bin.gz).
        #[arg(long)]
        out: PathBuf,
    },
    /// The quote scorer, from PolNeAR-style JSONL (../shared/data/quotes/polnear-train.jsonl).
    Quotes {
        #[arg(long)]
        data: PathBuf,
        /// Where to write the gzip'd model (the shipped file is
        /// crates/newsloom-analyse/models/quotes-weights.bin.gz).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Story list orders.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum StorySort {
    /// Most recently active first.
    Newest,
    /// Most articles first.
    Biggest,
    /// Most distinct outlets first.
    Outlets,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Period {
    Day,
    Month,
    Year,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum ExportFormat {
    Jsonl,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum EvalTask {
    Extract,
    Cluster,
    /// Cross-lingual story linking: MEANTIME (clustering) or SemEval-2022 pairs (Pearson).
    Crosslingual,
    Ner,
    Quotes,
    Events,
}

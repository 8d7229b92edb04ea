//! Command-line definitions (clap). Parsing only: the commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "newsloom", version, about = "News intelligence engine: extract, cluster, analyse, search")]
pub struct Cli {
    /// Data directory of the store (SQLite database and search index), or a PostgreSQL URL
    /// (`postgres://user:password@host/db`).
    #[arg(long, global = true, env = "NEWSLOOM_DB", default_value = "newsloom-data")]
    pub db: PathBuf,

    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Log lines on stderr as text or as one JSON object per line; `RUST_LOG` sets the levels
    /// (default `warn,newsloom=info`).
    #[arg(long, global = true, env = "NEWSLOOM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Ingest files, directories (recursive), .gz, JSONL, or - for stdin.
    Ingest(IngestArgs),
    /// List stored articles, newest first.
    Articles {
        #[command(flatten)]
        filter: ArticleArgs,
        #[command(flatten)]
        facts: ArticleFactArgs,
    },
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
        /// Write to this file instead of stdout (jsonl); the output directory (parquet, gdelt).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include the raw input of each article.
        #[arg(long)]
        with_raw: bool,
        /// Only articles stored at or after this time (RFC 3339 or YYYY-MM-DD), their facts and
        /// the stories they touched.
        #[arg(long)]
        since: Option<String>,
        /// (gdelt) Keep running until SIGINT/SIGTERM: every interval (15m, 30s, 1h) write a
        /// GDELT-style update file pair and lastupdate.txt for what arrived since the last one.
        #[arg(long, value_parser = humantime::parse_duration)]
        every: Option<std::time::Duration>,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Merge the search index into one segment (searches slow down with the number of
    /// segments that many separate ingests leave; large ingests merge by themselves).
    Compact {
        /// Also rewrite articles' and facts documents that an older version stored deflated
        /// in the faster codec this version writes (story and article pages read them).
        #[arg(long)]
        recode: bool,
    },
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
        /// Grouped K-fold evaluation (by site/outlet/publisher/story; never one source in two
        /// folds): per-fold metrics, their mean and spread, and a tune/check split for rules;
        /// learning tasks train on the other folds.
        #[arg(long, value_name = "K")]
        folds: Option<usize>,
        /// (ner --folds) Training data split by the same folds; default: the gold file's
        /// `-train` sibling (e.g. conll2003-train.jsonl next to conll2003-dev.jsonl).
        #[arg(long, value_name = "FILE")]
        train: Option<PathBuf>,
        /// (geo) Resolve the gold toponym spans instead of detecting them (resolution alone).
        #[arg(long)]
        gold_spans: bool,
        /// (geo) Leave out associative toponyms (GeoWebNews `literal: false`).
        #[arg(long)]
        literal_only: bool,
    },
    /// Places named in stored articles (resolved to GeoNames), by number of mentions.
    Places {
        /// Only places in this story's articles.
        #[arg(long)]
        story: Option<String>,
        /// Only places in this country (ISO 3166-1 alpha-2, e.g. RU).
        #[arg(long)]
        country: Option<String>,
        /// Only this article's places.
        #[arg(long)]
        article: Option<String>,
        #[arg(long, default_value_t = 30)]
        limit: usize,
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
        /// Allow a non-loopback address (the API is then reachable from the network); needs a
        /// write token too, so that the store is never writable by anyone who can reach it.
        #[arg(long)]
        public: bool,
        /// Also follow the feeds and sitemaps in this SOURCES file (as `newsloom follow`),
        /// so new articles show up in the API and UI as they are published.
        #[arg(long, value_name = "SOURCES")]
        follow: Option<PathBuf>,
        /// (with --follow) Poll interval for every source, e.g. `30s`, `10m` (default: the
        /// sources file's, else 15m).
        #[arg(long, value_name = "INTERVAL", requires = "follow")]
        poll: Option<String>,
        /// (with --follow) Least time between two requests to one host, e.g. `1s`, `250ms`, `0`.
        #[arg(long, value_name = "INTERVAL", default_value = "1s", requires = "follow")]
        host_delay: String,
        /// Map tiles for the UI, as a URL template such as
        /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png` (mind the tile server's usage
        /// policy and attribution). Without it the map shows offline country outlines only.
        #[arg(long, value_name = "URL_TEMPLATE", conflicts_with = "follow")]
        tiles: Option<String>,
        /// Report the scale-out pipeline on this NATS server (`nats://host:port`) at
        /// `/api/cluster-status` and on the UI's status page.
        #[arg(long, value_name = "NATS_URL")]
        nats: Option<String>,
    },
    /// Ingest files as they appear in a folder (recursively), each once, also across restarts.
    Watch(WatchArgs),
    /// Follow feeds (RSS, Atom, JSON Feed) and news sitemaps: ingest each new item's page.
    Follow(FollowArgs),
    /// List followed sources with last poll, items, errors and next poll.
    Sources,
    /// Benchmarks that print throughput and memory.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Run one pipeline stage as a NATS JetStream worker (see docs/scale-out.md); `--db` is
    /// the store the `store` stage writes to.
    Worker {
        #[arg(value_enum)]
        stage: WorkerStage,
        #[command(flatten)]
        nats: NatsArgs,
    },
    /// Per stage of the NATS workers: lag, messages in hand, redeliveries, dead letters,
    /// throughput and workers alive.
    ClusterStatus {
        #[command(flatten)]
        nats: NatsArgs,
        /// Throughput is measured over this interval.
        #[arg(long, default_value_t = 1000)]
        interval_ms: u64,
    },
}

#[derive(Args, Debug, Clone)]
pub struct NatsArgs {
    /// The NATS server (JetStream enabled).
    #[arg(long = "nats", env = "NEWSLOOM_NATS", default_value = "nats://127.0.0.1:4222")]
    pub url: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerStage {
    Extract,
    Analyse,
    Cluster,
    Store,
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
    /// Publish the items to NATS JetStream (`nats://host:port`) for the stage workers,
    /// instead of processing them in this process.
    #[arg(long, value_name = "NATS_URL")]
    pub to: Option<String>,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The folder to watch (subfolders included).
    pub dir: PathBuf,
    /// Ingest what is there, then exit (for cron).
    #[arg(long)]
    pub once: bool,
    /// A file is read once its size and mtime stayed unchanged this long (files renamed into
    /// the folder are read at once).
    #[arg(long, default_value_t = 1500)]
    pub settle_ms: u64,
    /// Rescan the whole folder this often, for file events the platform lost.
    #[arg(long, default_value_t = 30)]
    pub rescan_secs: u64,
    /// Articles per store transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch_size: usize,
    /// Largest accepted article, in MB.
    #[arg(long, default_value_t = 16)]
    pub max_item_mb: usize,
    /// Outlet name for items that do not carry one.
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

/// Filters on what the analysis found in an article (`newsloom articles` only).
#[derive(Args, Debug, Default)]
pub struct ArticleFactArgs {
    /// Only articles with this theme: its code (PROTEST, medtop:16000000) or label.
    #[arg(long)]
    pub theme: Option<String>,
    /// Lowest article tone (GDELT AvgTone scale, about -10..10), inclusive.
    #[arg(long, allow_negative_numbers = true)]
    pub tone_min: Option<f64>,
    /// Highest article tone, inclusive.
    #[arg(long, allow_negative_numbers = true)]
    pub tone_max: Option<f64>,
    /// Only articles naming a place in this country (ISO 3166-1 alpha-2, e.g. RU).
    #[arg(long)]
    pub country: Option<String>,
    /// Only articles naming this GeoNames place (524901 is Moscow).
    #[arg(long)]
    pub geonameid: Option<i64>,
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
    /// Generate a news stream and ingest it into a fresh temporary store: throughput, memory
    /// and ingest rate by decile, store size per article.
    Ingest {
        #[arg(long, default_value_t = 50_000)]
        articles: u64,
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
        /// Keep the generated store in this directory instead of a temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// `realistic`: 75% generated news, 20% real article text replayed with shifted dates
        /// (the shipped Wikinews sample plus any `--real` files), 5% near-duplicates of recent
        /// items. `generated`: generated news only.
        #[arg(long, default_value = "realistic", value_parser = ["realistic", "generated"])]
        mix: String,
        /// More real articles to replay (JSONL with `title` and `text`), e.g. a gold file from
        /// ../shared/data; read at run time, never copied.
        #[arg(long)]
        real: Vec<PathBuf>,
        /// Start the stream at this item (the items are numbered): with `--keep` on a store an
        /// earlier run made, continues its stream, to measure ingest into a large store.
        #[arg(long, default_value_t = 0)]
        first: u64,
    },
    /// Articles/s through the NATS stage workers with 1, 2 and 4 workers per stage, and the
    /// time of one queue hop (starts a temporary nats-server).
    Queue {
        #[arg(long, default_value_t = 2000)]
        articles: u64,
        /// Workers per stage to try, comma-separated.
        #[arg(long, default_value = "1,2,4", value_delimiter = ',')]
        workers: Vec<usize>,
        /// Round trips for the hop measurement.
        #[arg(long, default_value_t = 2000)]
        hops: u64,
    },
    /// Generate a per-record-gzip WARC archive of news pages and ingest it into a fresh
    /// temporary store (both deleted afterwards).
    Warc {
        /// Archive size to generate, in MB (compressed, on disk).
        #[arg(long, default_value_t = 1024)]
        mb: u64,
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
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
    /// The target-dependent tone model, from NewsMTSC-style JSONL (../shared/data/tone/newsmtsc-dev.jsonl).
    Tone {
        #[arg(long)]
        data: PathBuf,
        /// Where to write it (the shipped file is crates/newsloom-analyse/models/tone-target.bin.gz).
        #[arg(long)]
        out: PathBuf,
    },
    /// The IPTC topic model, from BBC-style JSONL (../shared/data/themes/bbc-dev.jsonl).
    Themes {
        #[arg(long)]
        data: PathBuf,
        /// Where to write it (the shipped file is crates/newsloom-analyse/models/themes-lr.bin.gz).
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
    /// One Parquet file per table and manifest.json, in --out DIR.
    Parquet,
    /// GDELT 2.0 Events and Mentions TSV files, in --out DIR.
    Gdelt,
    /// GDELT GKG 2.1 TSV (one row per article: locations, themes, tone), in --out DIR.
    Gkg,
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
    /// Geoparsing on the geo gold sets (LGL, TR-News, GeoWebNews, GeoVirus JSONL).
    Geo,
    /// NewsMTSC (per target) or PerSenT (per document) sentiment.
    Tone,
    /// IPTC top-level subjects on BBC News.
    Themes,
}

#[derive(Args, Debug)]
pub struct FollowArgs {
    /// A file with one feed or sitemap URL per line (`#` comments), or a `.toml` config with
    /// `[[source]]` tables (url, name, lang, poll) and `[defaults]`.
    pub sources: PathBuf,
    /// Poll every source once, fetch their new items, print a summary and exit (for cron).
    #[arg(long)]
    pub once: bool,
    /// Poll interval for every source, e.g. `30s`, `10m`, or seconds (default: the sources
    /// file's, else 15m).
    #[arg(long, value_name = "INTERVAL")]
    pub poll: Option<String>,
    /// Pages fetched and stored per batch (one store transaction).
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Page fetches tried per item, over successive polls, before it is given up.
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
    /// Largest page or feed accepted, in MB (larger ones are cut and reported).
    #[arg(long, default_value_t = 16)]
    pub max_page_mb: u64,
    /// Least time between two requests to one host, e.g. `1s`, `250ms`, `0` (robots.txt
    /// Crawl-delay can make it longer).
    #[arg(long, value_name = "INTERVAL", default_value = "1s")]
    pub host_delay: String,
    /// Publish new items to NATS JetStream (`nats://host:port`) for the stage workers instead
    /// of processing them here; which items were seen is still kept in `--db`.
    #[arg(long, value_name = "NATS_URL")]
    pub to: Option<String>,
}

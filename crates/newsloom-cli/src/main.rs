//! The `newsloom` binary: parse arguments, run the command, map failures to exit codes
//! (0 ok, 1 error, 2 usage — clap exits with 2 itself).

mod args;
mod commands;
mod output;

use clap::Parser;

/// mimalloc rather than the system allocator: the analysers make thousands of small
/// allocations per article, and with it the analyse stage takes about 10 % less CPU
/// (`analyse_bench`, which uses it too).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Like other Unix tools, stop quietly when the reader of stdout goes away (`| head`)
    // instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any threads.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = args::Cli::parse();
    init_logging(cli.log_format);
    if let Err(e) = commands::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Structured logs on stderr (stdout is for results and `--json`), filtered by `RUST_LOG`.
fn init_logging(format: args::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,newsloom=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        args::LogFormat::Text => builder.try_init(),
        args::LogFormat::Json => builder.json().try_init(),
    };
}

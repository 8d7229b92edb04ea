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

/// The server keeps memory that mimalloc freed instead of handing it back to the OS a second
/// later (its default "purge"). It frees and reuses large blocks (story pages' JSON, facts
/// documents) at longer intervals, and each purged page came back as a page fault and a zeroed
/// page: over a million articles, 0.12 faults and 0.63 ms of CPU a story page before, 0.01 and
/// 0.575 after. The server keeps its high-water mark instead, bounded by the admission limits.
/// Ingest purges as before: kept, its anonymous memory grew by 90 MB in 50,000 articles, for
/// 4 % less CPU. `MIMALLOC_PURGE_DELAY`, when set, still decides.
#[cfg(feature = "mimalloc")]
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an allocator option, which mimalloc allows at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// `mi_option_purge_delay`, which libmimalloc-sys does not name; its place in mimalloc's option
/// enum is fixed (v2 and v3 keep retired options as placeholders).
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Like other Unix tools, stop quietly when the reader of stdout goes away (`| head`)
    // instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any threads.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = args::Cli::parse();
    if matches!(cli.command, args::Command::Serve { .. }) {
        no_huge_pages();
        #[cfg(feature = "mimalloc")]
        keep_freed_memory();
    }
    init_logging(cli.log_format);
    if let Err(e) = commands::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Serves without transparent huge pages. mimalloc asks for them (`MADV_HUGEPAGE`), and a
/// server's many short-lived request threads each touch a little of many 2 MB pages: over a
/// million articles, 200 connections of varied story pages left 1,355 MB of anonymous memory
/// with them and 527 MB without, and each first touch of one zeroes 2 MB (less CPU a page
/// without). Ingest keeps them: its analysers' tables run 2–3 % faster on them.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a prctl on this process that takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
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

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    /// The option number is the purge delay: unset, it holds mimalloc's documented default
    /// (1,000 ms in v3, 10 ms in v2), which no neighbouring option has.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an allocator option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert!(delay == 1000 || delay == 10, "option {} is {delay}", super::MI_OPTION_PURGE_DELAY);
    }
}

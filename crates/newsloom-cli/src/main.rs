//! The `newsloom` binary: parse arguments, run the command, map failures to exit codes
//! (0 ok, 1 error, 2 usage — clap exits with 2 itself).

mod args;
mod commands;
mod output;

use clap::Parser;

fn main() {
    // Like other Unix tools, stop quietly when the reader of stdout goes away (`| head`)
    // instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any threads.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = args::Cli::parse();
    if let Err(e) = commands::run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

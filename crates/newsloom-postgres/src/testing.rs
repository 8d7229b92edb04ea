//! A throwaway PostgreSQL server for tests and benchmarks.
//!
//! [`TempPostgres::start`] runs Debian's PostgreSQL binaries (`apt-get install postgresql`;
//! the system cluster is never started) on a fresh data directory in a temp dir, listening on
//! `127.0.0.1` at a free port with its unix socket inside the temp dir, and stops it on drop.
//!
//! `initdb` refuses to run as root, and CI runs as root: then the data directory is given to
//! the `postgres` user and every server command runs through `runuser -u postgres --`.
//!
//! Tests that need a server call [`require`]: without the binaries it prints
//! `skipped: PostgreSQL not installed (…)` and the test returns, unless `NEWSLOOM_REQUIRE_PG=1`
//! (set by CI), in which case it panics so a missing server cannot pass silently.
//!
//! ```no_run
//! let Some(pg) = newsloom_postgres::testing::require() else { return };
//! pg.create_database("demo").unwrap();
//! let mut client = postgres::Client::connect(&pg.url("demo"), postgres::NoTls).unwrap();
//! client.simple_query("SELECT 1").unwrap();
//! ```

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, Weak};

/// A running throwaway server; stopped (`pg_ctl stop -m immediate`) and deleted on drop.
pub struct TempPostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    // Dropped after the server is stopped (fields drop after `Drop::drop`).
    _dir: tempfile::TempDir,
}

impl TempPostgres {
    /// Creates and starts a server; `Err` says why (binaries missing, initdb or start failed).
    pub fn start() -> Result<TempPostgres, String> {
        let bin = find_bin_dir()?;
        let as_postgres = effective_uid_is_root();
        let dir = tempfile::Builder::new()
            .prefix("newsloom-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temp dir: {e}"))?;
        if as_postgres {
            give_to_postgres(dir.path())?;
        }
        let data = dir.path().join("data");
        let initdb = bin.join("initdb");
        let args = [
            "-D",
            path_str(&data)?,
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ];
        run(as_postgres, &initdb, &args)?;
        let mut pg = TempPostgres { bin, data, port: 0, as_postgres, _dir: dir };
        // The port is free when chosen but another process may take it before the server
        // binds it (several test binaries start servers at once): retry with another.
        let mut last = String::new();
        for _ in 0..5 {
            pg.port = free_port()?;
            match pg.pg_ctl_start() {
                Ok(()) => {
                    pg.watchdog();
                    return Ok(pg);
                }
                Err(e) => last = e,
            }
        }
        Err(format!("PostgreSQL did not start: {last}"))
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let socket_dir = self.data.parent().expect("data is inside the temp dir");
        let log = socket_dir.join("server.log");
        // Tests need no durability: fsync and synchronous commit off make each test's
        // CREATE DATABASE and commits cheap.
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200",
            self.port,
            path_str(socket_dir)?
        );
        let pg_ctl = self.bin.join("pg_ctl");
        let args =
            ["-D", path_str(&self.data)?, "-l", path_str(&log)?, "-w", "-t", "60", "-o", &options, "start"];
        run(self.as_postgres, &pg_ctl, &args).map_err(|e| {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{e}\n{}", tail.lines().rev().take(5).collect::<Vec<_>>().join("\n"))
        })
    }

    /// Stops the server and deletes its directory once this process is gone, also when it
    /// never drops the server (one kept in a `static` for a whole test binary) or is killed.
    /// Best effort: a failure to start the watchdog only risks a leftover server.
    fn watchdog(&self) {
        let (Ok(data), Some(Ok(dir))) = (path_str(&self.data), self.data.parent().map(path_str)) else {
            return;
        };
        let pg_ctl = self.bin.join("pg_ctl");
        let Ok(pg_ctl) = path_str(&pg_ctl) else { return };
        let as_postgres = if self.as_postgres { "runuser -u postgres -- " } else { "" };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {as_postgres}'{pg_ctl}' -D '{data}' stop -m immediate >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id()
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }

    /// A server shared by the tests of one process running at the same time: the first caller
    /// starts it, it stops when the last holder drops it. Each test uses its own database.
    pub fn shared() -> Result<Arc<TempPostgres>, String> {
        static SHARED: Mutex<Weak<TempPostgres>> = Mutex::new(Weak::new());
        let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pg) = slot.upgrade() {
            return Ok(pg);
        }
        let pg = Arc::new(TempPostgres::start()?);
        *slot = Arc::downgrade(&pg);
        Ok(pg)
    }

    /// The TCP port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL for database `dbname` as the superuser `postgres` (trust auth).
    pub fn url(&self, dbname: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{dbname}", self.port)
    }

    /// Creates an empty database (and returns its URL). Callable from async tests too: the
    /// blocking client runs on a thread of its own.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        std::thread::scope(|s| s.spawn(|| self.create_database_here(name)).join())
            .map_err(|_| "creating the database panicked".to_string())?
    }

    fn create_database_here(&self, name: &str) -> Result<String, String> {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(|e| format!("cannot connect to the test server: {e}"))?;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        client
            .batch_execute(&format!("CREATE DATABASE {quoted}"))
            .map_err(|e| format!("CREATE DATABASE {quoted}: {e}"))?;
        Ok(self.url(name))
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let Ok(data) = path_str(&self.data) else { return };
        let _ =
            run(self.as_postgres, &self.bin.join("pg_ctl"), &["-D", data, "stop", "-m", "immediate", "-w"]);
    }
}

/// A shared server for a test, or `None` (after printing `skipped: …`) when PostgreSQL is not
/// installed and `NEWSLOOM_REQUIRE_PG` is not `1`.
///
/// # Panics
/// When the server cannot start and `NEWSLOOM_REQUIRE_PG=1`.
pub fn require() -> Option<Arc<TempPostgres>> {
    match TempPostgres::shared() {
        Ok(pg) => Some(pg),
        Err(e) if std::env::var("NEWSLOOM_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("NEWSLOOM_REQUIRE_PG=1 but PostgreSQL is unavailable: {e}")
        }
        Err(e) => {
            eprintln!("skipped: PostgreSQL not installed ({e})");
            None
        }
    }
}

/// A database name unique within this process, for one test.
pub fn unique_db_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let clean: String = prefix
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("{}_{}", clean.chars().take(40).collect::<String>(), N.fetch_add(1, Ordering::Relaxed))
}

/// The newest installed `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`
/// (Debian keeps them off `PATH`). `NEWSLOOM_PG_BIN` overrides it.
fn find_bin_dir() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("NEWSLOOM_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .map_err(|_| format!("no {} (apt-get install postgresql)", root.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.split('.').next()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| format!("no initdb and pg_ctl under {}/*/bin", root.display()))
}

/// Whether this process runs as root (effective uid 0), read from /proc so no libc binding
/// is needed.
fn effective_uid_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Uid:"))?;
            // Uid: real effective saved fs
            line.split_whitespace().nth(2).map(|euid| euid == "0")
        })
        .unwrap_or(false)
}

fn give_to_postgres(dir: &Path) -> Result<(), String> {
    let out = Command::new("chown")
        .args(["postgres:", path_str(dir)?])
        .output()
        .map_err(|e| format!("cannot run chown: {e}"))?;
    check("chown", out)
}

/// Runs a server binary, as `postgres` when this process is root.
fn run(as_postgres: bool, program: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    // pg_ctl -w -t 60 bounds the wait for the server; LC_ALL=C keeps initdb from failing on
    // a locale the machine lacks.
    let out = cmd
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    check(&program.display().to_string(), out)
}

fn check(what: &str, out: Output) -> Result<(), String> {
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim(),
        String::from_utf8_lossy(&out.stdout).trim()
    ))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("no free port: {e}"))
}

fn path_str(p: &Path) -> Result<&str, String> {
    p.to_str().ok_or_else(|| format!("non-UTF-8 path {}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_serves_and_stops() {
        let pg = match TempPostgres::start() {
            Ok(pg) => pg,
            Err(e) if std::env::var("NEWSLOOM_REQUIRE_PG").as_deref() == Ok("1") => panic!("{e}"),
            Err(e) => return eprintln!("skipped: PostgreSQL not installed ({e})"),
        };
        let url = pg.create_database("harness_check").unwrap();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let row = client.query_one("SELECT current_database()", &[]).unwrap();
        assert_eq!(row.get::<_, String>(0), "harness_check");
        let data = pg.data.clone();
        drop(client);
        drop(pg);
        assert!(!data.exists(), "the data directory is removed on drop");
    }
}

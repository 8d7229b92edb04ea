//! A throw-away `nats-server -js` for tests: Debian's package, on a free loopback port, with
//! its JetStream store in a temporary directory, killed when dropped.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TempNats {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Whether a missing `nats-server` must fail the test (CI sets `NEWSLOOM_REQUIRE_NATS=1`).
pub fn nats_required() -> bool {
    std::env::var("NEWSLOOM_REQUIRE_NATS").is_ok_and(|v| v == "1")
}

impl TempNats {
    /// Starts a server, or returns `None` after printing `skipped: …` when `nats-server` is not
    /// installed (and not required). Panics if it is installed but does not come up.
    pub fn start() -> Option<TempNats> {
        let binary = find_server();
        let Some(binary) = binary else {
            assert!(!nats_required(), "nats-server is not installed and NEWSLOOM_REQUIRE_NATS=1");
            eprintln!("skipped: nats-server not installed (apt-get install nats-server)");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        // Bind port 0 to let the kernel choose, then hand the number over. Another process
        // could take it in between; the retry below covers that rare case.
        for _ in 0..5 {
            let port =
                TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
            let mut child = Command::new(&binary)
                .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
                .arg(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn nats-server");
            if wait_ready(&mut child, port, Duration::from_secs(20)) {
                return Some(TempNats { child, port, _dir: dir });
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("nats-server did not start");
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

/// Whether the server came up: its client port answers once JetStream is ready too.
fn wait_ready(child: &mut Child, port: u16, timeout: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < timeout {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

impl Drop for TempNats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_server() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/bin".into()])
        .map(|d| d.join("nats-server"))
        .find(|p| p.is_file())
}

//! `newsloom serve`: the HTTP API and web UI over the embedded store.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store's data directory.
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// When set, `POST /api/articles` is enabled and requires `Authorization: Bearer <token>`.
    pub write_token: Option<String>,
}

/// Serves until the process is stopped. (Not built yet: issue 8.)
pub fn serve(config: ServerConfig) -> Result<(), String> {
    Err(format!("the server is not built yet (issue 8); would listen on {}", config.addr))
}

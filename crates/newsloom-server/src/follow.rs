//! `serve --follow`: the follow loop inside the server process, writing through the server's
//! own pipeline, so new articles show up in the API and UI as soon as their batch is stored.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use newsloom_fetch::Fetcher;
use newsloom_follow::{FollowOptions, Follower, OnStored, SourceSpec, Writer};

use crate::{ServerConfig, app, app_state};

/// What to follow while serving.
pub struct Following {
    pub fetcher: Fetcher,
    pub specs: Vec<SourceSpec>,
    pub opts: FollowOptions,
}

/// Serves and follows until SIGINT or SIGTERM; the poll in flight then stores its batch.
pub fn serve_following(config: ServerConfig, following: Following) -> Result<(), String> {
    let listener = std::net::TcpListener::bind(config.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    eprintln!(
        "newsloom: serving {} on http://{}, following {} sources",
        config.db.display(),
        config.addr,
        following.specs.len()
    );
    if let Some(url) = &config.nats {
        eprintln!("newsloom: reporting the scale-out pipeline at {url} (/api/cluster-status)");
    }
    let _warming = crate::warm::spawn(config.db.clone());
    serve_following_watching(
        listener,
        &config.db,
        config.write_token,
        config.nats.as_deref(),
        following,
        newsloom_follow::shutdown_signal(),
    )
}

/// Serves on a bound listener and follows until `stop` completes (tests and benchmarks stop it
/// themselves).
pub fn serve_following_on(
    listener: std::net::TcpListener,
    db: &Path,
    write_token: Option<String>,
    following: Following,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    serve_following_watching(listener, db, write_token, None, following, stop)
}

/// As [`serve_following_on`], also reporting the stage workers on the NATS server at `nats`
/// (`/api/cluster-status`), as `serve --follow --nats URL` does.
pub fn serve_following_watching(
    listener: std::net::TcpListener,
    db: &Path,
    write_token: Option<String>,
    nats: Option<&str>,
    following: Following,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let mut state = app_state(db, write_token)?;
    state.cluster = nats.map(crate::api::cluster::ClusterProbe::new);
    {
        // The loop writes through the server's pipeline slot (one writer per search index),
        // opened now so that a locked or unwritable store fails at start, not at the first item.
        let mut slot = state.pipeline.lock().map_err(|_| "the pipeline lock is poisoned".to_string())?;
        *slot = Some(newsloom_follow::hints::open_pipeline(db).map_err(|e| e.to_string())?);
    }
    let (version, index_version) = (state.version.clone(), state.index_version.clone());
    // Cached answers are keyed by store and index versions: mark both stale after each batch,
    // so the next request reads them again instead of waiting out their max age.
    let on_stored: OnStored = Arc::new(move || {
        version.invalidate();
        index_version.invalidate();
    });
    let writer = Writer::shared(db, state.pipeline.clone(), Some(on_stored));
    let app = app(state);
    crate::run_on(listener, |listener| async move {
        let stop = newsloom_follow::stop_when(stop);
        let Following { fetcher, specs, opts } = following;
        let follower = Follower::new(fetcher, writer, specs, FollowOptions { once: false, ..opts });
        let follow = tokio::spawn(
            follower.run(stop.clone(), |report| eprintln!("newsloom follow: {}", report.line())),
        );
        let mut server_stop = stop.clone();
        let served = crate::connections::serve(listener, app, async move {
            let _ = server_stop.wait_for(|stopped| *stopped).await;
        })
        .await;
        match follow.await {
            Ok(s) => eprintln!(
                "newsloom follow: stopped after {} polls: {} stored, {} page errors, {} feed errors",
                s.polls, s.stored, s.item_errors, s.poll_errors
            ),
            Err(e) => eprintln!("newsloom follow: the loop failed: {e}"),
        }
        served
    })
}

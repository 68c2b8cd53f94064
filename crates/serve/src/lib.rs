//! The live preview server behind `vejviser serve`.
//!
//! A [`Build`] (supplied by the caller: one guideline, or the whole site) writes
//! pages into a build folder in a fresh temporary directory. The server serves
//! that folder on `127.0.0.1` only, watches the paths the build names with
//! `notify`, and rebuilds after a short quiet period (debounce) when one of them
//! changes. Every HTML page it serves gets two things added on the way out,
//! never written into the built files:
//!
//! - a banner at the top of `<body>` with the last build's diagnostics (HTML
//!   escaped: guideline text is untrusted), when there are any;
//! - a small script before `</body>` that polls `/__vejviser/version` and
//!   reloads the page when the build counter changes.
//!
//! A failed build keeps the last good pages and shows why it failed; the next
//! good build replaces them. `/__vejviser/diagnostics` gives the same report as
//! JSON. Nothing here prints or reads the clock: the caller hears about builds
//! through [`Event`]s.

mod banner;
mod http;
mod watch;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;
use vejviser_diagnostics::{Diagnostic, Severity};

/// The URL prefix of the server's own endpoints; no built file may live there.
pub const INTERNAL_PREFIX: &str = "/__vejviser/";

/// A path to watch for changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub path: PathBuf,
    /// Watch everything below a folder, not just its direct entries.
    pub recursive: bool,
}

/// What the preview shows: the caller's build of one guideline or a whole site.
pub trait Build: Send + 'static {
    /// The files and folders whose changes trigger a rebuild. Asked again
    /// regularly: a path that is missing now is watched once it appears (and
    /// its appearance counts as a change).
    fn watch(&self) -> Vec<Watch>;

    /// Whether a change to `path` (below a watched path) matters. Editor swap
    /// and backup files are ignored before this is asked.
    fn relevant(&self, path: &Path) -> bool {
        let _ = path;
        true
    }

    /// Builds into `out`, the same folder every time (it may not exist yet).
    /// On failure the build should leave the previous pages in place.
    fn build(&mut self, out: &Path) -> Report;
}

/// How many findings the page banner and the terminal list; the counts are
/// always complete. A whole site's first build can have hundreds of warnings.
pub const LISTED: usize = 50;

/// The result of one build, shown at the top of every preview page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The pages in the build folder are from this build. `false`: they are the
    /// last good ones (or there are none).
    pub ok: bool,
    /// One sentence about the build as a whole, e.g. that the file was deleted.
    pub headline: Option<String>,
    /// Check errors and warnings, with file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Further lines to list (e.g. guidelines left out of a site).
    pub notes: Vec<String>,
}

impl Report {
    /// A build that worked, with the warnings it had.
    pub fn ok(diagnostics: Vec<Diagnostic>) -> Report {
        Report {
            ok: true,
            diagnostics,
            ..Report::default()
        }
    }
    /// A build that failed for the reason given.
    pub fn failed(headline: impl Into<String>) -> Report {
        Report {
            ok: false,
            headline: Some(headline.into()),
            ..Report::default()
        }
    }
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// Whether there is anything to tell the author.
    pub fn has_news(&self) -> bool {
        !self.ok
            || self.headline.is_some()
            || !self.diagnostics.is_empty()
            || !self.notes.is_empty()
    }
}

/// What the server is doing, for the caller to log.
#[derive(Debug, Clone)]
pub enum Event {
    /// A build starts; the changed paths that caused it (empty for the first build).
    Building { changed: Vec<PathBuf> },
    /// A build finished; `version` is the new build counter the pages poll for.
    Built { version: u64, report: Report },
    /// A path could not be watched (e.g. the system's watch limit); changes
    /// below it are not noticed until it can be.
    WatchFailed { path: PathBuf, message: String },
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on 127.0.0.1 is already in use by another program")]
    PortInUse { port: u16 },
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen { port: u16, source: std::io::Error },
    #[error("cannot create a temporary folder for the preview in {}: {source}", .dir.display())]
    TempDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot watch files for changes: {0}")]
    Watch(String),
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Port on 127.0.0.1; 0 picks a free one (see [`Server::url`]).
    pub port: u16,
    /// Where to make the temporary build folder (default: the system's temporary folder).
    pub temp_dir: Option<PathBuf>,
    /// How long the files must be quiet after a change before rebuilding.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            port: 0,
            temp_dir: None,
            debounce: Duration::from_millis(200),
        }
    }
}

/// What the HTTP side needs to know about the builds.
pub(crate) struct Shared {
    /// The port listened on: requests must name it in `Host`.
    pub(crate) port: u16,
    /// The build folder.
    pub(crate) root: PathBuf,
    pub(crate) state: RwLock<State>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    /// Builds finished so far; pages reload when it changes.
    pub(crate) version: u64,
    /// The last build's report; `None` until the first build finishes.
    pub(crate) report: Option<Report>,
}

/// How often the worker threads look at the stop flag.
const TICK: Duration = Duration::from_millis(200);
/// HTTP worker threads (requests are small and answered from local files).
const WORKERS: usize = 4;

/// A running preview server. Dropping it stops it, as [`Server::stop`] does.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    watcher_done: Option<mpsc::Receiver<()>>,
    // Dropped last: removes the build folder.
    dir: Option<tempfile::TempDir>,
}

/// Starts serving: makes the build folder, listens on 127.0.0.1, starts
/// watching and runs the first build in the background (pages requested
/// before it finishes say so and reload when it has).
pub fn start(
    opts: Options,
    builder: Box<dyn Build>,
    on_event: Arc<dyn Fn(Event) + Send + Sync>,
) -> Result<Server, ServeError> {
    let parent = opts.temp_dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("vejviser-serve-")
        .tempdir_in(&parent)
        .map_err(|source| ServeError::TempDir {
            dir: parent.clone(),
            source,
        })?;
    let root = dir.path().join("preview");
    std::fs::create_dir(&root).map_err(|source| ServeError::TempDir {
        dir: parent.clone(),
        source,
    })?;

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { port: opts.port }
        } else {
            ServeError::Listen {
                port: opts.port,
                source,
            }
        }
    })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Listen {
        port: opts.port,
        source,
    })?;
    let http =
        tiny_http::Server::from_listener(listener, None).map_err(|e| ServeError::Listen {
            port: opts.port,
            source: std::io::Error::other(e.to_string()),
        })?;
    let http = Arc::new(http);

    let shared = Arc::new(Shared {
        port: addr.port(),
        root,
        state: RwLock::new(State::default()),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = mpsc::channel();
    let watcher = watch::Watcher::new(
        builder,
        shared.clone(),
        stop.clone(),
        on_event,
        opts.debounce,
    )?;
    // The watcher thread is not joined: a site build may take a while, so
    // `stop` waits a little for its signal instead.
    std::thread::Builder::new()
        .name("vejviser-serve-watch".into())
        .spawn(move || {
            watcher.run();
            let _ = done_tx.send(());
        })
        .map_err(|e| ServeError::Watch(e.to_string()))?;
    let mut threads = Vec::new();
    for i in 0..WORKERS {
        let http = http.clone();
        let shared = shared.clone();
        let stopped = stop.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("vejviser-serve-http-{i}"))
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    match http.recv_timeout(TICK) {
                        Ok(Some(request)) => http::handle(&shared, request),
                        Ok(None) => {}
                        Err(_) => std::thread::sleep(TICK),
                    }
                }
            });
        match spawned {
            Ok(t) => threads.push(t),
            Err(e) => {
                stop.store(true, Ordering::Relaxed);
                return Err(ServeError::Listen {
                    port: opts.port,
                    source: e,
                });
            }
        }
    }
    Ok(Server {
        addr,
        stop,
        threads,
        watcher_done: Some(done_rx),
        dir: Some(dir),
    })
}

impl Server {
    /// The address served, e.g. `127.0.0.1:4000`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The preview's URL, e.g. `http://127.0.0.1:4000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
    /// Stops serving and watching and removes the build folder. A build in
    /// progress gets a few seconds to finish.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        if let Some(done) = self.watcher_done.take() {
            let _ = done.recv_timeout(Duration::from_secs(5));
        }
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

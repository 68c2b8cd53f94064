//! Watching the sources and rebuilding: notify events, filtered and debounced.

use crate::{Build, Event, Report, ServeError, Shared, Watch, TICK};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A rebuild waits at most this long for the files to become quiet.
const MAX_WAIT: Duration = Duration::from_secs(2);

pub(crate) struct Watcher {
    builder: Box<dyn Build>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    on_event: Arc<dyn Fn(Event) + Send + Sync>,
    debounce: Duration,
    notify: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    /// Paths watched now, and whether recursively.
    watched: BTreeMap<PathBuf, bool>,
    /// Paths whose watch failed, reported once each.
    failed: BTreeSet<PathBuf>,
    /// The first round of watches has been set up (later new watches are changes).
    started: bool,
}

impl Watcher {
    pub(crate) fn new(
        builder: Box<dyn Build>,
        shared: Arc<Shared>,
        stop: Arc<AtomicBool>,
        on_event: Arc<dyn Fn(Event) + Send + Sync>,
        debounce: Duration,
    ) -> Result<Watcher, ServeError> {
        let (tx, events) = mpsc::channel();
        let notify =
            notify::recommended_watcher(tx).map_err(|e| ServeError::Watch(e.to_string()))?;
        let mut w = Watcher {
            builder,
            shared,
            stop,
            on_event,
            debounce,
            notify,
            events,
            watched: BTreeMap::new(),
            failed: BTreeSet::new(),
            started: false,
        };
        w.sync_watches();
        w.started = true;
        Ok(w)
    }

    /// Builds once, then rebuilds after every relevant change until stopped.
    pub(crate) fn run(mut self) {
        self.rebuild(Vec::new());
        while !self.stop.load(Ordering::Relaxed) {
            let mut changed = self.sync_watches();
            match self.events.recv_timeout(TICK) {
                Ok(event) => changed.extend(self.relevant_paths(event)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if changed.is_empty() {
                continue;
            }
            // Wait until the files are quiet: editors write, rename and touch in bursts.
            let first = Instant::now();
            let mut quiet_from = Instant::now();
            loop {
                let deadline = (quiet_from + self.debounce).min(first + MAX_WAIT);
                let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                    break;
                };
                match self.events.recv_timeout(left) {
                    Ok(event) => {
                        let paths = self.relevant_paths(event);
                        if !paths.is_empty() {
                            changed.extend(paths);
                            quiet_from = Instant::now();
                        }
                    }
                    Err(_) => break,
                }
            }
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            changed.sort();
            changed.dedup();
            self.rebuild(changed);
        }
    }

    fn rebuild(&mut self, changed: Vec<PathBuf>) {
        (self.on_event)(Event::Building { changed });
        // A bug in a renderer must not stop the preview: report it like a failed build.
        let root = self.shared.root.clone();
        let builder = &mut self.builder;
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.build(&root)))
            .unwrap_or_else(|panic| {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Report::failed(format!(
                    "the build crashed ({why}); this is a bug in vejviser, please report it with the file that caused it"
                ))
            });
        let version = {
            let mut state = match self.shared.state.write() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            state.version += 1;
            state.report = Some(report.clone());
            state.version
        };
        (self.on_event)(Event::Built { version, report });
    }

    /// Whether an event is a change (reading a file is not).
    fn is_change(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            Ok(e) => match e.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
                EventKind::Access(_) => false,
                _ => true,
            },
            Err(_) => false,
        }
    }

    /// The changed paths of an event that should trigger a rebuild.
    fn relevant_paths(&mut self, event: notify::Result<notify::Event>) -> Vec<PathBuf> {
        if !self.is_change(&event) {
            if let Err(e) = event {
                let path = e.paths.first().cloned().unwrap_or_default();
                (self.on_event)(Event::WatchFailed {
                    path,
                    message: e.to_string(),
                });
            }
            return Vec::new();
        }
        let Ok(event) = event else {
            return Vec::new();
        };
        event
            .paths
            .into_iter()
            .filter(|p| !is_scratch_file(p) && self.builder.relevant(p))
            .collect()
    }

    /// Watches what the builder names and exists; forgets what disappeared.
    /// Returns the paths that (re)appeared since the last call, as changes.
    fn sync_watches(&mut self) -> Vec<PathBuf> {
        let wanted = self.builder.watch();
        let mut appeared = Vec::new();
        // A watched folder that was deleted has lost its watch; forget it so
        // that it is watched again when it comes back.
        let gone: Vec<PathBuf> = self
            .watched
            .keys()
            .filter(|p| !p.exists() || !wanted.iter().any(|w| &w.path == *p))
            .cloned()
            .collect();
        for p in gone {
            let _ = self.notify.unwatch(&p);
            self.watched.remove(&p);
        }
        for Watch { path, recursive } in wanted {
            if self.watched.contains_key(&path) || !path.exists() {
                continue;
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match self.notify.watch(&path, mode) {
                Ok(()) => {
                    self.failed.remove(&path);
                    self.watched.insert(path.clone(), recursive);
                    appeared.push(path);
                }
                Err(e) => {
                    if self.failed.insert(path.clone()) {
                        (self.on_event)(Event::WatchFailed {
                            path,
                            message: e.to_string(),
                        });
                    }
                }
            }
        }
        if !self.started {
            // Watching for the first time is no change.
            appeared.clear();
        }
        appeared
    }
}

/// Editor swap, backup and lock files, and hidden files: saving a file
/// produces a burst of these, and none of them is a source.
pub(crate) fn is_scratch_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::is_scratch_file;
    use std::path::Path;

    #[test]
    fn editor_scratch_files_do_not_trigger_rebuilds() {
        for f in [
            "g/.guideline.md.swp",
            "g/guideline.md~",
            "g/4913",
            "g/#guideline.md#",
            "g/.#guideline.md",
            "g/guideline.md.tmp",
        ] {
            assert!(is_scratch_file(Path::new(f)), "{f}");
        }
        for f in ["g/guideline.md", "g/archive/1.2.md", "dmcg.toml", "g"] {
            assert!(!is_scratch_file(Path::new(f)), "{f}");
        }
    }
}

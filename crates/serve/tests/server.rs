//! The server with a small stand-in build: it serves what the build wrote,
//! rebuilds once for a burst of saves, survives a build that panics, refuses a
//! port in use and cleans up when stopped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vejviser_serve::{Build, Event, Options, Report, ServeError, Watch};

/// Writes `<p>{text of src/page.txt}</p>` as index.html; "fail" fails, "panic" panics.
struct Page {
    src: PathBuf,
    builds: Arc<AtomicUsize>,
}

impl Build for Page {
    fn watch(&self) -> Vec<Watch> {
        vec![Watch {
            path: self.src.clone(),
            recursive: true,
        }]
    }
    fn build(&mut self, out: &Path) -> Report {
        self.builds.fetch_add(1, Ordering::SeqCst);
        let text = std::fs::read_to_string(self.src.join("page.txt")).unwrap_or_default();
        match text.trim() {
            "fail" => Report::failed("the page says fail"),
            "panic" => panic!("the page says panic"),
            t => {
                std::fs::create_dir_all(out).unwrap();
                std::fs::write(
                    out.join("index.html"),
                    format!("<html><body><p>{t}</p></body></html>"),
                )
                .unwrap();
                Report::ok(Vec::new())
            }
        }
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server answers only requests that name it (DNS rebinding).
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_string();
    (status, body)
}

fn wait_for(port: u16, path: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if pred(&body) {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{path}: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_rebuilds_recovers_and_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let temp = tmp.path().join("temp");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::write(src.join("page.txt"), "first").unwrap();
    let builds = Arc::new(AtomicUsize::new(0));
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    let server = vejviser_serve::start(
        Options {
            port: 0,
            temp_dir: Some(temp.clone()),
            debounce: Duration::from_millis(150),
        },
        Box::new(Page {
            src: src.clone(),
            builds: builds.clone(),
        }),
        Arc::new(move |e: Event| log.lock().unwrap().push(format!("{e:?}"))),
    )
    .unwrap();
    let port = server.addr().port();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert!(server.addr().ip().is_loopback());

    let page = wait_for(port, "/", |b| b.contains("<p>first</p>"));
    assert!(page.contains("/__vejviser/version"));
    assert_eq!(get(port, "/__vejviser/version").1, "1");

    // A burst of saves is one rebuild (or two, if the machine is very slow).
    for i in 0..5 {
        std::fs::write(src.join("page.txt"), format!("save {i}")).unwrap();
    }
    wait_for(port, "/", |b| b.contains("<p>save 4</p>"));
    std::thread::sleep(Duration::from_millis(400));
    let n = builds.load(Ordering::SeqCst);
    assert!((2..=3).contains(&n), "{n} builds for one burst of saves");

    // Scratch files of editors do not rebuild.
    std::fs::write(src.join(".page.txt.swp"), "x").unwrap();
    std::fs::write(src.join("page.txt~"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(builds.load(Ordering::SeqCst), n);

    // A failing and a panicking build: the last page stays, with the reason on top.
    std::fs::write(src.join("page.txt"), "fail").unwrap();
    let page = wait_for(port, "/", |b| b.contains("the page says fail"));
    assert!(page.contains("<p>save 4</p>"));
    std::fs::write(src.join("page.txt"), "panic").unwrap();
    let page = wait_for(port, "/", |b| b.contains("the build crashed"));
    assert!(page.contains("the page says panic"));
    std::fs::write(src.join("page.txt"), "fixed").unwrap();
    let page = wait_for(port, "/", |b| b.contains("<p>fixed</p>"));
    assert!(!page.contains("id=\"vejviser-preview\""));

    // The port is taken while this server runs.
    let again = vejviser_serve::start(
        Options {
            port,
            temp_dir: Some(temp.clone()),
            ..Options::default()
        },
        Box::new(Page {
            src: src.clone(),
            builds: Arc::new(AtomicUsize::new(0)),
        }),
        Arc::new(|_| {}),
    );
    assert!(matches!(again, Err(ServeError::PortInUse { port: p }) if p == port));

    // Stopping frees the port and removes the build folder.
    server.stop();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0);
    let events = events.lock().unwrap();
    assert!(events.iter().any(|e| e.starts_with("Built")), "{events:?}");
}

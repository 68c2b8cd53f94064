//! The spare must be invisible: whatever a build starts from, the published
//! site is exactly what the build put in it, and the live site never changes
//! until the swap.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Paths a site may have; some are files in one tree and folders in another.
const PATHS: &[&str] = &[
    "index.html",
    "a/f",
    "a/g",
    "a/x",
    "a/x/f",
    "b/f",
    "b/c/f",
    "x",
];

/// A site: file path to content. A path never lies under another file.
type Site = BTreeMap<String, u8>;

fn site() -> impl Strategy<Value = Site> {
    proptest::collection::btree_map(0..PATHS.len(), 0u8..3, 0..PATHS.len()).prop_map(|m| {
        let mut s = Site::new();
        for (i, c) in m {
            let p = PATHS[i];
            let clash = s.keys().any(|q: &String| {
                p.starts_with(&format!("{q}/")) || q.starts_with(&format!("{p}/"))
            });
            if !clash {
                s.insert(p.to_string(), c);
            }
        }
        s
    })
}

fn read_site(root: &Path) -> Site {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != MARK_FILE)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap()[0])
        })
        .collect()
}

/// One build the way `build` does it: files equal to the live ones are
/// linked, others written new; stale entries pruned; then swap or abandon.
fn publish(out: &Path, want: &Site, live: &Site, fail: bool) {
    let staging = Staging::new(out).unwrap();
    for (path, &c) in want {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let target = staging.path().join(dir);
        if live.get(path) == Some(&c) {
            link_files(&out.join(dir), &target, &[name.to_string()]).unwrap();
        } else {
            ensure_dir(&target).unwrap();
            write_new(&target.join(name), &[c]).unwrap();
        }
    }
    if staging.recycled() {
        staging.prune(&want.keys().cloned().collect()).unwrap();
    }
    // Nothing so far has touched the live site.
    if out.exists() {
        assert_eq!(
            &read_site(out),
            live,
            "the live site changed before the swap"
        );
    }
    if fail {
        staging.abandon();
    } else {
        staging.commit().unwrap();
    }
}

/// Times a reader found no site while `commit` swapped sites `rounds` times.
fn missing_during_swaps(rounds: usize, commit: fn(Staging)) -> usize {
    use std::sync::atomic::{AtomicBool, Ordering};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let (mut missing, mut published) = (0, false);
            while !done.load(Ordering::Relaxed) {
                let whole = out.join(MARK_FILE).symlink_metadata().is_ok();
                published |= whole;
                if published && !whole {
                    missing += 1;
                }
            }
            missing
        });
        // Stop the reader even when a swap panics.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let stop = Stop(&done);
        for i in 0..rounds {
            let staging = Staging::new(&out).unwrap();
            write_new(&staging.path().join("index.html"), &[i as u8]).unwrap();
            commit(staging);
        }
        drop(stop);
        reader.join().unwrap()
    })
}

#[cfg(target_os = "linux")]
#[test]
fn a_reader_always_finds_a_whole_site_during_the_swap() {
    let missing = missing_during_swaps(1000, |s| s.commit().unwrap());
    assert_eq!(missing, 0, "the site was missing {missing} times");
}

#[test]
fn a_failed_build_leaves_nothing_behind_and_the_spare_is_a_published_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    for _ in 0..2 {
        let s = Staging::new(&out).unwrap();
        write_new(&s.path().join("index.html"), b"site").unwrap();
        s.commit().unwrap();
    }
    let s = Staging::new(&out).unwrap();
    assert!(s.recycled(), "the second build's old site is the spare");
    write_new(&s.path().join("index.html"), b"half").unwrap();
    s.abandon();
    let mut left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["public"]);
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"site");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_site_built_from_the_spare_is_exactly_the_site_wanted(
        builds in proptest::collection::vec((site(), proptest::bool::weighted(0.2)), 1..7)
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut live: Option<Site> = None;
        for (want, fail) in &builds {
            let before = live.clone().unwrap_or_default();
            publish(&out, want, &before, *fail);
            if !*fail {
                live = Some(want.clone());
            }
            match &live {
                Some(l) => prop_assert_eq!(&read_site(&out), l),
                None => prop_assert!(!out.exists()),
            }
        }
    }
}

/// A file written into a recycled staging folder replaces what is in its way
/// and never writes through it: a hard link shared with the live site, a
/// symbolic link, a folder. A fresh path is simply created.
#[test]
fn write_new_replaces_what_is_in_the_way_and_never_writes_through_it() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live.html");
    std::fs::write(&live, b"live").unwrap();
    let linked = tmp.path().join("linked.html");
    std::fs::hard_link(&live, &linked).unwrap();
    write_new(&linked, b"new").unwrap();
    assert_eq!(std::fs::read(&live).unwrap(), b"live");
    assert_eq!(std::fs::read(&linked).unwrap(), b"new");

    #[cfg(unix)]
    {
        let target = tmp.path().join("target.txt");
        std::fs::write(&target, b"elsewhere").unwrap();
        let link = tmp.path().join("symlink.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_new(&link, b"page").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"elsewhere");
        assert!(link.symlink_metadata().unwrap().is_file());
        assert_eq!(std::fs::read(&link).unwrap(), b"page");
    }

    let folder = tmp.path().join("folder.html");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("x"), b"x").unwrap();
    write_new(&folder, b"page").unwrap();
    assert_eq!(std::fs::read(&folder).unwrap(), b"page");

    let fresh = tmp.path().join("fresh.html");
    write_new(&fresh, b"first").unwrap();
    assert_eq!(std::fs::read(&fresh).unwrap(), b"first");
}

//! Byte-identical output across runs and concurrent renders in one process.

use vejviser_render_pdf::sample::{sample_document, SampleSize};
use vejviser_render_pdf::*;

#[test]
fn same_input_same_bytes_sequentially() {
    let d = sample_document(&SampleSize::default());
    let a = render(&d).unwrap();
    // render something else in between (would shift any global counter)
    let other = sample_document(&SampleSize {
        sections: 1,
        table_rows: 3,
        references: 2,
    });
    let _ = render(&other).unwrap();
    let b = render(&d).unwrap();
    assert!(a == b, "output differs between runs");
}

#[test]
fn same_input_same_bytes_concurrently() {
    let d = sample_document(&SampleSize::default());
    let reference = render(&d).unwrap();
    // 4 threads with std
    let outs: Vec<Vec<u8>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4).map(|_| s.spawn(|| render(&d).unwrap())).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in &outs {
        assert!(*o == reference, "concurrent render differs");
    }
    // and with rayon, mixed with other documents
    use rayon::prelude::*;
    let small = sample_document(&SampleSize {
        sections: 2,
        table_rows: 4,
        references: 3,
    });
    let small_ref = render(&small).unwrap();
    let results: Vec<(usize, Vec<u8>)> = (0..8usize)
        .into_par_iter()
        .map(|i| {
            if i % 2 == 0 {
                (i, render(&d).unwrap())
            } else {
                (i, render(&small).unwrap())
            }
        })
        .collect();
    for (i, bytes) in results {
        let expect = if i % 2 == 0 { &reference } else { &small_ref };
        assert!(bytes == *expect, "rayon render {i} differs");
    }
}

#[test]
fn file_id_is_fixed_and_content_derived() {
    let d = sample_document(&SampleSize {
        sections: 1,
        table_rows: 2,
        references: 1,
    });
    let a = render(&d).unwrap();
    let s = String::from_utf8_lossy(&a);
    let id_pos = s.rfind("/ID").expect("trailer /ID");
    let id_pos = id_pos + s[id_pos..].find('<').expect("hex /ID");
    let id = &s[id_pos + 1..id_pos + 1 + 32];
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    let mut d2 = d.clone();
    d2.meta.title.push('!');
    let b = render(&d2).unwrap();
    assert!(!String::from_utf8_lossy(&b).contains(id));
}

//! Tagged PDF/UA-1 and PDF/A-2 checks without Java, on the full and quick PDFs of every
//! sample guideline, read through `qpdf --json` the way an assistive technology or a
//! validator walks the file:
//!
//! - `pdfinfo` says `Tagged: yes`; `qpdf --check` finds nothing;
//! - the catalog has `/MarkInfo <</Marked true>>`, `/Lang`, `DisplayDocTitle`, a
//!   structure tree, XMP metadata with `pdfuaid:part` 1, `pdfaid:part` 2 and the title,
//!   and an sRGB output intent; every page has `/Tabs /S` and `/StructParents`;
//! - every marked-content id on every page belongs to exactly the structure element the
//!   parent tree names for it, and that element lists it (the parent tree is complete);
//!   all text and every path on a page is inside marked content (content or `/Artifact`);
//! - headings, paragraphs, lists (with labels and bodies), tables (header cells with a
//!   scope) and links are tagged as such; the full guide has a tagged table of contents;
//! - every link annotation has alternative text and hangs in a `Link` element (`OBJR`)
//!   that the parent tree names.
//!
//! Checks print `SKIPPED` and pass when qpdf or pdfinfo is missing.

mod common;
use common::{samples, view_of};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use vejviser_render_pdf::*;
use vejviser_template::TemplateSet;

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: {name} not installed");
    }
    ok
}

/// The file as qpdf's JSON: objects by id ("12 0 R"), decoded stream data in files.
struct Json {
    objects: BTreeMap<String, Value>,
    streams: BTreeMap<String, Vec<u8>>,
    trailer: Value,
    pages: Vec<Value>,
}

fn qpdf_json(path: &Path, dir: &Path) -> Json {
    let prefix = dir.join("stream");
    let out = Command::new("qpdf")
        .args([
            "--json=2",
            "--decode-level=generalized",
            "--json-stream-data=file",
        ])
        .arg(format!("--json-stream-prefix={}", prefix.display()))
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "qpdf --json failed: {out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut objects = BTreeMap::new();
    let mut streams = BTreeMap::new();
    let mut trailer = Value::Null;
    for (k, o) in v["qpdf"][1].as_object().unwrap() {
        if k == "trailer" {
            trailer = o["value"].clone();
            continue;
        }
        let id = k.trim_start_matches("obj:").to_string();
        if let Some(s) = o.get("stream") {
            if let Some(file) = s["datafile"].as_str() {
                streams.insert(id.clone(), std::fs::read(file).unwrap());
            }
            objects.insert(id, s["dict"].clone());
        } else {
            objects.insert(id, o["value"].clone());
        }
    }
    Json {
        objects,
        streams,
        trailer,
        pages: v["pages"].as_array().unwrap().clone(),
    }
}

impl Json {
    /// Follow a reference ("12 0 R"); direct values are returned as they are.
    fn get<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(s) if s.ends_with(" R") => &self.objects[s],
            _ => v,
        }
    }
}

/// The marked-content ids of a content stream, and whether every text-showing and
/// path-painting operator is inside marked content.
fn scan_content(data: &[u8]) -> (Vec<i64>, Vec<String>) {
    let text = String::from_utf8_lossy(data);
    let mut mcids = Vec::new();
    let mut outside = Vec::new();
    let mut depth = 0i32;
    let mut prev: Vec<&str> = Vec::new();
    // Literal strings hold glyph ids, not operators: skip them.
    let mut cleaned = String::with_capacity(text.len());
    let mut in_str = 0;
    let mut esc = false;
    for c in text.chars() {
        if in_str > 0 {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '(' {
                in_str += 1;
            } else if c == ')' {
                in_str -= 1;
                if in_str == 0 {
                    cleaned.push_str("() ");
                }
            }
            continue;
        }
        if c == '(' {
            in_str = 1;
            continue;
        }
        cleaned.push(if c == '<' || c == '>' { ' ' } else { c });
    }
    for tok in cleaned.split_whitespace() {
        match tok {
            "BDC" | "BMC" => {
                depth += 1;
                if let Some(i) = prev.iter().rposition(|t| *t == "/MCID") {
                    if let Some(n) = prev.get(i + 1).and_then(|n| n.parse().ok()) {
                        mcids.push(n);
                    }
                }
            }
            "EMC" => depth -= 1,
            "Tj" | "TJ" | "f" | "S" | "B" | "re" if depth <= 0 => outside.push(tok.to_string()),
            _ => {}
        }
        if matches!(
            tok,
            "BDC" | "BMC" | "EMC" | "Tj" | "Tf" | "Tm" | "Td" | "rg" | "RG"
        ) {
            prev.clear();
        } else {
            prev.push(tok);
        }
    }
    (mcids, outside)
}

fn check_pdf(name: &str, bytes: &[u8], title: &str, full: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();

    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{name}: {info}");
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    let check_out = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && !check_out.contains("WARNING"),
        "{name}: qpdf --check: {check_out}"
    );

    let j = qpdf_json(&path, dir.path());
    let cat = j.get(&j.trailer["/Root"]);
    assert_eq!(j.get(&cat["/MarkInfo"])["/Marked"], true, "{name}");
    assert!(cat["/Lang"].as_str().is_some_and(|l| l.len() > 2), "{name}");
    assert_eq!(
        j.get(&cat["/ViewerPreferences"])["/DisplayDocTitle"],
        true,
        "{name}"
    );
    let intents = j.get(&cat["/OutputIntents"]).as_array().unwrap();
    assert_eq!(j.get(&intents[0])["/S"], "/GTS_PDFA1", "{name}");
    let xmp = String::from_utf8_lossy(&j.streams[cat["/Metadata"].as_str().unwrap()]).into_owned();
    for needle in [
        "pdfuaid:part",
        "pdfaid:part",
        "pdfaid:conformance",
        "dc:title",
    ] {
        assert!(xmp.contains(needle), "{name}: XMP lacks {needle}");
    }
    assert!(
        xmp.contains(">1</pdfuaid:part>") || xmp.contains("pdfuaid:part=\"1\""),
        "{name}: {xmp}"
    );
    assert!(
        xmp.contains(&title.replace('&', "&amp;")),
        "{name}: no title in XMP"
    );

    // The structure tree: element kids, and (page, mcid) → element.
    let root = j.get(&cat["/StructTreeRoot"]);
    let mut roles: BTreeMap<String, usize> = BTreeMap::new();
    let mut owner: BTreeMap<(String, i64), String> = BTreeMap::new();
    let mut objr: BTreeMap<String, String> = BTreeMap::new();
    let mut stack: Vec<(String, String)> = Vec::new(); // (element ref, parent ref)
    let root_kids = match &root["/K"] {
        Value::Array(a) => a.clone(),
        v => vec![v.clone()],
    };
    let root_ref = cat["/StructTreeRoot"].as_str().unwrap().to_string();
    for k in root_kids {
        stack.push((k.as_str().unwrap().to_string(), root_ref.clone()));
    }
    let mut seen = BTreeSet::new();
    let mut children: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    while let Some((r, parent)) = stack.pop() {
        assert!(seen.insert(r.clone()), "{name}: {r} twice in the tree");
        let el = &j.objects[&r];
        assert_eq!(
            el["/P"].as_str(),
            Some(parent.as_str()),
            "{name}: {r} parent"
        );
        let role = el["/S"].as_str().unwrap().to_string();
        if role == "/TH" {
            let a = j.get(&el["/A"]);
            let a = if a.is_array() { j.get(&a[0]) } else { a };
            assert!(a["/Scope"].is_string(), "{name}: TH {r} without /Scope");
        }
        *roles.entry(role.clone()).or_default() += 1;
        let pg = el["/Pg"].as_str().map(str::to_string);
        let kids = match &el["/K"] {
            Value::Array(a) => a.clone(),
            Value::Null => vec![],
            v => vec![v.clone()],
        };
        // An empty table cell is an empty TD (it keeps the row's columns counted);
        // nothing else may be empty.
        assert!(
            !kids.is_empty() || role == "/TD" || role == "/TH",
            "{name}: empty element {r} {role}"
        );
        let child_elems: Vec<String> = kids
            .iter()
            .filter_map(|k| k.as_str())
            .filter(|s| s.ends_with(" R") && j.objects[*s].get("/S").is_some())
            .map(str::to_string)
            .collect();
        children.insert(r.clone(), (role.clone(), child_elems));
        for k in kids {
            match &k {
                Value::Number(n) => {
                    let p = pg.clone().expect("an element with MCIDs has /Pg");
                    let prev = owner.insert((p, n.as_i64().unwrap()), r.clone());
                    assert!(prev.is_none(), "{name}: MCID claimed twice");
                }
                Value::String(s) if s.ends_with(" R") && j.objects[s].get("/S").is_some() => {
                    stack.push((s.clone(), r.clone()));
                }
                _ => {
                    let d = j.get(&k);
                    match d["/Type"].as_str() {
                        Some("/MCR") => {
                            let p = d["/Pg"].as_str().map(str::to_string).or(pg.clone());
                            owner.insert((p.unwrap(), d["/MCID"].as_i64().unwrap()), r.clone());
                        }
                        Some("/OBJR") => {
                            assert_eq!(role, "/Link", "{name}: OBJR outside a Link");
                            objr.insert(d["/Obj"].as_str().unwrap().to_string(), r.clone());
                        }
                        t => panic!("{name}: unexpected kid {t:?} in {r}"),
                    }
                }
            }
        }
    }
    let mut wanted = vec![
        "/Document",
        "/H1",
        "/P",
        "/L",
        "/LI",
        "/Lbl",
        "/LBody",
        "/Link",
    ];
    if full {
        wanted.extend(["/H2", "/Table", "/TR", "/TH", "/TD", "/TOC", "/TOCI"]);
    }
    for w in wanted {
        assert!(roles.contains_key(w), "{name}: no {w} element: {roles:?}");
    }

    // Every row of a table has the same number of cells, empty ones included: a screen
    // reader finds a cell's column by counting.
    for (r, (role, kids)) in &children {
        if role != "/Table" {
            continue;
        }
        let widths: Vec<usize> = kids
            .iter()
            .filter(|k| children[*k].0 == "/TR")
            .map(|k| {
                children[k]
                    .1
                    .iter()
                    .filter(|c| matches!(children[*c].0.as_str(), "/TD" | "/TH"))
                    .count()
            })
            .collect();
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]),
            "{name}: table {r} has rows of {widths:?} cells"
        );
    }

    // The parent tree: page → element of each MCID; annotation → Link element.
    let mut parent_tree: BTreeMap<i64, Value> = BTreeMap::new();
    let mut nodes = vec![j.get(&root["/ParentTree"]).clone()];
    while let Some(n) = nodes.pop() {
        if let Some(kids) = n["/Kids"].as_array() {
            nodes.extend(kids.iter().map(|k| j.get(k).clone()));
        }
        if let Some(nums) = n["/Nums"].as_array() {
            for pair in nums.chunks(2) {
                parent_tree.insert(pair[0].as_i64().unwrap(), pair[1].clone());
            }
        }
    }
    let mut mcids_total = 0;
    for (k, page) in j.pages.iter().enumerate() {
        let pref = page["object"].as_str().unwrap().to_string();
        let pd = &j.objects[&pref];
        assert_eq!(pd["/Tabs"], "/S", "{name} page {}", k + 1);
        let key = pd["/StructParents"].as_i64().expect("/StructParents");
        let mut data = Vec::new();
        for c in page["contents"].as_array().unwrap() {
            data.extend_from_slice(&j.streams[c.as_str().unwrap()]);
            data.push(b'\n');
        }
        let (mcids, outside) = scan_content(&data);
        assert!(
            outside.is_empty(),
            "{name} page {}: {outside:?} outside marked content",
            k + 1
        );
        let arr = parent_tree
            .get(&key)
            .map(|v| j.get(v).as_array().unwrap().clone())
            .unwrap_or_default();
        assert_eq!(arr.len(), mcids.len(), "{name} page {}: parent tree", k + 1);
        for m in mcids {
            let el = owner
                .get(&(pref.clone(), m))
                .unwrap_or_else(|| panic!("{name} page {}: MCID {m} in no element", k + 1));
            assert_eq!(
                arr[m as usize].as_str(),
                Some(el.as_str()),
                "{name}: MCID {m}"
            );
            mcids_total += 1;
        }
        for a in page_annots(&j, pd) {
            let ad = &j.objects[&a];
            if ad["/Subtype"] != "/Link" {
                continue;
            }
            assert!(
                ad["/Contents"].is_string(),
                "{name}: link {a} without /Contents"
            );
            assert_eq!(ad["/F"], 4, "{name}: link {a} not printable");
            let key = ad["/StructParent"].as_i64().expect("link /StructParent");
            let el = objr
                .get(&a)
                .unwrap_or_else(|| panic!("{name}: link {a} in no Link element"));
            assert_eq!(parent_tree[&key].as_str(), Some(el.as_str()), "{name}: {a}");
        }
    }
    assert!(mcids_total > 20, "{name}: {mcids_total} marked contents");
}

fn page_annots(j: &Json, pd: &Value) -> Vec<String> {
    match pd.get("/Annots") {
        Some(v) => j
            .get(v)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect(),
        None => vec![],
    }
}

#[test]
fn every_sample_pdf_is_tagged_pdf_ua_with_a_complete_parent_tree() {
    if !tool("qpdf") || !tool("pdfinfo") {
        return;
    }
    for path in samples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let g = vejviser_parse::parse(
            &path.display().to_string(),
            text.as_bytes(),
            &TemplateSet::builtin(),
        )
        .guideline
        .unwrap();
        let v = view_of(&g, &path);
        let date = creation_date(None, &g.front).unwrap();
        let (full, quick) = render_guideline_pdfs(&v, date).unwrap();
        let name = path.display().to_string();
        check_pdf(&format!("{name} (full)"), &full, &v.title, true);
        check_pdf(&format!("{name} (quick)"), &quick, &v.title, false);
    }
}

#[test]
fn content_scanner_sees_unmarked_text() {
    let (m, out) = scan_content(b"/P <</MCID 3>> BDC BT (a\\)) Tj ET EMC BT (b) Tj ET");
    assert_eq!(m, vec![3]);
    assert_eq!(out, vec!["Tj".to_string()]);
}

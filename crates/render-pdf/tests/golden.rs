//! Golden layout test: `layout_dump` of a fixed document must match
//! `tests/golden/sample.txt`. Regenerate with `UPDATE_GOLDEN=1 cargo test -p vejviser-render-pdf`.

mod common;

use vejviser_render_pdf::sample::{sample_document, SampleSize};
use vejviser_render_pdf::*;

fn check(name: &str, actual: &str) {
    common::golden(name, name, actual);
}

#[test]
fn golden_sample_layout() {
    let d = sample_document(&SampleSize {
        sections: 2,
        table_rows: 8,
        references: 5,
    });
    check("sample.txt", &layout_dump(&d));
}

#[test]
fn golden_markdown_layout() {
    let md = "# Overskrift\n\nEn paragraf med *kursiv*, **fed**, `kode` og et [link](https://dmcg.dk).\n\n\
              - punkt et\n- punkt to\n  1. under et\n  2. under to\n\n\
              | Lægemiddel | Dosis |\n|---|---|\n| Cisplatin | 75 mg/m² |\n| Docetaxel | ≥ 60 mg/m² |\n\n\
              > Bemærk: citat som boks.\n\n```\nkode blok\n```\n\n---\n\n![Figur 1](fig.png)";
    let mut d = sample_document(&SampleSize {
        sections: 0,
        table_rows: 0,
        references: 0,
    });
    d.front_page = None;
    d.toc = false;
    d.status_line = None;
    d.blocks = markdown_to_blocks(md, &MdOptions::default());
    check("markdown.txt", &layout_dump(&d));
}

// Layout measurements of built pages, run by tests/layout.rs.
//
//   node tests/a11y/layout.js MANIFEST.json
//
// The manifest: { "chromium": "/usr/bin/chromium", "pages": [{ "url": …, "width": 375,
// "height": 667 }, …] }. Each page is loaded in Debian's headless Chromium
// (playwright-core) at that viewport and measured; the boxes are in CSS px
// relative to the viewport, before any scrolling:
//
//   firstRec      the first recommendation (li.rec): top, bottom, left, right
//   tables        every table: its class, for each column head its text, and for
//                 each body row each cell's text and box (left, right, top, width,
//                 height), and whether it is shown
//   scrollWidth   the page's width (wider than the viewport: it scrolls sideways)
//   details       each <details>: its summary's text and whether it is open
//   banners       the text of each .banner and whether its box is shown
//   hits          the text of each search result (a page given "waitFor" is
//                 measured once that selector is there, or after 10 s)
//   snippets      for each search result, its excerpt (.snippet): its text and
//                 the text of each <mark> in it, or null
//
// Prints one JSON array, one object per page, in the manifest's order.
"use strict";

const fs = require("fs");
const { chromium } = require("playwright-core");

(async () => {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const browser = await chromium.launch({
    executablePath: manifest.chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results = [];
  try {
    for (const p of manifest.pages) {
      const page = await browser.newPage({ viewport: { width: p.width, height: p.height } });
      await page.goto(p.url, { waitUntil: "load" });
      await page.waitForTimeout(50);
      // The search page fills its results from script files after loading.
      if (p.waitFor) await page.waitForSelector(p.waitFor, { timeout: 10000 }).catch(() => {});
      results.push(await page.evaluate(() => {
        const box = (e) => {
          const r = e.getBoundingClientRect(), s = getComputedStyle(e);
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
            shown: r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" };
        };
        const rec = document.querySelector("li.rec");
        return {
          url: location.href,
          innerWidth: innerWidth,
          innerHeight: innerHeight,
          scrollWidth: document.documentElement.scrollWidth,
          firstRec: rec ? box(rec) : null,
          tables: Array.from(document.querySelectorAll("table")).map((t) => ({
            class: t.className,
            heads: Array.from(t.querySelectorAll("thead th")).map((th) => th.textContent.trim()),
            rows: Array.from(t.tBodies[0] ? t.tBodies[0].rows : []).map((tr) =>
              Array.from(tr.cells).map((td) => Object.assign(box(td), { text: td.textContent.trim() }))),
          })),
          details: Array.from(document.querySelectorAll("details")).map((d) => ({
            summary: d.querySelector("summary").textContent.trim(), open: d.open })),
          banners: Array.from(document.querySelectorAll(".banner")).map((b) =>
            Object.assign(box(b), { text: b.textContent.trim() })),
          hits: Array.from(document.querySelectorAll(".search-results li")).map((li) => li.textContent.trim()),
          snippets: Array.from(document.querySelectorAll(".search-results li")).map((li) => {
            const s = li.querySelector(".snippet");
            return s && { text: s.textContent, marks: Array.from(s.querySelectorAll("mark")).map((m) => m.textContent) };
          }),
        };
      }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(2);
});

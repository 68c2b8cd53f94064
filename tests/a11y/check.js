// Accessibility check of a built vejviser site, run by tests/a11y.rs.
//
//   node tests/a11y/check.js MANIFEST.json
//
// The manifest names the browser and the pages: { "chromium": "/usr/bin/chromium",
// "pages": [{ "url": "file:///…/index.html", "kind": "overview", "lang": "da" }, …] }.
// Every page is loaded in Debian's headless Chromium (playwright-core, no
// downloaded browser, no network) and checked:
//
//   axe       axe-core with the tags wcag2a, wcag2aa, wcag21a, wcag21aa at 375 and
//             1280 CSS px wide: every violation, with the failing elements.
//   reflow    at 375, 640 (1280 px at 200 % zoom) and 1280 CSS px: the page does
//             not scroll sideways, no element reaches past the right edge unless
//             it sits in a box that scrolls, and no box that clips (overflow
//             hidden/clip) cuts off its content.
//   keyboard  at 1280 CSS px: Tab from the top reaches every control that
//             is shown (links, buttons, inputs, summaries, scrollable tables), and
//             each one, when focused, is on screen and has a focus ring (outline or
//             box-shadow) with at least 3:1 contrast against what is behind it.
//   motion    with prefers-reduced-motion: reduce, no element or pseudo-element
//             has a transition or an animation, and no scroll is smooth.
//
// Prints one JSON object: { "pages": n, "problems": [{ page, check, width, what }] }.
// Exit code 0 when the checks ran (problems or not), 2 when they could not run.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function load(page, url, width) {
  await page.setViewportSize({ width, height: 800 });
  await page.goto(url, { waitUntil: "load" });
  // The site's scripts are deferred; let them run (filters, search results).
  await page.waitForTimeout(50);
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: AXE });
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} – ` +
      v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(" ")} ${n.failureSummary ? "[" + n.failureSummary.replace(/\s+/g, " ") + "]" : ""}`)
        .join("; ") +
      (v.nodes.length > 5 ? `; and ${v.nodes.length - 5} more` : "")
  );
}

function reflow(page) {
  return page.evaluate(() => {
    const problems = [];
    const d = document.documentElement;
    const width = d.clientWidth;
    if (d.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${d.scrollWidth} px wide in ${width} px`);
    const scrolls = (e) => {
      for (let a = e.parentElement; a && a !== d; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o === "auto" || o === "scroll") return true;
      }
      return false;
    };
    const hidden = (e) => e.closest(".vh, .skip-link, [hidden]") !== null;
    for (const e of document.body.querySelectorAll("*")) {
      if (hidden(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > width + 1 && !scrolls(e)) {
        problems.push(`${describe(e)} reaches ${Math.round(r.right)} px, past the ${width} px edge`);
      }
      const s = getComputedStyle(e);
      const clips = (o) => o === "hidden" || o === "clip";
      if ((clips(s.overflowX) && e.scrollWidth > e.clientWidth + 1) || (clips(s.overflowY) && e.scrollHeight > e.clientHeight + 1)) {
        problems.push(`${describe(e)} cuts off its content (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`);
      }
    }
    return problems.slice(0, 10);
    function describe(e) {
      return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "");
    }
  });
}

// Every control a keyboard user should reach, marked with data-vv-key, in document order.
function markControls(page) {
  return page.evaluate(() => {
    const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const keys = [];
    document.querySelectorAll(sel).forEach((e, i) => {
      if (e.getClientRects().length === 0 || getComputedStyle(e).visibility === "hidden") return;
      e.setAttribute("data-vv-key", String(i));
      keys.push({ key: String(i), what: describe(e) });
    });
    return keys;
    function describe(e) {
      const text = (e.textContent || e.getAttribute("aria-label") || e.id || "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${e.tagName.toLowerCase()}${e.getAttribute("href") ? "[href=" + e.getAttribute("href").slice(0, 60) + "]" : ""} "${text}"`;
    }
  });
}

// The focused element: its key, whether it is on screen, and its focus ring.
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    const rgba = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const lum = (c) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    // What is behind the ring: the first opaque background above the element's parent.
    let behind = { r: 255, g: 255, b: 255, a: 1 };
    for (let a = e.parentElement; a; a = a.parentElement) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      if (c && c.a > 0.5) { behind = c; break; }
    }
    const rings = [];
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1) {
      const c = s.outlineStyle === "auto" ? { r: 16, g: 16, b: 16, a: 1 } : rgba(s.outlineColor);
      if (c && c.a > 0.5) rings.push(ratio(c, behind));
    }
    if (s.boxShadow && s.boxShadow !== "none") {
      for (const m of s.boxShadow.matchAll(/rgba?\([^)]+\)/g)) {
        const c = rgba(m[0]);
        if (c && c.a > 0.5) rings.push(ratio(c, behind));
      }
    }
    const best = rings.length ? Math.max(...rings) : 0;
    return { key: e.getAttribute("data-vv-key"), tag: e.tagName.toLowerCase(), onScreen, ring: best };
  });
}

async function keyboard(page) {
  const problems = [];
  const controls = await markControls(page);
  const reached = new Set();
  await page.evaluate(() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < controls.length + 3; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (!f) continue;
    if (f.key === null) {
      problems.push(`Tab reaches a ${f.tag} that is not a control (or is hidden)`);
      continue;
    }
    if (reached.has(f.key)) break;
    reached.add(f.key);
    const what = controls.find((c) => c.key === f.key).what;
    if (!f.onScreen) problems.push(`${what} is focused off screen`);
    if (f.ring < 3) problems.push(`${what} has no visible focus ring (best contrast ${f.ring.toFixed(2)}:1, needs 3:1)`);
  }
  for (const c of controls) if (!reached.has(c.key)) problems.push(`Tab never reaches ${c.what}`);
  return problems.slice(0, 15);
}

function motion(page) {
  return page.evaluate(() => {
    const problems = [];
    const secs = (v) => Math.max(...v.split(",").map((x) => parseFloat(x) * (x.trim().endsWith("ms") ? 0.001 : 1)));
    for (const e of [document.documentElement, ...document.querySelectorAll("body, body *")]) {
      for (const pseudo of [null, "::before", "::after"]) {
        const s = getComputedStyle(e, pseudo);
        const name = e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + (pseudo || "");
        if (s.transitionProperty !== "none" && secs(s.transitionDuration) > 0.01) problems.push(`${name} has a transition (${s.transitionProperty} ${s.transitionDuration})`);
        if (s.animationName !== "none" && secs(s.animationDuration) > 0.01) problems.push(`${name} has an animation (${s.animationName})`);
        if (pseudo === null && s.scrollBehavior === "smooth") problems.push(`${name} scrolls smoothly`);
      }
    }
    return problems.slice(0, 10);
  });
}

async function main() {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "vejviser-a11y-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: manifest.chromium,
    headless: true,
    args: FLAGS,
    offline: true,
  });
  const problems = [];
  const add = (p, check, width, list) => list.forEach((what) => problems.push({ page: `${p.kind} (${p.lang}) ${p.label}`, check, width, what }));
  try {
    const page = await context.newPage();
    for (const p of manifest.pages) {
      for (const width of [375, 640, 1280]) {
        await page.emulateMedia({ reducedMotion: "no-preference" });
        await load(page, p.url, width);
        if (width !== 640) add(p, "axe", width, await axe(page));
        add(p, "reflow", width, await reflow(page));
        if (width === 1280) add(p, "keyboard", width, await keyboard(page));
      }
      await page.emulateMedia({ reducedMotion: "reduce" });
      await load(page, p.url, 1280);
      add(p, "motion", 1280, await motion(page));
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ pages: manifest.pages.length, problems }) + "\n");
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(2);
});

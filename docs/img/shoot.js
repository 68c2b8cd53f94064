// Screenshots of a built site for the README, run by docs/img/shoot.sh:
//
//   node docs/img/shoot.js SITE OUT
//
// The quick guide of the sample myeloma guideline on a phone (375 × 667 CSS px,
// device pixel ratio 2, the first screen), and the overview on a desktop
// (1280 × 800, ratio 1, the first screen), in Debian's headless Chromium
// (playwright-core from tests/a11y). Scrollbars hidden, no animation, a fixed
// viewport: the same site gives the same pictures on the same Chromium.
"use strict";

const path = require("path");
const { chromium } = require(path.join(__dirname, "../../tests/a11y/node_modules/playwright-core"));

(async () => {
  const [site, out] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--font-render-hinting=none",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const shots = [
    { page: "dmsg/myelomatose-hdt/index.html", file: "quick-guide-phone.png", width: 375, height: 667, scale: 2 },
    { page: "index.html", file: "overview-desktop.png", width: 1280, height: 800, scale: 1 },
  ];
  try {
    for (const s of shots) {
      const context = await browser.newContext({
        viewport: { width: s.width, height: s.height },
        deviceScaleFactor: s.scale,
        reducedMotion: "reduce",
      });
      const page = await context.newPage();
      await page.goto("file://" + path.resolve(site, s.page), { waitUntil: "load" });
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(out, s.file), fullPage: false });
      await context.close();
    }
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(2);
});

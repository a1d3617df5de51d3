// Page load benchmark (issue 7: "loads the demo data in under 2 s on this
// machine"): the release server with the bundled demo data, Debian's
// Chromium headless (software WebGL), a new browser context per trial so
// nothing comes from the browser's cache.
//
//   node bench/map/page_load.mjs [TRIALS]
//
// Needs what the browser tests need (target/release/sitrep, /usr/bin/chromium,
// `npm ci --prefix tests/e2e`). Writes bench/results/map_load.md. Not in CI.

import { writeFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, open, idle, ROOT } from '../../tests/e2e/harness.mjs';

const trials = Number(process.argv[2] || 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer({ demo: true });
const browser = await launchBrowser();
const rows = [];
try {
  for (let i = 0; i < trials; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const started = Date.now();
    const page = await open(context, `${server.base}/`);
    const ready = page.loadMs;
    const drawn = Number(await page.getAttribute('body', 'data-loaded-ms'));
    await idle(page);
    const complete = Date.now() - started;
    const bytes = await page.evaluate(() => performance.getEntriesByType('resource')
      .reduce((sum, r) => sum + (r.transferSize || 0), 0));
    rows.push({ ready, drawn, complete, bytes });
    console.error(`trial ${i + 1}: ready ${ready} ms, incidents drawn ${drawn} ms, idle ${complete} ms, ${bytes} bytes`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}

const chromiumVersion = (() => {
  try { return readFileSync('/usr/lib/chromium/chromium', { encoding: 'latin1' }).match(/Chrome\/([\d.]+)/)?.[1] ?? '?'; } catch { return '?'; }
})();
const out = `# Map page load

\`node bench/map/page_load.mjs ${trials}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'},
${Math.round(totalmem() / 2 ** 30)} GiB RAM, load average ${loadavg()[0].toFixed(2)} at the end; Chromium ${chromiumVersion} headless with
software WebGL (SwiftShader), a 1280x800 viewport, a new browser context (cold cache) per trial, the bundled demo data.

| figure (median of ${trials}) | ms | target |
|---|---|---|
| page ready (data-ready: style, layers and incidents loaded) | ${median(rows.map((r) => r.ready))} | |
| incidents drawn (performance.now() at the first incident render) | ${median(rows.map((r) => r.drawn))} | < 2000 |
| map idle (everything drawn, labels placed) | ${median(rows.map((r) => r.complete))} | |

Bytes transferred per load (median): ${median(rows.map((r) => r.bytes))}.
`;
writeFileSync(join(ROOT, 'bench', 'results', 'map_load.md'), out);
console.log(out);

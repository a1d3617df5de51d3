// The first map a new user sees: a fresh database seeded with the bundled
// demo articles (no fixtures), in Debian's Chromium. Screenshots:
// tests/e2e/screenshots/09-demo-overview.png and 10-demo-karabakh.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.SITREP_BIN || join(HERE, '..', '..', 'target', 'release', 'sitrep');
const CHROMIUM = process.env.SITREP_CHROMIUM || '/usr/bin/chromium';
const SHOTS = join(HERE, 'screenshots');

test('a new database shows the demo incidents over Karabakh', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-demo-'));
  const env = { ...process.env };
  delete env.SITREP_NO_DEMO;
  const server = spawn(BIN, ['serve', '--db', join(dir, 'demo.db'), '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const base = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60000);
      server.stdout.on('data', (chunk) => {
        out += chunk;
        const m = out.match(/serving the map at (http:\/\/\S+?)\/?\s/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('request', (r) => { const u = new URL(r.url()); if (!['data:', 'blob:'].includes(u.protocol) && u.hostname !== '127.0.0.1') problems.push(`external: ${r.url()}`); });
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    const shown = Number(await page.getAttribute('body', 'data-shown'));
    assert.ok(shown >= 5, `only ${shown} demo incidents shown`);
    const idle = () => page.evaluate(() => new Promise((resolve) => { window.sitrepMap.once('idle', resolve); window.sitrepMap.triggerRepaint(); }));
    await idle();
    await page.screenshot({ path: join(SHOTS, '09-demo-overview.png') });
    await page.evaluate(() => window.sitrepMap.jumpTo({ center: [46.4, 39.7], zoom: 8 }));
    await idle();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SHOTS, '10-demo-karabakh.png') });
    const count = (layer) => page.evaluate((l) => window.sitrepMap.queryRenderedFeatures({ layers: [l] }).length, layer);
    assert.ok(await count('clusters') + await count('incident-points') >= 2, 'demo incidents drawn');
    assert.ok(await count('incident-halos') >= 1, 'uncertainty halos drawn');
    const roads = await page.evaluate(() => window.sitrepMap.queryRenderedFeatures({ layers: ['roads'] }).map((f) => f.properties.name));
    assert.ok(roads.some((n) => /Lachin corridor/.test(n)), `roads: ${roads}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

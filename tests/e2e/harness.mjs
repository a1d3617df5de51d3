// Shared by the browser tests: the release binary on a free loopback port
// with a temporary database, Debian's Chromium through playwright-core, and
// pages that record console errors, dialogs and requests off loopback.
//
// Needs target/release/sitrep (cargo build --release), /usr/bin/chromium
// (or SITREP_CHROMIUM) and `npm ci --prefix tests/e2e`.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const BIN = process.env.SITREP_BIN || join(ROOT, 'target', 'release', 'sitrep');
export const CHROMIUM = process.env.SITREP_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = join(HERE, 'screenshots');
export const FIX = join(HERE, 'fixtures');

/** The test articles with their publication dates. */
export const FIXTURE_ARTICLES = [['dyukyanlar.txt', '2023-03-05'], ['jermuk.txt', '2022-09-14'], ['lachin.txt', '2022-12-13'], ['xss.txt', '2023-03-21']];

/**
 * A temporary database and a server on it. With `demo` the bundled demo
 * articles are seeded; otherwise `fixtures` imports the test gazetteer and
 * ingests the test articles, published. Returns {base, dir, db, sitrep(...args),
 * ingest(file, date, opts), addUser(name, role, password), stop()}.
 */
export async function startServer({ demo = false, fixtures = !demo } = {}) {
  assert.ok(existsSync(BIN), `${BIN} is missing: run cargo build --release`);
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-e2e-'));
  const db = join(dir, 'e2e.db');
  const env = { ...process.env };
  if (demo) delete env.SITREP_NO_DEMO; else env.SITREP_NO_DEMO = '1';
  const sitrep = (...args) => execFileSync(BIN, [...args, '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
  const ingest = (path, date, { publish = true } = {}) => {
    const title = readFileSync(path, 'utf8').split('\n')[0].trim();
    const name = path.split('/').pop();
    return sitrep('ingest', path, ...(publish ? ['--publish'] : []), '--published', date, '--outlet', 'E2E Wire', '--title', title,
      '--url', `https://example.org/e2e/${name}`);
  };
  /** An account that can sign in in the page. */
  const addUser = (name, role, password) => {
    sitrep('user', 'add', name, '--role', role);
    execFileSync(BIN, ['user', 'passwd', name, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, SITREP_PASSWORD: password } });
  };
  if (fixtures) {
    // A place whose name is markup, then our own articles, published.
    sitrep('gazetteer', 'import', join(FIX, 'places.csv'), '--format', 'csv');
    for (const [file, date] of FIXTURE_ARTICLES) ingest(join(FIX, file), date);
  }
  const server = spawn(BIN, ['serve', '--db', db, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving the map at (http:\/\/\S+?)\/?\s/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}`)); });
  });
  return {
    base, dir, db, sitrep, ingest, addUser,
    stop() {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the flags that keep WebGL working (software GL). */
export async function launchBrowser() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens `url` in a new page of `target` (a browser or a context) and waits
 * until the map is ready. page.problems collects console errors, page
 * errors, dialogs and requests outside loopback; page.loadMs the load time.
 */
export async function open(target, url, viewport = { width: 1280, height: 800 }) {
  // a browser makes its own context (with the viewport); a context has one already
  const page = typeof target.newContext === 'function' ? await target.newPage({ viewport }) : await target.newPage();
  if (typeof target.newContext !== 'function') await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.hostname !== '127.0.0.1') problems.push(`external request: ${r.url()}`);
  });
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  page.loadMs = Date.now() - started;
  page.problems = problems;
  return page;
}

/** Waits until the map has drawn everything (and the HTML labels followed). */
export async function idle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const map = window.sitrepMap;
    map.once('idle', resolve);
    map.triggerRepaint();
  }));
  await page.waitForTimeout(150);
}

/** How many features of `layer` are drawn now. */
export const rendered = (page, layer) => page.evaluate((l) => window.sitrepMap.queryRenderedFeatures({ layers: [l] }).length, layer);

/** The "N incidents shown" figure. */
export const shownCount = async (page) => Number(await page.getAttribute('body', 'data-shown'));

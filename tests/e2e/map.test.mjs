// The map page in a real browser: Debian's Chromium driven by playwright-core,
// against the release binary on a free loopback port with a temporary
// database into which this test ingests its own articles.
//
//   node --test tests/e2e/
//
// Needs target/release/sitrep (cargo build --release), /usr/bin/chromium
// (or SITREP_CHROMIUM) and `npm ci --prefix tests/e2e`. Screenshots go to
// tests/e2e/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, open as openIn, idle, rendered, shownCount, SHOTS } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';

let server;
let base;
let browser;

before(async () => {
  server = await startServer();
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const open = (url, viewport) => openIn(browser, url, viewport);
const dyukyanlarId = (page) => page.evaluate(() => {
  const f = window.sitrepApp.all.find((x) => (x.properties.sources || []).some((s) => /Dyukyanlar/.test(s.title || '') && /shooting/.test(s.title || '')));
  return f ? f.properties.id : null;
});

let sharedUrl;

test('the map loads offline with clusters, points, roads and halos', async () => {
  const page = await open(`${base}/`);
  const count = await shownCount(page);
  assert.ok(count >= 3, `only ${count} incidents shown`);
  assert.match(await page.textContent('#shown-count'), /^\d+ incidents? shown$/);
  await idle(page);
  const clusters = await rendered(page, 'clusters');
  const points = await rendered(page, 'incident-points');
  assert.ok(clusters + points >= 1, 'no incident drawn');
  assert.ok(await rendered(page, 'land') > 0, 'no basemap land drawn');
  await page.screenshot({ path: join(SHOTS, '01-overview.png') });

  // Zoom on Karabakh: the Lachin corridor is a line, imprecise incidents have halos.
  await page.evaluate(() => window.sitrepMap.jumpTo({ center: [46.6, 39.7], zoom: 8.6 }));
  await idle(page);
  await page.screenshot({ path: join(SHOTS, '02-karabakh.png') });
  const roads = await page.evaluate(() => window.sitrepMap.queryRenderedFeatures({ layers: ['roads'] }).map((f) => f.properties.name));
  assert.ok(roads.some((n) => /Lachin corridor/.test(n)), `roads drawn: ${roads}`);
  assert.ok(await rendered(page, 'incident-halos') >= 1, 'no uncertainty halo');
  const labels = await page.$$eval('.labels .label', (ns) => ns.filter((n) => n.style.display !== 'none').map((n) => n.textContent));
  assert.ok(labels.some((t) => /Lachin corridor/.test(t)), 'no road label');
  assert.ok(labels.length >= 5, `few place labels: ${labels}`);
  console.log(`page ready in ${page.loadMs} ms (incidents drawn at ${await page.getAttribute('body', 'data-loaded-ms')} ms)`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('time range, incident panel, filter, search and a shared link', async () => {
  const page = await open(`${base}/`);
  const all = await shownCount(page);

  // Narrow the time range to March 2023.
  await page.fill('#time-from', '2023-03-01');
  await page.dispatchEvent('#time-from', 'change');
  await page.fill('#time-to', '2023-03-31');
  await page.dispatchEvent('#time-to', 'change');
  await page.waitForFunction(() => /t=2023-03-01\/2023-03-31/.test(location.hash));
  const march = await shownCount(page);
  assert.ok(march >= 1 && march < all, `March 2023 shows ${march} of ${all}`);
  assert.match(page.url(), /t=2023-03-01\/2023-03-31/);

  // Click the Dyukyanlar incident on the map.
  const id = await dyukyanlarId(page);
  assert.ok(id !== null, 'the Dyukyanlar article made no incident');
  const coords = await page.evaluate((i) => window.sitrepApp.all.find((f) => f.properties.id === i).geometry.coordinates, id);
  await page.evaluate((c) => window.sitrepMap.jumpTo({ center: c, zoom: 12 }), coords);
  await idle(page);
  const box = await page.locator('#map').boundingBox();
  const px = await page.evaluate((c) => window.sitrepMap.project(c), coords);
  await page.mouse.click(box.x + px.x, box.y + px.y);
  await page.waitForSelector('#detail:not([hidden])');
  if (await page.locator('#detail .chooser').count()) await page.click(`#detail .chooser button[data-id="${id}"]`);
  const detail = page.locator('#detail');
  await page.waitForSelector('#detail .sources');
  const text = await detail.textContent();
  assert.match(text, /Police officers killed in shooting near Dyukyanlar/);
  assert.match(text, /E2E Wire/);
  assert.match(text, /Why here/);
  const evidence = await detail.locator('blockquote.evidence').allTextContents();
  assert.ok(evidence.some((q) => /shooting near Dyukyanlar on the Khankendi-Khalfali-Turshsu road/.test(q)), `evidence: ${evidence}`);
  const marked = await detail.locator('blockquote.evidence mark').allTextContents();
  assert.ok(marked.length >= 1, 'the place name is not highlighted');
  await page.screenshot({ path: join(SHOTS, '03-incident.png') });
  await detail.locator('.sources').scrollIntoViewIfNeeded();
  await detail.locator('.sources').screenshot({ path: join(SHOTS, '03b-incident-sources.png') });

  // A filter: without the incident's event type fewer incidents are shown; restore it.
  const before = await shownCount(page);
  const type = await page.evaluate((i) => window.sitrepApp.all.find((f) => f.properties.id === i).properties.event_type, id);
  const box2 = page.locator(`#type-filter input[value="${type}"]`);
  await box2.uncheck();
  const without = await shownCount(page);
  assert.ok(without < before, `${type} unchecked: ${without} of ${before}`);
  await page.waitForFunction(() => /type=/.test(location.hash));
  await box2.check();
  assert.equal(await shownCount(page), before);

  // Search a place and fly to it.
  await page.fill('#place-search', 'Jermuk');
  await page.waitForSelector('#place-results li[role="option"]');
  assert.match(await page.textContent('#place-results'), /Jermuk/);
  await page.press('#place-search', 'Enter');
  await page.waitForTimeout(1500);
  await idle(page);
  const centre = await page.evaluate(() => window.sitrepMap.getCenter());
  assert.ok(Math.abs(centre.lng - 45.67) < 0.1 && Math.abs(centre.lat - 39.84) < 0.1, `centre ${JSON.stringify(centre)}`);
  await page.screenshot({ path: join(SHOTS, '04-search-jermuk.png') });

  // Back to the incident, then share the link.
  await page.evaluate((c) => window.sitrepMap.jumpTo({ center: c, zoom: 9 }), coords);
  await page.click(`#incident-list button[data-id="${id}"]`);
  await page.waitForTimeout(1200);
  await idle(page);
  await page.uncheck('#layer-places');
  await page.waitForTimeout(400);
  sharedUrl = page.url();
  const view = await page.evaluate(() => ({ c: window.sitrepMap.getCenter(), z: window.sitrepMap.getZoom() }));
  const shown = await shownCount(page);
  assert.deepEqual(page.problems, []);
  await page.close();

  const again = await open(sharedUrl);
  await idle(again);
  assert.equal(await shownCount(again), shown);
  const view2 = await again.evaluate(() => ({ c: window.sitrepMap.getCenter(), z: window.sitrepMap.getZoom() }));
  assert.ok(Math.abs(view2.c.lng - view.c.lng) < 0.01 && Math.abs(view2.c.lat - view.c.lat) < 0.01 && Math.abs(view2.z - view.z) < 0.05,
    `view ${JSON.stringify(view)} became ${JSON.stringify(view2)}`);
  assert.equal(await again.inputValue('#time-from'), '2023-03-01');
  assert.equal(await again.isChecked('#layer-places'), false);
  await again.waitForSelector('#detail:not([hidden]) .sources');
  assert.match(await again.textContent('#detail'), /Police officers killed in shooting near Dyukyanlar/);
  const downloads = await again.$$eval('#downloads a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(downloads.some((h) => h.startsWith('/api/export/incidents.csv?') && h.includes('datetime=2023-03-01%2F2023-03-31')), downloads.join(' '));
  assert.ok(downloads.some((h) => h.startsWith('/api/export/incidents.gpkg?')));
  const res = await again.evaluate(async (h) => (await fetch(h)).status, downloads.find((h) => h.includes('/api/layers/')));
  assert.equal(res, 200);
  await again.screenshot({ path: join(SHOTS, '05-shared-link.png') });
  assert.deepEqual(again.problems, []);
  await again.close();
});

test('a place name with markup renders as text', async () => {
  const page = await open(`${base}/#map=10.5/39.95/46.2`);
  await idle(page);
  const label = await page.$$eval('.labels .label', (ns, xss) => ns.filter((n) => n.textContent.includes(xss)).length, XSS);
  assert.ok(label >= 1, 'the place label is missing');
  await page.fill('#place-search', 'Zorbazan');
  await page.waitForSelector('#place-results li[role="option"]');
  assert.ok((await page.textContent('#place-results')).includes(XSS), 'the search result lost its text');
  // The incident list and panel too, if the article made an incident there.
  assert.equal(await page.locator('img').count(), 0, 'an <img> element was created from data');
  await page.screenshot({ path: join(SHOTS, '06-markup-as-text.png') });
  await page.press('#place-search', 'Enter');
  await page.waitForTimeout(1200);
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(page.problems, [], 'no dialog (alert) and no errors');
  await page.close();
});

test('phone-sized screen: panels collapse, controls stay reachable', async () => {
  const page = await open(`${base}/`, { width: 390, height: 780 });
  const filters = page.locator('#filters');
  const hiddenBox = await filters.boundingBox();
  assert.ok(!hiddenBox || hiddenBox.x + hiddenBox.width <= 1, 'the filters cover the map on a phone');
  await page.screenshot({ path: join(SHOTS, '07-phone.png') });
  await page.click('#toggle-filters');
  await page.waitForTimeout(400);
  const openBox = await filters.boundingBox();
  assert.ok(openBox.x >= -1, 'the filters did not open');
  assert.equal(await page.getAttribute('#toggle-filters', 'aria-expanded'), 'true');
  // Keyboard: tab from the toggle reaches the filters.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest('#filters') !== null);
  assert.ok(focused, 'Tab does not reach the filters');
  await page.screenshot({ path: join(SHOTS, '08-phone-filters.png') });
  assert.deepEqual(page.problems, []);
  await page.close();
});

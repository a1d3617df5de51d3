// The first map a new user sees: a fresh database seeded with the bundled
// demo articles (no fixtures), in Debian's Chromium. Screenshots:
// tests/e2e/screenshots/09-demo-overview.png and 10-demo-karabakh.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, open, idle, rendered, SHOTS } from './harness.mjs';

test('a new database shows the demo incidents over Karabakh', async () => {
  const server = await startServer({ demo: true });
  const browser = await launchBrowser();
  try {
    const page = await open(browser, `${server.base}/`);
    const shown = Number(await page.getAttribute('body', 'data-shown'));
    assert.ok(shown >= 5, `only ${shown} demo incidents shown`);
    await idle(page);
    await page.screenshot({ path: join(SHOTS, '09-demo-overview.png') });
    await page.evaluate(() => window.sitrepMap.jumpTo({ center: [46.4, 39.7], zoom: 8 }));
    await idle(page);
    await page.screenshot({ path: join(SHOTS, '10-demo-karabakh.png') });
    assert.ok(await rendered(page, 'clusters') + await rendered(page, 'incident-points') >= 2, 'demo incidents drawn');
    assert.ok(await rendered(page, 'incident-halos') >= 1, 'uncertainty halos drawn');
    const roads = await page.evaluate(() => window.sitrepMap.queryRenderedFeatures({ layers: ['roads'] }).map((f) => f.properties.name));
    assert.ok(roads.some((n) => /Lachin corridor/.test(n)), `roads: ${roads}`);
    assert.deepEqual(page.problems, []);
  } finally {
    await browser.close();
    server.stop();
  }
});

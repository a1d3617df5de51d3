// The editor in a real browser (issue #8): an editor moves Dyukyanlar by
// dragging it on the map, a second editor with a stale version sees the
// conflict, a viewer sees no editing controls and is refused, the history
// shows the move and restores it, the review queue is worked with the
// keyboard, a draft's casualty claims are edited and published, and an
// alternate name is used by the next ingest.
// Screenshots: tests/e2e/screenshots/11-*.png to 19-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startServer, launchBrowser, open, idle, FIX, SHOTS } from './harness.mjs';

const PASSWORD = 'correct horse battery';
const PLACE = 'sr:dyukyanlar';
const METRES_PER_DEGREE_LAT = 111195;
// A draft whose claims the editor corrects: 2 killed and 3 wounded as read.
const CLAIMS_ARTICLE = `Soldiers killed in shelling near Jermuk

YEREVAN, 20 June 2023 - Azerbaijani artillery shelled Armenian army positions near Jermuk on 19 June 2023. Two soldiers were killed and three were wounded, the Armenian Defence Ministry said.
`;

let server;
let browser;
let editorPage; // the first editor, kept signed in across the tests
let rivalPage; // a second editor in another browser context
let originalPoint;

before(async () => {
  server = await startServer();
  server.addUser('ed', 'editor', PASSWORD);
  server.addUser('ed2', 'editor', PASSWORD);
  server.addUser('vi', 'viewer', PASSWORD);
  // a draft incident for the review queue
  server.ingest(join(FIX, 'draft-shelling.txt'), '2023-05-02', { publish: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const api = async (path) => (await fetch(`${server.base}${path}`)).json();

function distanceM(a, b) {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2
    + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

/** The Dyukyanlar shooting in the public layer. */
async function shootingInLayer() {
  const layer = await api(`/api/layers/incidents.geojson?place=${encodeURIComponent(PLACE)}`);
  return layer.features.find((f) => (f.properties.sources || []).some((s) => /shooting near Dyukyanlar/.test(s.title)));
}

/** Waits for a notice matching `pattern`; fails with the notice shown instead. */
async function noticeSays(page, pattern) {
  try {
    await page.waitForFunction((p) => new RegExp(p).test(document.getElementById('notice').textContent), pattern.source, { timeout: 15000 });
  } catch (err) {
    throw new Error(`notice: ${await page.textContent('#notice')}; problems: ${page.problems}`);
  }
  return page.textContent('#notice');
}

/** Signs in through the page's dialog. */
async function signIn(page, name) {
  await page.click('#sign-in');
  await page.fill('#login-name', name);
  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.waitForFunction((n) => document.getElementById('who').textContent.startsWith(n), name);
}

/** Opens a place in the editor through the editor's search box. */
async function editPlace(page, query) {
  await page.click('#open-editor');
  await page.fill('#edit-search', query);
  await page.waitForSelector('#edit-results li[role="option"]');
  await page.press('#edit-search', 'Enter');
  await page.waitForSelector('#editor .place-form');
  await page.waitForTimeout(700); // the map eases to the place
}

/** The incident's point as the page holds it, by source title. */
const pagePoint = (page) => page.evaluate(() => {
  const f = window.sitrepApp.all.find((x) => (x.properties.sources || []).some((s) => /shooting near Dyukyanlar/.test(s.title || '')));
  return f ? { id: f.properties.id, at: f.geometry.coordinates } : null;
});

test('an editor drags Dyukyanlar 2 km and saves: the incident moves on the map and in the layer', async () => {
  const before = await shootingInLayer();
  assert.ok(before, 'the Dyukyanlar shooting is in the layer');
  originalPoint = (await api(`/api/places/${encodeURIComponent(PLACE)}`)).properties.point;

  // The rival editor opens the place now, so it holds the revision before the move.
  const rivalContext = await browser.newContext();
  rivalPage = await open(rivalContext, `${server.base}/`);
  await signIn(rivalPage, 'ed2');
  await editPlace(rivalPage, 'Dyukyanlar');

  const context = await browser.newContext();
  editorPage = await open(context, `${server.base}/`);
  const page = editorPage;
  assert.equal(await page.isVisible('#open-editor'), false, 'no editing controls before signing in');
  await signIn(page, 'ed');
  assert.match(await page.textContent('#who'), /ed \(editor\)/);
  await editPlace(page, 'Dyukyanlar');
  assert.match(await page.textContent('#editor-title'), /Dyukyanlar/);

  // Drag the place's ring 2 km north on the map.
  await page.evaluate((c) => window.sitrepMap.jumpTo({ center: c, zoom: 12 }), originalPoint);
  await idle(page);
  const box = await page.locator('#map').boundingBox();
  const from = await page.evaluate((c) => window.sitrepMap.project(c), originalPoint);
  const target = [originalPoint[0], originalPoint[1] + 2000 / METRES_PER_DEGREE_LAT];
  const to = await page.evaluate((c) => window.sitrepMap.project(c), target);
  await page.mouse.move(box.x + from.x, box.y + from.y);
  await page.mouse.down();
  await page.mouse.move(box.x + to.x, box.y + to.y, { steps: 12 });
  await page.mouse.up();
  assert.match(await page.textContent('#edit-moved'), /Moved 2\.0 km/);
  assert.match(await page.textContent('#editor .pending'), /point moved 2\.0 km/);
  await page.screenshot({ path: join(SHOTS, '11-editor-drag.png') });

  await page.fill('#edit-why', 'surveyed position');
  await page.click('#edit-save');
  await noticeSays(page, /Saved revision/);
  const notice = await page.textContent('#notice');
  assert.match(notice, /1 incident moved/);
  assert.match(notice, /\d+ mentions? of this place/);
  assert.match(notice, /\d+ articles? re-resolved/);

  // The map updated without a reload: the incident's point moved about 2 km.
  await page.waitForFunction((old) => {
    const f = window.sitrepApp.all.find((x) => (x.properties.sources || []).some((s) => /shooting near Dyukyanlar/.test(s.title || '')));
    return f && Math.abs(f.geometry.coordinates[1] - old[1]) > 0.01;
  }, before.geometry.coordinates);
  // The incident is on the Khankendi-Khalfali-Turshsu road, so it is drawn
  // where the moved place projects onto the road: it moves, by less than 2 km.
  const after = await shootingInLayer();
  const layerShift = distanceM(before.geometry.coordinates, after.geometry.coordinates);
  assert.ok(layerShift > 1000 && layerShift < 2100, `moved ${layerShift} m in incidents.geojson`);
  const moved = await pagePoint(page);
  assert.ok(distanceM(moved.at, after.geometry.coordinates) < 1, `the page has ${moved.at}, the layer ${after.geometry.coordinates}`);
  await page.evaluate((c) => window.sitrepMap.jumpTo({ center: c, zoom: 12 }), moved.at);
  await idle(page);
  const drawn = await page.evaluate((id) => window.sitrepMap.queryRenderedFeatures({ layers: ['incident-points'] })
    .filter((f) => f.properties.id === id).map((f) => f.geometry.coordinates), moved.id);
  assert.ok(drawn.length >= 1, 'the incident is drawn');
  assert.ok(distanceM(drawn[0], moved.at) < 50, `drawn at ${drawn[0]}, expected ${moved.at}`);
  assert.ok(distanceM(drawn[0], before.geometry.coordinates) > 1000, 'the drawn point moved');
  await page.screenshot({ path: join(SHOTS, '12-editor-saved.png') });
  assert.deepEqual(page.problems, []);
});

test('a second editor saving a stale version sees the conflict, then re-applies on top', async () => {
  const page = rivalPage;
  await page.fill('#edit-radius', '2500');
  await page.fill('#edit-why', 'tighter radius');
  await page.click('#edit-save');
  await page.waitForSelector('#editor .conflict');
  const conflict = await page.textContent('#editor .conflict');
  assert.match(conflict, /Another editor saved revision/);
  assert.match(conflict, /point moved 2\.0 km/, 'shows what the other editor changed');
  assert.match(conflict, /ed at .*surveyed position/);
  assert.match(conflict, /uncertainty radius: 10 km → 2\.5 km/, 'shows the unsaved change');
  let place = await api(`/api/places/${encodeURIComponent(PLACE)}`);
  assert.equal(place.properties.radius_m, 10000, 'the stale save changed nothing');
  assert.ok(distanceM(place.properties.point, originalPoint) > 1800, 'the move was not overwritten');
  await page.screenshot({ path: join(SHOTS, '13-editor-conflict.png') });

  await page.click('#reapply');
  await noticeSays(page, /Saved revision/);
  place = await api(`/api/places/${encodeURIComponent(PLACE)}`);
  assert.equal(place.properties.radius_m, 2500, 'the rival change is applied');
  assert.ok(distanceM(place.properties.point, originalPoint) > 1800, 'on top of the move');
  // the refused save is the only failed request
  assert.deepEqual(page.problems.filter((p) => !/status of 412/.test(p)), []);
  await page.context().close();
});

test('a viewer sees no editing controls, and a PATCH from the viewer session gets 403', async () => {
  const context = await browser.newContext();
  const page = await open(context, `${server.base}/`);
  await signIn(page, 'vi');
  assert.match(await page.textContent('#who'), /vi \(viewer\)/);
  assert.equal(await page.isVisible('#open-editor'), false);
  assert.equal(await page.isVisible('#open-review'), false);
  assert.equal(await page.isVisible('#editor'), false);
  // The incident panel has no edit button for a viewer.
  const incident = await pagePoint(page);
  await page.click(`#incident-list button[data-id="${incident.id}"]`);
  await page.waitForSelector('#detail:not([hidden]) .sources');
  assert.equal(await page.locator('#detail button', { hasText: 'Edit the place' }).count(), 0);
  // A click on a place opens no editor.
  await page.evaluate((c) => window.sitrepMap.jumpTo({ center: c, zoom: 10 }), [46.7528, 39.8177]);
  await idle(page);
  const box = await page.locator('#map').boundingBox();
  const px = await page.evaluate(() => window.sitrepMap.project([46.7528, 39.8177]));
  await page.mouse.click(box.x + px.x, box.y + px.y);
  await page.waitForTimeout(300);
  assert.equal(await page.isVisible('#editor'), false);
  const visibleControls = await page.$$eval('.editor-only', (ns) => ns.filter((n) => n.offsetParent !== null).length);
  assert.equal(visibleControls, 0);
  await page.screenshot({ path: join(SHOTS, '14-viewer.png') });

  const status = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/me')).json();
    const url = `/api/places/${encodeURIComponent(id)}`;
    const etag = (await fetch(url)).headers.get('ETag');
    const res = await fetch(url, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-CSRF-Token': me.csrf },
      body: JSON.stringify({ radius_m: 1 }),
    });
    return res.status;
  }, PLACE);
  assert.equal(status, 403);
  assert.equal((await api(`/api/places/${encodeURIComponent(PLACE)}`)).properties.radius_m, 2500, 'nothing changed');
  await context.close();
});

test('the history shows the move with its distance, and restore brings the point back', async () => {
  const page = editorPage;
  await page.click('#editor .tab:has-text("History")');
  await page.waitForSelector('#editor .revision');
  const revisions = await page.$$eval('#editor .revision', (ns) => ns.map((n) => n.textContent));
  const move = revisions.find((t) => /surveyed position/.test(t));
  assert.ok(move, `no revision for the move: ${revisions}`);
  assert.match(move, /ed ·/);
  assert.match(move, /point moved 2\.0 km \(2,0\d\d m\)|point moved 2\.0 km \(1,9\d\d m\)/);
  assert.ok(revisions.some((t) => /ed2/.test(t) && /radius: 10 km → 2\.5 km/.test(t)), 'the rival edit is listed');
  await page.screenshot({ path: join(SHOTS, '15-history.png') });

  // Restore the version before the move.
  const moveRevision = page.locator('#editor .revision', { hasText: 'surveyed position' });
  await moveRevision.locator('button.restore').click();
  await noticeSays(page, /Restored revision/);
  const place = await api(`/api/places/${encodeURIComponent(PLACE)}`);
  assert.ok(distanceM(place.properties.point, originalPoint) < 1, `point back at ${place.properties.point}`);
  await page.waitForFunction((old) => {
    const f = window.sitrepApp.all.find((x) => (x.properties.sources || []).some((s) => /shooting near Dyukyanlar/.test(s.title || '')));
    return f && Math.abs(f.geometry.coordinates[1] - old[1]) < 0.001;
  }, originalPoint);
  const back = await shootingInLayer();
  assert.ok(distanceM(back.geometry.coordinates, originalPoint) < 50, 'the incident is back in the layer');
  await page.waitForSelector('#editor .revision >> text=restored revision');
  assert.deepEqual(page.problems, []);
});

test('the review queue is worked with the keyboard only', async () => {
  const page = editorPage;
  const key = (k) => page.keyboard.press(k);
  const progress = async () => (await page.textContent('#review-progress')).match(/^(\d+) of (\d+) reviewed$/).slice(1).map(Number);
  const current = () => page.locator('#editor .queue [aria-selected="true"]');

  await page.focus('#open-review'); // as Tab would
  await key('Enter');
  await page.waitForSelector('#editor .queue');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('queue')), 'the queue has the focus');
  const [reviewed0, total] = await progress();
  assert.ok(total >= 10, `queue of ${total}`);
  const confidences = await page.$$eval('#editor .queue-item .badge', (ns) => ns.map((n) => parseInt(n.textContent, 10)));
  assert.deepEqual(confidences, [...confidences].sort((a, b) => a - b), 'lowest confidence first');

  // A mention with alternatives: the sentence with the name marked, the
  // chosen place and the alternatives numbered on the map.
  let steps = 0;
  while (await page.locator('#editor .alternatives li').count() < 2 && steps < total) { await key('j'); steps++; }
  const name = await page.textContent('#editor .review-item h4');
  const marked = await page.$$eval('#editor .review-item blockquote mark', (ns) => ns.map((n) => n.textContent));
  assert.ok(marked.length >= 1 && name.toLowerCase().includes(marked[0].toLowerCase()), `marked ${marked} in ${name}`);
  assert.ok(await page.locator('.candidate-marker').count() >= 1, 'candidates on the map');
  await page.waitForTimeout(500); // the map fits the candidates
  await page.screenshot({ path: join(SHOTS, '16-review.png') });
  for (let i = 0; i < steps; i++) await key('k');

  const position = async () => Number((await current().getAttribute('id')).replace('review-', ''));
  const goTo = async (n) => { while (await position() !== n) await key(await position() < n ? 'j' : 'k'); };
  const undecided = () => page.$$eval('#editor .queue-item', (ns) => ns.map((n, i) => ({ i, draft: /Draft/.test(n.textContent), done: n.classList.contains('decided') })));
  /** Goes (with j/k) to the first undecided mention with at least `alternatives`. */
  const goToMention = async (alternatives = 0) => {
    for (const item of await undecided()) {
      if (item.draft || item.done) continue;
      await goTo(item.i);
      if (await page.locator('#editor .alternatives li').count() >= alternatives) return item.i;
    }
    throw new Error(`no undecided mention with ${alternatives} alternatives`);
  };

  // j / k move.
  const start = await position();
  await key('j');
  assert.equal(await position(), start + 1);
  await key('k');
  assert.equal(await position(), start);

  // A draft incident: edit its actor, then publish it with a; the map shows it.
  const draft = (await undecided()).find((item) => item.draft);
  assert.ok(draft, 'a draft incident is queued');
  await goTo(draft.i);
  assert.match(await page.textContent('#editor .review-item'), /Draft incident/);
  const shownBefore = Number(await page.getAttribute('body', 'data-shown'));
  await page.focus('#editor .d-actor1'); // as Tab would
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Military Forces of Armenia');
  await page.focus('#editor .queue'); // as Shift+Tab would
  await key('a');
  await noticeSays(page, /published/);
  assert.match(await page.textContent(`#review-${draft.i}`), /published/);
  await page.waitForFunction((n) => Number(document.body.dataset.shown) === n + 1, shownBefore);
  const published = (await api('/api/layers/incidents.geojson')).features.find((f) => f.properties.actor1 === 'Military Forces of Armenia');
  assert.ok(published, 'the edited draft is published with its new actor');
  assert.deepEqual(await progress(), [reviewed0 + 1, total]);

  // a accepts a mention and moves on; r rejects one.
  const accepted = await goToMention(1);
  await key('a');
  await page.waitForSelector(`#review-${accepted}.decided`);
  assert.match(await page.textContent(`#review-${accepted}`), /accepted/);
  assert.notEqual(await position(), accepted, 'moves on to the next');
  const rejected = await goToMention(0);
  await key('r');
  await page.waitForSelector(`#review-${rejected}.decided`);
  assert.match(await page.textContent(`#review-${rejected}`), /rejected/);

  // 2 picks the second alternative.
  const picked = await goToMention(2);
  const second = (await page.textContent('#editor .alternatives li:nth-child(2) button')).replace(/^2\.\s*/, '');
  const chosenIsSecond = await page.locator('#editor .alternatives li:nth-child(2) button.chosen').count();
  await key('2');
  await page.waitForSelector(`#review-${picked}.decided`);
  assert.match(await page.textContent(`#review-${picked}`), chosenIsSecond ? /accepted/ : new RegExp(`moved to ${second}`));

  // / searches another place for the current mention.
  const searched = await goToMention(0);
  await key('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'review-search');
  await page.keyboard.type('Jermuk');
  await page.waitForSelector('#review-results li[role="option"]');
  await key('Enter');
  await page.waitForSelector(`#review-${searched}.decided`);
  assert.match(await page.textContent(`#review-${searched}`), /moved to Jermuk/);

  // x selects two mentions; the bulk accept accepts both.
  const two = (await undecided()).filter((item) => !item.draft && !item.done).slice(0, 2);
  for (const item of two) {
    await goTo(item.i);
    await key('x');
  }
  await page.focus('#bulk-accept'); // as Tab would
  assert.match(await page.textContent('#bulk-accept'), /Accept selected \(2\)/);
  await key('Enter');
  await noticeSays(page, /Accepted 2 of 2 selected/);
  for (const item of two) assert.match(await page.textContent(`#review-${item.i}`), /accepted/);

  const [reviewed, totalAfter] = await progress();
  assert.equal(totalAfter, total);
  assert.equal(reviewed, reviewed0 + 7, `${reviewed} of ${total} reviewed`);
  await page.screenshot({ path: join(SHOTS, '17-review-done.png') });
  assert.deepEqual(page.problems, []);
});

test("a draft's casualty claims are edited in the review queue, published, and the layer shows them", async () => {
  const page = editorPage;
  const article = join(server.dir, 'draft-claims.txt');
  writeFileSync(article, CLAIMS_ARTICLE);
  server.ingest(article, '2023-06-20', { publish: false });
  await page.click('#open-review');
  await page.waitForSelector('#editor .queue');
  const drafts = await page.$$eval('#editor .queue-item', (ns) => ns.map((n, i) => ({ i, draft: /Draft/.test(n.textContent), done: n.classList.contains('decided') }))
    .filter((item) => item.draft && !item.done));
  assert.equal(drafts.length, 1, 'the new draft is queued');
  await page.click(`#review-${drafts[0].i}`);
  await page.waitForSelector('#editor .draft-form .claim-row');
  const id = Number((await page.textContent('#editor .review-item h4')).match(/Draft incident #(\d+)/)[1]);
  const read = await api(`/api/incidents/${id}`);
  assert.deepEqual(read.claims.map((c) => [c.kind, c.best]), [['killed', 2], ['injured', 3]], 'the claims as read');

  const rows = page.locator('#editor .claim-row');
  assert.equal(await rows.count(), 2);
  const kinds = await page.$$eval('#editor .claim-row .c-kind', (ns) => ns.map((n) => n.value));
  const killed = rows.nth(kinds.indexOf('killed'));
  assert.equal(await killed.locator('.c-party').inputValue(), read.claims[0].party);
  // one figure stays one figure; then a range up to 6
  await killed.locator('.c-best').fill('4');
  assert.equal(await killed.locator('.c-low').inputValue(), '4');
  assert.equal(await killed.locator('.c-high').inputValue(), '4');
  await killed.locator('.c-high').fill('6');
  // the wounded claim goes; a claim for civilians is added
  await rows.nth(kinds.indexOf('injured')).locator('.c-remove').click();
  assert.equal(await rows.count(), 1);
  await page.click('#editor .c-add');
  assert.equal(await rows.count(), 2);
  const added = rows.nth(1);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('c-party')), true, 'the new row has the focus');
  await added.locator('.c-party').fill('civilians <b>of Jermuk</b>');
  await added.locator('.c-kind').selectOption('injured');
  await added.locator('.c-best').fill('1');
  assert.equal(await added.locator('.c-source').inputValue(), String(read.sources[0].source_id), 'the only source is preselected');
  await page.screenshot({ path: join(SHOTS, '19-draft-claims.png') });

  await page.click('#editor #publish');
  await noticeSays(page, new RegExp(`Incident #${id}: published`));
  const stored = await api(`/api/incidents/${id}`);
  assert.equal(stored.status, 'published');
  assert.deepEqual(stored.claims.map((c) => [c.party, c.kind, c.low, c.best, c.high, c.source_id]), [
    [read.claims[0].party, 'killed', 4, 4, 6, read.sources[0].source_id],
    ['civilians <b>of Jermuk</b>', 'injured', 1, 1, 1, read.sources[0].source_id],
  ]);
  assert.equal(stored.claims[0].evidence.quote, read.claims[0].evidence.quote, 'the edited claim keeps its quote');
  const feature = (await api('/api/layers/incidents.geojson')).features.find((f) => f.properties.id === id);
  assert.ok(feature, 'the published incident is in the layer');
  assert.equal(feature.properties.fatalities, 4);
  assert.equal(feature.properties.injuries, 1);
  const history = await api(`/api/incidents/${id}/history`);
  const last = history.revisions[history.revisions.length - 1];
  assert.equal(last.before.claims.length, 2);
  assert.equal(last.after.claims[1].party, 'civilians <b>of Jermuk</b>');
  assert.deepEqual(page.problems, []);
});

test('an alternate name added in the editor is found by the next ingest, without a restart', async () => {
  const page = editorPage;
  await editPlace(page, 'Dyukyanlar');
  await page.fill('#new-name', 'Qaraqaya Obasi');
  await page.fill('#new-name-lang', 'az');
  await page.selectOption('#new-name-kind', 'colloquial');
  await page.click('#add-name');
  assert.match(await page.textContent('#editor .names-list'), /Qaraqaya Obasi/);
  assert.match(await page.textContent('#editor .pending'), /name added: “Qaraqaya Obasi” \(az, colloquial\)/);
  await page.click('#edit-save');
  await noticeSays(page, /Saved revision/);

  server.ingest(join(FIX, 'alternate-name.txt'), '2023-04-09');
  const layer = await api(`/api/layers/incidents.geojson?place=${encodeURIComponent(PLACE)}`);
  const found = layer.features.find((f) => (f.properties.sources || []).some((s) => /Qaraqaya Obasi/.test(s.title)));
  assert.ok(found, 'the article was placed at Dyukyanlar by its alternate name');
  assert.equal(found.properties.place_id, PLACE);
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector(`#incident-list button[data-id="${found.properties.id}"]`);
  assert.match(await page.textContent(`#incident-list button[data-id="${found.properties.id}"]`), /Qaraqaya Obasi|Dyukyanlar/);
  assert.deepEqual(page.problems, []);
});

test('the editor on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 780 } });
  const page = await open(context, `${server.base}/`, { width: 390, height: 780 });
  await signIn(page, 'ed');
  await page.click('#open-review');
  await page.waitForSelector('#editor .queue');
  const panel = await page.locator('#editor').boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= 391, `panel ${JSON.stringify(panel)}`);
  assert.ok(await page.isVisible('#sign-out'), 'sign out reachable');
  await page.screenshot({ path: join(SHOTS, '18-editor-phone.png') });
  assert.deepEqual(page.problems, []);
  await context.close();
});

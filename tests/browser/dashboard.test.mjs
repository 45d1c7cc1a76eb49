// Browser test of the `hadath serve` dashboard: Playwright core drives Debian's Chromium
// headless against a running server.
//
//   HADATH_URL=http://127.0.0.1:18080 node --test tests/browser/
//
// The server must already run against a store with events (at least one located, dated event,
// and for the RTL check one Arabic mention). The test reads the API first and derives every
// expectation from it, so it does not depend on exact counts. Without HADATH_URL it skips.
// Screenshots go to target/test-output/screenshots/ (relative to the repository root).
// HADATH_CHROMIUM overrides the browser path (default /usr/bin/chromium).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = (process.env.HADATH_URL || '').replace(/\/+$/, '');
const CHROMIUM = process.env.HADATH_CHROMIUM || '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'target', 'test-output', 'screenshots');
const PAGE_LIMIT = 50; // the dashboard's default page size
const TIMEOUT = 15000;

const skipReason = BASE ? false
  : 'HADATH_URL is not set: start `hadath serve` on a store with events and set HADATH_URL=http://127.0.0.1:PORT to run the browser tests';
if (skipReason) console.log(`# skip: ${skipReason}`);

async function getJson(pathAndQuery) {
  const res = await fetch(BASE + pathAndQuery, { headers: { Accept: 'application/json' } });
  const body = await res.json();
  return { status: res.status, body };
}

test('dashboard against a live hadath server', { skip: skipReason, timeout: 180000 }, async (t) => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set HADATH_CHROMIUM`);
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(SHOTS, { recursive: true });

  // What the store holds, according to the API.
  const all = (await getJson('/api/events?limit=1000&sort=-date')).body;
  const stats = (await getJson('/api/stats')).body;
  assert.ok(all.total > 0, 'the store behind HADATH_URL has no events: ingest the test documents first');
  const events = all.events;
  const located = events.filter((e) => typeof e.lat === 'number' && typeof e.lon === 'number');
  const expectRows = (total) => Math.min(total, PAGE_LIMIT);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure() && req.failure().errorText}`));
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
  const rowCount = () => page.locator('#events-table tbody tr').count();
  // The table carries the total the API gave it in data-total; wait for a given total and row count.
  const waitTable = (total) => page.waitForFunction(([tot, rows]) => {
    const tb = document.querySelector('#events-table');
    return document.body.dataset.state === 'ready' && tb && tb.dataset.total === String(tot)
      && document.querySelectorAll('#events-table tbody tr').length === rows;
  }, [total, expectRows(total)]);

  await t.test('page loads with map, timeline and table and no console errors', async () => {
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await waitTable(all.total);
    assert.equal(await rowCount(), expectRows(all.total));
    if (located.length) {
      await page.waitForSelector('#map .marker, #map .cluster');
      assert.ok(await page.locator('#map .marker, #map .cluster').count() >= 1);
    } else {
      assert.fail('no event in the store has coordinates: the map check needs one');
    }
    // The basemap is fetched apart from the events: wait for it (or time out) before counting.
    await page.waitForFunction(() => document.querySelectorAll('#map path.country').length > 100)
      .catch(() => {});
    assert.ok(await page.locator('#map path.country').count() > 100, 'the basemap draws countries');
    if ((stats.by_day || []).length) {
      await page.waitForSelector('#timeline .bar');
      assert.ok(await page.locator('#timeline .bar').count() >= 1);
    } else {
      assert.fail('no event in the store has a day-precision date: the timeline check needs one');
    }
    await page.waitForTimeout(300); // let late console messages arrive
    await shot('01-load');
    assert.deepEqual(problems, [], 'console errors or warnings on load');
  });

  await t.test('a type filter narrows the table to what /api/events reports', async () => {
    const counts = new Map();
    for (const e of events) counts.set(e.type, (counts.get(e.type) || 0) + 1);
    // A type that only some events have (most common such type), else the first type.
    const partial = [...counts.entries()].filter(([, n]) => n < events.length).sort((a, b) => b[1] - a[1]);
    const type = (counts.has('PROTEST') && counts.get('PROTEST') < events.length) ? 'PROTEST'
      : partial.length ? partial[0][0] : [...counts.keys()][0];
    const expected = (await getJson(`/api/events?type=${encodeURIComponent(type)}&limit=1`)).body.total;
    await page.click('#filter-type > summary');
    await page.check(`#filter-type input[value="${type}"]`);
    await waitTable(expected);
    assert.equal(await rowCount(), expectRows(expected));
    assert.match(page.url(), new RegExp(`type=${type}`), 'the filter is kept in the URL hash');
    const shown = await page.locator('#events-table tbody tr .type-badge').allTextContents();
    assert.ok(shown.every((s) => s.startsWith(type)), `every row is ${type}: ${shown.join(' | ')}`);
    if (located.some((e) => e.type === type)) await page.waitForSelector('#map .marker, #map .cluster');
    await page.keyboard.press('Escape');
    await page.click('#topbar .brand'); // close the type menu
    await shot('02-filter-type');
    // A shared URL reproduces the view.
    const p2 = await context.newPage();
    await p2.goto(page.url());
    await p2.waitForFunction((tot) => document.querySelector('#events-table').dataset.total === String(tot), expected);
    assert.ok(await p2.isChecked(`#filter-type input[value="${type}"]`));
    await p2.close();
    await page.click('#filter-clear');
    await waitTable(all.total);
  });

  await t.test('the language and country filters narrow the table too', async () => {
    for (const lang of ['ar', 'en']) {
      const expected = (await getJson(`/api/events?lang=${lang}&limit=1`)).body.total;
      await page.selectOption('#filter-lang', lang);
      await waitTable(expected);
      assert.equal(await rowCount(), expectRows(expected));
      assert.match(page.url(), new RegExp(`lang=${lang}`));
    }
    await page.selectOption('#filter-lang', '');
    await waitTable(all.total);
    const country = events.map((e) => e.country).find(Boolean);
    if (country) {
      const expected = (await getJson(`/api/events?country=${country}&limit=1`)).body.total;
      await page.fill('#filter-country', country.toLowerCase());
      await page.press('#filter-country', 'Enter');
      await waitTable(expected);
      const shown = await page.$$eval('#events-table tbody tr', (rows) => rows.map((r) => r.children[5].textContent));
      assert.ok(shown.every((c) => c === country), `every row is in ${country}: ${shown.join(',')}`);
      await page.click('#filter-clear');
      await waitTable(all.total);
      assert.equal(await page.inputValue('#filter-country'), '');
    }
  });

  await t.test('clicking a row shows the event panel with highlighted evidence', async () => {
    const first = page.locator('#events-table tbody tr').first();
    const id = await first.getAttribute('data-id');
    await first.click();
    await page.waitForSelector('#event-panel .evidence .sentence');
    assert.match(page.url(), new RegExp(`event=${id}`));
    const detail = (await getJson(`/api/events/${id}`)).body;
    assert.equal(await page.locator('#event-panel .evidence .mention').count(), detail.mentions.length);
    assert.ok(await page.locator('#event-panel .evidence .hl-trigger').count() >= 1, 'a trigger is highlighted');
    // Each highlight shows exactly the code points the API names.
    const m0 = detail.mentions[0];
    const trig = m0.highlights.find((h) => h.kind === 'trigger');
    if (trig) {
      const want = Array.from(m0.sentence.text).slice(trig.start, trig.end).join('');
      const got = await page.locator('#event-panel .mention').first().locator('.hl-trigger').first().textContent();
      assert.equal(got, want);
      const title = await page.locator('#event-panel .mention').first().locator('.hl-trigger').first().getAttribute('title');
      assert.ok(title && title.startsWith('trigger'), `tooltip names the kind: ${title}`);
    }
    // The full document opens under the mention.
    await page.locator('#event-panel .doc-toggle > summary').first().click();
    await page.waitForSelector('#event-panel .doc-text');
    await shot('03-event-panel');
  });

  await t.test('Arabic evidence renders right-to-left, English left-to-right', async () => {
    const arTotal = (await getJson('/api/events?lang=ar&limit=1')).body.total;
    assert.ok(arTotal > 0, 'the store has no Arabic event: the RTL check needs one');
    await page.selectOption('#filter-lang', 'ar');
    await waitTable(arTotal);
    await page.locator('#events-table tbody tr').first().click();
    const sentence = page.locator('#event-panel .evidence .sentence[lang="ar"]').first();
    await sentence.waitFor();
    assert.equal(await sentence.evaluate((e) => getComputedStyle(e).direction), 'rtl');
    assert.equal(await sentence.getAttribute('dir'), 'rtl');
    const en = page.locator('#event-panel .evidence .sentence[lang="en"]');
    if (await en.count()) assert.equal(await en.first().evaluate((e) => getComputedStyle(e).direction), 'ltr');
    await shot('04-arabic-evidence');
    await page.selectOption('#filter-lang', '');
    await waitTable(all.total);
  });

  await t.test('clicking a map marker selects its event or lists its cluster', async () => {
    await page.click('#map-fit');
    await page.locator('#map .marker, #map .cluster').first().waitFor();
    await page.waitForTimeout(100); // markers are redrawn on the next animation frame
    // A marker whose centre is not covered by the legend or the map's edge.
    const target = await page.evaluate(() => {
      for (const m of document.querySelectorAll('#map .marker, #map .cluster')) {
        const r = m.getBoundingClientRect();
        const x = r.left + r.width / 2; const y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.marker, .cluster') === m) return { x, y, cluster: m.classList.contains('cluster') };
      }
      return null;
    });
    assert.ok(target, 'a marker or cluster is clickable');
    const isCluster = target.cluster;
    await page.mouse.click(target.x, target.y);
    if (isCluster) await page.waitForSelector('#event-panel .cluster-list li');
    else await page.waitForSelector('#event-panel .evidence .sentence');
    await shot('05-map-click');
  });

  await t.test('brushing the timeline sets from/to; the clear button removes them', async () => {
    const box = await page.locator('#timeline-svg .brush-area').boundingBox();
    assert.ok(box, 'the timeline has a brush area');
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /from=\d{4}-\d{2}-\d{2}/.test(location.hash) && /to=\d{4}-\d{2}-\d{2}/.test(location.hash));
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    const expected = (await getJson(`/api/events?from=${hash.get('from')}&to=${hash.get('to')}&limit=1`)).body.total;
    await waitTable(expected);
    assert.equal(await page.inputValue('#filter-from'), hash.get('from'));
    await shot('06-timeline-brush');
    await page.click('#timeline-clear');
    await page.waitForFunction(() => !/from=/.test(location.hash));
    await waitTable(all.total);
  });

  await t.test('sorting by a header and paging re-query the table', async () => {
    await page.click('#events-table th[data-key="confidence"]');
    await page.waitForFunction(() => /sort=-confidence/.test(location.hash));
    await waitTable(all.total);
    const vals = (await page.$$eval('#events-table tbody tr', (rows) => rows.map((r) => r.children[7].textContent)))
      .map((s) => parseFloat(s)).filter((v) => !Number.isNaN(v));
    for (let i = 1; i < vals.length; i++) assert.ok(vals[i - 1] >= vals[i], `descending confidence: ${vals.join(',')}`);
    if (all.total > PAGE_LIMIT) {
      await page.click('#page-next');
      await page.waitForFunction(() => /offset=50/.test(location.hash));
      await waitTable(all.total);
      await page.click('#page-prev');
      await page.waitForFunction(() => !/offset=/.test(location.hash));
    }
    await page.click('#events-table th[data-key="date"]');
    await page.waitForFunction(() => !/sort=/.test(location.hash));
    await waitTable(all.total);
  });

  await t.test('no console errors or warnings during the whole session', () => {
    assert.deepEqual(problems, []);
  });

  await t.test('an API error is shown to the user', async () => {
    const bad = await getJson('/api/events?from=not-a-date');
    if (bad.status < 400) return; // this server tolerates the value; nothing to show
    const p = await context.newPage();
    await p.goto(BASE + '/#from=not-a-date');
    await p.waitForSelector('#error:not([hidden])');
    const text = await p.locator('#error-text').textContent();
    assert.ok(text.includes(bad.body.error), `the error banner shows the API's message: ${text}`);
    await p.screenshot({ path: path.join(SHOTS, '07-api-error.png') });
    await p.close();
  });
});

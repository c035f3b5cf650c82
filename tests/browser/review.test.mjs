// Browser test of the outpost review page in headless Debian Chromium (playwright-core, no browser
// download). Pages are built by run.sh; this file only drives them.
//
//   OUTPOST_PAGES=dir with sample.html, hostile.html, big.html
//   OUTPOST_ARTEFACTS=dir for screenshots and the downloaded decisions
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const PAGES = resolve(process.env.OUTPOST_PAGES || 'pages');
const ART = resolve(process.env.OUTPOST_ARTEFACTS || 'artefacts');
const TTI_TARGET_MS = 2000;
mkdirSync(ART, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => { if (browser) await browser.close(); });

// A fresh context per page (empty local storage); records dialogs, CSP violations, page errors
// and every network request other than the page itself.
async function open(name) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const events = { dialogs: [], errors: [], requests: [], violations: [] };
  page.on('dialog', async (d) => { events.dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => events.errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) events.requests.push(r.url()); });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  const url = pathToFileURL(join(PAGES, name)).href;
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const wallMs = Date.now() - t0;
  return { context, page, events, wallMs };
}

async function selectedCard(page) {
  return page.$eval('.card.sel', (c) => ({ idx: c.dataset.idx, key: c.dataset.key, article: c.dataset.article }));
}

test('sample page: accept, reject, correct by keyboard and download the decisions', async () => {
  const { context, page, events } = await open('sample.html');
  const n = await page.$$eval('.card', (cs) => cs.length);
  assert.ok(n >= 2, `sample page lists at least two records (got ${n})`);
  // Ranked by confidence, highest first.
  const confs = await page.$$eval('.card .conf span:last-child', (xs) => xs.map((x) => parseFloat(x.textContent)));
  assert.deepEqual(confs, [...confs].sort((a, b) => b - a));
  // Evidence is shown with the mentions highlighted.
  assert.ok(await page.$$eval('.card .ev mark.hl', (m) => m.length) > 0, 'highlighted mentions');
  // The map has a land outline and graticule drawn inline.
  assert.equal(await page.$$eval('#map path.land', (p) => p.length), 1);
  await page.screenshot({ path: join(ART, 'sample-initial.png'), fullPage: false });

  const first = await selectedCard(page);
  await page.keyboard.press('a');
  const second = await selectedCard(page);
  assert.notEqual(second.idx, first.idx, 'accept moves to the next record');
  await page.keyboard.press('r');
  // Correct a field of the first record: select it, press c, choose a field, type, Enter.
  await page.click(`.card[data-idx="${first.idx}"] .head`);
  await page.keyboard.press('c');
  await page.waitForSelector('.card .fix');
  await page.selectOption('.card .fix select', 'host_org');
  await page.fill('.card .fix input', 'Corrected "Org" <b>');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.card[data-idx="${first.idx}"] .new`);
  assert.equal(await page.$eval(`.card[data-idx="${first.idx}"] .new`, (e) => e.textContent), 'Corrected "Org" <b>');
  assert.match(await page.textContent('#summary'), /1 accepted · 1 rejected/);
  await page.screenshot({ path: join(ART, 'sample-decided.png'), fullPage: false });

  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
  const file = join(ART, 'sample-decisions.jsonl');
  await download.saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const pick = (l) => ({ article_id: l.article_id, record_key: l.record_key, decision: l.decision, field: l.field, value: l.value });
  assert.deepEqual(lines.map(pick).sort((a, b) => (a.decision < b.decision ? -1 : 1)), [
    { article_id: first.article, record_key: first.key, decision: 'accept', field: undefined, value: undefined },
    { article_id: first.article, record_key: first.key, decision: 'correct', field: 'host_org', value: 'Corrected "Org" <b>' },
    { article_id: second.article, record_key: second.key, decision: 'reject', field: undefined, value: undefined },
  ]);
  for (const l of lines) assert.match(l.at, /^\d{4}-\d\d-\d\dT/);

  // Decisions survive a reload (local storage), and filters narrow the list.
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  assert.match(await page.textContent('#summary'), /1 accepted · 1 rejected · 1 with corrections/);
  await page.selectOption('#f-status', 'reject');
  assert.deepEqual(await page.$$eval('.card', (cs) => cs.map((c) => c.dataset.key)), [second.key]);
  await page.selectOption('#f-status', '');
  const country = await page.$eval('#f-country option:nth-child(2)', (o) => o.value);
  await page.selectOption('#f-country', country);
  const places = await page.$$eval('.card .place', (ps) => ps.map((p) => p.textContent));
  assert.ok(places.length > 0 && places.every((p) => p.endsWith(', ' + country)), places.join('|'));
  await page.selectOption('#f-country', '');
  await page.fill('#f-min', '0.5');
  const low = await page.$$eval('.card .conf span:last-child', (xs) => xs.filter((x) => parseFloat(x.textContent) < 0.5).length);
  assert.equal(low, 0);

  assert.deepEqual(events.errors, []);
  assert.deepEqual(events.requests, [], 'the page makes no network requests');
  await context.close();

  // A fresh browser profile resumes the review from the downloaded file.
  const fresh = await open('sample.html');
  assert.match(await fresh.page.textContent('#summary'), /0 accepted · 0 rejected · 0 with corrections/);
  await fresh.page.setInputFiles('#import', file);
  await fresh.page.waitForFunction(() => document.getElementById('summary').textContent.includes('imported'));
  assert.match(await fresh.page.textContent('#summary'), /1 accepted · 1 rejected · 1 with corrections · imported 3$/);
  await fresh.context.close();
});

test('hostile page: markup and script URLs in the data never execute', async () => {
  const { context, page, events } = await open('hostile.html');
  const cards = await page.$$eval('.card', (cs) => cs.length);
  assert.equal(cards, 5);
  // Exercise the page: open every correction form, move through the list, click the (unlinked) URLs.
  for (let i = 0; i < cards; i++) {
    await page.keyboard.press('c');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
  }
  for (const u of await page.$$('.unsafe-url')) await u.click();
  // Clicking a map point filters the list to that place; the chip clears it.
  const circles = await page.$$('#map circle');
  assert.equal(circles.length, 5);
  await circles[0].click();
  assert.equal(await page.$$eval('.card', (cs) => cs.length), 1);
  await page.click('#f-point');
  assert.equal(await page.$$eval('.card', (cs) => cs.length), 5);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ART, 'hostile.png'), fullPage: true });

  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no payload ran');
  assert.deepEqual(events.dialogs, []);
  assert.deepEqual(events.errors, []);
  assert.deepEqual(events.requests, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'nothing even tried to run inline');
  assert.equal(await page.$$eval('script', (s) => s.length), 2, 'only the data and the page script');
  assert.equal(await page.$$eval('#list img, #list iframe, #list script, #list style, #list svg, #list b', (x) => x.length), 0);
  // No link at all: every URL in the hostile fixture is a script/data/vbscript URL.
  assert.equal(await page.$$eval('a[href]', (as) => as.length), 0);
  assert.equal(await page.$$eval('.unsafe-url', (x) => x.length), 5);
  // The markup is shown as text.
  const text = await page.textContent('#list');
  assert.ok(text.includes("<script>window.__pwned='script'</script>"));
  assert.ok(text.includes('<img src=x onerror="window.__pwned=\'img\'">'));
  assert.ok(text.includes('javascript:window.__pwned=\'href\''));
  await context.close();
});

test('stations page: decisions name the station', async () => {
  const { context, page, events } = await open('stations.html');
  assert.deepEqual(await page.$$eval('.card', (cs) => cs.map((c) => c.dataset.key)), ['st-nl-rotterdam', 'st-es-madrid']);
  assert.ok(await page.$$eval('.card .ev mark.hl-CITY', (m) => m.length) >= 2);
  await page.keyboard.press('a');
  await page.keyboard.press('r');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-download')]);
  const file = join(ART, 'stations-decisions.jsonl');
  await download.saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.station_id, l.record_key, l.decision, l.article_id]), [
    ['st-nl-rotterdam', 'st-nl-rotterdam', 'accept', undefined],
    ['st-es-madrid', 'st-es-madrid', 'reject', undefined],
  ]);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(events.errors, []);
  await page.screenshot({ path: join(ART, 'stations.png'), fullPage: false });
  await context.close();
});

test('10,000 records: time to interactive', async () => {
  const { context, page, events, wallMs } = await open('big.html');
  const m = await page.evaluate(() => ({
    ready: window.__outpostReview.ready,
    script: window.__outpostReview.scriptMs,
    items: window.__outpostReview.items,
    nav: performance.getEntriesByType('navigation')[0].toJSON(),
  }));
  assert.equal(m.items, 10000);
  // First interaction: accept the selected record; time until the page shows it, measured in the
  // page against the navigation start.
  await page.keyboard.press('a');
  await page.waitForSelector('.card .badge.accept');
  const interactiveMs = await page.evaluate(() => performance.now());
  await page.screenshot({ path: join(ART, 'big.png'), fullPage: false });
  const report = {
    records: m.items,
    html_bytes: readFileSync(join(PAGES, 'big.html')).length,
    ready_ms: Math.round(m.ready),
    script_ms: Math.round(m.script),
    dom_content_loaded_ms: Math.round(m.nav.domContentLoadedEventEnd),
    load_ms: Math.round(m.nav.loadEventEnd),
    first_interaction_done_ms: Math.round(interactiveMs),
    wall_goto_to_ready_ms: wallMs,
    target_ms: TTI_TARGET_MS,
  };
  writeFileSync(join(ART, 'tti.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`TTI 10000 records: ready ${report.ready_ms} ms after navigation start (script ${report.script_ms} ms), ` +
    `first keypress handled at ${report.first_interaction_done_ms} ms; wall ${wallMs} ms; target < ${TTI_TARGET_MS} ms`);
  assert.deepEqual(events.errors, []);
  assert.ok(report.ready_ms < TTI_TARGET_MS, `ready in ${report.ready_ms} ms`);
  await context.close();
});

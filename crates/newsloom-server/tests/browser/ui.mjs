// Drives the newsloom UI in Chromium: node ui.mjs <base-url> <screenshot-dir>
// Fails (exit 1) on any failed check, page error, console error (CSP violations included) or
// dialog (an alert from injected script).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { dyadMapAndToneChecks, mapToneAndFilterChecks } from './exposure.mjs';

const [base, shots, emptyBase] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node ui.mjs <base-url> <screenshot-dir>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const problems = [];
const notes = [];
const check = (ok, what) => {
  if (!ok) problems.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const api = async (path) => {
  const r = await fetch(base + path);
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15000);
  page.on('dialog', async (d) => {
    problems.push(`a dialog fired: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  // Stories.
  await page.goto(`${base}/#/`);
  await page.waitForSelector('#story-list li');
  const storyCount = await page.locator('#story-list > li').count();
  check(storyCount > 0, `stories page lists stories (${storyCount})`);
  await shot('stories');

  // The story holding both seeds: the one with the "NATO Reset" article.
  const arts = await api('/api/articles?limit=500');
  const reset = arts.items.find((a) => a.title.includes('NATO Reset'));
  check(!!reset && !!reset.story, 'the "NATO Reset" article is stored and clustered');
  const story = await api(`/api/stories/${encodeURIComponent(reset.story)}`);
  const seedTitles = ['Russian Foreign Ministry Appeals for NATO Reset',
    'Foreign Ministry: Russia ready to build relations with NATO on principle of equality'];
  for (const t of seedTitles) {
    check(story.articles.some((a) => a.title === t), `the seeds' story holds "${t}"`);
  }
  for (const outlet of ['The Moscow Times', 'TASS']) {
    check(story.articles.some((a) => a.source === outlet), `the seeds' story names the outlet ${outlet}`);
  }
  // Outlet comparison: what one outlet carried and the other left out.
  const cmp = story.comparison;
  const carriedBy = (items, pred) => items.filter(pred).flatMap((x) => x.outlets);
  // A compared quote names the first quote so keyed by its index in the story's quotes.
  const cmpQuotes = cmp.quotes.map((c) => ({ ...story.quotes[c.quote], outlets: c.outlets }));
  const peskov = carriedBy(cmpQuotes, (q) => (q.speaker || '').includes('Peskov'));
  check(peskov.includes('The Moscow Times') && !peskov.includes('TASS'), `Peskov's quote: carried by The Moscow Times only (${peskov})`);
  const shoigu = carriedBy(cmp.events, (e) => e.cameo.startsWith('11') && e.source_actor.startsWith('RUS'))
    .concat(carriedBy(cmpQuotes, (q) => (q.speaker || '').includes('Shoigu')));
  check(shoigu.includes('The Moscow Times') && !shoigu.includes('TASS'), `Shoigu's accusation: carried by The Moscow Times only (${shoigu})`);
  const summits = carriedBy(cmpQuotes, (q) => /Wales|Warsaw/.test(q.text));
  check(summits.includes('TASS') && !summits.includes('The Moscow Times'), `Wales/Warsaw summit complaints: carried by TASS only (${summits})`);
  await page.goto(`${base}/#/story/${encodeURIComponent(reset.story)}`);
  await page.waitForSelector('h1');
  const main = page.locator('main');
  for (const a of story.articles) {
    check(await main.getByText(a.title, { exact: true }).first().isVisible(), `story page shows article "${a.title}"`);
    check(await main.locator('.outlet h3', { hasText: a.source || '(unknown)' }).count() > 0, `story page shows outlet "${a.source || "(unknown)"}"`);
  }
  check(await page.locator('.timeline .dot').count() === story.articles.length, 'timeline has a dot per article');
  check(await page.locator('table.compare, .empty').count() > 0, 'outlet comparison is shown');
  // Quotes and events name their article by id; the page links each to its article's title.
  check(await page.locator('li.quote').count() === story.quotes.length, `the story page lists its ${story.quotes.length} quotes`);
  const quoted = story.quotes[0] && story.articles.find((a) => a.id === story.quotes[0].span.article);
  check(!quoted || await page.locator('li.quote').first().getByText(quoted.title, { exact: true }).count() > 0,
    "the first quote links its article's title");
  await shot('story');
  await mapToneAndFilterChecks(page, reset.story, check, api, base, shot);

  // Stories seen on one day, through the range form: the seeds' story was seen on 2017-01-04.
  await page.goto(`${base}/#/stories`);
  await page.waitForSelector('#story-list li');
  await page.fill('#from', '2017-01-04');
  await page.fill('#to', '2017-01-04');
  await page.click('.range-form button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('from=2017-01-04') && location.hash.includes('to=2017-01-04'));
  await page.waitForSelector('#story-list li, .empty');
  const ranged = await api('/api/stories?from=2017-01-04&to=2017-01-04&limit=200');
  check(ranged.items.some((s) => s.id === story.story.id), "the API's range holds the seeds' story");
  check(ranged.items.every((s) => s.first_seen <= '2017-01-04' && s.last_seen >= '2017-01-04'), 'every story in the range was seen on that day');
  check(await page.locator('#story-list > li').count() === Math.min(ranged.items.length, 30), 'the page lists the stories of the range');
  check(await page.locator('#story-list').getByText(story.story.title, { exact: true }).count() > 0, "the seeds' story is listed for 2017-01-04");
  check(!/\bnull\b/.test(await page.locator('main').innerText()), 'no stray "null" on the page');
  await shot('stories-range');
  await page.goto(`${base}/#/story/${encodeURIComponent(reset.story)}`);
  await page.waitForSelector('.timeline');

  // An entity of the story, through its chip.
  const entityLink = page.locator('.story .chips a').first();
  if (await entityLink.count()) {
    const name = await entityLink.textContent();
    await entityLink.click();
    await page.waitForSelector('h1');
    check((await page.locator('h1').textContent()) === name, `entity page for "${name}"`);
    await shot('entity');
    await page.goBack();
    await page.waitForSelector('.timeline');
  } else {
    notes.push('the story has no entities: entity page not exercised');
  }

  // Article page from the story, via keyboard-reachable link.
  await main.getByText(reset.title, { exact: true }).first().click();
  await page.waitForSelector('#article-body');
  check((await page.locator('#article-title').textContent()) === reset.title, 'article page shows its title');
  const marks = await page.locator('#article-body mark').count();
  notes.push(`article page highlights ${marks} spans`);
  await shot('article');

  // The status page on a server that watches no scale-out pipeline says how to get one.
  await page.goto(`${base}/#/status`);
  await page.waitForSelector('main .empty, #cluster-status');
  check((await page.locator('main').textContent()).includes('--nats'), 'status page explains --nats');

  // Dyad RUS/NATO as asked; then a pair that has dated events, to see the chart with points.
  const rusNato = await api('/api/dyad?a=RUS&b=NATO&period=day');
  await page.goto(`${base}/#/dyad?a=RUS&b=NATO&period=day`);
  await page.waitForSelector('#dyad-table, .empty');
  if (rusNato.points.length) {
    check(await page.locator('#dyad-chart').count() === 1, 'RUS/NATO chart is drawn');
    check(await page.locator('#dyad-table tbody tr').count() === rusNato.points.length, 'RUS/NATO table has a row per point');
    await dyadMapAndToneChecks(page, check, api);
  } else {
    check(await page.locator('.empty', { hasText: 'No dated events' }).count() === 1, 'RUS/NATO shows its empty state');
    notes.push('RUS/NATO: no dated events between these codes in this store: empty state shown');
    await shot('dyad-rus-nato');
    // The empty state offers the actor codes of entities named like what was typed.
    const suggestion = page.locator('a.suggestion').first();
    if (await suggestion.count()) {
      const code = await suggestion.textContent();
      await suggestion.click();
      await page.waitForSelector('#dyad-table, .empty');
      const series = await api(`/api/dyad?a=RUS&b=${encodeURIComponent(code)}&period=day`);
      const rows = await page.locator('#dyad-table tbody tr').count();
      check(rows === series.points.length, `the suggested code ${code} shows its ${rows} points`);
      notes.push(`RUS/NATO: the empty state suggested ${code}; RUS/${code} has ${rows} points`);
    }
  }
  await shot('dyad-rus-nato');
  const events = await api('/api/events?limit=50');
  const dated = events.items.map((e) => e.event).filter((e) => e.target_actor && e.date);
  const pair = dated.find((e) => e.source_actor.startsWith('RUS')) || dated[0];
  if (pair) {
    const series = await api(`/api/dyad?a=${pair.source_actor}&b=${pair.target_actor}&period=day`);
    await page.goto(`${base}/#/dyad?a=${pair.source_actor}&b=${pair.target_actor}&period=day`);
    await page.waitForSelector('#dyad-chart');
    const rows = await page.locator('#dyad-table tbody tr').count();
    check(rows === series.points.length && rows > 0, `dyad ${pair.source_actor}/${pair.target_actor} renders ${rows} points`);
    // Click the first bar on the canvas: the events of that period are listed with sentences.
    const pos = await page.evaluate(() => {
      const chart = window.Chart.getChart('dyad-chart');
      for (let d = 0; d < 4; d++) {
        const bar = chart.getDatasetMeta(d).data[0];
        if (bar && chart.data.datasets[d].data[0] > 0) return { x: bar.x, y: (bar.y + bar.base) / 2 };
      }
      return null;
    });
    check(!!pos, 'the chart has a bar to click');
    if (pos) {
      await page.locator('#dyad-chart').click({ position: pos });
      await page.waitForSelector('#dyad-events li');
      const listed = await page.locator('#dyad-events li').count();
      check(listed === series.points[0].events, `clicking the first bar lists its ${series.points[0].events} events`);
      check(await page.locator('#dyad-events .sentence').count() > 0, 'events show their source sentences');
    }
    await shot('dyad-chart');
  } else {
    notes.push('no event with a target and a date: chart with points not exercised');
  }

  // Search through the header box.
  await page.goto(`${base}/#/`);
  await page.waitForSelector('#story-list li');
  await page.fill('#quick-q', 'NATO');
  await page.press('#quick-q', 'Enter');
  await page.waitForSelector('#hits li');
  const hits = await page.locator('#hits > li').count();
  check(hits > 0, `search for NATO lists ${hits} hits`);
  check(await page.locator('#hits mark').count() > 0, 'snippets highlight the matched words');
  await shot('search');

  // The article titled with a script tag: shown as text, never run.
  const evil = '<script>alert(1)</script>';
  const found = arts.items.find((a) => a.title === evil);
  check(!!found, 'the script-titled article is stored');
  if (found) {
    await page.goto(`${base}/#/article/${encodeURIComponent(found.id)}`);
    await page.waitForSelector('#article-title');
    check((await page.locator('#article-title').textContent()) === evil, 'the script title is shown as text');
    await page.goto(`${base}/#/search?q=${encodeURIComponent('alert')}`);
    await page.waitForSelector('#hits li, .empty');
    await page.goto(`${base}/#/story/${encodeURIComponent(found.story)}`);
    await page.waitForSelector('h1');
    check((await page.locator('main').getByText(evil, { exact: true }).count()) > 0, 'its story page shows the title as text');
    await shot('script-title');
  }
  if (emptyBase) {
    await page.goto(`${emptyBase}/#/`);
    await page.waitForSelector('.empty');
    check(await page.locator('.empty', { hasText: 'No articles yet' }).count() === 1, 'an empty store shows its empty state');
    await shot('empty-store');
  }
  await page.waitForTimeout(200);
} catch (e) {
  problems.push(`error: ${e.message}`);
} finally {
  await browser.close();
}
for (const n of notes) console.log(`note ${n}`);
if (problems.length) {
  console.log(`\n${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('all browser checks passed');

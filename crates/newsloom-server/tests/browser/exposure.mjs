// Browser checks of the story map (Leaflet, offline outlines), the tone charts (inline SVG)
// and the article filters; called by ui.mjs with its page and helpers.

/// On a story page already loaded: its map has a marker per resolved place and its tone chart
/// a point per period; then the article list filtered by country and tone.
export async function mapToneAndFilterChecks(page, storyId, check, api, base, shot) {
  const places = await api(`/api/places?story=${encodeURIComponent(storyId)}&limit=200`);
  check(places.length > 0, `the seeds' story names ${places.length} resolved places`);
  if (places.length) {
    await page.waitForSelector('#story-map.leaflet-container .nl-place');
    const markers = await page.locator('#story-map .nl-place').count();
    check(markers === places.length, `the story map has a marker per place (${markers} of ${places.length})`);
    const outlines = await page.locator('#story-map .leaflet-overlay-pane path:not(.nl-marker)').count();
    check(outlines > 100, `the offline country outlines are drawn (${outlines} shapes)`);
    check(await page.locator('#story-map img.leaflet-tile').count() === 0, 'no tiles are loaded without --tiles');
    // A marker's tooltip names its place, as text.
    await page.locator('#story-map .nl-place').first().hover({ force: true });
    const tip = await page.locator('.leaflet-tooltip').first().textContent({ timeout: 3000 }).catch(() => '');
    check(places.some((p) => tip.includes(p.name)), `hovering a marker shows its place (${tip})`);
  }
  const tone = await api(`/api/tone?story=${encodeURIComponent(storyId)}&period=day`);
  check(tone.points.length > 0, `the seeds' story has a tone series (${tone.points.length} days)`);
  if (tone.points.length) {
    check(await page.locator('#story-tone path.tone-line').count() === 1, 'the story tone chart draws its line');
    const dots = await page.locator('#story-tone circle.tone-point').count();
    check(dots === tone.points.length, `the story tone chart has a point per day (${dots})`);
  }
  await page.locator('#story-map').scrollIntoViewIfNeeded().catch(() => {});
  await shot('story-map-tone');

  // The article list filtered by country and tone, as the API filters it.
  const tones = [];
  const all = await api('/api/articles?limit=200');
  for (const a of all.items.slice(0, 12)) {
    const d = await api(`/api/articles/${encodeURIComponent(a.id)}`);
    if (d.analysis.tone) tones.push(d.analysis.tone.tone);
  }
  const cut = tones.sort((x, y) => x - y)[Math.floor(tones.length / 2)] ?? 0;
  const want = await api(`/api/articles?country=RU&tone_max=${cut}&limit=30`);
  await page.goto(`${base}/#/articles`);
  await page.waitForSelector('#article-filters');
  await page.fill('#f-country', 'RU');
  await page.fill('#f-tone_max', String(cut));
  await page.click('#article-filters button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('country=RU'));
  await page.waitForSelector('#article-list li, main .empty');
  const listed = await page.locator('#article-list > li').count();
  check(listed === want.items.length, `country RU and tone ≤ ${cut} list ${listed} articles, as the API (${want.items.length})`);
  check(want.items.length < all.items.length, 'the filters narrow the list');
  await shot('articles-filtered');
}

/// On the RUS/NATO dyad page: the events map and the coverage's tone chart.
export async function dyadMapAndToneChecks(page, check, api) {
  const events = await api('/api/events?actor=RUS&target=NATO&both=true&limit=200');
  const located = events.items.filter((x) => x.event.action_geo).length;
  const drawn = located ? (await page.waitForSelector('#dyad-map .nl-event'), await page.locator('#dyad-map .nl-event').count()) : 0;
  check(drawn === located, `the dyad map marks its ${located} located events (${drawn})`);
  const tone = await api('/api/tone?a=RUS&b=NATO&period=day');
  const dots = await page.locator('#dyad-tone circle.tone-point').count();
  check(dots === tone.points.length, `the dyad tone chart has a point per day (${dots} of ${tone.points.length})`);
}

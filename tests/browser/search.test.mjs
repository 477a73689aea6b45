// The main flows with JavaScript on: search, filters, sorting, paging,
// articles, zero results, and facet counts equal to /api/search.
// Fixture corpus: 8 articles (tests/fixtures/corpus).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, url, api, here, htmlFacets, apiFacets, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const status = (page) => page.locator(STATUS).textContent();

test('typing a query and submitting shows the results', async () => {
  const page = await newPage(browser);
  await page.goto(url('/'));
  const box = page.locator('#q');
  await box.click();
  await box.pressSequentially('Hörgerät', { delay: 20 });
  await Promise.all([page.waitForURL(/\/suche\?/), box.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'Hörgerät');
  assert.equal((await status(page)).trim(), '1 Eintrag gefunden');
  assert.equal(await page.locator('#q-top').inputValue(), 'Hörgerät', 'the box keeps the query');
  const hit = page.locator('ol.hits > li').first();
  assert.equal((await hit.locator('h3 a').textContent()).trim(), 'Das Hörgerät im Büro');
  assert.match(await hit.locator('.meta').textContent(), /Arbeitsplatzgestaltung und Hilfsmittel · Stand 01\.03\.2026/);
  assert.ok(await hit.locator('.snippet mark').count() > 0, 'matched words are marked');
  assert.deepEqual(page.problems, []);
});

test('choosing and removing filters changes the URL and the counts', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche'));
  assert.equal((await status(page)).trim(), '8 Einträge gefunden');
  const before = await htmlFacets(page);

  await Promise.all([
    page.waitForURL(/type=recht/),
    page.locator('nav.facets a', { hasText: 'Rechtliche Ansprüche' }).click(),
  ]);
  assert.equal(here(page), '/suche?type=recht');
  assert.equal((await status(page)).trim(), '2 Einträge gefunden');
  const chosen = await htmlFacets(page);
  assert.notDeepEqual(chosen['Zielgruppe'], before['Zielgruppe'], 'other facets are recounted');
  assert.equal(chosen['Art des Artikels']['Praxisbeispiel'], 1, 'the chosen facet keeps its alternatives');
  const active = page.locator('nav.facets a.on');
  assert.equal(await active.count(), 1);
  assert.equal(await active.getAttribute('aria-current'), 'true');

  // Values of one facet OR, facets AND.
  await Promise.all([
    page.waitForURL(/type=bem/),
    page.locator('nav.facets a', { hasText: 'Betriebliches Eingliederungsmanagement' }).click(),
  ]);
  assert.equal((await status(page)).trim(), '3 Einträge gefunden');
  await Promise.all([
    page.waitForURL(/audience=sbv/),
    page.locator('nav.facets a', { hasText: 'Schwerbehindertenvertretung' }).click(),
  ]);
  assert.equal(here(page), '/suche?type=recht&type=bem&audience=sbv');
  assert.equal((await status(page)).trim(), '2 Einträge gefunden');

  // A chosen filter shows as a removable chip.
  const chip = page.locator('.chosen a.chip', { hasText: 'Schwerbehindertenvertretung' });
  assert.match(await chip.textContent(), /entfernen/);
  await Promise.all([page.waitForURL((u) => !u.search.includes('audience')), chip.click()]);
  assert.equal(here(page), '/suche?type=recht&type=bem');
  assert.equal((await status(page)).trim(), '3 Einträge gefunden');
  await Promise.all([
    page.waitForURL((u) => u.search === ''),
    page.locator('.chosen a.reset').click(),
  ]);
  assert.equal((await status(page)).trim(), '8 Einträge gefunden');
  assert.deepEqual(await htmlFacets(page), before);
});

test('paging walks through all results without repeating one', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?per_page=3'));
  const ids = async () => page.$$eval('ol.hits h3 a', (as) => as.map((a) => a.getAttribute('href')));
  const seen = [...(await ids())];
  assert.equal(seen.length, 3);
  assert.match(await page.locator('nav.pages').textContent(), /Seite 1 von 3/);
  for (const n of [2, 3]) {
    await Promise.all([
      page.waitForURL(new RegExp(`page=${n}`)),
      page.locator('nav.pages a[rel=next]').click(),
    ]);
    assert.match(here(page), /per_page=3/);
    assert.equal(await page.locator('nav.pages a[aria-current=page]').textContent(), `Seite ${n}`);
    assert.equal(await page.locator('ol.hits').getAttribute('start'), String((n - 1) * 3 + 1));
    seen.push(...(await ids()));
  }
  assert.equal(seen.length, 8);
  assert.equal(new Set(seen).size, 8);
  assert.equal(await page.locator('nav.pages a[rel=next]').count(), 0);
  await Promise.all([page.waitForURL(/page=2/), page.locator('nav.pages a[rel=prev]').click()]);
});

test('sorting by date lists the newest Stand first', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=Arbeitsplatz'));
  await Promise.all([
    page.waitForURL(/sort=updated/),
    page.locator('.sort a', { hasText: 'neueste zuerst' }).click(),
  ]);
  const dates = await page.$$eval('ol.hits time', (ts) => ts.map((t) => t.getAttribute('datetime')));
  assert.ok(dates.length > 1);
  assert.deepEqual(dates, [...dates].sort().reverse());
  assert.equal(await page.locator('.sort a[aria-current]').textContent(), 'neueste zuerst');
});

test('an article opens with metadata, related articles and a way back', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=Eingliederungsmanagement'));
  const results = here(page);
  await Promise.all([page.waitForURL(/\/artikel\//), page.locator('ol.hits h3 a').first().click()]);
  assert.equal(here(page), '/artikel/bem-grundlagen');
  assert.equal(await page.locator('h1').textContent(), 'Betriebliches Eingliederungsmanagement');
  const facts = await page.locator('dl.facts').textContent();
  for (const want of ['Art', 'Stand', '01.05.2026', 'Zielgruppe', 'Schwerbehindertenvertretung', 'Rechtsgrundlagen', '§ 167 Abs. 2 SGB IX']) {
    assert.ok(facts.includes(want), `facts show ${want}`);
  }
  assert.ok(await page.locator('.body p').count() > 0, 'the Markdown is rendered');
  assert.match(await page.locator('#h-rel + ul').textContent(), /Aufgaben der Schwerbehindertenvertretung/);
  assert.ok(await page.locator('#h-sim + ul li').count() > 0, 'Ähnliche Artikel');

  // Structured data for search engines, allowed by the CSP (no errors).
  const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld['@type'], 'Article');
  assert.equal(ld.headline, 'Betriebliches Eingliederungsmanagement');
  assert.equal(ld.dateModified, '2026-05-01');
  assert.equal(ld.inLanguage, 'de');

  // Breadcrumbs lead back to the search the reader came from.
  const back = page.locator('nav.crumbs a.back');
  assert.equal(await back.textContent(), 'Suche „Eingliederungsmanagement“');
  await Promise.all([page.waitForURL(/\/suche/), back.click()]);
  assert.equal(here(page), results);
  assert.deepEqual(page.problems, []);
});

test('zero results explain themselves', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=H%C3%B6rger%C3%A4t&type=recht'));
  assert.equal((await status(page)).trim(), 'Kein Eintrag gefunden');
  const way = page.locator('.zero a', { hasText: 'ohne Filter Rechtliche Ansprüche: 1 Eintrag' });
  await Promise.all([page.waitForURL((u) => !u.search.includes('type=')), way.click()]);
  assert.equal((await status(page)).trim(), '1 Eintrag gefunden');

  await page.goto(url('/suche?q=Xyzzy+Plugh+Quux'));
  assert.equal((await status(page)).trim(), 'Kein Eintrag gefunden');
  assert.match(await page.locator('.zero').textContent(), /Tipps/);

  // No record has the compounds or all their parts: records with a part
  // are shown, and the page says so.
  await page.goto(url('/suche?q=Sprachbehinderung+Telefonzelle+xyzzy'));
  assert.match((await status(page)).trim(), /^[1-9]\d* Einträge? gefunden$/);
  assert.match(await page.locator('.note').first().textContent(), /einen Teil davon/);

  await page.goto(url('/suche?q=Eingliederungsmanagment'));
  assert.match(await page.locator('.note').first().textContent(), /Gezeigt werden Ergebnisse für „eingliederungsmanagement“/i);
  const exact = page.locator('.note a', { hasText: 'Trotzdem' });
  await Promise.all([page.waitForURL(/exakt=1/), exact.click()]);
  assert.equal((await status(page)).trim(), 'Kein Eintrag gefunden');
  assert.match(await page.locator('.zero').textContent(), /Meinten Sie/);
});

test('facet counts in the HTML equal /api/search for the same URL', async () => {
  const page = await newPage(browser);
  for (const qs of ['', '?type=anpassung', '?q=Arbeitsplatz&audience=arbeitgeber',
    '?type=recht&type=bem&audience=sbv', '?norm=SGB+IX&sort=updated', '?q=H%C3%B6rger%C3%A4t&type=recht']) {
    await page.goto(url('/suche' + qs));
    const json = await api('/api/search' + qs);
    assert.deepEqual(await htmlFacets(page), apiFacets(json), qs);
    const shown = (await status(page)).trim();
    assert.equal(shown, json.total ? `${json.total} ${json.total === 1 ? 'Eintrag' : 'Einträge'} gefunden` : 'Kein Eintrag gefunden', qs);
  }
});

test('every search links its Atom feed', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=BEM&audience=sbv&page=1'));
  const feed = await page.locator('link[rel=alternate][type="application/atom+xml"]').getAttribute('href');
  assert.equal(feed, '/feed.xml?q=BEM&audience=sbv');
  assert.equal(await page.locator('a.feed-link').getAttribute('href'), feed);
  const r = await fetch(url(feed));
  assert.match(r.headers.get('content-type'), /application\/atom\+xml/);
  const xml = await r.text();
  assert.match(xml, /<entry>/);
  assert.match(xml, /\/artikel\/bem-grundlagen<\/id>/);
});

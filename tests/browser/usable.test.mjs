// A site people can use on a phone, by keyboard and with a screen reader
// (issue #12): axe at 1280 and 375 px on every page kind, key presses
// from the search box to the first result, skip links, the count in the
// title, the first paragraph of every record on a phone's first screen,
// no horizontal scroll at 320 px, scrollable tables, folded facts, and
// the same pages without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, url, corpusUrl, CORPUS_BASE, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 900 };
// A 375 px phone (iPhone 8 size); its first screen is 667 px high.
const PHONE = { width: 375, height: 667 };
const NARROW = { width: 320, height: 640 };

// Every page kind, on the real corpus (all kinds of record).
const PAGES = {
  start: '/',
  results: '/suche?q=BEM',
  'results with filters': '/suche?q=Arbeitsplatz&kind=artikel',
  'zero results': '/suche?q=xyzzyq',
  'zero results with a filter': '/suche?q=H%C3%B6rger%C3%A4t&type=recht',
  'page past the end': '/suche?q=BEM&page=999',
  'article with tables and contents': '/artikel/freistellung-kind-krank-ueberblick',
  article: '/artikel/bem-grundlagen',
  decision: '/urteil/bag-2-azr-716-06',
  'glossary term': '/begriff/begriff-gleichstellung',
  'contact point': '/anlaufstelle/bundesagentur-fuer-arbeit',
};

function describe(violations) {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n');
}

for (const [viewport, name] of [[DESKTOP, '1280'], [PHONE, '375']]) {
  test(`axe finds no WCAG 2.1 A/AA violations on any page kind at ${name} px`, async () => {
    const page = await newPage(browser, { viewport });
    for (const [kind, path] of Object.entries(PAGES)) {
      const response = await page.goto(corpusUrl(path));
      if (response.status() === 404) {
        // The page past the end is a 404 on purpose; the browser logs it.
        assert.equal(kind, 'page past the end');
        page.problems = page.problems.filter((p) => !/status of 404/.test(p));
      }
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.equal(result.violations.length, 0, `${kind} (${path}):\n${describe(result.violations)}`);
      // Open the folded boxes too: their content is checked as well.
      const folded = await page.locator('details.fold > summary:visible').all();
      if (folded.length === 0) continue;
      for (const s of folded) await s.click();
      const open = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.equal(open.violations.length, 0, `${kind} opened (${path}):\n${describe(open.violations)}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

// Tab presses from the search box until the focus is in the first hit.
async function tabsToFirstHit(page) {
  await page.locator('#q-top').focus();
  for (let n = 1; n <= 40; n++) {
    await page.keyboard.press('Tab');
    const inFirst = await page.evaluate(() => {
      const first = document.querySelector('ol.hits > li');
      return !!first && first.contains(document.activeElement);
    });
    if (inFirst) return n;
  }
  return Infinity;
}

test('the first result is at most 5 Tab presses from the search box', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(browser, { viewport });
    // Fixture corpus, and the real one where "BEM" also shows its
    // definition box (two more links) above the results.
    // Chosen filters are named above the hits as text; their removal
    // links are in the filter panel, after the hits.
    for (const where of [url('/suche?q=BEM'), url('/suche?q=Arbeitsplatz'), corpusUrl('/suche?q=BEM'),
      corpusUrl('/suche?q=Kinderkrankentage'), corpusUrl('/suche?q=Gleichstellung'),
      corpusUrl('/suche?q=BEM&type=recht&audience=arbeitgeber'),
      corpusUrl('/suche?q=Arbeitsplatz&type=anpassung&type=foerderung&audience=arbeitgeber')]) {
      await page.goto(where);
      const n = await tabsToFirstHit(page);
      assert.ok(n <= 5, `${where} at ${viewport.width} px: ${n} Tab presses`);
    }
    await page.context().close();
  }
});

test('skip links lead to the results and to the filters', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(browser, { viewport });
    await page.goto(url('/suche?q=Arbeitsplatz'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip', { hasText: 'Zu den Ergebnissen' });
    assert.ok(await skip.evaluate((e) => e === document.activeElement), 'the second stop');
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 0, 'visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ergebnisse');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('.results')));
    // The filters: reached by their own skip link, after the hits.
    await page.goto(url('/suche?q=Arbeitsplatz'));
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal((await page.evaluate(() => document.activeElement.textContent)).trim(), 'Zu den Filtern');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'filter');
    const hits = await page.locator('ol.hits').boundingBox();
    const facets = await page.locator('nav.facets').boundingBox();
    if (viewport === PHONE) assert.ok(facets.y > hits.y + hits.height - 1, 'on a phone the filters follow the hits');
    else assert.ok(facets.x > hits.x, 'on a wide screen they stand beside the hits');
    await page.context().close();
  }
});

test('the count is in the title and in a polite live region', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=BEM'));
  assert.equal(await page.title(), 'BEM – 1 Treffer – teilhabe');
  const status = page.locator(STATUS);
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.equal((await status.textContent()).trim(), '1 Eintrag gefunden');
  await page.goto(url('/suche?q=xyzzyq'));
  assert.equal(await page.title(), 'xyzzyq – keine Treffer – teilhabe');
  assert.equal(await page.locator('nav.facets').count(), 0, 'no empty filter panel');
  await page.context().close();
});

test('keyboard focus is visible on every stop of a results page', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(browser, { viewport });
    await page.goto(corpusUrl('/suche?q=Arbeitsassistenz'));
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return { tag: e.tagName, text: e.textContent.trim().slice(0, 40), outline: s.outlineStyle,
          width: parseFloat(s.outlineWidth), visible: r.width > 0 && r.height > 0 };
      });
      assert.ok(f.outline !== 'none' && f.width >= 2, `${f.tag} "${f.text}" at ${viewport.width} px: no focus outline`);
      assert.ok(f.visible, `${f.tag} "${f.text}" is focused but not on screen`);
    }
    await page.context().close();
  }
});

test('at 375 px the first paragraph of every record is on the first screen', async () => {
  const xml = await (await fetch(corpusUrl('/sitemap-1.xml'))).text();
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)]
    .map((m) => new URL(m[1]).pathname)
    .filter((p) => /^\/[a-z]+\/[^/]+$/.test(p) && !p.startsWith('/suche'));
  const articles = paths.filter((p) => p.startsWith('/artikel/'));
  assert.ok(articles.length > 100, `${articles.length} articles in the sitemap`);
  const page = await newPage(browser, { viewport: PHONE });
  const late = [];
  let checked = 0;
  for (const path of paths) {
    await page.goto(CORPUS_BASE + path, { waitUntil: 'domcontentloaded' });
    const r = await page.evaluate(() => {
      // A record in Leichter Sprache opens with that box: its first
      // sentence is the text such readers start with.
      const p = document.querySelector('article .easy-box p, article .body > p');
      if (!p) return null;
      const box = p.getBoundingClientRect();
      const line = parseFloat(getComputedStyle(p).lineHeight) || 24;
      return { bottomOfFirstLine: box.top + line, scrolled: window.scrollY };
    });
    if (r === null) continue; // a record whose body opens with a list or table
    checked++;
    if (r.scrolled !== 0 || r.bottomOfFirstLine > PHONE.height) late.push(`${path}: ${Math.round(r.bottomOfFirstLine)} px`);
  }
  assert.ok(checked >= articles.length * 0.9, `${checked} of ${paths.length} records checked`);
  assert.deepEqual(late, [], 'records whose text starts below the first screen');
  await page.context().close();
});

test('no horizontal page scroll at 320 px', async () => {
  const page = await newPage(browser, { viewport: NARROW });
  for (const path of Object.values(PAGES)) {
    await page.goto(corpusUrl(path));
    for (const s of await page.locator('details.fold > summary:visible').all()) await s.click();
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${path}: ${scroll} > ${client}`);
  }
  await page.context().close();
});

test('a wide table scrolls in its labelled box, by keyboard too', async () => {
  const page = await newPage(browser, { viewport: PHONE });
  await page.goto(corpusUrl(PAGES['article with tables and contents']));
  const wrap = page.locator('.table-wrap').first();
  assert.equal(await wrap.getAttribute('role'), 'region');
  assert.match(await wrap.getAttribute('aria-label'), /^Tabelle 1: /);
  const size = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  assert.ok(size.scroll > size.client, 'the table is wider than the phone');
  await wrap.focus();
  const outline = await wrap.evaluate((e) => getComputedStyle(e).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused box shows it');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((e) => e.scrollLeft > 0, await wrap.elementHandle());
  // The shadow cue: a background painted over the box's edges.
  assert.match(await wrap.evaluate((e) => getComputedStyle(e).backgroundImage), /gradient/);
  await page.context().close();
});

test('facts and contents are folded on a phone and open on a wide screen', async () => {
  const path = PAGES['article with tables and contents'];
  const phone = await newPage(browser, { viewport: PHONE });
  await phone.goto(corpusUrl(path));
  assert.ok(await phone.locator('.facts-line').isVisible());
  assert.ok(await phone.locator('dl.facts').isHidden(), 'the facts box is folded');
  assert.ok(await phone.locator('nav.toc ol').isHidden(), 'the contents are folded');
  await phone.locator('details.facts-more > summary').click();
  assert.ok(await phone.locator('dl.facts').isVisible());
  await phone.locator('nav.toc summary').click();
  const links = phone.locator('nav.toc ol a');
  assert.ok(await links.count() > 3);
  const target = await links.nth(1).getAttribute('href');
  await links.nth(1).click();
  assert.equal(new URL(phone.url()).hash, target);
  const heading = await phone.locator(target).boundingBox();
  assert.ok(heading.y >= -1 && heading.y < 100, `the section is at the top (${heading.y})`);
  await phone.context().close();

  const wide = await newPage(browser, { viewport: DESKTOP });
  await wide.goto(corpusUrl(path));
  assert.ok(await wide.locator('dl.facts').isVisible(), 'open on a wide screen');
  assert.ok(await wide.locator('nav.toc ol').isVisible());
  assert.ok(await wide.locator('details.facts-more > summary').isHidden(), 'nothing to unfold');
  await wide.context().close();
});

test('without JavaScript: results, a page past the end and folded facts work', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(corpusUrl('/suche?q=BEM&page=999'));
  assert.match(await page.title(), /^BEM – \d+ Treffer – Seite 999 gibt es nicht – teilhabe$/);
  assert.equal((await page.locator('.zero h3').textContent()).trim(), 'Seite 999 gibt es nicht');
  await Promise.all([page.waitForURL(/page=\d+$/), page.locator('a', { hasText: 'Zur letzten Seite' }).click()]);
  const last = Number(new URL(page.url()).searchParams.get('page'));
  assert.ok(last > 1 && last < 999);
  assert.ok(await page.locator('ol.hits > li').count() > 0, 'the last page has hits');
  assert.equal(await page.locator('nav.pages li a[rel=next]').count(), 0, 'and no next page');
  await Promise.all([page.waitForURL(/\/(artikel|begriff|urteil)\//), page.locator('ol.hits h3 a').first().click()]);
  assert.ok(await page.locator('dl.facts').isHidden());
  await page.locator('details.facts-more > summary').click();
  assert.ok(await page.locator('dl.facts').isVisible(), '<details> opens without JavaScript');
  await context.close();
});

// SPDX-License-Identifier: GPL-2.0-or-later
// The pages a German site must have and the pages in Leichte Sprache and
// about sign language (web/page_legal.c, web/page_easy.c), and an article
// with its Leichte Sprache box: axe finds no WCAG 2.1 A/AA violation at
// 1280 and 375 px, nothing scrolls sideways at 320 px, and they are
// reached from every page's footer without JavaScript.  On the real
// corpus, whose server runs without a [site] configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, corpusUrl, CORPUS_BASE } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGES = [
  '/impressum',
  '/datenschutz',
  '/barrierefreiheit',
  '/kontakt',
  '/kontakt?eintrag=artikel/kinderkrankengeld',
  '/leichte-sprache',
  '/gebaerdensprache',
  // An article with its box "In Leichter Sprache" (and no table: wide
  // tables on phones are issue #12's article layout, tested with it).
  '/artikel/gleichstellung',
];
const WIDTHS = [{ width: 1280, height: 900 }, { width: 375, height: 812 }];

function describeViolations(violations) {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n');
}

for (const viewport of WIDTHS) {
  test(`axe finds no violations on the legal and easy-read pages at ${viewport.width} px`, async () => {
    const page = await newPage(browser, { viewport });
    const external = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(CORPUS_BASE) && !r.url().startsWith('data:')) external.push(r.url());
    });
    for (const path of PAGES) {
      const response = await page.goto(corpusUrl(path));
      assert.equal(response.status(), 200, path);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.equal(result.violations.length, 0, `${path}:\n${describeViolations(result.violations)}`);
      assert.ok(result.passes.length > 10, 'axe ran its rules');
    }
    assert.deepEqual(external, [], 'no request to another host');
    assert.deepEqual(page.problems, [], 'no console errors, CSP violations included');
    await page.context().close();
  });
}

test('the legal and easy-read pages fit 320 px without horizontal scrolling', async () => {
  const page = await newPage(browser, { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 });
  for (const path of PAGES) {
    await page.goto(corpusUrl(path));
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${path} at 320 px: ${scroll} > ${client}`);
  }
  await page.context().close();
});

test('without JavaScript the footer of start, record and results pages leads to every page', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  const targets = {
    Impressum: 'Impressum',
    Datenschutz: 'Datenschutzerklärung',
    Barrierefreiheit: 'Erklärung zur Barrierefreiheit',
    Kontakt: 'Kontakt',
    'Leichte Sprache': 'Leichte Sprache',
    Gebärdensprache: 'Deutsche Gebärdensprache (DGS)',
  };
  for (const from of ['/', '/artikel/bem-grundlagen', '/suche?q=BEM']) {
    for (const [link, heading] of Object.entries(targets)) {
      await page.goto(corpusUrl(from));
      await page.locator('footer nav').getByRole('link', { name: link, exact: true }).click();
      assert.equal(await page.locator('h1').innerText(), heading, `${from} -> ${link}`);
    }
  }
  // "Fehler melden" from a record leads to its report, by keyboard too.
  await page.goto(corpusUrl('/artikel/kinderkrankengeld'));
  await page.getByRole('link', { name: 'Fehler in diesem Eintrag melden' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/kontakt\?eintrag=artikel\/kinderkrankengeld$/);
  assert.match(await page.locator('main').innerText(), /Fehler in diesem Eintrag melden/);
  await page.context().close();
});

test('the start page shows Leichte Sprache and Gebärdensprache in the first screen at 375 px', async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 812 } });
  await page.goto(corpusUrl('/'));
  for (const name of ['Leichte Sprache', 'Gebärdensprache (DGS)']) {
    const link = page.locator('main nav.easy-links').getByRole('link', { name, exact: true });
    const box = await link.boundingBox();
    assert.ok(box && box.y + box.height <= 812, `${name} is visible without scrolling`);
  }
  await page.context().close();
});

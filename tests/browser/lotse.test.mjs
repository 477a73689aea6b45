// SPDX-License-Identifier: GPL-2.0-or-later
// The guided path (/lotse) and the templates (/vorlagen) in a real
// browser on the real corpus: walked by clicking, with and without
// JavaScript, at 1280 and 375 px; axe-core finds no WCAG 2.1 A/AA
// violation on any of their pages; the result and a template print.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, CORPUS_BASE } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = [1280, 375];
const u = (p) => CORPUS_BASE + p;

function describe(violations) {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n');
}

// Walks the path by clicking its links; returns the result page.
async function walk(page) {
  await page.goto(u('/lotse'));
  await Promise.all([page.waitForURL(/rolle=vertretung$/), page.getByRole('link', { name: 'Schwerbehindertenvertretung oder Betriebsrat' }).click()]);
  await Promise.all([page.waitForURL(/lage=rueckkehr$/), page.getByRole('link', { name: 'Rückkehr nach langer Krankheit' }).click()]);
  await Promise.all([page.waitForURL(/einschraenkung=ausdauer$/), page.getByRole('link', { name: 'Ausdauer und Erschöpfung' }).click()]);
  assert.equal(await page.locator('h1').textContent(), 'Ihr Wegweiser');
  assert.equal(await page.locator('.next-steps li').count(), 3);
  assert.ok(await page.locator('[data-section="anpassung"] li').count() >= 1);
  assert.ok(await page.locator('[data-section="stellen"] li').count() >= 1);
}

for (const width of WIDTHS) {
  for (const js of [true, false]) {
    test(`the Lotse leads to its result by links at ${width} px ${js ? 'with' : 'without'} JavaScript`, async () => {
      const page = await newPage(browser, { viewport: { width, height: 900 }, javaScriptEnabled: js });
      await walk(page);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client, `no horizontal scrolling: ${scroll} > ${client}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
}

const PAGES = [
  '/lotse',
  '/lotse?rolle=arbeitgeber',
  '/lotse?rolle=arbeitgeber&lage=verschlechterung',
  '/lotse?rolle=arbeitgeber&lage=verschlechterung&einschraenkung=sehen',
  '/lotse?rolle=beschaeftigte&lage=pflege',
  '/lotse?rolle=chef',
  '/vorlagen',
  '/vorlagen/bem-checkliste-ankreuzen',
  '/vorlagen/mitteilung-kind-krank',
];

for (const width of WIDTHS) {
  test(`axe finds no violations on the Lotse and template pages at ${width} px, with and without JavaScript`, async () => {
    for (const withScript of [true, false]) {
      const page = await newPage(browser, { viewport: { width, height: 900 } });
      // axe needs JavaScript: without our script is what a browser
      // without JavaScript gets (as in a11y.test.mjs).
      if (!withScript) await page.route('**/static/suggest.js', (r) => r.fulfill({ body: '', contentType: 'text/javascript' }));
      for (const path of PAGES) {
        await page.goto(u(path));
        const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        assert.equal(result.violations.length, 0, `${path}:\n${describe(result.violations)}`);
      }
      await page.context().close();
    }
  });
}

test('the Lotse result prints as a dated one-page handout, a template prints without downloads', async () => {
  const page = await newPage(browser);
  await page.emulateMedia({ media: 'print' });
  for (const path of ['/lotse?rolle=arbeitgeber&lage=kuendigung',
    '/lotse?rolle=vertretung&lage=rueckkehr&einschraenkung=ausdauer',
    '/lotse?rolle=beschaeftigte&lage=verschlechterung&einschraenkung=keine']) {
    await page.goto(u(path));
    assert.equal(await page.locator('header.site').isVisible(), false);
    assert.match(await page.locator('.lotse .print-only').textContent(), /erstellt am \d\d\.\d\d\.\d{4}/);
    const pdf = await page.pdf({ format: 'A4', margin: { top: '2cm', bottom: '2cm', left: '1.8cm', right: '1.8cm' } });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, `${path}: the handout is ${pages} pages`);
  }
  await page.goto(u('/vorlagen/bem-checkliste-ankreuzen'));
  assert.equal(await page.locator('ul.downloads').isVisible(), false);
  assert.ok((await page.locator('.body').textContent()).includes('☐'));
  await page.context().close();
});

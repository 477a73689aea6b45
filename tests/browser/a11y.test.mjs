// Accessibility (WCAG 2.1 AA) and the asset budget: axe-core on the four
// page kinds, narrow screens and zoom, keyboard focus, no layout shift,
// self-contained assets under 30 KB, and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, url, BASE, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGES = {
  start: '/',
  results: '/suche?q=Arbeitsplatz&audience=arbeitgeber',
  'zero results': '/suche?q=H%C3%B6rger%C3%A4t&type=recht',
  article: '/artikel/bem-grundlagen',
};

function describeViolations(violations) {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n');
}

for (const [kind, path] of Object.entries(PAGES)) {
  test(`axe finds no WCAG 2.1 A/AA violations on the ${kind} page`, async () => {
    // With our script, and without it: the markup a browser without
    // JavaScript gets.  (axe itself needs JavaScript, so the script is
    // replaced by an empty one instead of turning JavaScript off.)
    for (const withScript of [true, false]) {
      const page = await newPage(browser);
      if (!withScript) {
        await page.route('**/static/suggest.js', (r) => r.fulfill({ body: '', contentType: 'text/javascript' }));
      }
      const external = [];
      page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) external.push(r.url()); });
      await page.goto(url(path));
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.equal(result.violations.length, 0, describeViolations(result.violations));
      assert.ok(result.passes.length > 10, 'axe ran its rules');
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      assert.deepEqual(external, [], 'no CDN, fonts or other outside requests');
      assert.deepEqual(page.problems, [], 'no console errors, CSP violations included');
      await page.context().close();
    }
  });
}

test('pages fit 320 px and 200 % zoom without horizontal scrolling', async () => {
  // 200 % zoom of a 1280 px window is a 640 CSS px viewport.
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 450 }]) {
    const page = await newPage(browser, { viewport, deviceScaleFactor: 2 });
    for (const path of Object.values(PAGES)) {
      await page.goto(url(path));
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      assert.ok(scroll <= client, `${path} at ${viewport.width} px: ${scroll} > ${client}`);
    }
    await page.context().close();
  }
});

test('the skip link is the first stop and lands on the main content', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=BEM'));
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip[href="#inhalt"]');
  assert.ok(await skip.evaluate((e) => e === document.activeElement));
  const box = await skip.boundingBox();
  assert.ok(box && box.y >= 0 && box.height > 0, 'visible when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inhalt');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'keyboard focus is visible');
});

test('landmarks, headings, labels and the live result count are there', async () => {
  const page = await newPage(browser);
  await page.goto(url(PAGES.results));
  assert.equal(await page.locator('header.site').count(), 1);
  assert.equal(await page.locator('main#inhalt').count(), 1);
  assert.equal(await page.locator('footer.site').count(), 1);
  assert.equal(await page.locator('form[role=search]').count(), 1);
  assert.equal(await page.locator('nav.facets').getAttribute('aria-labelledby'), 'h-filter');
  assert.equal(await page.locator('h1').count(), 1);
  const status = page.locator(STATUS);
  assert.match(await status.textContent(), /\d+ (Eintrag|Einträge) gefunden/);
  for (const input of await page.locator('input:not([type=hidden])').all()) {
    const id = await input.getAttribute('id');
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `label for #${id}`);
  }
});

test('no layout shift while the results page loads', async () => {
  const page = await newPage(browser);
  await page.goto(url(PAGES.results), { waitUntil: 'load' });
  await page.waitForTimeout(300);
  const cls = await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 200);
  }));
  assert.ok(cls < 0.01, `cumulative layout shift ${cls}`);
});

test('CSS and JavaScript stay under 30 KB together', async () => {
  let total = 0;
  for (const asset of ['/static/style.css', '/static/suggest.js']) {
    const r = await fetch(url(asset));
    assert.equal(r.status, 200, asset);
    total += (await r.arrayBuffer()).byteLength;
  }
  assert.ok(total < 30 * 1024, `${total} bytes`);
});

test('the print stylesheet leaves a clean handout', async () => {
  const page = await newPage(browser);
  await page.goto(url(PAGES.article));
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['header.site', 'footer.site', 'nav.crumbs', 'aside.more', 'form']) {
    assert.ok(await page.locator(sel).first().isHidden(), `${sel} is not printed`);
  }
  assert.ok(await page.locator('.print-only').isVisible(), 'the handout says where it is from');
  assert.match(await page.locator('.print-only').textContent(), /\/artikel\/bem-grundlagen/);
  assert.ok(await page.locator('dl.facts').isVisible());
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
});

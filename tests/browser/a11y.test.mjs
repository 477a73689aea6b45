// Accessibility (WCAG 2.1 AA) and the asset budget: axe-core on the five
// page kinds, narrow screens and zoom, keyboard focus, no layout shift,
// self-contained assets under 30 KB, and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, url, corpusUrl, BASE, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGES = {
  start: '/',
  results: '/suche?q=Arbeitsplatz&audience=arbeitgeber',
  'zero results': '/suche?q=H%C3%B6rger%C3%A4t&type=recht',
  // a question whose misspelt word is also searched as corrected (a note
  // with a link back to the words as typed)
  'question with a correction': '/suche?q=Was+ist+ein+Eingliederungsmanagment%3F',
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

// The calculators (real corpus: the fixture has no rules), with a result
// and with a refused input, at a desktop and a phone width, with and
// without our script.
const CALC_PAGES = {
  'levy calculator': '/rechner/ausgleichsabgabe',
  'levy result': '/rechner/ausgleichsabgabe?jahr=2025&arbeitsplaetze=100&schwerbehinderte=2',
  'levy refused input': '/rechner/ausgleichsabgabe?jahr=2025&arbeitsplaetze=viele&schwerbehinderte=2',
  'sick-child calculator': '/rechner/kinderkrankentage',
  'sick-child result': '/rechner/kinderkrankentage?jahr=2026&kinder=3&alleinerziehend=true',
  'calculators list': '/rechner',
};

for (const [kind, path] of Object.entries(CALC_PAGES)) {
  test(`axe finds no WCAG 2.1 A/AA violations on the ${kind} page at 1280 and 375 px`, async () => {
    for (const width of [1280, 375]) {
      for (const withScript of [true, false]) {
        const page = await newPage(browser, { viewport: { width, height: 900 } });
        if (!withScript) {
          await page.route('**/static/suggest.js', (r) => r.fulfill({ body: '', contentType: 'text/javascript' }));
        }
        await page.goto(corpusUrl(path));
        const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        assert.equal(result.violations.length, 0, `${width} px: ${describeViolations(result.violations)}`);
        assert.ok(result.passes.length > 10, 'axe ran its rules');
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        assert.ok(scroll <= client, `${path} at ${width} px scrolls sideways: ${scroll} > ${client}`);
        // A refused input is a 400, which the browser logs; nothing else.
        const problems = page.problems.filter((p) => !/status of 400/.test(p));
        assert.deepEqual(problems, [], 'no console errors, CSP violations included');
        await page.context().close();
      }
    }
  });
}

test('the levy calculator works by keyboard alone and marks a wrong field', async () => {
  const page = await newPage(browser, { viewport: { width: 375, height: 800 } });
  await page.goto(corpusUrl('/rechner/ausgleichsabgabe'));
  await page.focus('#c-jahr');
  await page.selectOption('#c-jahr', '2025');
  await page.keyboard.press('Tab');
  await page.keyboard.type('100');
  await page.keyboard.press('Tab');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await page.waitForURL(/arbeitsplaetze=100/);
  assert.match(await page.textContent('.calc-result'), /9\.900\s€/);
  await page.fill('#c-arbeitsplaetze', 'viele');
  await page.keyboard.press('Enter');
  await page.waitForURL(/arbeitsplaetze=viele/);
  assert.equal(await page.getAttribute('#c-arbeitsplaetze', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#fehler'), /arbeitsplaetze: bitte/);
  await page.context().close();
});

// The page kinds schema.yaml declares besides articles, on the real corpus
// (TEILHABE_CORPUS_URL; the fixture corpus has articles only): a court
// decision, a glossary term, a contact point, the A–Z glossary, the finder
// "Wer ist zuständig?" and the definition box above search results.
// Accessibility (axe, WCAG 2.1 A/AA) with and without our script, phones
// without horizontal scrolling, the finder by keyboard alone, the A–Z
// jump links and where the definition box sits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, corpusUrl, CORPUS_BASE, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGES = {
  'court decision': '/urteil/bag-2-azr-716-06',
  'glossary term': '/begriff/begriff-gleichstellung',
  'contact point': '/anlaufstelle/inklusionsamt-bayern',
  'A–Z glossary': '/begriffe',
  finder: '/zustaendig',
  'finder with a choice': '/zustaendig?land=by&anliegen=kuendigung',
  'definition box': '/suche?q=Gleichstellung',
};

function describeViolations(violations) {
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`).join('\n');
}

for (const [kind, path] of Object.entries(PAGES)) {
  test(`axe finds no WCAG 2.1 A/AA violations on the ${kind} page`, async () => {
    // With our script, and without it (replaced by an empty one: axe
    // itself needs JavaScript), as in a11y.test.mjs.
    for (const withScript of [true, false]) {
      const page = await newPage(browser);
      if (!withScript) {
        await page.route('**/static/suggest.js', (r) => r.fulfill({ body: '', contentType: 'text/javascript' }));
      }
      const external = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(CORPUS_BASE) && !r.url().startsWith('data:')) external.push(r.url());
      });
      const response = await page.goto(corpusUrl(path));
      assert.equal(response.status(), 200, path);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.equal(result.violations.length, 0,
        `${path} ${withScript ? 'with' : 'without'} script:\n${describeViolations(result.violations)}`);
      assert.ok(result.passes.length > 10, 'axe ran its rules');
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      assert.equal(await page.locator('h1').count(), 1, 'one h1');
      assert.deepEqual(external, [], 'no outside requests');
      assert.deepEqual(page.problems, [], 'no console errors, CSP violations included');
      await page.context().close();
    }
  });
}

test('the new pages fit a 375 px phone (and 320 px) without horizontal scrolling', async () => {
  // 375 px: a common phone; 320 px: WCAG 1.4.10's reflow width, as in
  // a11y.test.mjs.  The real corpus has longer titles and words than the
  // fixtures.
  for (const width of [375, 320]) {
    const page = await newPage(browser, { viewport: { width, height: 740 }, deviceScaleFactor: 2 });
    for (const path of Object.values(PAGES)) {
      await page.goto(corpusUrl(path));
      const { scroll, client, wide } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        // What sticks out, to say so when it does.
        wide: [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
      }));
      assert.ok(scroll <= client, `${path} at ${width} px: ${scroll} > ${client} (${wide.join(', ')})`);
    }
    await page.context().close();
  }
});

// Tab until `selector` has the focus (at most `max` stops).
async function tabTo(page, selector, max = 30) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('the finder works by keyboard alone', async () => {
  const page = await newPage(browser);
  await page.goto(corpusUrl('/zustaendig'));
  await tabTo(page, 'select[name=land]');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused select is visibly marked');
  // Choose by typing, as one does in a closed select.
  await page.keyboard.type('Bayern');
  assert.equal(await page.locator('select[name=land]').inputValue(), 'by');
  await tabTo(page, 'form.finder button[type=submit]', 3);
  await Promise.all([page.waitForURL(/land=by/), page.keyboard.press('Enter')]);
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('land'), 'by');
  assert.equal(await page.locator('select[name=land]').inputValue(), 'by', 'the choice stays selected');
  const titles = (await page.locator('ul.offices li h3').allTextContents()).map((t) => t.trim());
  assert.ok(titles.some((t) => /^Inklusionsamt Bayern/.test(t)), `Bayern's Inklusionsamt in ${titles}`);
  assert.ok(!titles.some((t) => /^Inklusionsamt (?!Bayern)/.test(t)), 'no other Land\'s Inklusionsamt');
  assert.ok(await page.locator('h2', { hasText: 'Bundesweit' }).count() === 1, 'nationwide entries follow');
  assert.ok(titles.some((t) => /Bundesagentur für Arbeit/.test(t)), 'the Bundesagentur is there');
  const status = page.locator(STATUS);
  assert.equal((await status.textContent()).trim(), `${titles.length} Anlaufstellen passen`);
  assert.ok(await status.evaluate((s) => !!(s.compareDocumentPosition(document.querySelector('ul.offices'))
    & Node.DOCUMENT_POSITION_FOLLOWING)), 'the count comes before the lists, right after the form');
  assert.deepEqual(page.problems, []);
});

test('the letter links of the A–Z page jump to their section', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 700 } });
  await page.goto(corpusUrl('/begriffe'));
  const links = page.locator('nav.az a');
  const n = await links.count();
  assert.ok(n >= 15, `${n} letters`);
  for (let i = 0; i < n; i++) {
    const href = await links.nth(i).getAttribute('href');
    const letter = (await links.nth(i).textContent()).trim();
    const heading = page.locator(`h2${href}`);
    assert.equal(await heading.count(), 1, `a heading for ${href}`);
    assert.equal((await heading.textContent()).trim(), letter);
    assert.ok(await page.locator(`section[aria-labelledby="${href.slice(1)}"] dl.terms dt a`).count() > 0,
      `terms under ${letter}`);
  }
  // By keyboard: the link to G, Enter, and G's heading is at the top.
  const g = page.locator('nav.az a', { hasText: /^G$/ });
  await g.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/#b-G$/);
  const top = await page.locator('h2#b-G').evaluate((e) => e.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 50, `G's heading at ${top} px`);
  const first = (await page.locator('section[aria-labelledby="b-G"] dt').first().textContent()).trim();
  assert.match(first, /^G/);
  // And a letter near the end, by mouse.
  await page.locator('nav.az a', { hasText: /^W$/ }).click();
  await page.waitForURL(/#b-W$/);
  const topW = await page.locator('h2#b-W').evaluate((e) => e.getBoundingClientRect().top);
  assert.ok(topW >= -1 && topW < 50, `W's heading at ${topW} px`);
});

test('the definition box sits above the results and links to its term', async () => {
  const page = await newPage(browser);
  await page.goto(corpusUrl('/suche?q=Gleichstellung'));
  const box = page.locator('main aside.definition');
  assert.equal(await box.count(), 1);
  // Its heading says what it is to a screen reader ("Begriff: …").
  assert.equal((await box.locator('h2').textContent()).replace(/\s+/g, ' ').trim(), 'Begriff: Gleichstellung');
  assert.equal(await box.getAttribute('aria-labelledby'), await box.locator('h2').getAttribute('id'));
  assert.ok((await box.locator('.body').textContent()).trim().length > 50, 'it explains the term');
  const hits = page.locator('ol.hits');
  assert.ok(await box.evaluate((b, h) => !!(b.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING),
    await hits.elementHandle()), 'before the results in the document');
  const boxRect = await box.boundingBox();
  const hitsRect = await hits.boundingBox();
  assert.ok(boxRect.y + boxRect.height <= hitsRect.y, 'and above them on screen');
  const more = box.locator('a[href="/begriff/begriff-gleichstellung"]');
  assert.equal(await more.count(), 1, 'a link to the term\'s page');
  await Promise.all([page.waitForURL(/\/begriff\/begriff-gleichstellung$/), more.click()]);
  assert.equal((await page.locator('h1').textContent()).trim(), 'Gleichstellung');
  assert.deepEqual(page.problems, []);
});

// Autocomplete by keyboard: the search box is an ARIA 1.2 combobox
// (role, aria-expanded, aria-controls, aria-activedescendant) over
// /api/suggest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, newPage, url, here, api, STATUS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function typeInto(page, sel, text) {
  const box = page.locator(sel);
  await box.click();
  await box.pressSequentially(text, { delay: 30 });
  // Wait for the answer to the whole text (not to a prefix typed before).
  await page.waitForFunction(([s, t]) => {
    const opts = [...document.querySelectorAll(`${s}-vorschlaege li[role=option]`)];
    return opts.length > 0 && opts.every((o) => o.textContent.toLowerCase().startsWith(t.toLowerCase()));
  }, [sel, text]);
  return box;
}

test('/api/suggest completes the last word', async () => {
  assert.ok((await api('/api/suggest?q=Einglie')).includes('Eingliederungsmanagement'));
  assert.deepEqual(await api('/api/suggest?q=x'), []);
  const os = await api('/api/suggest?q=Einglie&format=opensearch');
  assert.equal(os[0], 'Einglie');
  assert.ok(os[1].includes('Eingliederungsmanagement'));
});

test('arrow keys, Enter and Escape work the combobox', async () => {
  const page = await newPage(browser);
  await page.goto(url('/'));
  const box = page.locator('#q');
  assert.equal(await box.getAttribute('role'), 'combobox');
  assert.equal(await box.getAttribute('aria-autocomplete'), 'list');
  assert.equal(await box.getAttribute('aria-controls'), 'q-vorschlaege');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');

  await typeInto(page, '#q', 'Eingl');
  const list = page.locator('#q-vorschlaege');
  assert.equal(await list.getAttribute('role'), 'listbox');
  assert.ok(await list.isVisible());
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);
  const options = await list.locator('li[role=option]').allTextContents();
  assert.ok(options.includes('Eingliederungsmanagement'), options.join(', '));

  // axe on the open listbox: the ARIA must be right while it is shown.
  const open = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.deepEqual(open.violations.map((v) => v.id), []);

  await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'q-vorschlaege-0');
  assert.equal(await list.locator('#q-vorschlaege-0').getAttribute('aria-selected'), 'true');
  await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'q-vorschlaege-1');
  assert.equal(await list.locator('#q-vorschlaege-0').getAttribute('aria-selected'), 'false');
  await box.press('ArrowUp');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'q-vorschlaege-0');
  await box.press('ArrowUp'); // wraps to the last
  assert.equal(await box.getAttribute('aria-activedescendant'), `q-vorschlaege-${options.length - 1}`);
  await box.press('ArrowDown'); // and back to the first
  const chosen = options[0];

  // Enter on the highlighted suggestion searches for it at once.
  await Promise.all([page.waitForURL(/\/suche\?q=/), box.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), chosen);
  assert.equal(await page.locator('#q-top').inputValue(), chosen);
  assert.match(await page.locator(STATUS).textContent(), /\d+ (Eintrag|Einträge) gefunden/);
  assert.deepEqual(page.problems, []);
});

test('Escape closes the suggestions and keeps what was typed', async () => {
  const page = await newPage(browser);
  await page.goto(url('/suche?q=BEM'));
  const box = page.locator('#q-top');
  await box.fill('');
  await typeInto(page, '#q-top', 'Hör');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  await box.press('ArrowDown');
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);
  assert.ok(await page.locator('#q-top-vorschlaege').isHidden());
  assert.equal(await box.inputValue(), 'Hör');
  // Escape did not search; Enter with nothing highlighted does.
  assert.equal(here(page), '/suche?q=BEM');
  await Promise.all([page.waitForURL(/q=H%C3%B6r/), box.press('Enter')]);
});

test('suggestions can be picked with the mouse too', async () => {
  const page = await newPage(browser);
  await page.goto(url('/'));
  await typeInto(page, '#q', 'Bildschirm');
  await page.locator('#q-vorschlaege li', { hasText: 'Bildschirmlesegerät' }).click();
  assert.equal(await page.locator('#q').inputValue(), 'Bildschirmlesegerät');
  assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'false');
});

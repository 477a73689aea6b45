// Every page works with JavaScript disabled: search, filters, paging,
// articles and zero-result help are plain forms and links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, url, here, STATUS } from './lib.mjs';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await newPage(browser, { javaScriptEnabled: false });
});
after(async () => { await browser?.close(); });

const status = () => page.locator(STATUS).textContent();

test('without JavaScript the search box is a plain form field', async () => {
  await page.goto(url('/'));
  const box = page.locator('#q');
  assert.equal(await box.getAttribute('role'), null, 'not enhanced into a combobox');
  assert.equal(await page.locator('#q-vorschlaege').count(), 0);
  await box.fill('Hörgerät');
  await Promise.all([page.waitForURL(/\/suche\?q=/), box.press('Enter')]);
  assert.equal((await status()).trim(), '1 Eintrag gefunden');
  assert.equal(await page.locator('#q-top').inputValue(), 'Hörgerät');
  // The header form searches again.
  await page.locator('#q-top').fill('Arbeitsplatz');
  await Promise.all([
    page.waitForURL(/q=Arbeitsplatz/),
    page.locator('header form button[type=submit]').click(),
  ]);
  assert.match((await status()).trim(), /^\d+ (Eintrag|Einträge) gefunden$/);
});

test('without JavaScript filters are chosen and removed by links', async () => {
  await page.goto(url('/'));
  await Promise.all([
    page.waitForURL(/type=anpassung/),
    page.locator('ul.tiles a', { hasText: 'Arbeitsplatzgestaltung und Hilfsmittel' }).click(),
  ]);
  assert.equal((await status()).trim(), '3 Einträge gefunden');
  await Promise.all([
    page.waitForURL(/disability=sehbehinderung/),
    page.locator('nav.facets a', { hasText: 'Sehbehinderung' }).click(),
  ]);
  assert.equal(here(page), '/suche?type=anpassung&disability=sehbehinderung');
  assert.equal((await status()).trim(), '1 Eintrag gefunden');
  await Promise.all([
    page.waitForURL((u) => !u.search.includes('type=')),
    page.locator('.chosen a.chip', { hasText: 'Arbeitsplatzgestaltung' }).click(),
  ]);
  assert.equal(here(page), '/suche?disability=sehbehinderung');
  assert.equal((await status()).trim(), '1 Eintrag gefunden');
});

test('without JavaScript paging and sorting are links', async () => {
  await page.goto(url('/suche?per_page=3'));
  await Promise.all([page.waitForURL(/page=3/), page.locator('nav.pages a', { hasText: /^Seite 3$/ }).click()]);
  assert.equal(await page.locator('ol.hits > li').count(), 2);
  await Promise.all([page.waitForURL(/sort=updated/), page.locator('.sort a', { hasText: 'neueste zuerst' }).click()]);
  assert.equal(here(page), '/suche?sort=updated&per_page=3');
});

test('without JavaScript an article opens and leads back to the search', async () => {
  await page.goto(url('/suche?q=Schwerbehindertenvertretung'));
  const from = here(page);
  await Promise.all([page.waitForURL(/\/artikel\//), page.locator('ol.hits h3 a').first().click()]);
  assert.ok((await page.locator('h1').textContent()).length > 0);
  assert.ok(await page.locator('dl.facts').isVisible());
  await Promise.all([page.waitForURL(/\/suche/), page.locator('nav.crumbs a.back').click()]);
  assert.equal(here(page), from);
});

test('without JavaScript zero results offer ways out', async () => {
  await page.goto(url('/suche?q=H%C3%B6rger%C3%A4t&type=recht'));
  assert.equal((await status()).trim(), 'Kein Eintrag gefunden');
  await Promise.all([
    page.waitForURL((u) => !u.search.includes('type=')),
    page.locator('.zero a', { hasText: 'ohne Filter' }).click(),
  ]);
  assert.equal((await status()).trim(), '1 Eintrag gefunden');
});

// Shared helpers of the browser suite: the server under test and a
// headless Debian Chromium driven by playwright-core (no browser download).
//
// run.sh starts `teilhabe serve` on the fixture corpus (articles only)
// and passes its URL in TEILHABE_URL, and a second one on the real corpus
// (decisions, glossary terms, contact points too) in TEILHABE_CORPUS_URL.
// Each test file launches its own browser; Playwright gives every launch a
// new, empty --user-data-dir of its own.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const BASE = (process.env.TEILHABE_URL || 'http://127.0.0.1:8099').replace(/\/$/, '');
export const CORPUS_BASE = (process.env.TEILHABE_CORPUS_URL || 'http://127.0.0.1:8098').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// A new page in a fresh context.  Console errors and CSP violations are
// collected in page.problems so a test can assert there were none.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'de-DE',
    ...options,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

export function url(path) {
  return BASE + path;
}

// The same on the real corpus.
export function corpusUrl(path) {
  return CORPUS_BASE + path;
}

// The JSON of an API URL, fetched outside the browser.
export async function api(path) {
  const r = await fetch(url(path));
  assert.equal(r.status, 200, `${path} answered ${r.status}`);
  return r.json();
}

// The live region with the result count ("23 Einträge gefunden").
export const STATUS = 'main p.status[role=status]';

// Path and query of the page's current URL ("/suche?q=...").
export function here(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

// The facet counts shown on a results page, as
// {facet: {label: count}}, read from the rendered DOM.
export async function htmlFacets(page) {
  return page.$$eval('nav.facets section', (sections) => {
    const out = {};
    for (const s of sections) {
      const name = s.querySelector('h3').textContent.trim();
      out[name] = {};
      for (const a of s.querySelectorAll('li a')) {
        const count = Number(a.querySelector('.count').textContent.replace(/[()]/g, ''));
        const clone = a.cloneNode(true);
        clone.querySelectorAll('.count, .sr, .check').forEach((e) => e.remove());
        out[name][clone.textContent.trim()] = count;
      }
    }
    return out;
  });
}

// The same shape from /api/search's facets.
export function apiFacets(json) {
  const names = {
    kind: 'Art des Eintrags',
    type: 'Art des Artikels',
    audience: 'Zielgruppe',
    disability: 'Behinderungsart',
    norm: 'Rechtsgrundlage',
  };
  const out = {};
  for (const [facet, values] of Object.entries(json.facets)) {
    if (!values.length) continue;
    out[names[facet]] = {};
    for (const v of values) out[names[facet]][v.label] = v.count;
  }
  return out;
}

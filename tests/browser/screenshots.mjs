// Screenshots of the main pages for the README: desktop (1280 px) and
// phone (375 px) widths, over the real corpus.  Not part of CI; run it by
// hand after a visible change and commit docs/screenshots/*.png:
//
//   node tests/browser/screenshots.mjs build/teilhabe
//
// Indexes corpus/ into a temporary directory, starts the server on a free
// port, takes the pictures and stops it again.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.resolve(process.argv[2] || path.join(root, 'build', 'teilhabe'));
const out = path.join(root, 'docs', 'screenshots');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'teilhabe-shots-'));

const SHOTS = [
  { name: 'start', path: '/' },
  { name: 'suche', path: '/suche?q=BEM+Datenschutz' },
  { name: 'artikel', path: '/artikel/bem-datenschutz' },
  { name: 'urteil', path: '/urteil/bag-2-azr-755-13' },
  { name: 'zustaendig', path: '/zustaendig?land=nw&anliegen=kuendigung' },
  { name: 'begriff-suche', path: '/suche?q=Gleichstellung' },
];
const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'mobil', viewport: { width: 375, height: 812 } },
];

function startServer(db) {
  const proc = spawn(bin, ['serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    proc.stderr.on('data', (d) => {
      log += d;
      const m = log.match(/listening on (http:\/\/\S+?)\/?\n/);
      if (m) resolve({ proc, base: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`server exited (${code}): ${log}`)));
  });
}

execFileSync(bin, ['index', '--db', path.join(tmp, 'index'), path.join(root, 'corpus')], { stdio: 'inherit' });
const { proc, base } = await startServer(path.join(tmp, 'index'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  fs.mkdirSync(out, { recursive: true });
  for (const size of SIZES) {
    const context = await browser.newContext({ viewport: size.viewport, deviceScaleFactor: 1, locale: 'de-DE' });
    const page = await context.newPage();
    for (const shot of SHOTS) {
      await page.goto(base + shot.path, { waitUntil: 'networkidle' });
      const file = path.join(out, `${shot.name}-${size.name}.png`);
      await page.screenshot({ path: file });
      console.log('wrote', path.relative(root, file));
    }
    // The autocomplete open on the start page.
    if (size.name === 'desktop') {
      await page.goto(base + '/', { waitUntil: 'networkidle' });
      await page.locator('#q').pressSequentially('Eingl', { delay: 40 });
      await page.locator('#q-vorschlaege li').first().waitFor();
      await page.keyboard.press('ArrowDown');
      const file = path.join(out, 'vorschlaege-desktop.png');
      await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1280, height: 640 } });
      console.log('wrote', path.relative(root, file));
    }
    await context.close();
  }
} finally {
  await browser.close();
  proc.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}

// Loads the built playground in headless Chromium and checks what a user
// would: the default example's findings appear, a proxy_pass typed
// without a scheme is reported and marked, its Fix button writes the
// scheme, and the finding goes. No request may leave 127.0.0.1.
//
//   node e2e.mjs SITE_DIR [SCREENSHOT.png]
//
// SITE_DIR is what scripts/playground.sh built. CHROMIUM names the
// browser (/usr/bin/chromium by default); the screenshot goes to
// SCREENSHOT.png, $PLAYGROUND_SCREENSHOT, or the temporary directory.
// It prints the timings it measured as one JSON line, "timings: {...}".

import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

const site = resolve(process.argv[2] || '');
if (!process.argv[2]) {
  console.error('usage: node e2e.mjs SITE_DIR [SCREENSHOT.png]');
  process.exit(2);
}
const screenshot = process.argv[3] || process.env.PLAYGROUND_SCREENSHOT || join(tmpdir(), 'nginxlint-playground.png');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

// The typed configuration, and what its fix must make of it.
const typed = [
  'events {}',
  'http {',
  '    server {',
  '        listen 8080;',
  '        location / {',
  '            proxy_pass 127.0.0.1:3000;',
  '        }',
  '    }',
  '}',
  '',
].join('\n');
const fixed = typed.replace('proxy_pass 127.0.0.1:3000;', 'proxy_pass http://127.0.0.1:3000;');

function fail(msg) {
  throw new Error(msg);
}

// serve answers GET requests for the files of site, nothing else.
function serve(served) {
  return createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    served.push(url.pathname);
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(site, rel));
    if (req.method !== 'GET' || !(file === site || file.startsWith(site + sep))) {
      res.writeHead(405).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}

async function main() {
  const served = [];
  const server = serve(served);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'nginxlint-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browserPath,
      headless: true,
      viewport: { width: 1360, height: 860 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const outside = [];
    const requested = [];
    const problems = [];
    context.on('request', (req) => {
      const u = req.url();
      requested.push(u);
      if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (err) => problems.push('page error: ' + err.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
    page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') problems.push('worker console error: ' + m.text()); }));

    const loadStart = Date.now();
    await page.goto(origin + '/', { waitUntil: 'load' });

    // The default example: backend-drift, with its fix, against the manifest.
    await page.locator('#findings li[data-rule="backend-drift"] button.fix:not([disabled])').first().waitFor({ timeout: 60000 });
    const firstLintWall = Date.now() - loadStart;
    const example = await page.evaluate(() => {
      const s = window.nginxlintPlayground;
      return { timings: JSON.parse(JSON.stringify(s.timings)), tabs: [...document.querySelectorAll('.tab')].map((t) => t.dataset.file) };
    });
    for (const f of ['nginx.conf', 'conf.d/shop.conf', 'backends.toml']) {
      if (!example.tabs.includes(f)) fail(`no tab for ${f}: ${example.tabs}`);
    }
    const lintsBefore = example.timings.lints.length;

    // A re-lint of the example: one character typed at the end of nginx.conf.
    const editor = page.locator('#editor');
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n');
    await page.waitForFunction((n) => window.nginxlintPlayground.timings.lints.length > n, lintsBefore, { timeout: 30000 });

    // Type a configuration whose proxy_pass has no scheme.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(typed);
    if (await editor.inputValue() !== typed) fail('the editor does not hold what was typed:\n' + await editor.inputValue());
    const finding = page.locator('#findings li[data-rule="proxy-pass-scheme"]');
    await finding.locator('button.fix:not([disabled])').waitFor({ timeout: 30000 });
    const where = await finding.locator('.where').first().textContent();
    if (where !== 'nginx.conf:6:24') fail(`the finding is at ${where}, want nginx.conf:6:24`);
    const marked = await page.locator('#highlight .mark.sev-error').allTextContents();
    if (!marked.includes('127.0.0.1:3000')) fail(`the editor does not mark the value: marks ${JSON.stringify(marked)}`);
    const docLink = await finding.locator('a.rule').getAttribute('href');
    if (!docLink || !docLink.endsWith('#proxy-pass-scheme')) fail(`rule link ${docLink}`);
    await page.screenshot({ path: screenshot, fullPage: false });

    // Apply its fix.
    const lintsAtFix = await page.evaluate(() => window.nginxlintPlayground.timings.lints.length);
    await finding.locator('button.fix').click();
    await page.waitForFunction((n) => window.nginxlintPlayground.timings.lints.length > n && document.querySelector('#status').dataset.state === 'done', lintsAtFix, { timeout: 30000 });
    const after = await editor.inputValue();
    if (after !== fixed) fail(`the fix made\n${after}\nwant\n${fixed}`);
    if (await page.locator('#findings li[data-rule="proxy-pass-scheme"]').count() !== 0) fail('proxy-pass-scheme is still listed after its fix');
    if (await page.locator('#highlight .mark').allTextContents().then((m) => m.includes('http://127.0.0.1:3000'))) fail('the fixed value is still marked');

    const timings = await page.evaluate(() => JSON.parse(JSON.stringify(window.nginxlintPlayground.timings)));

    // The files stay in the browser across a reload.
    await page.waitForTimeout(700); // the page saves half a second after an edit
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'done', null, { timeout: 60000 });
    if (await editor.inputValue() !== fixed) fail('after a reload the editor holds\n' + await editor.inputValue());
    for (const want of ['/', '/app.js', '/worker.js', '/wasm_exec.js', '/nginxlint.wasm']) {
      if (!served.includes(want)) fail(`the page never asked for ${want}; asked for ${served}`);
    }
    // The browser's requests, the worker's among them (it fetches the
    // WebAssembly), are all the page's own.
    if (!requested.includes(origin + '/nginxlint.wasm')) fail('the browser reported no request of the worker: ' + requested.join(', '));
    if (outside.length) fail('requests left 127.0.0.1: ' + outside.join(', '));
    if (problems.length) fail(problems.join('\n'));
    const first = timings.lints[0];
    const relint = timings.lints[lintsBefore];
    console.log('timings: ' + JSON.stringify({
      wasm_start_ms: Math.round(timings.ready),
      first_lint_ms: Math.round(first.engine),
      first_lint_round_trip_ms: Math.round(first.total),
      relint_ms: Math.round(relint.engine),
      relint_round_trip_ms: Math.round(relint.total),
      page_load_to_first_findings_ms: firstLintWall,
    }));
    console.log('screenshot: ' + screenshot);
  } finally {
    if (context) await context.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error('FAIL: ' + (err && err.stack || err));
  process.exit(1);
});

#!/usr/bin/env node
// Docs render check: builds the typedoc site (unless --no-build), serves docs/api from a local node:http
// server on 127.0.0.1 and loads the main pages in headless Chromium, asserting on the DOM *after* the
// site's scripts ran (the navigation tree is filled in by assets/main.js, so a page whose scripts fail
// is caught), and that the browser fetched every asset without a 404.
//
// Chromium absent: skip with a message locally; fail when CI=true (.ci/run installs Debian's chromium).
// Options: --no-build (use the existing docs/api), CHROMIUM=/path/to/chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const site = join(root, 'docs', 'api');
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const started = performance.now();

function findChromium() {
  if (process.env.CHROMIUM) return existsSync(process.env.CHROMIUM) ? process.env.CHROMIUM : undefined;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env.PATH ?? '').split(':')) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) {
  const message = 'chromium not found (apt-get install -y chromium, or set CHROMIUM=/path/to/binary)';
  if (inCi) {
    console.error(`check-docs: FAIL: ${message}; CI=true requires it`);
    process.exit(1);
  }
  console.log(`check-docs: SKIP: ${message}`);
  process.exit(0);
}

/** Problems found before rendering (the strict typedoc build). */
const buildProblems = [];
if (!process.argv.includes('--no-build')) {
  const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
  // typedoc's validation (invalid links, not exported, not documented) is an error: a failing build fails
  // this check. It then writes nothing, so the site is rebuilt leniently to still test the rendering.
  const strict = spawnSync(process.execPath, [typedoc], { cwd: root, stdio: 'inherit' });
  if (strict.status !== 0) {
    buildProblems.push(`typedoc (validation as errors) exited with ${strict.status}: see its warnings above`);
    const lenient = spawnSync(
      process.execPath,
      [typedoc, '--treatWarningsAsErrors', 'false', '--logLevel', 'Error'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (lenient.status !== 0) {
      console.error(
        `check-docs: FAIL: typedoc could not build the site even without validation (${lenient.status})`,
      );
      process.exit(1);
    }
  }
}
if (!existsSync(join(site, 'index.html'))) {
  console.error('check-docs: FAIL: docs/api/index.html is missing; run `npm run docs`');
  process.exit(1);
}

// --- static server -------------------------------------------------------------------------------
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
// Records uncaught errors of a page so that the harness can report them (injected into served HTML only).
const errorRecorder =
  '<script>window.__renderErrors=[];addEventListener("error",(e)=>__renderErrors.push(String(e.message||e)));' +
  'addEventListener("unhandledrejection",(e)=>__renderErrors.push(String(e.reason)));</script>';
/** Every request the browser made. */
const served = [];
/** @type {string[]} */
let harnessPages = [];
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (path === '/__render-check__.html') {
    response.writeHead(200, { 'content-type': types['.html'] }).end(harness(harnessPages));
    return;
  }
  let file = normalize(join(site, path));
  if (!file.startsWith(site + sep)) file = join(site, '__outside__');
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    served.push({ path, status: 404 });
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  served.push({ path, status: 200 });
  let body = readFileSync(file);
  if (extname(file) === '.html') body = body.toString('utf8').replace(/<head>/, `<head>${errorRecorder}`);
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
const origin = `http://127.0.0.1:${port}`;

// --- headless chromium ---------------------------------------------------------------------------
// One browser start-up costs ~8 s on a small machine, so a single Chromium run loads a harness page that
// opens every page under test in a same-origin iframe and, once they have loaded and run their scripts,
// copies each frame's live DOM (and its uncaught errors) into its own DOM, which --dump-dom prints.
function harness(paths) {
  const frames = paths
    .map((path, i) => `<iframe id="f${i}" src="/${path}" width="1280" height="900"></iframe>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>render check</title></head><body>
${frames}
<script>
addEventListener('load', () => setTimeout(() => {
  for (const frame of document.querySelectorAll('iframe')) {
    const out = document.createElement('pre');
    out.id = 'dom-' + frame.id;
    const win = frame.contentWindow;
    const doc = frame.contentDocument;
    out.dataset.errors = JSON.stringify(win && win.__renderErrors ? win.__renderErrors : ['no error recorder: page not served?']);
    const html = doc ? doc.documentElement.outerHTML : '';
    const bytes = new TextEncoder().encode(html);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    out.textContent = btoa(binary);
    document.body.append(out);
  }
  document.body.dataset.done = 'yes';
}, 3000));
</script></body></html>`;
}

async function renderAll(paths) {
  harnessPages = paths;
  const profile = mkdtempSync(join(tmpdir(), 'check-docs-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`,
    // Virtual time fast-forwards the timers (typedoc's 500 ms reveal, the harness's wait) deterministically.
    '--virtual-time-budget=10000',
    '--dump-dom',
    `${origin}/__render-check__.html`,
  ];
  const dom = await new Promise((done, fail) => {
    const child = spawn(chromium, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      err += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0 && out.includes('data-done="yes"')) done(out);
      else {
        const log = err.split('\n').filter((line) => !line.includes('dbus'));
        fail(
          new Error(
            `chromium exited ${signal ?? code} without a complete dump\n${log.slice(-20).join('\n')}`,
          ),
        );
      }
    });
  });
  return paths.map((_, i) => {
    const match = new RegExp(`<pre id="dom-f${i}" data-errors="([^"]*)">([^<]*)</pre>`).exec(dom);
    if (!match) return { dom: '', errors: ['frame missing from the dump'] };
    const errors = JSON.parse(match[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    return { dom: Buffer.from(match[2], 'base64').toString('utf8'), errors };
  });
}

const text = (html) =>
  html
    .replace(/<wbr\s*\/?>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const headings = (html, level) =>
  [...html.matchAll(new RegExp(`<h${level}[^>]*>([\\s\\S]*?)</h${level}>`, 'g'))].map((m) => text(m[1]));
/**
 * The navigation tree is empty in the static HTML; assets/main.js fills it in the browser. Read up to
 * the end of the <nav>: nested modules (./node, ./redis) close lists of their own inside the tree.
 */
const navigation = (html) => /id="tsd-nav-container"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';

// Page files are found, not hard-coded, so renaming a module (`@module softlayer-ssl-orders`) keeps working.
function pageFor(dir, predicate) {
  const folder = join(site, dir);
  if (!existsSync(folder)) return undefined;
  const file = readdirSync(folder).find((name) => predicate(name, readFileSync(join(folder, name), 'utf8')));
  return file && `${dir}/${file}`;
}
const classPage = (name) =>
  pageFor('classes', (file) => file === `${name}.html` || file.endsWith(`.${name}.html`));
const testingModulePage = pageFor('modules', (_file, html) =>
  headings(html, 1).some((h) => /^Module .*testing$/.test(h)),
);

/** @type {{ name: string, path: string | undefined, expect: (dom: string) => string[] }[]} */
const pages = [
  {
    name: 'index',
    path: 'index.html',
    expect: (dom) => [
      headings(dom, 1).some((h) => h.includes('softlayer-ssl-orders'))
        ? ''
        : 'h1 naming softlayer-ssl-orders',
    ],
  },
  {
    name: 'SslOrdersClient class',
    path: classPage('SslOrdersClient'),
    expect: (dom) => [
      headings(dom, 1).includes('Class SslOrdersClient') ? '' : 'h1 "Class SslOrdersClient"',
      ...[
        'listOrders',
        'iterateOrders',
        'getOrder',
        'resendFulfillmentEmail',
        'resendApproverEmail',
        'fromEnv',
      ].map(
        // Member headings carry tags before the name ("Static fromEnv").
        (method) => (headings(dom, 3).some((h) => h.endsWith(method)) ? '' : `member heading "${method}"`),
      ),
    ],
  },
  {
    name: 'NotFoundError class',
    path: classPage('NotFoundError'),
    expect: (dom) => [
      headings(dom, 1).includes('Class NotFoundError') ? '' : 'h1 "Class NotFoundError"',
      // The hierarchy section shows the parent class.
      /<ul class="tsd-hierarchy">[\s\S]*?ApiError[\s\S]*?NotFoundError/.test(dom)
        ? ''
        : 'hierarchy ApiError → NotFoundError',
    ],
  },
  {
    name: 'testing module',
    path: testingModulePage,
    expect: (dom) => [dom.includes('startEmulator') ? '' : 'a member "startEmulator"'],
  },
];
// Every hand-written guide (docs/*.md, typedoc projectDocuments) renders with its own title.
for (const guide of readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'))) {
  // Markdown code spans render as <code>: compare the title's text without the backticks.
  const title = /^#\s+(.+)$/m
    .exec(readFileSync(join(root, 'docs', guide), 'utf8'))?.[1]
    ?.replace(/`/g, '')
    .trim();
  pages.push({
    name: `guide ${guide}`,
    path: pageFor('documents', (file) => file === `${basename(guide, '.md')}.html`),
    expect: (dom) => [title && headings(dom, 1).includes(text(title)) ? '' : `h1 "${title}"`],
  });
}

const toRender = pages.filter((page) => page.path);
const rendered = await renderAll(toRender.map((page) => page.path)).catch((error) => error);
server.close();
const results = pages.map((page) => {
  if (!page.path) return { ...page, problems: ['page file not found in docs/api'] };
  if (rendered instanceof Error) return { ...page, problems: [rendered.message] };
  const { dom, errors } = rendered[toRender.indexOf(page)];
  const problems = [...page.expect(dom).filter(Boolean), ...errors.map((error) => `script error: ${error}`)];
  if (!/SslOrdersClient\.html/.test(navigation(dom))) {
    problems.push('navigation tree not rendered by the site scripts');
  }
  return { ...page, problems };
});

const missing = new Set(
  served
    .filter((request) => request.status !== 200 && request.path !== '/favicon.ico')
    .map((request) => request.path),
);
for (const path of missing) results.push({ name: `asset ${path}`, path, problems: ['HTTP 404'] });
for (const asset of ['/assets/main.js', '/assets/style.css']) {
  if (!served.some((request) => request.path === asset && request.status === 200)) {
    results.push({ name: `asset ${asset}`, path: asset, problems: ['never loaded by the browser'] });
  }
}

if (buildProblems.length)
  results.unshift({ name: 'typedoc validation', path: 'typedoc.json', problems: buildProblems });
let failed = 0;
for (const result of results) {
  const ok = result.problems.length === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${result.name.padEnd(40)} ${result.path ?? ''}`);
  for (const problem of result.problems) console.log(`        missing/failed: ${problem}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`check-docs: ${results.length - failed}/${results.length} passed in ${seconds}s (${chromium})`);
process.exit(failed ? 1 : 0);

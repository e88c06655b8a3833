/**
 * `npm run bench:ui`: how fast the conflict dialog opens on a large document, and how much
 * JavaScript the first page load costs.
 *
 * 1. Builds the app (vite build, into a temporary folder) and gzips each chunk the first load
 *    fetches (the entry script and its modulepreloads in the build's index.html); the lazily
 *    loaded dialog is counted apart.
 * 2. Serves the build with the mock server (in memory, loopback), opens a 10,000-line document
 *    in Chromium, edits 50 lines while the API saves different edits to the same lines, saves,
 *    and measures from the end of the 409 response (Resource Timing) to the dialog's
 *    `performance.mark('conflict-dialog-ready')`, on the browser's own clock. Peer: an empty modal
 *    <dialog> opened and focused over the same edited page (the editor behind turns inert).
 * 3. Peer, same run: `merge3` on the same three texts in Node, the engine's part of that time
 *    (its first call, as the dialog's is, and the median of the calls after).
 * 4. Typing key by key into a 5,000-line document and, as the peer, a 50-line one; each beside a
 *    bare textarea holding the same text (what the browser's own editing costs).
 *
 *    Twice: Save pressed at once (the 409 is the news), and Save pressed once the live stream has
 *    brought their version and the page has merged in idle time (the usual case).
 *
 * The ready mark comes with the first render, which draws the view up to a few conflicts past
 * the focused one; `conflict-dialog-complete`, printed beside it, when all fifty are drawn.
 *
 * Targets: dialog ≤ 100 ms after the 409; initial JS ≤ 100 KB gzip. `npm run bench:ui -- typing` runs
 * the typing figures alone.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/support/chromium.ts';
import { startServer } from '../mock-server/server.ts';
import { buildApp } from '../scripts/build-app.ts';
import { median } from './stats.ts';
import { merge3 } from '../src/merge/index.ts';

const LINES = 10_000;
const CONFLICTS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DIALOG_TARGET_MS = 100;
const INITIAL_JS_TARGET_KB = 100;

function gzipKB(file: string): number {
  return gzipSync(readFileSync(file)).length / 1024;
}

/** The chunks index.html makes the browser fetch before the app runs. */
function initialScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? '');
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '');
  return [...new Set([...srcs, ...preloads])].filter(Boolean).map((path) => join(dist, path.replace(/^\//, '')));
}

function bundleSizes(dist: string) {
  const initial = initialScripts(dist);
  const all = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dist, 'assets', f));
  const initialKB = initial.reduce((sum, f) => sum + gzipKB(f), 0);
  const lazyKB = all.filter((f) => !initial.includes(f)).reduce((sum, f) => sum + gzipKB(f), 0);
  return { initialKB, lazyKB, initialFiles: initial.length };
}

/** 10k lines; mine and theirs rewrite the same word on the same 50 lines, so each is a conflict. */
function texts(lines = LINES) {
  const base: string[] = [];
  for (let i = 0; i < lines; i += 1) base.push(`Line ${i}: the quick brown fox number ${i} jumps over the lazy dog.`);
  const step = Math.floor(lines / CONFLICTS);
  const mine = [...base];
  const theirs = [...base];
  for (let c = 0; c < CONFLICTS; c += 1) {
    const i = c * step + Math.floor(step / 2);
    mine[i] = (base[i] ?? '').replace('quick', `careful-${c}`);
    theirs[i] = (base[i] ?? '').replace('quick', `hasty-${c}`);
  }
  const join = (lines: string[]) => `${lines.join('\n')}\n`;
  return { base: join(base), mine: join(mine), theirs: join(theirs) };
}

interface DialogTiming {
  /** End of the 409 response → the dialog's ready mark (the first screen drawn, focus in it). */
  total: number;
  /** End of the 409 response → every conflict drawn (the render right after the first). */
  complete: number;
  /** End of the 409 response → the save flow has the problem (reading and parsing the body). */
  received: number;
}

/** A new document holding base, open in a fresh context with mine pasted into the editor. */
async function openEdited(browser: Browser, url: string, t: ReturnType<typeof texts>, title: string) {
  const created = await fetch(`${url}/api/docs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-User': 'Bench' },
    body: JSON.stringify({ title, content: t.base }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  const { id } = (await created.json()) as { id: string };

  const context = await browser.newContext({ baseURL: url });
  const page = await context.newPage();
  await page.goto(`/docs/${id}?as=Mine`);
  const content = page.getByRole('textbox', { name: /Content/ });
  await content.waitFor();
  // One input event with the whole text, as a paste would send (typing 670 KB is not the point).
  await content.evaluate((element, text) => {
    const textarea = element as HTMLTextAreaElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    setValue?.call(textarea, text);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }, t.mine);
  // Typing fetches the dialog's chunk ahead of time; wait for it as a user's typing would.
  await page.waitForLoadState('networkidle');
  return { id, context, page };
}

/**
 * Peer of the dialog: an empty modal <dialog> opened and focused over the same edited page, in
 * fresh pages of their own (so the dialog's runs are not warmed by it). What opening any modal
 * costs there, the page behind turning inert, whatever the dialog holds.
 */
async function measureEmptyModal(url: string, t: ReturnType<typeof texts>): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
  const timings: number[] = [];
  try {
    for (let run = 0; run < Math.min(RUNS, 3) + 1; run += 1) {
      const { context, page } = await openEdited(browser, url, t, `Modal ${Date.now()} ${run}`);
      const ms = await page.evaluate(() => {
        const dialog = document.body.appendChild(document.createElement('dialog'));
        dialog.append(document.createElement('button'));
        const start = performance.now();
        dialog.showModal();
        dialog.querySelector('button')?.focus();
        return performance.now() - start;
      });
      if (run > 0) timings.push(ms);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return timings;
}

/**
 * `afterStream`: Save is pressed once the live stream has brought their version and the page has
 * prepared the merge in idle time (as when a person saves a few seconds after someone else);
 * without it, at once, so the 409 is the first the page hears of it.
 */
async function measureDialog(url: string, t: ReturnType<typeof texts>, afterStream: boolean): Promise<DialogTiming[]> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
  const timings: DialogTiming[] = [];
  try {
    for (let run = 0; run < RUNS + 1; run += 1) {
      const { id, context, page } = await openEdited(browser, url, t, `Bench ${Date.now()} ${run}`);

      const current = await fetch(`${url}/api/docs/${id}`);
      const etag = current.headers.get('ETag') ?? '';
      const { title } = (await current.json()) as { title: string };
      const saved = await fetch(`${url}/api/docs/${id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'Theirs' },
        body: JSON.stringify({ title, content: t.theirs }),
      });
      if (saved.status !== 200) throw new Error(`theirs: ${saved.status}`);
      if (afterStream) {
        await page.getByTestId('live-notice').waitFor();
        await page.waitForFunction(() => performance.getEntriesByName('conflict-merge-prepared').length > 0, null, { timeout: 30_000 });
      }

      const conflict = page.waitForResponse((r) => r.request().method() === 'PUT');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      if ((await conflict).status() !== 409) throw new Error('expected a 409');
      await page.waitForFunction(() => performance.getEntriesByName('conflict-dialog-ready').length > 0, null, { timeout: 30_000 });
      await page.waitForFunction(() => performance.getEntriesByName('conflict-dialog-complete').length > 0, null, { timeout: 30_000 });
      const ms = await page.evaluate((docId) => {
        const put = performance
          .getEntriesByType('resource')
          .filter((e): e is PerformanceResourceTiming => e.name.endsWith(`/api/docs/${docId}`) && (e as PerformanceResourceTiming).initiatorType === 'fetch')
          .at(-1);
        const ready = performance.getEntriesByName('conflict-dialog-ready').at(-1);
        const received = performance.getEntriesByName('conflict-received').at(-1);
        const complete = performance.getEntriesByName('conflict-dialog-complete').at(-1);
        if (!put || !ready || !received || !complete) return { total: Number.NaN, received: Number.NaN, complete: Number.NaN };
        return { total: ready.startTime - put.responseEnd, received: received.startTime - put.responseEnd, complete: complete.startTime - put.responseEnd };
      }, id);
      if (afterStream && (await page.evaluate(() => performance.getEntriesByName('conflict-merge-reused').length)) === 0) {
        throw new Error('the dialog did not find the prepared merge');
      }
      const conflicts = await page.getByRole('dialog').getByRole('button', { name: /Take theirs/ }).count();
      if (conflicts !== CONFLICTS) throw new Error(`expected ${CONFLICTS} conflicts in the dialog, saw ${conflicts}`);
      // The first run warms up the browser (JIT, font cache); it is not counted.
      if (run > 0) timings.push(ms);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return timings;
}

const KEYS = 'typing into a long one, key by key';
/** Between two keys, as a quick typist's: each key's frame is drawn before the next comes. */
const KEY_DELAY_MS = 60;
const TYPING_LINES = [5_000, 50] as const;

/** What typing costs per key, in one page. */
interface TypingCost {
  /** Median, key down → the next frame drawn after it (what the typist waits for). */
  latency: number;
  /** Main-thread time per key, all of it (input handling, layout, paint, and any work in between). */
  busy: number;
  /** JavaScript time per key. */
  script: number;
}

/** Records, in the page, the time from each key down to the frame after it. */
const RECORD_KEY_LATENCY = `
  window.__keyLatencies = [];
  document.addEventListener('keydown', (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__keyLatencies.push(performance.now() - start), 0));
  }, true);
`;

async function typeAndMeasure(page: Page): Promise<TypingCost> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    return new Map(list.map((m) => [m.name, m.value]));
  };
  await page.keyboard.press('Control+Home');
  // The first keys make the draft and load the dialog's code; they are not what typing costs.
  await page.keyboard.type('warm ', { delay: KEY_DELAY_MS });
  await page.waitForLoadState('networkidle');
  await page.evaluate(RECORD_KEY_LATENCY);
  const before = await metrics();
  await page.keyboard.type(KEYS, { delay: KEY_DELAY_MS });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
  const after = await metrics();
  const latencies = (await page.evaluate('window.__keyLatencies')) as number[];
  const perKey = (name: string) => (((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000) / KEYS.length;
  await cdp.detach();
  return { latency: median(latencies), busy: perKey('TaskDuration'), script: perKey('ScriptDuration') };
}

/** `lines` lines of the benchmark's document. */
function lineText(lines: number): string {
  return texts(lines).base;
}

/**
 * Typing into the editor, key by key, in a 5,000-line document and in a 50-line one (the peer: what
 * typing costs where length does not matter), each beside a bare textarea holding the same text
 * (what the browser itself costs).
 */
async function measureTyping(url: string): Promise<Array<{ lines: number; app: TypingCost; bare: TypingCost }>> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
  const results: Array<{ lines: number; app: TypingCost; bare: TypingCost }> = [];
  try {
    for (const lines of TYPING_LINES) {
      const content = lineText(lines);
      const created = await fetch(`${url}/api/docs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-User': 'Bench' },
        body: JSON.stringify({ title: `Typing ${lines} ${Date.now()}`, content }),
      });
      if (created.status !== 201) throw new Error(`create: ${created.status}`);
      const { id } = (await created.json()) as { id: string };
      const context = await browser.newContext({ baseURL: url });
      const page = await context.newPage();
      await page.goto(`/docs/${id}?as=Typist`);
      await page.getByRole('textbox', { name: /Content/ }).click();
      const app = await typeAndMeasure(page);
      await page.close();
      // The bare textarea in a page of its own, on the same origin, nothing else running.
      const peer = await context.newPage();
      await peer.goto('/api/docs');
      await peer.setContent('<label>Content <textarea id="bare" spellcheck="true"></textarea></label>');
      await peer.locator('#bare').evaluate((element, text) => {
        (element as HTMLTextAreaElement).value = text;
      }, content);
      await peer.locator('#bare').click();
      const bare = await typeAndMeasure(peer);
      results.push({ lines, app, bare });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

/**
 * merge3 in Node: the median of the runs after the first, and the first on its own. The dialog's
 * call is a first one too (a fresh page, its code not yet optimised), so the first is its peer.
 */
function measureMerge(t: ReturnType<typeof texts>): { warm: number[]; first: number } {
  const warm: number[] = [];
  let first = Number.NaN;
  for (let run = 0; run < RUNS + 1; run += 1) {
    const start = performance.now();
    const result = merge3(t.base, t.mine, t.theirs);
    const ms = performance.now() - start;
    const conflicts = result.hunks.filter((h) => h.kind === 'conflict').length;
    if (conflicts !== CONFLICTS) throw new Error(`merge3 found ${conflicts} conflicts, expected ${CONFLICTS}`);
    if (run > 0) warm.push(ms);
    else first = ms;
  }
  return { warm, first };
}

function printTyping(typing: Awaited<ReturnType<typeof measureTyping>>): void {
  console.log('Typing, per key (key down → next frame, median; main-thread time; of which script):');
  const cost = (c: TypingCost) => `${c.latency.toFixed(1)} ms  (busy ${c.busy.toFixed(1)} ms, script ${c.script.toFixed(1)} ms)`;
  for (const { lines, app, bare } of typing) {
    console.log(`  editor, ${lines.toLocaleString('en')} lines`.padEnd(30) + `${cost(app)};  peer bare textarea ${cost(bare)}`);
  }
  const [long, short] = typing;
  if (long && short) {
    console.log(
      `  editor ${long.lines.toLocaleString('en')} lines / ${short.lines} lines: ${(long.app.latency / short.app.latency).toFixed(2)}× latency, ` +
        `${(long.app.script / Math.max(short.app.script, 0.01)).toFixed(2)}× script; editor / bare textarea at ${long.lines.toLocaleString('en')} lines: ${(long.app.latency / long.bare.latency).toFixed(2)}× latency`,
    );
  }
}

async function main(): Promise<void> {
  console.log('Building the app…');
  const dist = buildApp();
  const sizes = bundleSizes(dist);

  // `npm run bench:ui -- typing`: the typing figures alone.
  if (process.argv.includes('typing')) {
    const server = await startServer({ port: 0, host: '127.0.0.1', staticRoot: dist });
    try {
      printTyping(await measureTyping(server.url));
    } finally {
      await server.close();
      rmSync(dist, { recursive: true, force: true });
    }
    return;
  }

  const t = texts();
  const server = await startServer({ port: 0, host: '127.0.0.1', staticRoot: dist });
  let dialog: DialogTiming[];
  let prepared: DialogTiming[];
  let emptyModal: number[];
  let typing: Awaited<ReturnType<typeof measureTyping>>;
  try {
    dialog = await measureDialog(server.url, t, false);
    prepared = await measureDialog(server.url, t, true);
    emptyModal = await measureEmptyModal(server.url, t);
    typing = await measureTyping(server.url);
  } finally {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
  const merge = measureMerge(t);

  const dialogMs = median(dialog.map((d) => d.total));
  const receivedMs = median(dialog.map((d) => d.received));
  const emptyModalMs = median(emptyModal);
  const mergeMs = median(merge.warm);
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
  const kb = (n: number) => `${n.toFixed(1)} KB`;

  console.log('');
  console.log(`Document: ${LINES.toLocaleString('en')} lines (${kb(t.base.length / 1024)}), ${CONFLICTS} conflicts; ${RUNS} runs after a warm-up.`);
  const totals = dialog.map((d) => d.total);
  console.log(`409 response → conflict-dialog-ready   median ${dialogMs.toFixed(1)} ms  (min ${Math.min(...totals).toFixed(1)}, max ${Math.max(...totals).toFixed(1)})  target ≤ ${DIALOG_TARGET_MS} ms: ${verdict(dialogMs <= DIALOG_TARGET_MS)}`);
  console.log(`  of which 409 response → save flow has the problem   median ${receivedMs.toFixed(1)} ms; dialog render ${(dialogMs - receivedMs).toFixed(1)} ms`);
  console.log(`  409 response → all ${CONFLICTS} conflicts drawn (conflict-dialog-complete)   median ${median(dialog.map((d) => d.complete)).toFixed(1)} ms`);
  const preparedTotals = prepared.map((d) => d.total);
  const preparedMs = median(preparedTotals);
  console.log(`  when the live stream brought theirs first (merge prepared in idle time)   median ${preparedMs.toFixed(1)} ms  (min ${Math.min(...preparedTotals).toFixed(1)}, max ${Math.max(...preparedTotals).toFixed(1)})  target ≤ ${DIALOG_TARGET_MS} ms: ${verdict(preparedMs <= DIALOG_TARGET_MS)}; all drawn ${median(prepared.map((d) => d.complete)).toFixed(1)} ms`);
  console.log(`peer: an empty modal <dialog>, same page   median ${emptyModalMs.toFixed(1)} ms to open and focus (the page behind turns inert)`);
  console.log(`peer: merge3 alone in Node             median ${mergeMs.toFixed(1)} ms  → dialog/merge ratio ${(dialogMs / mergeMs).toFixed(2)}×; first call ${merge.first.toFixed(1)} ms`);
  printTyping(typing);
  console.log(`Initial JS (${sizes.initialFiles} chunk${sizes.initialFiles === 1 ? '' : 's'}, gzip)           ${kb(sizes.initialKB)}  target ≤ ${INITIAL_JS_TARGET_KB} KB: ${verdict(sizes.initialKB <= INITIAL_JS_TARGET_KB)}`);
  console.log(`Lazy JS (dialog + merge engine, gzip)  ${kb(sizes.lazyKB)}  → initial share ${((100 * sizes.initialKB) / (sizes.initialKB + sizes.lazyKB)).toFixed(0)}% of all JS`);
}

await main();

/**
 * `npm run bench:soak [minutes]`: does a long session stay light? Three tabs (Alice, Bob, Carol)
 * have one document open in the editor, with History open in one of them, while the bot saves it
 * every second, for N minutes (10 unless told; `SOAK_MINUTES` works too). At the end of each
 * minute, for each tab: DOM nodes, JS heap after a forced garbage collection, and the requests to
 * the documents API per bot save in that minute.
 *
 * Targets: DOM nodes and heap flat after the first minute (growth ≤ 1 % a minute), ≤ 1 request per
 * save per tab. Peer, same run: the bot's saves themselves (one PUT each), the floor for "1".
 *
 * What grows and is not a leak, printed beside the figures so they can be read: the document
 * itself (the bot inserts a line in about one save of four, so its text and the editor's lines
 * grow), the inspector's request log (bounded: 200 entries, full after about 3 minutes at one
 * request a second), and the engine's compiled code. Growth is therefore given from minute 1 and
 * over the second half of the run, when the bounded parts are full; the verdict is on the second.
 * Requests are split into those that follow saves (the document, its revisions) and those on a
 * clock whatever happens (the lock's poll, every 15 s).
 */
import { rmSync } from 'node:fs';
import { chromium } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/support/chromium.ts';
import { startServer } from '../mock-server/server.ts';
import { buildApp } from '../scripts/build-app.ts';

const MINUTES = Number(process.argv[2] ?? process.env.SOAK_MINUTES ?? 10);
const MINUTE_MS = 60_000;
const BOT_SECONDS = 1;
const GROWTH_TARGET = 0.01;
const USERS = ['Alice', 'Bob', 'Carol'] as const;

interface Tab {
  name: string;
  page: Page;
  cdp: CDPSession;
  /** Requests to the document and its revisions. */
  requests: number;
  /** Requests on a timer: the lock's poll. */
  polls: number;
}

interface Sample {
  nodes: number;
  heapMB: number;
  requests: number;
  polls: number;
}

async function sample(tab: Tab): Promise<Omit<Sample, 'requests' | 'polls'>> {
  await tab.cdp.send('HeapProfiler.collectGarbage');
  const heap = (await tab.cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const nodes = await tab.page.evaluate(() => document.getElementsByTagName('*').length);
  return { nodes, heapMB: heap.usedSize / 1024 / 1024 };
}

async function botSaves(url: string): Promise<number> {
  const response = await fetch(`${url}/api/simulation`);
  const state = (await response.json()) as { bot: { saves: number } };
  return state.bot.saves;
}

/** Growth per minute from the `from`th sample to the last, as a fraction of that sample's value. */
function growthPerMinute(values: number[], from = 0): number {
  const first = values[from] ?? 0;
  const last = values[values.length - 1] ?? 0;
  const minutes = values.length - 1 - from;
  return minutes > 0 && first > 0 ? (last - first) / first / minutes : 0;
}

async function documentKB(url: string, id: string): Promise<number> {
  const response = await fetch(`${url}/api/docs/${id}`);
  const doc = (await response.json()) as { content: string };
  return Buffer.byteLength(doc.content) / 1024;
}

async function main() {
  if (!Number.isFinite(MINUTES) || MINUTES < 2) throw new Error('bench:soak needs at least 2 minutes (minute 1 is the baseline).');
  const dist = buildApp();
  const server = await startServer({ port: 0, host: '127.0.0.1', storage: { kind: 'memory' }, staticRoot: dist });
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
  try {
    const created = await fetch(`${server.url}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Soak' },
      body: JSON.stringify({ title: `Soak ${Date.now()}`, content: 'The bot writes here.\n' }),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status}`);
    const { id } = (await created.json()) as { id: string };

    const tabs: Tab[] = [];
    for (const name of USERS) {
      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      const tab: Tab = { name, page, cdp: await context.newCDPSession(page), requests: 0, polls: 0 };
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (!path.startsWith('/api/docs')) return;
        if (path.endsWith('/lock')) tab.polls += 1;
        else tab.requests += 1;
      });
      await page.goto(`/docs/${id}?as=${name}`);
      await page.getByRole('textbox', { name: /Content/ }).waitFor();
      tabs.push(tab);
    }
    // One tab reads the history all along: its list must grow by the event, not by refetching.
    const history = tabs[0]?.page.getByText(/^History/);
    if (history && (await history.count()) > 0) await history.first().click();

    const bot = await fetch(`${server.url}/api/simulation/bot`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Soak' },
      body: JSON.stringify({ docId: id, intervalSeconds: BOT_SECONDS }),
    });
    if (!bot.ok) throw new Error(`bot: ${bot.status}`);

    console.log(`bench:soak · ${USERS.length} tabs · bot every ${BOT_SECONDS} s · ${MINUTES} min`);
    console.log(`minute  saves  doc KB  ${USERS.map((u) => `${u.padEnd(5)} nodes   heap MB  req/save`).join('  ')}`);
    const perTab: Sample[][] = tabs.map(() => []);
    let measuredSaves = 0;
    let savesBefore = await botSaves(server.url);
    for (let minute = 1; minute <= MINUTES; minute += 1) {
      const requestsBefore = tabs.map((t) => t.requests);
      const pollsBefore = tabs.map((t) => t.polls);
      await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
      const savesNow = await botSaves(server.url);
      const saves = savesNow - savesBefore;
      savesBefore = savesNow;
      measuredSaves += saves;
      const cells: string[] = [];
      for (const [i, tab] of tabs.entries()) {
        const measured = await sample(tab);
        const requests = tab.requests - (requestsBefore[i] ?? 0);
        const polls = tab.polls - (pollsBefore[i] ?? 0);
        perTab[i]?.push({ ...measured, requests, polls });
        cells.push(
          `${String(measured.nodes).padStart(11)} ${measured.heapMB.toFixed(2).padStart(9)} ${(saves > 0 ? requests / saves : 0).toFixed(2).padStart(9)}`,
        );
      }
      const kb = await documentKB(server.url, id);
      console.log(`${String(minute).padStart(6)} ${String(saves).padStart(6)} ${kb.toFixed(1).padStart(7)}  ${cells.join('  ')}`);
    }

    console.log('');
    const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
    // The second half: from the middle minute on, when the request log is full.
    const half = Math.floor(MINUTES / 2) - 1;
    for (const [i, tab] of tabs.entries()) {
      const samples = perTab[i] ?? [];
      const nodes = growthPerMinute(samples.map((s) => s.nodes));
      const heap = growthPerMinute(samples.map((s) => s.heapMB));
      const lateNodes = growthPerMinute(samples.map((s) => s.nodes), half);
      const lateHeap = growthPerMinute(samples.map((s) => s.heapMB), half);
      const totalRequests = samples.reduce((sum, s) => sum + s.requests, 0);
      const totalPolls = samples.reduce((sum, s) => sum + s.polls, 0);
      console.log(
        `${tab.name.padEnd(5)} nodes ${(nodes * 100).toFixed(2)} %/min, heap ${(heap * 100).toFixed(2)} %/min after minute 1; ` +
          `from minute ${half + 1}: nodes ${(lateNodes * 100).toFixed(2)} %/min, heap ${(lateHeap * 100).toFixed(2)} %/min (target ≤ ${GROWTH_TARGET * 100} %): ` +
          `${verdict(lateNodes <= GROWTH_TARGET && lateHeap <= GROWTH_TARGET)}; ${totalRequests} requests and ${totalPolls} lock polls in ${MINUTES} min`,
      );
    }
    // Opening the page (the document, its revisions) is not a save's cost: only the measured minutes count.
    const requestsPerSave = perTab.map((samples) => samples.reduce((sum, s) => sum + s.requests, 0) / Math.max(1, measuredSaves));
    const pollsPerMinute = perTab.map((samples) => samples.reduce((sum, s) => sum + s.polls, 0) / Math.max(1, samples.length));
    console.log(
      `requests per save per tab over ${measuredSaves} saves: ${requestsPerSave.map((r) => r.toFixed(2)).join(' / ')} (peer: the bot's own PUT per save = 1.00) target ≤ 1: ${verdict(requestsPerSave.every((r) => r <= 1))}`,
    );
    console.log(`on a clock, not per save: lock polls per minute per tab ${pollsPerMinute.map((r) => r.toFixed(1)).join(' / ')}`);
  } finally {
    await fetch(`${server.url}/api/simulation/bot`, { method: 'DELETE', headers: { 'X-User': 'Soak' } }).catch(() => undefined);
    await browser.close();
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

await main();

/**
 * `npm run bench:soak [minutes] [--snapshots] [--calls]`: does a long session stay light? Three
 * tabs (Alice, Bob, Carol) have one document open in the editor, with History open in one of
 * them, while the bot saves it every second, for N minutes (10 unless told; `SOAK_MINUTES` works
 * too). At the end of each minute, for each tab: DOM nodes, JS heap after a forced garbage collection
 * (`HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`), and the requests to the documents
 * API per bot save in that minute.
 *
 * Targets: DOM nodes and heap flat after the first minute, growth ≤ 1 % a minute measured from
 * minute 1; ≤ 1 request per save per tab. Peer, same run: the bot's saves themselves (one PUT
 * each), the floor for "1". Heap growth over the second half of the run is printed beside the
 * verdict, to tell growth that goes on from growth that stops.
 *
 * What may grow and is not a leak: the document itself (the bot inserts a line in about one save
 * of four, so its text grows without bound, a few KB in ten minutes), and the engine's compiled
 * code (functions of React and the query cache that run once per save become hot minutes into the
 * run and are compiled again, optimised). `--snapshots` takes a heap snapshot of each tab at the
 * end of every minute (after the figures are read): it prints each minute's V8 heap split into
 * compiled code and the rest, with the groups that changed most since the minute before (what a
 * jump in the heap was), and what arrived between minute 1 and the end and stayed, grouped by
 * constructor and by what holds it, and which functions the new compiled code belongs to. With
 * `SOAK_DIST` naming a build made with `vite build --minify false`, those are the functions' own
 * names.
 *
 * Requests are split into those that follow saves (the document, its revisions) and reads of the
 * lock (none while nobody holds it).
 *
 * `--calls`: after the measured minutes, for 30 s more, how many calls of the app's functions (its
 * own code and the libraries bundled with it) one save costs each tab, and how many functions
 * that is: the work a save makes, counted rather than timed; and the functions called most (by
 * their own names in a build made with `vite build --minify false`, given as `SOAK_DIST`).
 */
import { rmSync } from 'node:fs';
import { chromium } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/support/chromium.ts';
import { startServer } from '../mock-server/server.ts';
import { buildApp } from '../scripts/build-app.ts';
import { heapGrowth, isV8, netGrowth, newCodeOwners, takeSnapshot, totalBytes, v8Split, type Snapshot } from './heap-diff.ts';

const args = process.argv.slice(2);
const MINUTES = Number(args.find((a) => !a.startsWith('--')) ?? process.env.SOAK_MINUTES ?? 10);
/** Heap snapshots of each tab at minute 1 and at the end: what arrived in between and stayed. */
const SNAPSHOTS = args.includes('--snapshots');
/** After the measured minutes: how many of the page's functions one save runs, and how many calls. */
const CALLS = args.includes('--calls');
const CALLS_SECONDS = 30;
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

/** What `Profiler.takePreciseCoverage` answers, as far as it is read here. */
interface CoveredScript {
  url: string;
  functions: Array<{ functionName: string; ranges: Array<{ count: number; startOffset: number }> }>;
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
  // Counted through the DevTools protocol, not page.evaluate: Playwright's helper script would run
  // in the measured page each minute, and its compiled code would count as the app's heap.
  const counted = (await tab.cdp.send('Runtime.evaluate', { expression: "document.getElementsByTagName('*').length", returnByValue: true })) as {
    result: { value: number };
  };
  const nodes = counted.result.value;
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

function printGrowth(name: string, before: Snapshot, after: Snapshot): void {
  const { rows, newBytes, goneBytes } = heapGrowth(before, after);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const v8 = (snapshot: Snapshot, code: boolean) => snapshot.nodes.filter((n) => isV8(n) && (n.type === 'code') === code).reduce((sum, n) => sum + n.selfSize, 0);
  console.log(`  ${name}: heap snapshot ${kb(totalBytes(before))} → ${kb(totalBytes(after))}; objects new since minute 1 and alive: ${kb(newBytes)}; gone: ${kb(goneBytes)}`);
  console.log(
    `    JS heap (V8) change: compiled code ${kb(v8(after, true) - v8(before, true))}, everything else ${kb(v8(after, false) - v8(before, false))}`,
  );
  console.log(`    net change by group: ${netGrowth(before, after).slice(0, 10).map((g) => `${g.group.slice(0, 50)} ${kb(g.bytes)} (${g.count >= 0 ? '+' : ''}${g.count})`).join('; ')}`);
  const owners = newCodeOwners(before, after);
  console.log(`    new code, by the function holding it: ${owners.slice(0, 25).map((o) => `${o.owner} ${kb(o.bytes)}/${o.count}`).join('; ')}`);
  for (const row of rows.slice(0, 14)) {
    console.log(`    ${kb(row.bytes).padStart(9)} ${String(row.count).padStart(6)} × ${row.group.slice(0, 60).padEnd(40)} held by ${row.heldBy}${row.samples.length > 0 ? ` e.g. ${row.samples.join(' ')}` : ''}`);
    console.log(`                       largest: ${row.chain}`);
  }
}

async function main() {
  if (!Number.isFinite(MINUTES) || MINUTES < 2) throw new Error('bench:soak needs at least 2 minutes (minute 1 is the baseline).');
  // A build of one's own (unminified, for names in the snapshots) is used as it is, and kept.
  const given = process.env.SOAK_DIST;
  const dist = given ?? buildApp();
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
    const firstSnapshots: Snapshot[] = [];
    // With --snapshots, the one before (each minute is read against it) and each minute's split.
    const lastSnapshots: Snapshot[] = [];
    const splits: string[] = [];
    const growthReports: Array<() => void> = [];
    // Saves and requests are counted over the same stretch of time: from one reading of the bot's
    // count to the next (what the sampling and snapshots take falls into the next minute for both).
    let savesBefore = await botSaves(server.url);
    let requestsBefore = tabs.map((t) => t.requests);
    let pollsBefore = tabs.map((t) => t.polls);
    for (let minute = 1; minute <= MINUTES; minute += 1) {
      await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
      const savesNow = await botSaves(server.url);
      const requestsNow = tabs.map((t) => t.requests);
      const pollsNow = tabs.map((t) => t.polls);
      const saves = savesNow - savesBefore;
      measuredSaves += saves;
      const cells: string[] = [];
      for (const [i, tab] of tabs.entries()) {
        const measured = await sample(tab);
        const requests = (requestsNow[i] ?? 0) - (requestsBefore[i] ?? 0);
        const polls = (pollsNow[i] ?? 0) - (pollsBefore[i] ?? 0);
        perTab[i]?.push({ ...measured, requests, polls });
        cells.push(
          `${String(measured.nodes).padStart(11)} ${measured.heapMB.toFixed(2).padStart(9)} ${(saves > 0 ? requests / saves : 0).toFixed(2).padStart(9)}`,
        );
      }
      if (SNAPSHOTS) {
        const cells: string[] = [];
        for (const [i, tab] of tabs.entries()) {
          const snapshot = await takeSnapshot(tab.cdp);
          const { code, other } = v8Split(snapshot);
          const previous = lastSnapshots[i];
          const changes = previous ? netGrowth(previous, snapshot).filter((g) => Math.abs(g.bytes) >= 2048) : [];
          const largest = [...changes].sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes)).slice(0, 4);
          // A minute that added much code: whose it is (the functions that turned hot in it).
          const codeAdded = previous ? code - v8Split(previous).code : 0;
          const owners = previous && codeAdded >= 32 * 1024 ? newCodeOwners(previous, snapshot).slice(0, 8) : [];
          cells.push(
            `${tab.name} code ${(code / 1024).toFixed(0)} KB, other ${(other / 1024).toFixed(0)} KB` +
              (largest.length > 0 ? ` (${largest.map((g) => `${g.group.slice(0, 40)} ${g.bytes >= 0 ? '+' : ''}${(g.bytes / 1024).toFixed(1)}`).join(', ')})` : '') +
              (owners.length > 0 ? ` [new code of: ${owners.map((o) => `${o.owner} ${(o.bytes / 1024).toFixed(1)}`).join(', ')}]` : ''),
          );
          lastSnapshots[i] = snapshot;
          if (minute === 1) firstSnapshots[i] = snapshot;
          else if (minute === MINUTES) {
            const before = firstSnapshots[i];
            if (before) growthReports.push(() => printGrowth(tab.name, before, snapshot));
          }
        }
        splits.push(`${String(minute).padStart(6)}  ${cells.join(' · ')}`);
      }
      savesBefore = savesNow;
      requestsBefore = requestsNow;
      pollsBefore = pollsNow;
      const kb = await documentKB(server.url, id);
      console.log(`${String(minute).padStart(6)} ${String(saves).padStart(6)} ${kb.toFixed(1).padStart(7)}  ${cells.join('  ')}`);
    }

    if (splits.length > 0) {
      console.log('');
      console.log('V8 heap at the end of each minute (snapshot): compiled code, everything else; in brackets the groups that changed by 2 KB or more since the minute before, in KB:');
      for (const line of splits) console.log(line);
    }
    if (growthReports.length > 0) {
      console.log('');
      console.log(`What arrived between minute 1 and minute ${MINUTES} and stayed (heap snapshots):`);
      for (const report of growthReports) report();
    }

    console.log('');
    const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
    // Beside the verdict, for reading it: the second half alone, once JIT warm-up is further behind.
    const half = Math.floor(MINUTES / 2) - 1;
    for (const [i, tab] of tabs.entries()) {
      const samples = perTab[i] ?? [];
      const nodes = growthPerMinute(samples.map((s) => s.nodes));
      const heap = growthPerMinute(samples.map((s) => s.heapMB));
      const lateHeap = growthPerMinute(samples.map((s) => s.heapMB), half);
      const totalRequests = samples.reduce((sum, s) => sum + s.requests, 0);
      const totalPolls = samples.reduce((sum, s) => sum + s.polls, 0);
      console.log(
        `${tab.name.padEnd(5)} from minute 1: nodes ${(nodes * 100).toFixed(2)} %/min, heap ${(heap * 100).toFixed(2)} %/min (target ≤ ${GROWTH_TARGET * 100} %): ` +
          `${verdict(nodes <= GROWTH_TARGET && heap <= GROWTH_TARGET)}; heap from minute ${half + 1}: ${(lateHeap * 100).toFixed(2)} %/min; ` +
          `${totalRequests} requests and ${totalPolls} lock reads in ${MINUTES} min`,
      );
    }
    // Opening the page (the document, its revisions) is not a save's cost: only the measured minutes count.
    // A request in flight at either end of the run may belong to a save counted on the other side
    // of it: one request more than saves is still one per save.
    const requestsPerTab = perTab.map((samples) => samples.reduce((sum, s) => sum + s.requests, 0));
    const pollsPerMinute = perTab.map((samples) => samples.reduce((sum, s) => sum + s.polls, 0) / Math.max(1, samples.length));
    console.log(
      `requests per save per tab over ${measuredSaves} saves: ${requestsPerTab.map((r) => `${(r / Math.max(1, measuredSaves)).toFixed(2)} (${r})`).join(' / ')} ` +
        `(peer: the bot's own PUT per save = 1.00) target ≤ 1: ${verdict(requestsPerTab.every((r) => r <= measuredSaves + 1))}`,
    );
    console.log(`lock reads per minute per tab: ${pollsPerMinute.map((r) => r.toFixed(1)).join(' / ')} (nobody holds the lock)`);

    if (CALLS) {
      // Counted after the heap figures, since counting keeps what V8 would otherwise let go.
      for (const tab of tabs) {
        await tab.cdp.send('Profiler.enable');
        await tab.cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
        await tab.cdp.send('Profiler.takePreciseCoverage');
      }
      const from = await botSaves(server.url);
      await new Promise((resolve) => setTimeout(resolve, CALLS_SECONDS * 1000));
      const saves = (await botSaves(server.url)) - from;
      const cells: string[] = [];
      const busiest: string[] = [];
      for (const tab of tabs) {
        const { result } = (await tab.cdp.send('Profiler.takePreciseCoverage')) as { result: CoveredScript[] };
        await tab.cdp.send('Profiler.stopPreciseCoverage');
        const functions = result
          .filter((script) => new URL(script.url, server.url).pathname.startsWith('/assets/'))
          .flatMap((script) => {
            const file = new URL(script.url, server.url).pathname.replace(/^\/assets\//, '').replace(/-[\w-]{8}\.js$/, '');
            return script.functions.map((f) => ({ name: `${f.functionName || '(anonymous)'}@${file}:${f.ranges[0]?.startOffset ?? 0}`, count: f.ranges[0]?.count ?? 0 }));
          });
        const ran = functions.filter((f) => f.count > 0).length;
        const calls = functions.reduce((sum, f) => sum + f.count, 0);
        cells.push(`${tab.name} ${(calls / Math.max(1, saves)).toFixed(0)} calls of ${ran} functions`);
        // What the calls are (names are the build's own: a build without minifying, in SOAK_DIST, names them).
        const top = functions.sort((a, b) => b.count - a.count).slice(0, 12);
        busiest.push(`  ${tab.name}: ${top.map((f) => `${f.name} ${(f.count / Math.max(1, saves)).toFixed(1)}`).join(', ')}`);
      }
      console.log(`per save, over ${saves} saves (V8's precise coverage, the app's own scripts): ${cells.join(' / ')}`);
      console.log('the functions called most, calls per save:');
      for (const line of busiest) console.log(line);
    }
  } finally {
    await fetch(`${server.url}/api/simulation/bot`, { method: 'DELETE', headers: { 'X-User': 'Soak' } }).catch(() => undefined);
    await browser.close();
    await server.close();
    if (!given) rmSync(dist, { recursive: true, force: true });
  }
}

await main();

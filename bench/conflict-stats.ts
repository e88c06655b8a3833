/**
 * `npm run bench:conflict-stats`: what counting conflicts costs the server, and that its memory
 * stays bounded however many documents and people there are.
 *
 * One million events (conflicts and outcomes) from 200,000 different people on 100,000 different
 * documents, recorded into ConflictStats. Its cost per event is set beside a peer measured in the
 * same run: the least any per-key counting must do, three Map increments (document, person, mode).
 * The heap is measured after 10,000 events and after the million (both after a forced GC, so run
 * with `--expose-gc`, as the npm script does): bounded memory means the two are close.
 *
 * Targets: heap after 1,000,000 events ≤ 2× the heap after 10,000; a snapshot ≤ 5 ms.
 */
import { ConflictStats } from '../mock-server/stats.ts';
import { median } from './stats.ts';

const EVENTS = 1_000_000;
const USERS = 200_000;
const DOCS = 100_000;

const gc = (globalThis as { gc?: () => void }).gc;
function heapMB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
}
const users = names('user', USERS);
const docs = names('d', DOCS);
// A fixed pseudo-random walk (mulberry32), so every run records the same events.
let seed = 42;
function next(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
}

function record(stats: ConflictStats, i: number): void {
  const docId = docs[next(DOCS)] ?? '';
  const user = users[next(USERS)] ?? '';
  if (i % 3 === 2) stats.recordOutcome({ outcome: 'merge', docId, user, mode: 'etag', key: `k${i}` });
  else stats.recordConflictEvent({ kind: 'conflict', docId, user, mode: 'etag', title: docId });
}

function peer(counters: Map<string, number>[], i: number): void {
  const docId = docs[next(DOCS)] ?? '';
  const user = users[next(USERS)] ?? '';
  for (const [map, key] of [
    [counters[0], docId],
    [counters[1], user],
    [counters[2], `etag ${i % 3}`],
  ] as const) {
    map?.set(key, (map.get(key) ?? 0) + 1);
  }
}

if (!gc) console.log('(run with node --expose-gc for the heap figures: npm run bench:conflict-stats does)');

const baseline = heapMB();
const stats = new ConflictStats();
for (let i = 0; i < 10_000; i += 1) record(stats, i);
const after10k = heapMB() - baseline;

let started = performance.now();
for (let i = 10_000; i < EVENTS; i += 1) record(stats, i);
const oursMs = performance.now() - started;
const afterMillion = heapMB() - baseline;

const counters = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
started = performance.now();
for (let i = 10_000; i < EVENTS; i += 1) peer(counters, i);
const peerMs = performance.now() - started;
const peerHeap = heapMB() - baseline - afterMillion;
const peerKeys = counters.reduce((sum, map) => sum + map.size, 0);

const snapshotTimes: number[] = [];
let bytes = 0;
for (let i = 0; i < 20; i += 1) {
  const t = performance.now();
  bytes = JSON.stringify(stats.snapshot()).length;
  snapshotTimes.push(performance.now() - t);
}
const snapshotMs = median(snapshotTimes);

const perEvent = (ms: number) => ((ms * 1e6) / (EVENTS - 10_000)).toFixed(0);
console.log(`Events recorded                    ${EVENTS.toLocaleString('en')} (${USERS.toLocaleString('en')} people, ${DOCS.toLocaleString('en')} documents)`);
console.log(`Cost per event                     ${perEvent(oursMs)} ns; peer (three Map increments, unbounded) ${perEvent(peerMs)} ns → ${(oursMs / peerMs).toFixed(1)}×`);
console.log(`Heap after 10,000 events           ${after10k.toFixed(1)} MB`);
console.log(`Heap after 1,000,000 events        ${afterMillion.toFixed(1)} MB → ${(afterMillion / after10k).toFixed(2)}× (target ≤ 2×: ${afterMillion <= 2 * after10k ? 'met' : 'MISSED'})`);
console.log(`Peer's unbounded Maps              ${peerHeap.toFixed(1)} MB for ${peerKeys.toLocaleString('en')} keys`);
console.log(`Snapshot (GET /api/stats, frame)   ${snapshotMs.toFixed(2)} ms median, ${(bytes / 1024).toFixed(1)} KB JSON (target ≤ 5 ms: ${snapshotMs <= 5 ? 'met' : 'MISSED'})`);

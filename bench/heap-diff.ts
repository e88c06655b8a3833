/**
 * What a page's heap gained between two moments, from two V8 heap snapshots taken over CDP
 * (`HeapProfiler.takeHeapSnapshot`). Snapshot node ids are stable for the life of an object, so the
 * objects alive in the second snapshot and absent from the first are the ones that arrived in
 * between and stayed. They are grouped by constructor (strings, code and arrays by kind) and by
 * what holds them (the first retainer's constructor and edge name), the largest groups first.
 * Used by `npm run bench:soak -- --snapshots`.
 */
import type { CDPSession } from '@playwright/test';

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapNode {
  id: number;
  type: string;
  name: string;
  selfSize: number;
}

export interface Snapshot {
  nodes: HeapNode[];
  /** For each node (by index), the index of its first retainer and the edge's name, if any. */
  retainer: Array<{ from: number; edge: string } | null>;
  byId: Map<number, number>;
  /** For a compiled-code node a function runs (the target of a closure's `code` edge), that function's name. */
  runBy: Map<number, string>;
}

/** Takes a heap snapshot of the page behind `cdp` (after a full garbage collection). */
export async function takeSnapshot(cdp: CDPSession): Promise<Snapshot> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return parseSnapshot(JSON.parse(chunks.join('')) as RawSnapshot);
}

export function parseSnapshot(raw: RawSnapshot): Snapshot {
  const { meta } = raw.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const f = (name: string) => meta.node_fields.indexOf(name);
  const e = (name: string) => meta.edge_fields.indexOf(name);
  const [typeAt, nameAt, idAt, sizeAt, edgeCountAt] = [f('type'), f('name'), f('id'), f('self_size'), f('edge_count')];
  const [edgeTypeAt, edgeNameAt, toAt] = [e('type'), e('name_or_index'), e('to_node')];

  const nodes: HeapNode[] = [];
  const byId = new Map<number, number>();
  for (let i = 0; i < raw.nodes.length; i += nodeFields) {
    const id = raw.nodes[i + idAt] ?? 0;
    byId.set(id, nodes.length);
    nodes.push({
      id,
      type: nodeTypes[raw.nodes[i + typeAt] ?? 0] ?? '?',
      name: raw.strings[raw.nodes[i + nameAt] ?? 0] ?? '',
      selfSize: raw.nodes[i + sizeAt] ?? 0,
    });
  }
  const retainer: Snapshot['retainer'] = nodes.map(() => null);
  const runBy = new Map<number, string>();
  let edge = 0;
  for (let n = 0; n < nodes.length; n += 1) {
    const count = raw.nodes[n * nodeFields + edgeCountAt] ?? 0;
    for (let k = 0; k < count; k += 1, edge += edgeFields) {
      const type = edgeTypes[raw.edges[edge + edgeTypeAt] ?? 0] ?? '';
      // Weak edges do not keep anything alive; a node's first strong retainer is enough to read.
      if (type === 'weak' || type === 'shortcut') continue;
      const to = (raw.edges[edge + toAt] ?? 0) / nodeFields;
      const nameOrIndex = raw.edges[edge + edgeNameAt] ?? 0;
      const name = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : (raw.strings[nameOrIndex] ?? '');
      // Optimised code is held by what it inlined and deoptimises to as much as by its function:
      // the function whose code it is, is the one that runs it.
      const from = nodes[n];
      if (from?.type === 'closure' && name === 'code' && !runBy.has(to)) runBy.set(to, from.name || '(anonymous)');
      if (retainer[to]) continue;
      retainer[to] = { from: n, edge: name };
    }
  }
  return { nodes, retainer, byId, runBy };
}

/** A node's group: objects by constructor, the rest by kind (a string's text is not a group). */
function groupOf(node: HeapNode): string {
  if (node.type === 'object' || node.type === 'closure' || node.type === 'native') return `${node.type} ${node.name}`;
  if (node.type === 'hidden' || node.type === 'object shape' || node.type === 'array' || node.type === 'code') return `${node.type} ${node.name.slice(0, 40)}`;
  return node.type;
}

export interface GrowthRow {
  group: string;
  count: number;
  bytes: number;
  /** The most common holder of this group's new objects: "Constructor.edge". */
  heldBy: string;
  /** A few of the new strings, shortened, when the group is strings. */
  samples: string[];
  /** The retainer chain of the group's largest new object, nearest first. */
  chain: string;
}

/** Who holds node `index`: its first retainers, `depth` deep, nearest first. */
export function retainerChain(snapshot: Snapshot, index: number, depth = 6): string {
  const steps: string[] = [];
  let at = index;
  for (let i = 0; i < depth; i += 1) {
    const held = snapshot.retainer[at];
    if (!held) break;
    const from = snapshot.nodes[held.from];
    if (!from) break;
    steps.push(`${(from.name || from.type).slice(0, 40)}.${held.edge.slice(0, 30)}`);
    at = held.from;
  }
  return steps.join(' ← ');
}

/** The objects in `after` that `before` did not have, grouped; also the net change in total size. */
export function heapGrowth(before: Snapshot, after: Snapshot): { rows: GrowthRow[]; newBytes: number; goneBytes: number } {
  const groups = new Map<string, { count: number; bytes: number; holders: Map<string, number>; samples: string[]; largest: number; largestSize: number }>();
  let newBytes = 0;
  for (const [index, node] of after.nodes.entries()) {
    if (before.byId.has(node.id)) continue;
    newBytes += node.selfSize;
    const group = groupOf(node);
    let row = groups.get(group);
    if (!row) {
      row = { count: 0, bytes: 0, holders: new Map(), samples: [], largest: index, largestSize: -1 };
      groups.set(group, row);
    }
    row.count += 1;
    if (node.selfSize > row.largestSize) {
      row.largest = index;
      row.largestSize = node.selfSize;
    }
    row.bytes += node.selfSize;
    const held = after.retainer[index];
    const holderNode = held ? after.nodes[held.from] : undefined;
    const holder = holderNode ? `${holderNode.name.slice(0, 30) || holderNode.type}.${held?.edge.slice(0, 30)}` : '(root)';
    row.holders.set(holder, (row.holders.get(holder) ?? 0) + node.selfSize);
    if (node.type.includes('string') && row.samples.length < 3 && node.selfSize > 200) row.samples.push(JSON.stringify(node.name.slice(0, 60)));
  }
  let goneBytes = 0;
  const afterIds = after.byId;
  for (const node of before.nodes) if (!afterIds.has(node.id)) goneBytes += node.selfSize;
  const rows = [...groups.entries()]
    .map(([group, row]) => ({
      group,
      count: row.count,
      bytes: row.bytes,
      heldBy: [...row.holders.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      samples: row.samples,
      chain: retainerChain(after, row.largest),
    }))
    .sort((a, b) => b.bytes - a.bytes);
  return { rows, newBytes, goneBytes };
}

/**
 * Whose compiled code arrived between the snapshots: for each new piece of code, the function
 * that runs it (or, failing that, the closure that holds it), a few retainers up; by name, most
 * code first.
 */
export function newCodeOwners(before: Snapshot, after: Snapshot): Array<{ owner: string; bytes: number; count: number }> {
  const owners = new Map<string, { bytes: number; count: number }>();
  for (const [index, node] of after.nodes.entries()) {
    if (node.type !== 'code' || before.byId.has(node.id)) continue;
    let at = index;
    let owner = '(no function found)';
    for (let step = 0; step < 6; step += 1) {
      const runner = after.runBy.get(at);
      if (runner !== undefined) {
        owner = runner;
        break;
      }
      const held = after.retainer[at];
      const from = held ? after.nodes[held.from] : undefined;
      if (!held || !from) break;
      if (from.type === 'closure') {
        owner = from.name || '(anonymous)';
        break;
      }
      at = held.from;
    }
    const row = owners.get(owner) ?? { bytes: 0, count: 0 };
    row.bytes += node.selfSize;
    row.count += 1;
    owners.set(owner, row);
  }
  return [...owners.entries()].map(([owner, row]) => ({ owner, ...row })).sort((a, b) => b.bytes - a.bytes);
}

/** The change in total size of each group between two snapshots (whatever came and went), largest growth first. */
export function netGrowth(before: Snapshot, after: Snapshot): Array<{ group: string; bytes: number; count: number }> {
  const totals = new Map<string, { bytes: number; count: number }>();
  const add = (snapshot: Snapshot, sign: number) => {
    for (const node of snapshot.nodes) {
      const group = groupOf(node);
      const row = totals.get(group) ?? { bytes: 0, count: 0 };
      row.bytes += sign * node.selfSize;
      row.count += sign;
      totals.set(group, row);
    }
  };
  add(after, 1);
  add(before, -1);
  return [...totals.entries()].map(([group, row]) => ({ group, ...row })).sort((a, b) => b.bytes - a.bytes);
}

/** The V8 heap's share of a snapshot: everything but the embedder's (Blink's) native objects. */
export function isV8(node: HeapNode): boolean {
  return node.type !== 'native' || node.name.startsWith('system /');
}

/** A snapshot's V8 heap in two parts: compiled code (the engine's, for the page's functions) and everything else. */
export function v8Split(snapshot: Snapshot): { code: number; other: number } {
  let code = 0;
  let other = 0;
  for (const node of snapshot.nodes) {
    if (!isV8(node)) continue;
    if (node.type === 'code') code += node.selfSize;
    else other += node.selfSize;
  }
  return { code, other };
}

export function totalBytes(snapshot: Snapshot): number {
  return snapshot.nodes.reduce((sum, node) => sum + node.selfSize, 0);
}

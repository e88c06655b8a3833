/**
 * The simulation API: demo controls that are not part of the document protocol (docs/protocol.md §1.8)
 * but let one person meet every path of a conflict on demand. Shared by the server and the app.
 *
 *   GET    /api/simulation                      → 200 SimulationState
 *   PATCH  /api/simulation        SimulationSettingsPatch → 200 SimulationState; 422 on bad values
 *   PUT    /api/simulation/bot    BotRequest    → 200 SimulationState (the bot starts or is re-aimed)
 *   DELETE /api/simulation/bot                  → 200 SimulationState (the bot stops)
 *   POST   /api/simulation/reset                → 200 { docs: DocumentSummary[] } (the seed documents again)
 *   POST   /api/docs/{id}/scenarios/{name} ScenarioRequest → 200 ScenarioResult; 404/410; 422 unknown name
 *
 * Presence (who has which document open) has its wire types in ./presence.ts.
 */
import { API_BASE } from './paths.ts';
import type { ConcurrencyMode } from './concurrency.ts';
import type { Document, DocumentSummary } from './types.ts';

export interface SimulationSettings {
  /** Status of a failed If-Match. */
  conflictStatus: 409 | 412;
  /** Added to every document API request, in milliseconds (0–10,000). */
  latencyMs: number;
  /** Up to this many further milliseconds, at random per request (0–10,000). */
  jitterMs: number;
  /** How writes are guarded, for documents without a mode of their own (docs/protocol.md §1.11). */
  concurrency: ConcurrencyMode;
}

export type SimulationSettingsPatch = Partial<SimulationSettings>;

export interface BotState {
  /** The document the bot edits, or null when it is stopped. */
  docId: string | null;
  /** Seconds between two bot saves (1–3,600). */
  intervalSeconds: number;
  /** The name the bot saves under (`X-User`), "Bot" unless told. */
  user: string;
  /** How many saves the bot has made since it was started. */
  saves: number;
}

export interface SimulationState extends SimulationSettings {
  /** Documents with a mode of their own (`PUT /api/docs/{id}/concurrency`). */
  documentConcurrency: Record<string, ConcurrencyMode>;
  /** Versions of live documents whose change the latest version no longer contains (lost updates). */
  lostUpdates: number;
  bot: BotState;
}

export interface BotRequest {
  docId: string;
  intervalSeconds: number;
  user?: string;
}

export const scenarioNames = ['same-line', 'other-paragraph', 'delete'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface ScenarioRequest {
  /** Who acts (default "Bob"). */
  user?: string;
  /** The 0-based line the person is working on: `same-line` edits it, `other-paragraph` keeps away from it. */
  line?: number;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  /** The document after the scenario's save, or null when it deleted the document. */
  document: Document | null;
  etag: string | null;
}

// Presence moved to its own module; these names stay importable from here for existing callers.
export type { PresenceEntry, PresenceRequest, PresenceSnapshot } from './presence.ts';

export interface ResetResult {
  docs: DocumentSummary[];
}

export const simulationPaths = {
  state: () => `${API_BASE}/simulation`,
  bot: () => `${API_BASE}/simulation/bot`,
  reset: () => `${API_BASE}/simulation/reset`,
  scenario: (id: string, name: ScenarioName) =>
    `${API_BASE}/docs/${encodeURIComponent(id)}/scenarios/${name}`,
  presence: (clientId: string) => `${API_BASE}/presence/${encodeURIComponent(clientId)}`,
  events: (clientId: string) => `${API_BASE}/events?client=${encodeURIComponent(clientId)}`,
} as const;

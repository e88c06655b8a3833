import { randomUUID } from 'node:crypto';
import { test as base, expect } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { Document } from '../src/protocol/types.ts';
import { Api } from './support/api.ts';
import { AwarenessPage, ConflictDialogPage, DocumentListPage, EditorPage, HistoryPage, InspectorPage, ScenarioPage, SimulationPage } from './support/pages.ts';

/** One person at one browser: their own context (own storage), page and page objects. */
export class Actor {
  readonly editor: EditorPage;
  readonly dialog: ConflictDialogPage;
  readonly history: HistoryPage;
  readonly list: DocumentListPage;
  readonly awareness: AwarenessPage;
  readonly inspector: InspectorPage;
  readonly scenarios: ScenarioPage;
  readonly simulation: SimulationPage;

  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;

  constructor(name: string, context: BrowserContext, page: Page) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.editor = new EditorPage(page);
    this.dialog = new ConflictDialogPage(page);
    this.history = new HistoryPage(page);
    this.list = new DocumentListPage(page);
    this.awareness = new AwarenessPage(page);
    this.inspector = new InspectorPage(page);
    this.scenarios = new ScenarioPage(page);
    this.simulation = new SimulationPage(page);
  }

  /** Opens the document in the editor as this user. */
  async open(id: string): Promise<void> {
    await this.editor.goto(id, this.name);
  }
}

export const SAMPLE = ['# Plan', '', 'Monday: write the outline.', 'Tuesday: review it with the team.', 'Wednesday: ship it.', ''].join('\n');

interface Fixtures {
  api: Api;
  /** A title no other test uses, so tests run in parallel on one server. */
  uniqueTitle: string;
  /** A fresh document made through the API for this test. */
  doc: Document;
  alice: Actor;
  bob: Actor;
  carol: Actor;
}

/** Each user gets a context of their own, closed when the test ends. */
function actor(name: string) {
  return async ({ browser, baseURL }: { browser: Browser; baseURL: string | undefined }, use: (a: Actor) => Promise<void>) => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await use(new Actor(name, context, page));
    await context.close();
  };
}

export const test = base.extend<Fixtures>({
  api: async ({ request }, use) => {
    await use(new Api(request));
  },
  // Playwright reads a fixture's dependencies from its first parameter's pattern, even when empty.
  // eslint-disable-next-line no-empty-pattern
  uniqueTitle: async ({}, use, testInfo) => {
    await use(`${testInfo.title.slice(0, 60)} ${randomUUID().slice(0, 8)}`);
  },
  doc: async ({ api, uniqueTitle }, use) => {
    const { doc } = await api.create(uniqueTitle, SAMPLE);
    await use(doc);
  },
  alice: actor('Alice'),
  bob: actor('Bob'),
  carol: actor('Carol'),
});

export { expect };

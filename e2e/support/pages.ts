import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The editor of one document, as a user sees it. */
export class EditorPage {
  readonly title: Locator;
  readonly content: Locator;
  readonly saveButton: Locator;
  readonly status: Locator;
  readonly openAsAnotherUser: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.title = page.getByRole('textbox', { name: /^Title/ });
    this.content = page.getByRole('textbox', { name: /Content/ });
    this.saveButton = page.getByRole('button', { name: 'Save', exact: true });
    this.status = page.getByTestId('save-status');
    this.openAsAnotherUser = page.getByRole('link', { name: 'Open as another user' });
  }

  async goto(id: string, as?: string): Promise<void> {
    await this.page.goto(`/docs/${id}${as ? `?as=${encodeURIComponent(as)}` : ''}`);
    await expect(this.content).toBeEditable();
  }

  async write(text: string): Promise<void> {
    await this.content.fill(text);
  }

  /** Saves and waits for the server's answer to the PUT, which the caller may inspect. */
  async save() {
    const response = this.page.waitForResponse(
      (r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/docs/'),
    );
    await this.saveButton.click();
    return response;
  }

  async expectSaved(version: number): Promise<void> {
    await expect(this.status).toHaveText(`Saved · version ${version}`);
  }
}

/** The three-way conflict dialog, located only through the accessible surface of docs/protocol.md §3. */
export class ConflictDialogPage {
  readonly root: Locator;
  readonly overwrite: Locator;
  readonly merge: Locator;
  readonly discard: Locator;
  readonly cancel: Locator;
  readonly takeTheirs: Locator;
  readonly takeMine: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByRole('dialog');
    this.overwrite = this.root.getByRole('button', { name: /Overwrite/ });
    this.merge = this.root.getByRole('button', { name: /Merge/ });
    this.discard = this.root.getByRole('button', { name: /Discard/ });
    this.cancel = this.root.getByRole('button', { name: /Cancel/ });
    this.takeTheirs = this.root.getByRole('button', { name: /Take theirs/ });
    this.takeMine = this.root.getByRole('button', { name: /Take mine/ });
  }

  async expectOpen(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.root).toContainText(/conflict/i);
  }
}

export class DocumentListPage {
  readonly newTitle: Locator;
  readonly create: Locator;
  readonly error: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.newTitle = page.getByRole('textbox', { name: 'New document title' });
    this.create = page.getByRole('button', { name: 'Create' });
    this.error = page.getByRole('form', { name: 'New document' }).getByRole('alert');
  }

  async goto(as?: string): Promise<void> {
    await this.page.goto(as ? `/?as=${encodeURIComponent(as)}` : '/');
  }

  link(title: string): Locator {
    return this.page.getByRole('link', { name: title, exact: true });
  }

  /** The table row of the document with this title. */
  row(title: string): Locator {
    return this.page.getByRole('row').filter({ has: this.link(title) });
  }
}

/** What the editor shows about other people: the live notice and who else is here. */
export class AwarenessPage {
  readonly liveNotice: Locator;
  readonly reviewNow: Locator;
  readonly presence: Locator;
  readonly connection: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.liveNotice = page.getByTestId('live-notice');
    this.reviewNow = page.getByRole('button', { name: 'Review and merge now' });
    this.presence = page.getByTestId('presence');
    this.connection = page.getByTestId('connection-status');
  }
}

/** Opens a side panel with its toolbar toggle, unless it is open already. */
export async function openPanel(toggle: Locator, panel: Locator): Promise<void> {
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await expect(panel).toBeVisible();
}

/** The protocol inspector panel. */
export class InspectorPage {
  readonly toggle: Locator;
  readonly root: Locator;
  readonly rows: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.toggle = page.getByRole('button', { name: 'Inspector', exact: true });
    this.root = page.getByRole('region', { name: 'Protocol inspector' });
    this.rows = this.root.getByTestId('request');
  }

  async open(): Promise<void> {
    await openPanel(this.toggle, this.root);
  }

  /** Rows of requests with this method whose path ends with `pathEnd`, newest first. */
  requests(method: string, pathEnd: string): Locator {
    return this.rows.filter({ has: this.page.locator('.request-method', { hasText: new RegExp(`^${method}$`) }) }).filter({
      has: this.page.locator('.request-path', { hasText: new RegExp(`${escapeRegExp(pathEnd)}$`) }),
    });
  }
}

/** The guided scenario buttons under the editor. */
export class ScenarioPage {
  readonly sameLine: Locator;
  readonly otherParagraph: Locator;
  readonly deleteDocument: Locator;
  readonly race: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    const root = page.getByRole('region', { name: 'Guided scenarios' });
    this.sameLine = root.getByRole('button', { name: 'Bob edits the same line' });
    this.otherParagraph = root.getByRole('button', { name: 'Bob edits another paragraph' });
    this.deleteDocument = root.getByRole('button', { name: 'Bob deletes the document' });
    this.race = root.getByRole('button', { name: 'Two saves race' });
  }
}

/** The simulation panel. */
export class SimulationPage {
  readonly toggle: Locator;
  readonly root: Locator;
  readonly latency: Locator;
  readonly jitter: Locator;
  readonly apply: Locator;
  readonly settingsError: Locator;
  readonly botDocument: Locator;
  readonly botInterval: Locator;
  readonly startBot: Locator;
  readonly stopBot: Locator;
  readonly reset: Locator;
  readonly confirmReset: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.toggle = page.getByRole('button', { name: 'Simulation', exact: true });
    this.root = page.getByRole('region', { name: 'Simulation' });
    const settings = this.root.getByRole('form', { name: 'Server settings' });
    this.latency = settings.getByRole('textbox', { name: 'Latency (ms)' });
    this.jitter = settings.getByRole('textbox', { name: 'Jitter (ms)' });
    this.apply = settings.getByRole('button', { name: 'Apply settings' });
    this.settingsError = settings.getByRole('alert');
    const bot = this.root.getByRole('form', { name: 'Bot' });
    this.botDocument = bot.getByRole('combobox', { name: 'Document' });
    this.botInterval = bot.getByRole('textbox', { name: 'Every (seconds)' });
    this.startBot = bot.getByRole('button', { name: /Start bot|Re-aim bot/ });
    this.stopBot = bot.getByRole('button', { name: 'Stop bot' });
    this.reset = this.root.getByRole('button', { name: 'Reset demo data' });
    this.confirmReset = this.root.getByRole('button', { name: 'Reset for everyone' });
  }

  async open(): Promise<void> {
    await openPanel(this.toggle, this.root);
  }

  conflictStatus(status: 409 | 412): Locator {
    return this.root.getByRole('radio', { name: status === 409 ? '409 Conflict' : '412 Precondition Failed' });
  }
}

/** The History section under the editor: its versions, and the one opened. */
export class HistoryPage {
  readonly root: Locator;
  readonly summary: Locator;
  readonly items: Locator;
  /** The "Version N" buttons, newest first. */
  readonly versions: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByRole('group', { name: 'History' });
    this.summary = this.root.locator('summary');
    this.items = this.root.getByRole('listitem');
    this.versions = this.root.getByRole('button', { name: /^Version \d+$/ });
  }

  async open(): Promise<void> {
    if (!(await this.root.evaluate((details) => (details as HTMLDetailsElement).open))) await this.summary.click();
    await expect(this.items.first()).toBeVisible();
  }

  version(n: number): Locator {
    return this.root.getByRole('button', { name: `Version ${n}`, exact: true });
  }

  /** The opened version, named "Version N, saved by … on …". */
  view(n: number): Locator {
    return this.root.getByRole('region', { name: new RegExp(`^Version ${n}, saved by `) });
  }
}

/** Inspector rows answered with this status. */
export function withStatus(rows: Locator, status: number): Locator {
  return rows.filter({ has: rows.page().locator('.request-status', { hasText: new RegExp(`^${status}`) }) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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

/** The three-way conflict dialog, located only through CONTRACT.md §3's accessible surface. */
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
}

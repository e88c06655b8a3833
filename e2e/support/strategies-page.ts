import { expect, type Locator, type Page } from '@playwright/test';

/** The strategies page: the gallery, the three texts, and one result section per strategy. */
export class StrategiesPage {
  readonly heading: Locator;
  readonly base: Locator;
  readonly mine: Locator;
  readonly theirs: Locator;
  readonly compare: Locator;
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'The same conflict, every merge strategy' });
    this.base = page.getByRole('textbox', { name: /^Base/ });
    this.mine = page.getByRole('textbox', { name: /^Mine/ });
    this.theirs = page.getByRole('textbox', { name: /^Theirs/ });
    this.compare = page.getByRole('button', { name: 'Compare strategies' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/lab/strategies');
    await expect(this.heading).toBeVisible();
  }

  galleryCase(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Gallery' }).getByRole('button', { name });
  }

  /** The section of one strategy, by its heading (e.g. "CRDT (Yjs)"). */
  strategy(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  result(name: string): Locator {
    return this.strategy(name).getByLabel('Result, with changes from the base marked');
  }
}

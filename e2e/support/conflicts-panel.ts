import { expect, type Locator, type Page } from '@playwright/test';
import { openPanel } from './pages.ts';

/** The Conflicts panel: the server's counts, per document and per person, updated live. */
export class ConflictsPanel {
  readonly toggle: Locator;
  readonly root: Locator;
  readonly headline: Locator;
  readonly chart: Locator;
  readonly outcomes: Locator;
  readonly perDocument: Locator;
  readonly perPerson: Locator;
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.toggle = page.getByRole('button', { name: 'Conflicts', exact: true });
    this.root = page.getByRole('region', { name: 'Conflicts' });
    this.headline = this.root.getByTestId('stats-headline');
    this.chart = this.root.getByRole('img');
    this.outcomes = this.root.getByRole('table', { name: 'Outcomes chosen' });
    this.perDocument = this.root.getByRole('table', { name: 'Conflicts per document' });
    this.perPerson = this.root.getByRole('table', { name: 'Conflicts per person' });
  }

  /** Opens the panel, and waits for its counts to be there. */
  async open(): Promise<void> {
    await openPanel(this.toggle, this.root);
    await expect(this.headline).toBeVisible();
  }

  /** A row of a table (per document, person or mode), found by its name. */
  row(table: Locator, name: string): Locator {
    return table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** The row's cells: its conflicts, and its outcomes in words (e.g. "1 overwrote · 1 cancelled", or "none"). */
  async expectCounts(table: Locator, name: string, conflicts: number, outcomes: string): Promise<void> {
    await expect(this.row(table, name).getByRole('cell')).toHaveText([String(conflicts), outcomes]);
  }
}

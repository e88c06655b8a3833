import type { Page, Route } from '@playwright/test';

/** Holds the page's `GET /api/events` (its event stream) on the network until `release` is called. */
export async function holdStream(page: Page): Promise<{ release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/events',
    async (route: Route) => {
      await released;
      await route.fallback();
    },
  );
  return { release };
}

import type { Browser } from '@playwright/test';
import { Actor } from '../fixtures.ts';
import { encodeUserHeader } from '../../src/protocol/user-header.ts';
import { OwnServer, freePort } from './own-server.ts';

/**
 * A server of the test's own with people at it, for tests that change what the whole server does
 * (settings, the bot, a reset): on the shared server they would disturb tests running alongside.
 */
export class OwnLab {
  readonly server: OwnServer;
  private readonly browser: Browser;
  private readonly actors: Actor[] = [];

  private constructor(browser: Browser, server: OwnServer) {
    this.browser = browser;
    this.server = server;
  }

  static async start(browser: Browser, args: string[] = ['--memory']): Promise<OwnLab> {
    const server = new OwnServer(await freePort(), args);
    await server.start();
    return new OwnLab(browser, server);
  }

  async actor(name: string): Promise<Actor> {
    const context = await this.browser.newContext({ baseURL: this.server.url });
    const actor = new Actor(name, context, await context.newPage());
    this.actors.push(actor);
    return actor;
  }

  /** An API call on this server; fails the test on an unexpected status. */
  async call<T>(method: string, path: string, options: { body?: unknown; user?: string; ifMatch?: string; expect?: number } = {}) {
    const headers: Record<string, string> = { 'X-User': encodeUserHeader(options.user ?? 'Setup') };
    // Every change says JSON, with a body or without (docs/protocol.md §1.9).
    if (options.body !== undefined || method !== 'GET') headers['Content-Type'] = 'application/json';
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    if (options.expect !== undefined && response.status !== options.expect) {
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    return { status: response.status, etag: response.headers.get('ETag'), body: (text ? JSON.parse(text) : null) as T };
  }

  async close(): Promise<void> {
    for (const actor of this.actors) await actor.context.close();
    await this.server.stop();
  }
}

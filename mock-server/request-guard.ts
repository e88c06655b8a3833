/**
 * What every API request passes before a route sees it (docs/protocol.md §1.9): a page on another
 * origin, or on a name that merely resolves to this machine, must not be able to change anything.
 *
 * 1. `Host` must be a name this server answers to (421 otherwise): a page on `evil.example`,
 *    re-pointed at 127.0.0.1 by its DNS (rebinding), sends `Host: evil.example`, and is refused.
 * 2. A state-changing request (anything but GET, HEAD and OPTIONS) must come from this origin: an
 *    `Origin` other than the server's own, or `Sec-Fetch-Site: cross-site`, is a 403.
 * 3. A state-changing request must say `Content-Type: application/json`, with a body or without
 *    one (415 otherwise). A page can send a form post or a no-cors fetch to any origin without
 *    asking, but only with a form's or text's content type: JSON needs a CORS preflight, which this
 *    server never grants. A `DELETE` carries no body and needs no content type (docs/protocol.md
 *    §1.4): a browser never sends one to another origin without a preflight either.
 * 4. `X-User` must decode (src/protocol/user-header.ts): a malformed or over-long name is a 400.
 */
import type { MiddlewareHandler } from 'hono';
import { MERGE_PATCH_TYPE } from '../src/protocol/concurrency.ts';
import { decodeUserHeader } from '../src/protocol/user-header.ts';
import { isJsonMediaType } from './request-body.ts';
import { problem } from './responses.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host name of a `Host` header value (no port, no brackets, lower case), or null if malformed. */
function hostName(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
}

/**
 * Whether this server answers to `host`. Loopback names always; an IP address always too, since
 * rebinding needs a name an attacker's DNS controls (so `--host 0.0.0.0` is reachable by address);
 * `*.localhost` always (RFC 6761: it never leaves the machine); then each configured name, where
 * one that starts with a dot also covers its subdomains.
 */
export function isAllowedHost(host: string, allowedHosts: readonly string[]): boolean {
  const name = hostName(host);
  if (name === null || name === '') return false;
  if (name.startsWith('[') || IPV4.test(name)) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase().replace(/\.$/, '');
    return allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed;
  });
}

/** Whether `origin` (the header) is this server's own origin, the one `host` names. */
function isOwnOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

export function requestGuard(allowedHosts: () => readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (host !== undefined && !isAllowedHost(host, allowedHosts())) {
      return problem(
        421,
        'misdirected-request',
        'This server does not answer to that host name. Start it with --allowed-hosts to add one.',
        { host },
      );
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if (site === 'cross-site' || (origin !== undefined && (host === undefined || !isOwnOrigin(origin, host)))) {
        return problem(403, 'forbidden-origin', 'Changes are accepted only from pages of this server’s own origin.', {
          origin: origin ?? null,
        });
      }
      const contentType = c.req.header('content-type') ?? null;
      // A JSON Merge Patch (docs/protocol.md §1.4) needs a preflight from another origin just as JSON does.
      const mergePatch = c.req.method === 'PATCH' && isJsonMediaType(contentType, MERGE_PATCH_TYPE);
      if (c.req.method !== 'DELETE' && !isJsonMediaType(contentType) && !mergePatch) {
        return problem(
          415,
          'unsupported-media-type',
          `Send every change as application/json, with a body or without one (this request said ${contentType ?? 'nothing'}).`,
          {},
          { 'Accept-Post': 'application/json', 'Accept-Patch': `${MERGE_PATCH_TYPE}, application/json` },
        );
      }
    }
    const user = decodeUserHeader(c.req.header('x-user'));
    if (!user.ok) return problem(400, 'bad-request', user.detail, { header: 'X-User' });
    await next();
  };
}

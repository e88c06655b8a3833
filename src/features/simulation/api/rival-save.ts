import { apiRequest } from '../../../lib/api-client.ts';
import { ProblemError } from '../../../lib/api-errors.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document } from '../../../protocol/types.ts';

export interface RivalBase {
  title: string;
  content: string;
  etag: string;
}

/**
 * A save by a simulated user from the same version the person started from: a small edit of one
 * line of the base, sent with the base's ETag. Raced against the person's own save, exactly one
 * of the two wins; the loser gets 409/412.
 */
export async function sendRivalSave(docId: string, base: RivalBase, user: string): Promise<{ status: number }> {
  try {
    const { status } = await apiRequest<Document>(apiPaths.doc(docId), {
      method: 'PUT',
      body: { title: base.title, content: rivalEdit(base.content, user) },
      ifMatch: base.etag,
      idempotencyKey: newIdempotencyKey(),
      user,
    });
    return { status };
  } catch (error) {
    // The loser's answer is the point of the race: it is shown, not thrown (the inspector has the details).
    if (error instanceof ProblemError) return { status: error.status };
    return { status: 0 };
  }
}

/** The last non-empty line gets " (edited by Bob)": visible, small, and away from most caret positions. */
export function rivalEdit(content: string, user: string): string {
  const lines = content.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line !== undefined && line.trim() !== '') {
      lines[i] = `${line.replace(/\r$/, '')} (edited by ${user})${line.endsWith('\r') ? '\r' : ''}`;
      return lines.join('\n');
    }
  }
  return `${content}Edited by ${user}.\n`;
}

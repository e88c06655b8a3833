import { useQuery } from '@tanstack/react-query';
import { memo } from 'react';
import type { Revision } from '../../../protocol/types.ts';
import { fetchRevision } from '../api/get-revision.ts';
import { useDocumentConcurrency } from '../api/document-concurrency.ts';
import { useRevisions } from '../api/get-revisions.ts';

/** The modes in which a save may replace a version unseen (the others refuse it, or merge it). */
const LOSSY_MODES: ReadonlySet<string> = new Set(['none', 'timestamp']);

/**
 * A save that replaced a version its writer never saw (a lost update, docs/protocol.md §1.11): who
 * lost what, the change that is gone, and a way to bring it back as a normal save. Shown to every
 * tab on the document, as long as the change stays lost. The history it reads from is loaded only
 * while the document is in a mode that lets a save through unseen, so an editor in the others
 * does not fetch it before History is opened.
 *
 * `onRestore` is given the change as a function of the text it goes into: the editor applies it to
 * the text on screen when the button is pressed. Its props do not change with each save, so
 * another person's save does not render the notice again.
 */
export const LostUpdateNotice = memo(function LostUpdateNotice({
  id,
  onRestore,
}: {
  id: string;
  onRestore: (replay: (currentContent: string) => string) => void;
}) {
  const mode = useDocumentConcurrency(id);
  const revisions = useRevisions(id, mode.data !== undefined && LOSSY_MODES.has(mode.data.concurrency));
  const history = revisions.data ?? [];
  const byVersion = new Map(history.map((r) => [r.version, r]));
  // The latest save, when it dropped a change. Once anyone saves again (bringing the change back,
  // or not), the notice has said its piece; the history keeps the mark.
  const latest = history.at(-1);
  const culprit = latest?.overwrote.some((v) => byVersion.get(v)?.lost) ? latest : undefined;
  const lostVersion = culprit?.overwrote.filter((v) => byVersion.get(v)?.lost).at(-1);
  const lost = lostVersion === undefined ? undefined : byVersion.get(lostVersion);
  const parent = lost ? parentOf(lost, history) : undefined;
  const texts = useQuery({
    queryKey: ['docs', id, 'lost-change', lost?.version ?? 0, parent?.version ?? 0],
    queryFn: async () => {
      if (!lost) return null;
      // The merge engine comes with the texts: only a tab shown a lost change needs it.
      const [mine, base, { replayLostChange }] = await Promise.all([
        fetchRevision(id, lost.version),
        parent ? fetchRevision(id, parent.version) : null,
        import('../lost-change.ts'),
      ]);
      return { lostText: mine.content, baseText: base?.content ?? '', replayLostChange };
    },
    enabled: lost !== undefined,
    staleTime: Infinity,
  });
  if (!culprit || !lost) return null;

  function restore() {
    if (!texts.data) return;
    const { replayLostChange, baseText, lostText } = texts.data;
    // Bob's change, replayed onto what is there now: his edit (base → his text) merged into the current text.
    onRestore((currentContent) => replayLostChange(baseText, lostText, currentContent));
  }

  return (
    <div className="banner banner-error" role="alert" data-testid="lost-update">
      <p>
        <strong>
          {culprit.updatedBy}’s save replaced version {lost.version} without seeing it
        </strong>
        : {lost.updatedBy}’s change is gone (version {culprit.version} was made from{' '}
        {parent ? `version ${parent.version}` : 'no version the server knows'}).
      </p>
      {texts.data && (
        <details>
          <summary>{lost.updatedBy}’s lost text (version {lost.version})</summary>
          <pre className="lost-text">{texts.data.lostText}</pre>
        </details>
      )}
      <button type="button" disabled={!texts.data} onClick={restore}>
        Bring {lost.updatedBy}’s change back
      </button>
    </div>
  );
});

function parentOf(revision: Revision, history: Revision[]): Revision | undefined {
  if (revision.basedOn === null) return undefined;
  const opaque = revision.basedOn.replace(/^W\//, '');
  return history.find((r) => r.etag === opaque && r.version < revision.version);
}

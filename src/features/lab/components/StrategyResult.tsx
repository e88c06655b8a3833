import type { AnnotatedChange, Annotation, Fate } from '../annotate.ts';
import { lineThenWordDiff } from '../diff.ts';
import type { Strategy } from '../strategies/all.ts';
import type { StrategyOutcome, Triple } from '../strategies/types.ts';
import type { Verdict } from '../verdict.ts';

const FATE_WORDS: Record<Fate, string> = {
  kept: 'kept',
  lost: 'lost',
  duplicated: 'duplicated',
  interleaved: 'interleaved',
  alongside: 'kept beside a rival rewrite',
  misplaced: 'misplaced',
  conflict: 'left in a conflict',
};

/** A change as a reader says it: “old” → “new”, or added / removed. */
function describeChange(change: AnnotatedChange): string {
  const quote = (text: string) => `“${text.replace(/\n/g, '⏎')}”`;
  if (!change.removed) return `added ${quote(change.inserted)}`;
  if (!change.inserted) return `removed ${quote(change.removed)}`;
  return `${quote(change.removed)} → ${quote(change.inserted)}`;
}

function ChangeList({ side, changes }: { side: 'Mine' | 'Theirs'; changes: AnnotatedChange[] }) {
  if (!changes.length) return <p className="lab-changes-none">{side}: no changes.</p>;
  return (
    <div className="lab-changes">
      <p className="lab-changes-side">{side}</p>
      <ul>
        {changes.map((change) => (
          <li key={`${change.start}-${change.end}-${change.inserted}`}>
            <span className={`lab-fate lab-fate-${change.fate}`}>{FATE_WORDS[change.fate]}</span> {describeChange(change)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The result with what it added to the base and removed from it marked (text, never HTML). What
 * it removed is shown by CSS from an attribute, so the element's text is the result itself and
 * copying it copies the merge.
 */
function ResultText({ base, text }: { base: string; text: string }) {
  return (
    <pre className="lab-result-text" tabIndex={0} aria-label="Result, with changes from the base marked">
      {lineThenWordDiff(base, text).map((span, i) =>
        span.kind === 'equal' ? span.text : span.kind === 'insert' ? <ins key={i}>{span.text}</ins> : <del key={i} data-removed={span.text} />,
      )}
    </pre>
  );
}

export interface StrategyReport {
  outcome: StrategyOutcome;
  annotation: Annotation;
  verdict: Verdict;
}

export function StrategyResult({ strategy, triple, report }: { strategy: Strategy; triple: Triple; report: StrategyReport | null }) {
  const headingId = `lab-strategy-${strategy.id}`;
  return (
    <section className="lab-strategy" aria-labelledby={headingId} data-tone={report?.verdict.tone}>
      <h3 id={headingId}>{strategy.name}</h3>
      <p className="hint">{strategy.how}</p>
      {report ? (
        <>
          <p className={`lab-verdict lab-verdict-${report.verdict.tone}`}>{report.verdict.headline}</p>
          {report.verdict.details.length > 0 && (
            <ul className="lab-details">
              {report.verdict.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
          <ResultText base={triple.base} text={report.outcome.text} />
          <ChangeList side="Mine" changes={report.annotation.mine} />
          <ChangeList side="Theirs" changes={report.annotation.theirs} />
          {report.annotation.strays.length > 0 && (
            <div className="lab-changes">
              <p className="lab-changes-side">Made by neither side</p>
              <ul>
                {report.annotation.strays.map((stray) => (
                  <li key={`${stray.start}-${stray.end}`}>
                    <span className="lab-fate lab-fate-lost">stray</span>{' '}
                    {describeChange({ ...stray, side: 'mine', fate: 'lost' })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : (
        <p role="status">Loading the CRDT library…</p>
      )}
    </section>
  );
}

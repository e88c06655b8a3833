import { useEffect, useMemo, useState } from 'react';
import { annotate } from '../annotate.ts';
import { GALLERY, type GalleryCase } from '../gallery.ts';
import { useCrdt } from '../hooks/use-crdt.ts';
import { RUN_SYNC, STRATEGIES } from '../strategies/all.ts';
import type { StrategyId, StrategyOutcome, Triple } from '../strategies/types.ts';
import { loadTriple, saveTriple } from '../triple-store.ts';
import { verdictOf } from '../verdict.ts';
import { GalleryPicker } from './GalleryPicker.tsx';
import { StrategyResult, type StrategyReport } from './StrategyResult.tsx';
import { TripleForm } from './TripleForm.tsx';
import '../lab.css';

type Attempt = { report: StrategyReport } | { error: unknown };

/** One strategy's run and its reading; a strategy that throws fails alone, not the page. */
function attempt(triple: Triple, run: (triple: Triple) => StrategyOutcome): Attempt {
  try {
    const outcome = run(triple);
    const annotation = annotate(triple, outcome);
    return { report: { outcome, annotation, verdict: verdictOf(outcome, annotation) } };
  } catch (error) {
    return { error };
  }
}

const sameTriple = (a: Triple, b: Triple) => a.base === b.base && a.mine === b.mine && a.theirs === b.theirs;

/** `/lab/strategies`: one conflict, every merge strategy, side by side. */
export default function StrategiesPage() {
  // A triple handed over by another page (or pasted before a reload) wins over the first case.
  const [initial] = useState<{ triple: Triple; caseId: string | null }>(() => {
    const stored = loadTriple();
    const first = GALLERY[0] as GalleryCase;
    if (!stored) return { triple: first, caseId: first.id };
    return { triple: stored, caseId: GALLERY.find((c) => sameTriple(c, stored))?.id ?? null };
  });
  const [draft, setDraft] = useState<Triple>(initial.triple);
  const [compared, setCompared] = useState<Triple>(initial.triple);
  const [caseId, setCaseId] = useState<string | null>(initial.caseId);
  const crdt = useCrdt();

  useEffect(() => saveTriple(compared), [compared]);

  const attempts = useMemo(() => {
    const out = new Map<StrategyId, Attempt>();
    for (const [id, run] of Object.entries(RUN_SYNC) as [Exclude<StrategyId, 'crdt'>, (t: Triple) => StrategyOutcome][]) {
      out.set(id, attempt(compared, run));
    }
    return out;
  }, [compared]);
  const crdtAttempt = useMemo<Attempt | null>(() => {
    if (crdt.status === 'failed') return { error: crdt.error };
    return crdt.status === 'ready' ? attempt(compared, crdt.merge) : null;
  }, [crdt, compared]);

  function choose(galleryCase: GalleryCase) {
    const triple = { base: galleryCase.base, mine: galleryCase.mine, theirs: galleryCase.theirs };
    setDraft(triple);
    setCompared(triple);
    setCaseId(galleryCase.id);
  }

  function compare() {
    setCompared(draft);
    setCaseId(GALLERY.find((c) => sameTriple(c, draft))?.id ?? null);
  }

  const chosen = GALLERY.find((c) => c.id === caseId);
  return (
    <main id="main" className="page lab-page">
      <h1>The same conflict, every merge strategy</h1>
      <p>
        Pick a case or paste your own base, mine and theirs: each strategy below merges them, and what it kept, lost, duplicated or
        interleaved of each side is worked out by comparing its result with both sides.
      </p>
      <GalleryPicker chosen={caseId} onChoose={choose} />
      <TripleForm draft={draft} onChange={setDraft} onCompare={compare} />
      <section aria-labelledby="lab-results-heading" className="lab-results">
        <h2 id="lab-results-heading">{chosen ? `Results: ${chosen.name}` : 'Results'}</h2>
        {chosen && <p className="hint">{chosen.about}</p>}
        {!sameTriple(draft, compared) && <p className="hint">The texts above have changed: Compare strategies to see them merged.</p>}
        <div className="lab-strategies">
          {STRATEGIES.map((strategy) => {
            const tried = strategy.id === 'crdt' ? crdtAttempt : (attempts.get(strategy.id) ?? null);
            return tried && 'error' in tried ? (
              <section key={strategy.id} className="lab-strategy" aria-labelledby={`lab-strategy-${strategy.id}`}>
                <h3 id={`lab-strategy-${strategy.id}`}>{strategy.name}</h3>
                <p className="field-error" role="alert">
                  {strategy.id === 'crdt' && crdt.status === 'failed' ? 'The CRDT library could not be loaded' : 'This strategy failed on these texts'}
                  {tried.error instanceof Error ? `: ${tried.error.message}` : '.'}
                </p>
              </section>
            ) : (
              <StrategyResult key={strategy.id} strategy={strategy} triple={compared} report={tried?.report ?? null} />
            );
          })}
        </div>
      </section>
    </main>
  );
}

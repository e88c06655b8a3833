import { Suspense, lazy, useState } from 'react';
import { matchRoute, Link, useLocationPath } from '../lib/router.tsx';
import { clientId } from '../features/awareness/client-id.ts';
import { ConnectionStatus } from '../features/awareness/components/ConnectionStatus.tsx';
import { useEventStream } from '../features/awareness/hooks/use-event-stream.ts';
import { usePresenceAnnouncement } from '../features/awareness/hooks/use-presence-announcement.ts';
import { IdentityBadge } from '../features/identity/IdentityBadge.tsx';
import { useIdentity } from '../features/identity/use-identity.ts';
import { usePanels, type PanelName } from './panel-state.ts';
import { DocumentListRoute } from './routes/DocumentListRoute.tsx';
import { DocumentRoute } from './routes/DocumentRoute.tsx';
import { RevealOnOpen } from './RevealOnOpen.tsx';

// Teaching tools, not needed to edit: loaded when first opened.
const InspectorPanel = lazy(() => import('../features/inspector/components/InspectorPanel.tsx'));
const SimulationPanel = lazy(() => import('../features/simulation/components/SimulationPanel.tsx'));
const StatsPanel = lazy(() => import('../features/stats/components/StatsPanel.tsx'));
const StrategiesPage = lazy(() => import('../features/lab/components/StrategiesPage.tsx'));
const ModesPage = lazy(() => import('../features/lab/components/ModesPage.tsx'));

/** The toolbar's panel toggles, in toolbar order. */
const PANELS: ReadonlyArray<{ panel: PanelName; label: string }> = [
  { panel: 'inspector', label: 'Inspector' },
  { panel: 'simulation', label: 'Simulation' },
  { panel: 'conflicts', label: 'Conflicts' },
];

export function App() {
  const route = matchRoute(useLocationPath());
  const identity = useIdentity();
  const openDocId = route.name === 'document' ? route.id : null;
  const stream = useEventStream(clientId);
  usePresenceAnnouncement(clientId, openDocId, stream.openings, identity);
  const { panels, toggle } = usePanels();
  // The panel opened by a click in this page's life, scrolled to when it appears.
  const [opened, setOpened] = useState<PanelName | null>(null);
  const anyPanel = panels.inspector || panels.simulation || panels.conflicts;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header" style={{ borderBlockEndColor: identity.colour }}>
        <Link href="/" className="app-name">
          Conflict Lab
        </Link>
        <ConnectionStatus status={stream.status} />
        <div className="header-tools">
          <Link href="/lab/strategies" className="button button-quiet">
            Strategies
          </Link>
          <Link href="/lab/modes" className="button button-quiet">
            Modes
          </Link>
          {PANELS.map(({ panel, label }) => (
            <button
              key={panel}
              type="button"
              className="button-quiet"
              aria-pressed={panels[panel]}
              aria-controls="side-panels"
              onClick={() => {
                if (!panels[panel]) setOpened(panel);
                toggle(panel);
              }}
            >
              {label}
            </button>
          ))}
        </div>
        <IdentityBadge />
      </header>
      <div className={anyPanel ? 'workspace workspace-with-panels' : 'workspace'}>
        {route.name === 'list' && <DocumentListRoute />}
        {/* Keyed: another document is another draft, another save flow. */}
        {route.name === 'document' && <DocumentRoute key={route.id} id={route.id} />}
        {route.name === 'lab-strategies' && (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <StrategiesPage />
          </Suspense>
        )}
        {route.name === 'lab-modes' && (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <ModesPage />
          </Suspense>
        )}
        {route.name === 'not-found' && (
          <main id="main" className="page">
            <h1>Page not found</h1>
            <p>
              <Link href="/">Back to all documents</Link>
            </p>
          </main>
        )}
        {/* On a wide screen the panels scroll on their own: focusable, so a keyboard can scroll them too. */}
        <div id="side-panels" className="side-panels" hidden={!anyPanel} role="region" aria-label="Side panels" tabIndex={0}>
          <Suspense fallback={<p role="status">Loading…</p>}>
            {panels.simulation && (
              <RevealOnOpen reveal={opened === 'simulation'}>
                <SimulationPanel currentDocId={openDocId} />
              </RevealOnOpen>
            )}
            {panels.inspector && (
              <RevealOnOpen reveal={opened === 'inspector'}>
                <InspectorPanel />
              </RevealOnOpen>
            )}
            {panels.conflicts && (
              <RevealOnOpen reveal={opened === 'conflicts'}>
                <StatsPanel />
              </RevealOnOpen>
            )}
          </Suspense>
        </div>
      </div>
    </>
  );
}

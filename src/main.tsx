import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { AppProviders } from './app/providers.tsx';
import { getIdentity } from './features/identity/identity-store.ts';
import { setUserProvider } from './lib/api-client.ts';
import './styles/app.css';

// Every request names the tab's user (read per request, so a rename applies at once).
setUserProvider(() => getIdentity().name);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element to mount the app in.');

createRoot(root).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);

// Entry point: reads the access token from the page URL (`/?token=…`) and starts the editor against this runner.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RivuletClient } from '@rivulet/client';
import { App } from './App.js';
import '@xyflow/react/dist/style.css';
import './styles.css';

const url = new URL(window.location.href);
const token = url.searchParams.get('token') ?? '';
// The API lives beside the page; a dev server can point elsewhere with ?api=http://127.0.0.1:7400
const baseUrl = url.searchParams.get('api') ?? window.location.origin;
// Browsers refuse fetch called as a method of another object ("Illegal invocation"): bind it to window.
const client = new RivuletClient({ baseUrl, token, fetch: (input, init) => window.fetch(input, init) });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} hasToken={token !== ''} />
  </StrictMode>,
);

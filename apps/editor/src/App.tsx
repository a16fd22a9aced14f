// The page shell: theme (dark/light, remembered) and the React Flow provider around the editor.
import { useCallback, useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { RivuletClient } from '@rivulet/client';
import { Editor } from './Editor.js';

type Theme = 'dark' | 'light';
const THEME_KEY = 'rivulet-editor-theme';

function initialTheme(): Theme {
  const stored = window.localStorage.getItem(THEME_KEY);
  if (stored === 'dark' || stored === 'light') return stored;
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export interface AppProps {
  readonly client: RivuletClient;
  readonly hasToken: boolean;
}

export function App({ client, hasToken }: AppProps) {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    window.localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  const toggle = useCallback(() => setTheme((old) => (old === 'dark' ? 'light' : 'dark')), []);
  if (!hasToken) {
    return (
      <div className="rv-notoken">
        <h1>Rivulet</h1>
        <p>
          Open the editor with the link <code>rivulet serve</code> prints: it carries the access token (<code>/?token=…</code>).
        </p>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Editor client={client} theme={theme} onTheme={toggle} />
    </ReactFlowProvider>
  );
}

// Loads the runtime's catalogue once (and on demand): node descriptors by type, plus plugin problems.
import { useCallback, useEffect, useState } from 'react';
import type { NodeDescriptor, PluginProblem } from '@rivulet/core';
import type { RivuletClient } from '@rivulet/client';
import type { Catalogue } from '../model/port-rules.js';

export interface CatalogueState {
  readonly nodes: readonly NodeDescriptor[];
  readonly byType: Catalogue;
  readonly problems: readonly PluginProblem[];
  readonly loaded: boolean;
  readonly error: string | undefined;
  reload(): void;
}

const EMPTY: Catalogue = new Map();

export function useCatalogue(client: RivuletClient): CatalogueState {
  const [state, setState] = useState<Omit<CatalogueState, 'reload'>>({ nodes: [], byType: EMPTY, problems: [], loaded: false, error: undefined });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    client.catalogue().then(
      (answer) => {
        if (cancelled) return;
        setState({ nodes: answer.nodes, byType: new Map(answer.nodes.map((node) => [node.type, node])), problems: answer.problems, loaded: true, error: undefined });
      },
      (error: unknown) => {
        if (cancelled) return;
        setState((old) => ({ ...old, error: error instanceof Error ? error.message : String(error) }));
        // The runner may be restarting: try again shortly.
        setTimeout(() => !cancelled && setAttempt((n) => n + 1), 2_000);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

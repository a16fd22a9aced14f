// The graph list and the connection to the runner: polled, so a lost runner shows within seconds and is picked up again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GraphSummary, RivuletClient } from '@rivulet/client';

export interface RunnerState {
  readonly graphs: readonly GraphSummary[];
  /** False while the runner cannot be reached. */
  readonly online: boolean;
  /** Loaded at least once. */
  readonly ready: boolean;
  refresh(): Promise<void>;
}

export function useRunner(client: RivuletClient, intervalMs = 2_000): RunnerState {
  const [graphs, setGraphs] = useState<readonly GraphSummary[]>([]);
  const [online, setOnline] = useState(true);
  const [ready, setReady] = useState(false);
  const inFlight = useRef(false);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const list = await client.graphs.list();
      // Polled every few seconds: keep the old array when nothing changed, so nothing re-renders.
      setGraphs((old) => (JSON.stringify(old) === JSON.stringify(list) ? old : list));
      setOnline(true);
      setReady(true);
    } catch {
      setOnline(false);
    } finally {
      inFlight.current = false;
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);

  return { graphs, online, ready, refresh };
}

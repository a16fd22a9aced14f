// Live state of one graph from WS /api/events: graph state, node status, edge rates and logs.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EdgeMetrics, GraphState, LogLevel, RuntimeEvent } from '@rivulet/core';
import type { RivuletClient } from '@rivulet/client';
import type { EdgeRates, LiveNodeStatus } from '../model/graph-flow.js';
import { edgeRates, type CounterSample } from '../model/rates.js';

export interface LogEntry {
  readonly seq: number;
  readonly time: number;
  readonly nodeId: string | undefined;
  readonly level: LogLevel;
  readonly message: string;
}

export interface GraphEvents {
  readonly graphState: GraphState | undefined;
  readonly graphText: string | undefined;
  readonly status: ReadonlyMap<string, LiveNodeStatus>;
  readonly rates: ReadonlyMap<string, EdgeRates>;
  readonly logs: readonly LogEntry[];
  clearLogs(): void;
}

const MAX_LOGS = 1_000;
let seq = 0;

export function useGraphEvents(client: RivuletClient, graphId: string | undefined): GraphEvents {
  const [graphState, setGraphState] = useState<GraphState | undefined>();
  const [graphText, setGraphText] = useState<string | undefined>();
  const [status, setStatus] = useState<ReadonlyMap<string, LiveNodeStatus>>(new Map());
  const [rates, setRates] = useState<ReadonlyMap<string, EdgeRates>>(new Map());
  const [logs, setLogs] = useState<readonly LogEntry[]>([]);
  const lastSample = useRef<CounterSample | undefined>(undefined);

  useEffect(() => {
    setGraphState(undefined);
    setGraphText(undefined);
    setStatus(new Map());
    setRates(new Map());
    setLogs([]);
    lastSample.current = undefined;
    if (!graphId) return;
    let cancelled = false;

    const onMetrics = (time: number, edges: readonly EdgeMetrics[]) => {
      const sample: CounterSample = { time, edges: new Map(edges.map((edge) => [edge.id, edge])) };
      setRates(edgeRates(lastSample.current, sample));
      lastSample.current = sample;
    };

    // Seed from the status route, so a graph already running shows at once.
    client.status(graphId).then(
      (current) => {
        if (cancelled) return;
        setGraphState(current.state);
        setGraphText(current.text);
        setStatus(new Map(Object.entries(current.nodes).map(([id, node]) => [id, { state: node.state, ...(node.text ? { text: node.text } : {}) }])));
        if (current.edges.length > 0) onMetrics(Date.now(), current.edges);
      },
      () => undefined, // not running, or not saved yet: events will tell
    );

    const subscription = client.events({ graph: graphId }).subscribe({
      next: (event: RuntimeEvent) => {
        if (cancelled || event.graphId !== graphId) return;
        switch (event.type) {
          case 'graph-state':
            setGraphState(event.state);
            setGraphText(event.text);
            if (event.state === 'starting') {
              lastSample.current = undefined;
              setRates(new Map());
            }
            break;
          case 'node-status':
            setStatus((old) => {
              const metrics = old.get(event.nodeId)?.metrics;
              return new Map(old).set(event.nodeId, { state: event.state, ...(event.text ? { text: event.text } : {}), ...(metrics ? { metrics } : {}) });
            });
            break;
          case 'metrics':
            onMetrics(event.time, event.edges);
            if (Object.keys(event.nodes).length > 0) {
              setStatus((old) => {
                const next = new Map(old);
                for (const [id, metrics] of Object.entries(event.nodes)) next.set(id, { ...(old.get(id) ?? { state: 'running' }), metrics });
                return next;
              });
            }
            break;
          case 'log': {
            const entry: LogEntry = { seq: (seq += 1), time: event.time, nodeId: event.nodeId, level: event.level, message: event.message };
            setLogs((old) => (old.length >= MAX_LOGS ? [...old.slice(old.length - MAX_LOGS + 1), entry] : [...old, entry]));
            break;
          }
        }
      },
      error: () => undefined, // the stream reconnects by itself; a constructor failure leaves the editor usable
    });
    return () => {
      cancelled = true;
      subscription.unsubscribe();
    };
  }, [client, graphId]);

  const clearLogs = useCallback(() => setLogs([]), []);
  return { graphState, graphText, status, rates, logs, clearLogs };
}

// The runtime's one typed event stream: graph state, node status, metrics and logs.
import type { LogLevel, NodeState } from '../plugin/define.js';

export type GraphState = 'starting' | 'running' | 'stopping' | 'stopped' | 'error';

export interface EdgeMetrics {
  /** `from->to`, e.g. `tick.out->log.in` */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly messages: number;
  readonly bytes: number;
  readonly drops: number;
}

export interface NodeStatus {
  readonly state: NodeState;
  readonly text?: string;
  readonly restarts: number;
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface GraphStatus {
  readonly graphId: string;
  readonly state: GraphState;
  readonly text?: string;
  readonly startedAt?: number;
  readonly nodes: Readonly<Record<string, NodeStatus>>;
  readonly edges: readonly EdgeMetrics[];
}

interface EventBase {
  readonly graphId: string;
  /** ms since epoch */
  readonly time: number;
}

export type RuntimeEvent =
  | (EventBase & { readonly type: 'graph-state'; readonly state: GraphState; readonly text?: string })
  | (EventBase & { readonly type: 'node-status'; readonly nodeId: string; readonly state: NodeState; readonly text?: string; readonly restarts: number })
  | (EventBase & { readonly type: 'metrics'; readonly edges: readonly EdgeMetrics[]; readonly nodes: Readonly<Record<string, Readonly<Record<string, number>>>> })
  | (EventBase & { readonly type: 'log'; readonly nodeId?: string; readonly level: LogLevel; readonly message: string; readonly data?: unknown });

export type RuntimeEventType = RuntimeEvent['type'];

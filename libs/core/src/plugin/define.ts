// The plugin API: defineNode, definePlugin and the context a node's create() receives.
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { InputObservables, OutputObservables, PortMap } from './port.js';

export type NodeState = 'idle' | 'starting' | 'running' | 'error' | 'stopped';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ErrorPolicy = 'stop' | 'restart' | 'ignore';

export interface NodeLogger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** What a node's create() receives. */
export interface NodeContext<P = unknown, I extends PortMap = PortMap> {
  readonly graphId: string;
  readonly nodeId: string;
  /** Params, validated and with defaults applied. */
  readonly params: P;
  /** One Observable per declared input; edges feeding the port are merged into it. */
  readonly inputs: InputObservables<I>;
  /** Logs land in the runtime's events$ stream, tagged with graph and node. */
  readonly log: NodeLogger;
  /** Sets the node's status; text is a short human line ("listening on :8443"). */
  status(state: NodeState, text?: string): void;
  /** Per-node figures (fps, bitrate, peers…) published with the edge metrics. */
  metrics(values: Readonly<Record<string, number>>): void;
  /** Reports an error that happened outside the output streams (a crashed child, a socket error). */
  fail(error: unknown): void;
  /** Aborted when the node is stopped or restarted: pass it to everything you start. */
  readonly signal: AbortSignal;
}

export interface NodeInstance<O extends PortMap = PortMap> {
  readonly outputs?: OutputObservables<O>;
  /** Frees processes, sockets and ports. Awaited (bounded) on stop and before a restart. */
  dispose?(): void | Promise<void>;
}

export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

export interface NodeDefinition<S extends z.ZodType = z.ZodType, I extends PortMap = PortMap, O extends PortMap = PortMap> {
  /** `<plugin>/<node>`, stable: graph files use it. */
  readonly type: string;
  readonly title: string;
  readonly category: string;
  readonly description?: string;
  readonly params: S;
  readonly inputs?: I;
  readonly outputs?: O;
  /** Nodes of the same fusion family that are wired together run as one unit made by the plugin's fuser. */
  readonly fusion?: string;
  /** Checked when the catalogue is built (e.g. is a GStreamer element installed?). */
  available?(): Availability | Promise<Availability>;
  create(ctx: NodeContext<z.output<S>, I>): NodeInstance<O> | Promise<NodeInstance<O>>;
}

/** Any node definition, whatever its params and ports. */
export interface AnyNodeDefinition {
  readonly type: string;
  readonly title: string;
  readonly category: string;
  readonly description?: string;
  readonly params: z.ZodType;
  readonly inputs?: PortMap;
  readonly outputs?: PortMap;
  readonly fusion?: string;
  available?(): Availability | Promise<Availability>;
  create(ctx: NodeContext<never, PortMap>): NodeInstance | Promise<NodeInstance>;
}

/** Defines a node type; the identity function that gives create() its types. */
export function defineNode<S extends z.ZodType, I extends PortMap = Record<never, never>, O extends PortMap = Record<never, never>>(
  definition: NodeDefinition<S, I, O>,
): NodeDefinition<S, I, O> & AnyNodeDefinition {
  return Object.freeze(definition) as NodeDefinition<S, I, O> & AnyNodeDefinition;
}

/** A member node of a fused group, as the fuser sees it. */
export interface FusionMember {
  readonly id: string;
  readonly type: string;
  readonly params: unknown;
  readonly definition: AnyNodeDefinition;
}

export interface PortRef {
  readonly node: string;
  readonly port: string;
}

/** An edge that crosses into or out of a fused group; `key` is `node.port` of the member's port. */
export interface BoundaryPort extends PortRef {
  readonly key: string;
  readonly type: string;
  /** For outputs: whether an edge outside the group consumes it (unconnected outputs are listed too). */
  readonly connected?: boolean;
}

/** A connected set of same-family nodes that runs as one unit (e.g. one GStreamer pipeline). */
export interface FusionGroup {
  readonly family: string;
  readonly members: readonly FusionMember[];
  /** Edges between members. */
  readonly edges: readonly { readonly from: PortRef; readonly to: PortRef }[];
  /** Member inputs fed from outside the group. */
  readonly inputs: readonly BoundaryPort[];
  /** Member outputs consumed outside the group (or unconnected). */
  readonly outputs: readonly BoundaryPort[];
}

export interface FusedContext {
  readonly graphId: string;
  readonly group: FusionGroup;
  /** Keyed by BoundaryPort.key (`node.port`). */
  readonly inputs: Readonly<Record<string, Observable<unknown>>>;
  readonly log: NodeLogger;
  status(nodeId: string, state: NodeState, text?: string): void;
  metrics(nodeId: string, values: Readonly<Record<string, number>>): void;
  fail(error: unknown): void;
  readonly signal: AbortSignal;
}

export interface FusedInstance {
  /** Keyed by BoundaryPort.key (`node.port`). */
  readonly outputs?: Readonly<Record<string, Observable<unknown>>>;
  dispose?(): void | Promise<void>;
}

/** Builds one running unit from a fused group; `explain` shows what it compiles to. */
export interface Fuser {
  readonly family: string;
  explain?(group: FusionGroup): string;
  create(ctx: FusedContext): FusedInstance | Promise<FusedInstance>;
}

export interface PluginDefinition {
  readonly name: string;
  readonly version?: string;
  readonly nodes: readonly AnyNodeDefinition[];
  readonly fusers?: readonly Fuser[];
}

export const PLUGIN_BRAND: unique symbol = Symbol.for('rivulet.plugin');
export type Plugin = PluginDefinition & { readonly [PLUGIN_BRAND]: true };

export function definePlugin(definition: PluginDefinition): Plugin {
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true as const });
}

export function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}

// Request and response shapes of the runner's control API, shared by the runner's routes and the client.
import type { GraphDocumentInput, GraphIssue, GraphState, GraphStatus, NodeDescriptor, PluginProblem, RuntimeEvent } from '@rivulet/core';

/** Every error answer: a stable code and a human message; `issues` when a graph was refused. */
export interface ApiErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly GraphIssue[];
}

/** GET /api/catalogue */
export interface CatalogueResponse {
  readonly nodes: readonly NodeDescriptor[];
  readonly problems: readonly PluginProblem[];
}

/** One row of GET /api/graphs. */
export interface GraphSummary {
  readonly id: string;
  readonly name: string;
  readonly state: GraphState;
  /** Set when the stored file cannot be read as a graph. */
  readonly problem?: string;
}

/** GET /api/graphs */
export interface GraphListResponse {
  readonly graphs: readonly GraphSummary[];
}

/** A graph document as the API sends and receives it (secret params masked on the way out). */
export type GraphDocumentBody = GraphDocumentInput;

/** PUT /api/graphs/:id and POST /api/graphs: the graph is saved even when node-level issues remain. */
export interface SaveGraphResponse {
  readonly id: string;
  readonly created: boolean;
  readonly issues: readonly GraphIssue[];
}

/** POST /api/graphs/:id/validate and POST /api/validate */
export interface ValidateResponse {
  readonly ok: boolean;
  readonly issues: readonly GraphIssue[];
}

/** GET /api/status */
export interface StatusListResponse {
  readonly graphs: readonly GraphStatus[];
}

/** One fused unit of GET /api/explain/:id. */
export interface ExplainGroup {
  readonly family: string;
  readonly members: readonly string[];
  readonly text: string;
}

/** GET /api/explain/:id */
export interface ExplainResponse {
  readonly graphId: string;
  readonly groups: readonly ExplainGroup[];
}

/** DELETE /api/graphs/:id */
export interface DeleteGraphResponse {
  readonly id: string;
  readonly deleted: true;
}

/** A frame the server sends on the event socket that is not a runtime event. */
export interface StreamNotice {
  readonly type: 'notice';
  readonly code: 'events-dropped';
  readonly message: string;
}

/** Every text frame of WS /api/events. */
export type EventFrame = RuntimeEvent | StreamNotice;

export const API_PREFIX = '/api';

// The graph validator: checks a graph document against the catalogue and reports every problem at once.
import { z } from 'zod';
import type { AnyNodeDefinition, PortRef } from '../plugin/define.js';
import { acceptsMultiple, portTypesCompatible, type PortMap, type PortSpec } from '../plugin/port.js';
import { errorMessage, formatPath, type GraphIssue, type GraphIssueCode, type IssuePath } from '../errors.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { graphDocumentSchema, graphEdgeSchema, graphNodeSchema, NODE_ID, PORT_REF, type GraphDocument, type GraphEdge, type GraphNode } from './document.js';
import { closest } from './suggest.js';

export interface ResolvedNode {
  readonly node: GraphNode;
  /** Position in document.nodes. */
  readonly index: number;
  readonly definition: AnyNodeDefinition;
  /** Parsed by the node's params schema, defaults applied. */
  readonly params: unknown;
}

export interface ResolvedEdge {
  /** Position in document.edges. */
  readonly index: number;
  readonly edge: GraphEdge;
  /** `${edge.from}->${edge.to}` */
  readonly id: string;
  readonly from: PortRef;
  readonly to: PortRef;
  readonly fromSpec: PortSpec;
  readonly toSpec: PortSpec;
  /** edge.live ?? toSpec.live ?? false */
  readonly live: boolean;
  /** edge.capacity ?? toSpec.capacity ?? 32 */
  readonly capacity: number;
}

export interface ValidatedGraph {
  readonly document: GraphDocument;
  readonly nodes: ReadonlyMap<string, ResolvedNode>;
  readonly edges: readonly ResolvedEdge[];
}

export type ValidationResult = { readonly ok: true; readonly graph: ValidatedGraph } | { readonly ok: false; readonly issues: readonly GraphIssue[] };

const DEFAULT_CAPACITY = 32;

// The top level alone: nodes and edges are checked one by one so a bad one does not hide the others.
const documentShellSchema = graphDocumentSchema.extend({
  nodes: z.array(z.unknown()).default([]),
  edges: z.array(z.unknown()).default([]),
});

type Issues = GraphIssue[];

function issue(code: GraphIssueCode, path: IssuePath, message: string): GraphIssue {
  return { code, path, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof key === 'symbol' || value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function toIssuePath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === 'symbol' ? String(key) : key));
}

/** A zod issue in words, without the path (the caller names the node or param). */
function describeZodIssue(zodIssue: z.core.$ZodIssue, input: unknown): string {
  if (zodIssue.code === 'invalid_type' && valueAt(input, zodIssue.path) === undefined) return `is required (expected ${zodIssue.expected})`;
  return zodIssue.message;
}

/** Maps zod issues to GraphIssues under `base`, one issue per unknown key. */
function mapZodIssues(
  error: z.ZodError,
  input: unknown,
  base: IssuePath,
  code: GraphIssueCode,
  describe: (path: readonly (string | number)[], reason: string) => string,
): GraphIssue[] {
  const out: GraphIssue[] = [];
  for (const zodIssue of error.issues) {
    const path = toIssuePath(zodIssue.path);
    if (zodIssue.code === 'unrecognized_keys') {
      for (const key of zodIssue.keys) out.push(issue(code, [...base, ...path, key], describe([...path, key], 'is not a known property')));
      continue;
    }
    out.push(issue(code, [...base, ...path], describe(path, describeZodIssue(zodIssue, input))));
  }
  return out;
}

function safeParse(schema: z.ZodType, input: unknown): z.ZodSafeParseResult<unknown> {
  try {
    return schema.safeParse(input);
  } catch (error) {
    // Async refinements and throwing transforms throw out of safeParse: report them rather than crash the validator.
    return { success: false, error: new z.ZodError([{ code: 'custom', path: [], message: errorMessage(error), input }]) } as z.ZodSafeParseResult<unknown>;
  }
}

/** Fields of a malformed node or edge that are themselves well-formed, so later checks can still use them. */
function soundFields(raw: unknown, error: z.ZodError | undefined): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  const broken = new Set(error?.issues.map((zodIssue) => zodIssue.path[0]) ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!broken.has(key)) out[key] = value;
  return out;
}

interface NodeView {
  readonly index: number;
  readonly id: string;
  readonly definition?: AnyNodeDefinition;
}

/** `subject is required…` reads as a sentence; other reasons (zod's messages) follow a colon. */
function phrase(subject: string, reason: string): string {
  if (reason.startsWith('is ')) return `${subject} ${reason}`;
  // "Too big: …" → "too big: …", but a proper noun such as "GStreamer …" keeps its capital.
  const lowered = /^[A-Z][a-z]/.test(reason) ? reason[0]!.toLowerCase() + reason.slice(1) : reason;
  return `${subject}: ${lowered}`;
}

function field(subject: string, path: readonly (string | number)[]): string {
  return path.length ? `${subject} field "${formatPath(path)}"`.trimStart() : subject;
}

function checkShell(input: Record<string, unknown>, issues: Issues): z.output<typeof documentShellSchema> | undefined {
  const shell = documentShellSchema.safeParse(input);
  if (shell.success) return shell.data;
  issues.push(...mapZodIssues(shell.error, input, [], 'invalid-document', (path, reason) => phrase(path.length ? field('', path) : 'the document', reason)));
  return undefined;
}

interface CheckedNodes {
  readonly views: Map<string, NodeView>;
  readonly resolved: Map<string, ResolvedNode>;
  /** The well-formed nodes, parsed (all of them when there is no issue). */
  readonly parsed: GraphNode[];
}

function checkNodes(rawNodes: readonly unknown[], catalogue: Catalogue, issues: Issues): CheckedNodes {
  const views = new Map<string, NodeView>();
  const parsedNodes: GraphNode[] = [];
  const resolved = new Map<string, ResolvedNode>();
  const knownTypes = catalogue.types();

  rawNodes.forEach((raw, index) => {
    const base = ['nodes', index] as const;
    const rawId = isRecord(raw) && typeof raw['id'] === 'string' ? raw['id'] : undefined;
    const who = rawId !== undefined ? `node "${rawId}"` : `nodes[${index}]`;
    if (!isRecord(raw)) {
      issues.push(issue('invalid-document', base, `${who} must be an object with id, type and params`));
      return;
    }
    const parsed = graphNodeSchema.safeParse(raw);
    if (!parsed.success) {
      issues.push(...mapZodIssues(parsed.error, raw, base, 'invalid-document', (path, reason) => phrase(field(who, path), reason)));
    }
    if (parsed.success) parsedNodes.push(parsed.data);
    const fields = parsed.success ? parsed.data : soundFields(raw, parsed.error);
    const id = typeof fields['id'] === 'string' && NODE_ID.test(fields['id']) ? fields['id'] : undefined;
    const type = typeof fields['type'] === 'string' && fields['type'] !== '' ? fields['type'] : undefined;
    const params = fields['params'] === undefined ? {} : isRecord(fields['params']) ? fields['params'] : undefined;

    let duplicate = false;
    if (id !== undefined) {
      const first = views.get(id);
      if (first) {
        duplicate = true;
        issues.push(issue('duplicate-node-id', [...base, 'id'], `duplicate node id "${id}": nodes[${first.index}] already uses it`));
      }
    }

    let definition: AnyNodeDefinition | undefined;
    if (type !== undefined) {
      definition = catalogue.get(type);
      if (!definition) {
        const suggestion = closest(type, knownTypes);
        issues.push(issue('unknown-node-type', [...base, 'type'], `${who}: unknown node type "${type}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`));
      }
    }

    let parsedParams: unknown;
    let paramsOk = false;
    if (definition && params !== undefined) {
      const result = safeParse(definition.params, params);
      if (result.success) {
        parsedParams = result.data;
        paramsOk = true;
      } else {
        issues.push(
          ...mapZodIssues(result.error, params, [...base, 'params'], 'invalid-param', (path, reason) =>
            phrase(path.length ? `${who} (${definition!.type}) param "${formatPath(path)}"` : `${who} (${definition!.type}) params`, reason),
          ),
        );
      }
    }

    if (id === undefined || duplicate) return;
    views.set(id, { index, id, ...(definition ? { definition } : {}) });
    if (parsed.success && definition && paramsOk) resolved.set(id, { node: parsed.data, index, definition, params: parsedParams });
  });
  return { views, resolved, parsed: parsedNodes };
}

function splitRef(ref: string): PortRef {
  const dot = ref.indexOf('.');
  return { node: ref.slice(0, dot), port: ref.slice(dot + 1) };
}

function portList(ports: PortMap | undefined, kind: 'inputs' | 'outputs'): string {
  const names = Object.keys(ports ?? {});
  return names.length ? `its ${kind}: ${names.join(', ')}` : `it has no ${kind}`;
}

/** Resolves one end of an edge to a port spec, or reports why it cannot. */
function resolveEnd(
  ref: PortRef,
  side: 'from' | 'to',
  label: string,
  path: IssuePath,
  views: ReadonlyMap<string, NodeView>,
  issues: Issues,
): PortSpec | undefined {
  const view = views.get(ref.node);
  if (!view) {
    const suggestion = closest(ref.node, [...views.keys()]);
    issues.push(issue('edge-unknown-node', path, `edge ${label}: there is no node "${ref.node}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`));
    return undefined;
  }
  // An unknown type is reported on the node already; its ports cannot be checked.
  if (!view.definition) return undefined;
  const { definition } = view;
  const ports = side === 'from' ? definition.outputs : definition.inputs;
  const spec = ports?.[ref.port];
  if (spec) return spec;
  const kind = side === 'from' ? 'outputs' : 'inputs';
  const other = side === 'from' ? definition.inputs : definition.outputs;
  const hint = other?.[ref.port] ? ` ("${ref.port}" is an ${side === 'from' ? 'input' : 'output'})` : '';
  issues.push(
    issue(
      'edge-unknown-port',
      path,
      `edge ${label}: node "${ref.node}" (${definition.type}) has no ${side === 'from' ? 'output' : 'input'} "${ref.port}"${hint}; ${portList(ports, kind)}`,
    ),
  );
  return undefined;
}

function checkEdges(rawEdges: readonly unknown[], views: ReadonlyMap<string, NodeView>, issues: Issues): ResolvedEdge[] {
  const resolved: ResolvedEdge[] = [];
  const seen = new Map<string, number>();
  const feeders = new Map<string, { spec: PortSpec; edges: { index: number; label: string }[] }>();

  rawEdges.forEach((raw, index) => {
    const base = ['edges', index] as const;
    if (!isRecord(raw)) {
      issues.push(issue('invalid-document', base, `edges[${index}] must be an object with from and to`));
      return;
    }
    const parsed = graphEdgeSchema.safeParse(raw);
    const rawLabel = `${typeof raw['from'] === 'string' ? raw['from'] : '?'} → ${typeof raw['to'] === 'string' ? raw['to'] : '?'}`;
    if (!parsed.success) {
      issues.push(...mapZodIssues(parsed.error, raw, base, 'invalid-document', (path, reason) => phrase(field(`edge ${rawLabel}`, path), reason)));
    }
    const fields = parsed.success ? parsed.data : soundFields(raw, parsed.error);
    const fromRef = typeof fields['from'] === 'string' && PORT_REF.test(fields['from']) ? fields['from'] : undefined;
    const toRef = typeof fields['to'] === 'string' && PORT_REF.test(fields['to']) ? fields['to'] : undefined;
    const label = rawLabel;

    const from = fromRef !== undefined ? splitRef(fromRef) : undefined;
    const to = toRef !== undefined ? splitRef(toRef) : undefined;
    const before = issues.length;
    const fromSpec = from && resolveEnd(from, 'from', label, [...base, 'from'], views, issues);
    // An edge from a misspelt node or port is reported once, not again as a second feeder.
    const fromSound = from !== undefined && issues.length === before;
    const toSpec = to && resolveEnd(to, 'to', label, [...base, 'to'], views, issues);

    if (fromRef !== undefined && toRef !== undefined) {
      const key = `${fromRef}->${toRef}`;
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push(issue('duplicate-edge', base, `edge ${label}: duplicate of edges[${first}]`));
        return;
      }
      seen.set(key, index);
    }

    if (fromSpec && toSpec && !portTypesCompatible(fromSpec.type, toSpec.type)) {
      issues.push(issue('edge-type-mismatch', base, `edge ${label}: ${fromRef} is ${fromSpec.type}, ${toRef} accepts ${toSpec.type}`));
    }
    if (toSpec && fromSound && toRef !== undefined) {
      const entry = feeders.get(toRef) ?? { spec: toSpec, edges: [] };
      entry.edges.push({ index, label });
      feeders.set(toRef, entry);
    }

    if (parsed.success && from && to && fromSpec && toSpec) {
      const edge = parsed.data;
      resolved.push({
        index,
        edge,
        id: `${edge.from}->${edge.to}`,
        from,
        to,
        fromSpec,
        toSpec,
        live: edge.live ?? toSpec.live ?? false,
        capacity: edge.capacity ?? toSpec.capacity ?? DEFAULT_CAPACITY,
      });
    }
  });

  for (const [toRef, { spec, edges }] of feeders) {
    if (edges.length < 2 || acceptsMultiple(spec)) continue;
    const [first, ...rest] = edges;
    for (const extra of rest) {
      issues.push(
        issue(
          'input-fed-twice',
          ['edges', extra.index, 'to'],
          `edge ${extra.label}: input ${toRef} (${spec.type}) accepts one edge, but edges[${first!.index}] (${first!.label}) already feeds it`,
        ),
      );
    }
  }
  return resolved;
}

// Top-level problems first, then nodes, then edges, each in document order; otherwise found order.
function byDocumentOrder(a: GraphIssue, b: GraphIssue): number {
  const section = (issue: GraphIssue): number => (issue.path[0] === 'nodes' ? 1 : issue.path[0] === 'edges' ? 2 : 0);
  const index = (issue: GraphIssue): number => (section(issue) > 0 && typeof issue.path[1] === 'number' ? issue.path[1] : -1);
  return section(a) - section(b) || index(a) - index(b);
}

/**
 * Validates a graph (parsed JSON) against the catalogue. Reports every problem at once:
 * document structure, unknown node types, params, duplicate ids, edges, port types and inputs fed twice.
 */
export function validateGraph(input: unknown, catalogue: Catalogue): ValidationResult {
  const issues: Issues = [];
  if (!isRecord(input)) {
    return { ok: false, issues: [issue('invalid-document', [], 'a graph must be a JSON object with "rivulet": 1, id, nodes and edges')] };
  }
  const shell = checkShell(input, issues);
  const rawNodes = Array.isArray(input['nodes']) ? input['nodes'] : [];
  const rawEdges = Array.isArray(input['edges']) ? input['edges'] : [];
  const { views, resolved: nodes, parsed: parsedNodes } = checkNodes(rawNodes, catalogue, issues);
  const edges = checkEdges(rawEdges, views, issues);

  if (issues.length > 0 || !shell) return { ok: false, issues: [...issues].sort(byDocumentOrder) };
  // Every piece parsed, so the document is the shell with its parsed nodes and edges (the same
  // objects the resolved nodes and edges hold).
  const document: GraphDocument = { ...shell, nodes: parsedNodes, edges: edges.map((resolved) => resolved.edge) };
  return { ok: true, graph: { document, nodes, edges } };
}

/** Issues ('node-unavailable') for nodes whose type cannot run on this machine (catalogue.availability). */
export async function checkAvailability(graph: ValidatedGraph, catalogue: Catalogue): Promise<GraphIssue[]> {
  const nodes = [...graph.nodes.values()].sort((a, b) => a.index - b.index);
  const availability = await Promise.all(nodes.map((resolved) => catalogue.availability(resolved.node.type)));
  const issues: GraphIssue[] = [];
  nodes.forEach((resolved, i) => {
    const result = availability[i]!;
    if (!result.available) {
      issues.push(issue('node-unavailable', ['nodes', resolved.index, 'type'], `node "${resolved.node.id}" (${resolved.node.type}) cannot run on this machine: ${result.reason}`));
    }
  });
  return issues;
}

/**
 * Renders an issue as `line:column path: message` (location and path when known), or
 * `source:line:column path: message` when the file name is given.
 */
export function formatIssue(issue: GraphIssue, options: { readonly source?: string } = {}): string {
  // An options object rather than a bare string, so `issues.map(formatIssue)` stays harmless.
  const source = typeof options === 'object' ? options.source : undefined;
  const position = issue.line !== undefined ? `${issue.line}:${issue.column ?? 1}` : '';
  const location = source !== undefined ? [source, position].filter(Boolean).join(':') : position;
  const where = [location, formatPath(issue.path)].filter(Boolean).join(' ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

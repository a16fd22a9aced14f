// Fusion planning: same-family nodes wired together become one group that the family's fuser runs as a unit.
import type { Catalogue } from '../catalogue/catalogue.js';
import type { BoundaryPort, Fuser, FusionGroup, PortRef } from '../plugin/define.js';
import type { ResolvedNode, ValidatedGraph } from '../graph/validate.js';

export type UnitPlan =
  | { readonly kind: 'node'; readonly node: ResolvedNode }
  | { readonly kind: 'fused'; readonly fuser: Fuser; readonly group: FusionGroup; readonly nodes: readonly ResolvedNode[] };

/** What a fused group compiles to, for `Runtime.explain`. */
export interface FusionExplanation {
  readonly family: string;
  readonly members: readonly string[];
  readonly text: string;
}

export function portKey(ref: PortRef): string {
  return `${ref.node}.${ref.port}`;
}

/** The family a node fuses into, when its definition names one and the catalogue has that fuser. */
function familyOf(node: ResolvedNode, catalogue: Catalogue): string | undefined {
  const family = node.definition.fusion;
  return family !== undefined && catalogue.fuser(family) ? family : undefined;
}

/**
 * Splits a graph into units: one per plain node, one per connected component of fusable nodes
 * (edges between members of the same family), in document order of their first member.
 */
export function planUnits(graph: ValidatedGraph, catalogue: Catalogue): UnitPlan[] {
  const family = new Map<string, string>();
  for (const [id, node] of graph.nodes) {
    const f = familyOf(node, catalogue);
    if (f !== undefined) family.set(id, f);
  }

  // Union-find over edges whose both ends fuse into the same family.
  const parent = new Map<string, string>([...family.keys()].map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const internal = (from: string, to: string): boolean => family.has(from) && family.get(from) === family.get(to);
  for (const edge of graph.edges) {
    if (internal(edge.from.node, edge.to.node)) parent.set(root(edge.from.node), root(edge.to.node));
  }

  // Document order of each plain node and of each group's first member.
  const order: (ResolvedNode | string)[] = [];
  const groups = new Map<string, ResolvedNode[]>();
  for (const [id, node] of graph.nodes) {
    if (!family.has(id)) {
      order.push(node);
      continue;
    }
    const r = root(id);
    if (!groups.has(r)) {
      groups.set(r, []);
      order.push(r);
    }
    groups.get(r)!.push(node);
  }

  return order.map((item): UnitPlan => {
    if (typeof item !== 'string') return { kind: 'node', node: item };
    const nodes = groups.get(item)!;
    const fuser = catalogue.fuser(family.get(item)!)!;
    return { kind: 'fused', fuser, nodes, group: describeGroup(graph, fuser.family, nodes) };
  });
}

function describeGroup(graph: ValidatedGraph, family: string, nodes: readonly ResolvedNode[]): FusionGroup {
  const ids = new Set(nodes.map((n) => n.node.id));
  const edges: { from: PortRef; to: PortRef }[] = [];
  const inputs = new Map<string, BoundaryPort>();
  const consumedInside = new Set<string>();
  const consumedOutside = new Set<string>();
  for (const edge of graph.edges) {
    const fromInside = ids.has(edge.from.node);
    const toInside = ids.has(edge.to.node);
    if (fromInside && toInside) {
      edges.push({ from: edge.from, to: edge.to });
      consumedInside.add(portKey(edge.from));
    } else if (toInside) {
      const key = portKey(edge.to);
      inputs.set(key, { ...edge.to, key, type: edge.toSpec.type });
    } else if (fromInside) {
      consumedOutside.add(portKey(edge.from));
    }
  }
  const outputs: BoundaryPort[] = [];
  for (const member of nodes) {
    for (const [port, spec] of Object.entries(member.definition.outputs ?? {})) {
      const key = `${member.node.id}.${port}`;
      // Consumed outside, or not consumed at all: either way the value leaves the group.
      if (consumedOutside.has(key) || !consumedInside.has(key)) outputs.push({ node: member.node.id, port, key, type: spec.type, connected: consumedOutside.has(key) });
    }
  }
  return {
    family,
    members: nodes.map((n) => ({ id: n.node.id, type: n.node.type, params: n.params, definition: n.definition })),
    edges,
    inputs: [...inputs.values()],
    outputs,
  };
}

/** One line per fused group: the fuser's own explanation, or the members it joins. */
export function explainPlans(plans: readonly UnitPlan[]): FusionExplanation[] {
  const out: FusionExplanation[] = [];
  for (const plan of plans) {
    if (plan.kind !== 'fused') continue;
    const members = plan.group.members.map((m) => m.id);
    const text = plan.fuser.explain?.(plan.group) ?? `${plan.fuser.family}: ${members.join(' → ')}`;
    out.push({ family: plan.fuser.family, members, text });
  }
  return out;
}

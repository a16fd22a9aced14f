// Places validation issues (paths into the graph JSON) on the nodes, fields and edges they concern.
import type { GraphIssue } from '@rivulet/core';
import { edgeId, type EditorGraph } from './graph.js';

export interface PlacedIssues {
  readonly nodeProblems: Map<string, string[]>;
  readonly paramProblems: Map<string, Record<string, string>>;
  readonly edgeProblems: Map<string, string>;
  /** Issues about the graph as a whole. */
  readonly general: string[];
}

export function placeIssues(graph: EditorGraph, issues: readonly GraphIssue[]): PlacedIssues {
  const placed: PlacedIssues = { nodeProblems: new Map(), paramProblems: new Map(), edgeProblems: new Map(), general: [] };
  for (const issue of issues) {
    const [section, index, field, param] = issue.path;
    if (section === 'nodes' && typeof index === 'number' && graph.nodes[index]) {
      const id = graph.nodes[index].id;
      if (field === 'params' && typeof param === 'string') {
        const params = placed.paramProblems.get(id) ?? {};
        params[param] ??= issue.message;
        placed.paramProblems.set(id, params);
      }
      const list = placed.nodeProblems.get(id) ?? [];
      list.push(issue.message);
      placed.nodeProblems.set(id, list);
    } else if (section === 'edges' && typeof index === 'number' && graph.edges[index]) {
      placed.edgeProblems.set(edgeId(graph.edges[index]), issue.message);
    } else {
      placed.general.push(issue.message);
    }
  }
  return placed;
}

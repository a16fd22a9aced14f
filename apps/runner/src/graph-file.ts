// Reading a graph file for the CLI: parse and validate with line:column, and print issues as file:line:col.
import { readFile } from 'node:fs/promises';
import { formatIssue, validateGraphText, type Catalogue, type GraphIssue, type ValidatedGraph } from '@rivulet/core';
import { line, type Output } from './io.js';

export type LoadedGraph = { readonly ok: true; readonly graph: ValidatedGraph; readonly text: string } | { readonly ok: false; readonly issues: readonly GraphIssue[] };

export async function loadGraphFile(file: string, catalogue: Catalogue): Promise<LoadedGraph> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, issues: [{ code: 'invalid-document', message: `cannot read the file: ${(error as Error).message}`, path: [] }] };
  }
  const result = validateGraphText(text, catalogue, file);
  return result.ok ? { ok: true, graph: result.graph, text } : result;
}

/** `file:line:col path: message`, one line per issue. */
export function printIssues(out: Output, file: string, issues: readonly GraphIssue[]): void {
  for (const issue of issues) line(out, issue.line !== undefined ? `${file}:${formatIssue(issue)}` : `${file}: ${formatIssue(issue)}`);
  line(out, `${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}`);
}

// `rivulet validate <graph.json>`: every problem with file:line:col, exit 2 when there is one.
import { loadRunnerCatalogue } from '../catalogue.js';
import { loadGraphFile, printIssues } from '../graph-file.js';
import { line, type CliIo } from '../io.js';

export async function validateCommand(file: string, options: { plugins?: string }, io: CliIo): Promise<number> {
  const catalogue = await loadRunnerCatalogue(io, options.plugins);
  const loaded = await loadGraphFile(file, catalogue);
  if (!loaded.ok) {
    printIssues(io.stderr, file, loaded.issues);
    return 2;
  }
  const { document } = loaded.graph;
  line(io.stdout, `${file}: ok (graph ${document.id}, ${document.nodes.length} nodes, ${document.edges.length} edges)`);
  return 0;
}

// The graph being edited, with undo/redo history and the last saved version (for the unsaved-changes guard).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EditorGraph } from '../model/graph.js';
import { canRedo, canUndo, createHistory, push, redo, replace, undo, type History } from '../model/history.js';
import { exportGraph } from '../model/graph-file.js';

export interface DocumentState {
  readonly graph: EditorGraph | undefined;
  readonly dirty: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Loads a graph as a fresh document; `saved` says whether it matches what the runner stores. */
  load(graph: EditorGraph | undefined, saved: boolean): void;
  /** Records an edit (one undo step). */
  apply(edit: (graph: EditorGraph) => EditorGraph): void;
  /** Changes the present without a new undo step (the middle of a gesture). */
  amend(edit: (graph: EditorGraph) => EditorGraph): void;
  undo(): void;
  redo(): void;
  /** Marks this version as the one the runner stores. */
  markSaved(graph: EditorGraph): void;
  /** The latest graph, for callbacks that must not capture a stale one. */
  current(): EditorGraph | undefined;
}

export function useDocument(): DocumentState {
  const [history, setHistory] = useState<History<EditorGraph> | undefined>(undefined);
  const [savedText, setSavedText] = useState<string | undefined>(undefined);
  const latest = useRef<History<EditorGraph> | undefined>(undefined);
  latest.current = history;

  const update = useCallback((change: (old: History<EditorGraph>) => History<EditorGraph>) => {
    setHistory((old) => {
      const next = old ? change(old) : old;
      latest.current = next;
      return next;
    });
  }, []);

  const load = useCallback((graph: EditorGraph | undefined, saved: boolean) => {
    const next = graph ? createHistory(graph) : undefined;
    latest.current = next;
    setHistory(next);
    setSavedText(graph && saved ? exportGraph(graph) : undefined);
  }, []);
  const apply = useCallback((edit: (graph: EditorGraph) => EditorGraph) => update((old) => push(old, edit(old.present))), [update]);
  const amend = useCallback((edit: (graph: EditorGraph) => EditorGraph) => update((old) => replace(old, edit(old.present))), [update]);
  const doUndo = useCallback(() => update(undo), [update]);
  const doRedo = useCallback(() => update(redo), [update]);
  const markSaved = useCallback((graph: EditorGraph) => setSavedText(exportGraph(graph)), []);
  const current = useCallback(() => latest.current?.present, []);

  const graph = history?.present;
  // Serialising is linear in the graph; it runs only when the graph object changes.
  const dirty = useMemo(() => (graph ? savedText !== exportGraph(graph) : false), [graph, savedText]);
  return useMemo(
    () => ({
      graph,
      dirty,
      canUndo: history ? canUndo(history) : false,
      canRedo: history ? canRedo(history) : false,
      load,
      apply,
      amend,
      undo: doUndo,
      redo: doRedo,
      markSaved,
      current,
    }),
    [graph, dirty, history, load, apply, amend, doUndo, doRedo, markSaved, current],
  );
}

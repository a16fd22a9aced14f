// The editor screen: wires the runner (client, events) to the graph document, the canvas and the panels.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type Node,
  type NodeChange,
  type OnConnect,
} from '@xyflow/react';
import { RivuletApiError, type RivuletClient } from '@rivulet/client';
import type { GraphIssue } from '@rivulet/core';
import { useCatalogue } from './hooks/useCatalogue.js';
import { useRunner } from './hooks/useRunner.js';
import { useGraphEvents } from './hooks/useGraphEvents.js';
import { useDocument } from './hooks/useDocument.js';
import { useShortcuts } from './hooks/useShortcuts.js';
import { addEdge, addNode, copySelection, isClip, moveNodes, paste, removeElements, renameGraph, setNodeName, setParam, type Clip } from './model/edits.js';
import { edgeId, emptyGraph, freeSpot, type EditorGraph, type XY } from './model/graph.js';
import { edgeFromConnection, toFlowEdges, toFlowNodes, type FlowEdge, type FlowNode, type Size } from './model/graph-flow.js';
import { exportGraph, importGraph } from './model/graph-file.js';
import { placeIssues, type PlacedIssues } from './model/issues.js';
import { autoLayout } from './model/layout.js';
import { checkConnection, portColour, portTypeOf } from './model/port-rules.js';
import { RivuletNode } from './components/RivuletNode.js';
import { RivuletEdge } from './components/RivuletEdge.js';
import { DRAG_MIME, Palette } from './components/Palette.js';
import { Inspector } from './components/Inspector.js';
import { LogsPanel } from './components/LogsPanel.js';
import { Toolbar } from './components/Toolbar.js';
import { ProblemsDialog } from './components/ProblemsDialog.js';
import { ConnectionHint } from './components/ConnectionHint.js';

const nodeTypes = { rivulet: RivuletNode };
const edgeTypes = { rivulet: RivuletEdge };
const NO_ISSUES: PlacedIssues = { nodeProblems: new Map(), paramProblems: new Map(), edgeProblems: new Map(), general: [] };
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface EditorProps {
  readonly client: RivuletClient;
  readonly theme: 'dark' | 'light';
  onTheme(): void;
}

/** What the page exposes for automation and debugging: the graph exactly as it would be saved. */
export interface EditorHandle {
  graph(): EditorGraph | undefined;
  dirty(): boolean;
}

function normalise(body: Awaited<ReturnType<RivuletClient['graphs']['get']>>): EditorGraph {
  return { ...body, name: body.name ?? body.id, nodes: body.nodes ?? [], edges: body.edges ?? [] } as EditorGraph;
}

export function Editor({ client, theme, onTheme }: EditorProps) {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const catalogue = useCatalogue(client);
  const runner = useRunner(client);
  const doc = useDocument();
  const graph = doc.graph;
  const events = useGraphEvents(client, graph?.id);

  const [selectedNodes, setSelectedNodes] = useState<ReadonlySet<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(new Map());
  const [issues, setIssues] = useState<PlacedIssues>(NO_ISSUES);
  const [dialog, setDialog] = useState<{ title: string; problems: readonly string[] } | undefined>();
  const [toast, setToast] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [pendingSave, setPendingSave] = useState(false);
  const clipboard = useRef<Clip | undefined>(undefined);
  const dragging = useRef(false);
  const pasteCount = useRef(0);
  const canvasRef = useRef<HTMLDivElement>(null);
  const openedInitial = useRef(false);

  const say = useCallback((message: string) => setToast(message), []);
  // Fitting waits for React Flow to have the new positions: asked for here, done after the next render.
  const [fitRequest, setFitRequest] = useState(0);
  const requestFit = useCallback(() => setFitRequest((n) => n + 1), []);
  useEffect(() => {
    if (fitRequest === 0) return;
    let inner = 0;
    const outer = requestAnimationFrame(() => {
      inner = requestAnimationFrame(() => void flow.fitView({ padding: 0.15, duration: 150, maxZoom: 1 }));
    });
    return () => {
      cancelAnimationFrame(outer);
      cancelAnimationFrame(inner);
    };
  }, [fitRequest, flow]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), 5_000);
    return () => clearTimeout(timer);
  }, [toast]);

  // --- opening graphs -------------------------------------------------------------------------
  const confirmDiscard = useCallback(() => !doc.dirty || window.confirm('This graph has unsaved changes. Discard them?'), [doc.dirty]);

  const loadLaidOut = useCallback(
    async (loaded: EditorGraph, saved: boolean) => {
      setSelectedNodes(new Set());
      setSelectedEdges(new Set());
      setIssues(NO_ISSUES);
      doc.load(loaded, saved);
      if (loaded.nodes.some((node) => !node.position)) {
        const positions = await autoLayout(loaded, catalogue.byType);
        const placed = moveNodes(loaded, positions);
        // Positions are cosmetic: a graph that was saved stays "saved" after the first layout.
        doc.load(placed, false);
        if (saved) doc.markSaved(placed);
      }
      requestFit();
    },
    [doc, catalogue.byType, requestFit],
  );

  const open = useCallback(
    async (id: string) => {
      try {
        const body = await client.graphs.get(id);
        await loadLaidOut(normalise(body), true);
        const url = new URL(window.location.href);
        url.searchParams.set('graph', id);
        window.history.replaceState(null, '', url);
      } catch (error) {
        say(`could not open ${id}: ${messageOf(error)}`);
      }
    },
    [client, loadLaidOut, say],
  );

  const newGraph = useCallback(() => {
    if (!confirmDiscard()) return;
    const taken = new Set(runner.graphs.map((summary) => summary.id));
    let id = 'untitled';
    for (let n = 2; taken.has(id); n += 1) id = `untitled-${n}`;
    void loadLaidOut(emptyGraph(id, 'Untitled'), false);
  }, [confirmDiscard, runner.graphs, loadLaidOut]);

  useEffect(() => {
    if (openedInitial.current || !runner.ready || !catalogue.loaded) return;
    openedInitial.current = true;
    const wanted = new URL(window.location.href).searchParams.get('graph');
    const first = runner.graphs.find((summary) => summary.id === wanted) ?? runner.graphs.find((summary) => !summary.problem);
    if (first) void open(first.id);
    else void loadLaidOut(emptyGraph(wanted ?? 'untitled', 'Untitled'), false);
  }, [runner.ready, runner.graphs, catalogue.loaded, open, loadLaidOut]);

  // --- saving, validating, running ------------------------------------------------------------
  const showIssues = useCallback(
    (target: EditorGraph, found: readonly GraphIssue[]) => {
      if (doc.current() === target || doc.current()?.nodes === target.nodes) setIssues(found.length ? placeIssues(target, found) : NO_ISSUES);
    },
    [doc],
  );

  const saving = useRef(false);
  const save = useCallback(async (): Promise<boolean> => {
    const current = doc.current();
    if (!current || saving.current) return false;
    saving.current = true;
    try {
      const answer = await client.graphs.put(current.id, current);
      doc.markSaved(current);
      showIssues(current, answer.issues);
      setPendingSave(false);
      say(answer.issues.length ? `saved ${current.id} with ${answer.issues.length} problem(s)` : `saved ${current.id}`);
      void runner.refresh();
      return true;
    } catch (error) {
      if (error instanceof RivuletApiError && error.status === 0) {
        setPendingSave(true);
        say('runner unreachable: the save will be retried when it is back; your edits are kept');
      } else if (error instanceof RivuletApiError && error.issues.length) {
        showIssues(current, error.issues);
        setDialog({ title: `Could not save ${current.id}`, problems: [error.message, ...error.issues.map((issue) => issue.message)] });
      } else say(`save failed: ${messageOf(error)}`);
      return false;
    } finally {
      saving.current = false;
    }
  }, [client, doc, runner, say, showIssues]);

  // Validate on the server as the graph changes (debounced), so issues show before anything starts.
  useEffect(() => {
    if (!graph || !runner.online) return;
    const target = graph;
    const timer = setTimeout(() => {
      client.validate(target).then(
        (answer) => showIssues(target, answer.issues),
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [client, graph, runner.online, showIssues]);

  // A save that failed because the runner was away is retried when it answers again.
  useEffect(() => {
    if (runner.online && pendingSave) void save();
  }, [runner.online, pendingSave, save]);

  const start = useCallback(async () => {
    const current = doc.current();
    if (!current) return;
    setBusy(true);
    try {
      if (doc.dirty && !(await save())) return;
      events.clearLogs();
      await client.start(current.id);
      void runner.refresh();
    } catch (error) {
      if (error instanceof RivuletApiError && error.issues.length) {
        showIssues(current, error.issues);
        setDialog({ title: `${current.id} cannot start`, problems: error.issues.map((issue) => issue.message) });
      } else say(`start failed: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  }, [client, doc, events, runner, save, say, showIssues]);

  const stop = useCallback(async () => {
    const current = doc.current();
    if (!current) return;
    setBusy(true);
    try {
      await client.stop(current.id);
      void runner.refresh();
    } catch (error) {
      say(`stop failed: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  }, [client, doc, runner, say]);

  const remove = useCallback(async () => {
    const current = doc.current();
    if (!current || !window.confirm(`Delete graph ${current.id}? Its file is removed from the runner.`)) return;
    try {
      if (runner.graphs.some((summary) => summary.id === current.id)) await client.graphs.remove(current.id);
      await runner.refresh();
      doc.load(undefined, false);
      openedInitial.current = false;
    } catch (error) {
      say(`delete failed: ${messageOf(error)}`);
    }
  }, [client, doc, runner, say]);

  // --- files ----------------------------------------------------------------------------------
  const importText = useCallback(
    (text: string, fileName: string) => {
      const result = importGraph(text, catalogue.byType, fileName);
      if (!result.graph) {
        setDialog({ title: `Could not import ${fileName}`, problems: result.problems });
        return;
      }
      if (!confirmDiscard()) return;
      void loadLaidOut(result.graph, false);
      if (result.problems.length) setDialog({ title: `Imported ${result.graph.id} with problems`, problems: result.problems });
      else say(`imported ${result.graph.id}; save to store it`);
    },
    [catalogue.byType, confirmDiscard, loadLaidOut, say],
  );

  const exportFile = useCallback(() => {
    const current = doc.current();
    if (!current) return;
    const url = URL.createObjectURL(new Blob([exportGraph(current)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${current.id}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, [doc]);

  // --- canvas ---------------------------------------------------------------------------------
  const overlay = useMemo(
    () => ({
      status: events.status,
      rates: events.rates,
      nodeProblems: issues.nodeProblems,
      paramProblems: issues.paramProblems,
      edgeProblems: issues.edgeProblems,
      selectedNodes,
      selectedEdges,
      measured,
      running: events.graphState === 'running',
    }),
    [events.status, events.rates, issues, selectedNodes, selectedEdges, measured, events.graphState],
  );
  const previousNodes = useRef(new Map<string, FlowNode>());
  const previousEdges = useRef(new Map<string, FlowEdge>());
  const nodes = useMemo(() => {
    if (!graph) return [];
    const next = toFlowNodes(graph, catalogue.byType, overlay, previousNodes.current);
    previousNodes.current = new Map(next.map((node) => [node.id, node]));
    return next;
  }, [graph, catalogue.byType, overlay]);
  const edges = useMemo(() => {
    if (!graph) return [];
    const next = toFlowEdges(graph, catalogue.byType, overlay, previousEdges.current);
    previousEdges.current = new Map(next.map((edge) => [edge.id, edge]));
    return next;
  }, [graph, catalogue.byType, overlay]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const positions = new Map<string, XY>();
      let dragEnded = false;
      let dragMoving = false;
      const sizes: [string, Size][] = [];
      let selection: Set<string> | undefined;
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          positions.set(change.id, change.position);
          if (change.dragging) dragMoving = true;
          else dragEnded = true;
        } else if (change.type === 'position' && change.dragging === false) {
          dragEnded = true;
        } else if (change.type === 'dimensions' && change.dimensions) {
          sizes.push([change.id, change.dimensions]);
        } else if (change.type === 'select') {
          selection ??= new Set(selectedNodesRef.current);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (positions.size > 0) {
        // A drag is one undo step: its first move records, the rest amend.
        if (dragMoving && !dragging.current) {
          dragging.current = true;
          doc.apply((g) => moveNodes(g, positions));
        } else if (dragMoving || dragging.current) doc.amend((g) => moveNodes(g, positions));
        else doc.apply((g) => moveNodes(g, positions));
      }
      if (dragEnded) dragging.current = false;
      if (sizes.length) {
        setMeasured((old) => {
          const next = new Map(old);
          for (const [id, size] of sizes) {
            const before = old.get(id);
            if (!before || before.width !== size.width || before.height !== size.height) next.set(id, size);
          }
          return next.size === old.size && sizes.every(([id]) => next.get(id) === old.get(id)) ? old : next;
        });
      }
      if (selection) setSelectedNodes(selection);
    },
    [doc],
  );
  const selectedNodesRef = useRef(selectedNodes);
  selectedNodesRef.current = selectedNodes;

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    let selection: Set<string> | undefined;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      selection ??= new Set(selectedEdgesRef.current);
      if (change.selected) selection.add(change.id);
      else selection.delete(change.id);
    }
    if (selection) setSelectedEdges(selection);
  }, []);
  const selectedEdgesRef = useRef(selectedEdges);
  selectedEdgesRef.current = selectedEdges;

  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: Node[]; edges: Edge[] }) => {
      doc.apply((g) => removeElements(g, new Set(gone.map((node) => node.id)), new Set(cut.map((edge) => edge.id))));
      setSelectedNodes(new Set());
      setSelectedEdges(new Set());
    },
    [doc],
  );

  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (connection) => {
      const current = doc.current();
      return current ? checkConnection(current, catalogue.byType, connection).ok : false;
    },
    [doc, catalogue.byType],
  );

  const onConnect: OnConnect = useCallback(
    (connection) => {
      const current = doc.current();
      if (!current) return;
      const check = checkConnection(current, catalogue.byType, connection);
      if (!check.ok) {
        say(`refused: ${check.reason}`);
        return;
      }
      const edge = edgeFromConnection(connection);
      doc.apply((g) => addEdge(g, edge.from, edge.to));
    },
    [doc, catalogue.byType, say],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const current = doc.current();
      if (!current || state.isValid || !state.fromHandle || !state.toHandle) return;
      const [source, target] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      const check = checkConnection(current, catalogue.byType, { source: source.nodeId, sourceHandle: source.id ?? null, target: target.nodeId, targetHandle: target.id ?? null });
      if (!check.ok) say(`refused: ${check.reason}`);
    },
    [doc, catalogue.byType, say],
  );

  const addAt = useCallback(
    (type: string, position: XY) => {
      let id = '';
      doc.apply((g) => {
        const added = addNode(g, type, position);
        id = added.id;
        return added.graph;
      });
      if (id) {
        setSelectedNodes(new Set([id]));
        setSelectedEdges(new Set());
      }
    },
    [doc],
  );

  const addInView = useCallback(
    (type: string) => {
      const box = canvasRef.current?.getBoundingClientRect();
      const corner = box ? flow.screenToFlowPosition({ x: box.left + 40, y: box.top + 40 }) : { x: 0, y: 0 };
      addAt(type, freeSpot(doc.current() ?? { nodes: [] }, corner));
    },
    [flow, addAt, doc],
  );

  const onDrop = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!type) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addAt(type, { x: position.x - 20, y: position.y - 20 });
    },
    [flow, addAt],
  );

  const layout = useCallback(async () => {
    const current = doc.current();
    if (!current) return;
    const positions = await autoLayout(current, catalogue.byType, measured);
    doc.apply((g) => moveNodes(g, positions));
    requestFit();
  }, [doc, catalogue.byType, measured, requestFit]);

  const fit = requestFit;

  useShortcuts({
    save: () => void save(),
    undo: doc.undo,
    redo: doc.redo,
    copy: () => {
      const current = doc.current();
      if (!current || selectedNodes.size === 0) return;
      clipboard.current = copySelection(current, selectedNodes);
      navigator.clipboard?.writeText(JSON.stringify(clipboard.current)).catch(() => undefined);
      say(`copied ${clipboard.current.nodes.length} node(s)`);
    },
    paste: () => {
      const clip = clipboard.current;
      if (!clip || !isClip(clip)) return;
      const shift = 40 * (1 + (pasteCount.current++ % 5));
      let ids: string[] = [];
      doc.apply((g) => {
        const pasted = paste(g, clip, { x: shift, y: shift });
        ids = pasted.ids;
        return pasted.graph;
      });
      setSelectedNodes(new Set(ids));
      setSelectedEdges(new Set());
    },
    selectAll: () => setSelectedNodes(new Set(doc.current()?.nodes.map((node) => node.id) ?? [])),
    clearSelection: () => {
      setSelectedNodes(new Set());
      setSelectedEdges(new Set());
    },
    focusSearch: () => document.querySelector<HTMLInputElement>('[data-testid="palette-search"]')?.focus(),
    layout: () => void layout(),
    fit,
  });

  // The guard for closing the tab with unsaved edits.
  useEffect(() => {
    if (!doc.dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [doc.dirty]);

  useEffect(() => {
    const handle: EditorHandle = { graph: () => doc.current(), dirty: () => doc.dirty };
    (window as unknown as { rivuletEditor?: EditorHandle }).rivuletEditor = handle;
  }, [doc]);

  // --- panels ---------------------------------------------------------------------------------
  const selectedNodeId = selectedNodes.size === 1 ? [...selectedNodes][0] : undefined;
  const selectedNode = graph?.nodes.find((node) => node.id === selectedNodeId);
  const selectedEdgeId = selectedNodes.size === 0 && selectedEdges.size === 1 ? [...selectedEdges][0] : undefined;
  const selectedEdge = graph?.edges.find((edge) => edgeId(edge) === selectedEdgeId);
  const summary = runner.graphs.find((entry) => entry.id === graph?.id);
  const graphState = events.graphState ?? summary?.state;
  const nodeIds = useMemo(() => graph?.nodes.map((node) => node.id) ?? [], [graph?.nodes]);

  return (
    <div className="rv-app">
      <Toolbar
        graphs={runner.graphs}
        currentId={graph?.id}
        dirty={doc.dirty}
        canUndo={doc.canUndo}
        canRedo={doc.canRedo}
        graphState={graphState}
        busy={busy}
        theme={theme}
        onOpen={(id) => confirmDiscard() && void open(id)}
        onNew={newGraph}
        onDelete={() => void remove()}
        onSave={() => void save()}
        onImport={importText}
        onExport={exportFile}
        onUndo={doc.undo}
        onRedo={doc.redo}
        onLayout={() => void layout()}
        onFit={fit}
        onStart={() => void start()}
        onStop={() => void stop()}
        onTheme={onTheme}
      />
      {!runner.online && (
        <div className="rv-banner" role="alert" data-testid="offline-banner">
          Lost the connection to the runner — reconnecting… Your edits are kept{doc.dirty ? ' (unsaved)' : ''}.
        </div>
      )}
      <Palette nodes={catalogue.nodes} error={catalogue.error} onAdd={addInView} />
      <main className="rv-canvas" ref={canvasRef} onDragOver={(event) => event.preventDefault()} onDrop={onDrop} data-testid="canvas">
        {graph ? (
          <ReactFlow<FlowNode, FlowEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onDelete={onDelete}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            deleteKeyCode={['Delete', 'Backspace']}
            colorMode={theme}
            minZoom={0.05}
            maxZoom={2}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} />
            <MiniMap pannable zoomable nodeColor={(node) => portColour((node as FlowNode).data.descriptor ? Object.values((node as FlowNode).data.descriptor!.outputs)[0]?.type : undefined)} />
            <Controls />
            <ConnectionHint graph={graph} catalogue={catalogue.byType} />
          </ReactFlow>
        ) : (
          <div className="rv-empty">
            <p>No graph open.</p>
            <button type="button" onClick={newGraph}>
              New graph
            </button>
          </div>
        )}
        {toast && (
          <div className="rv-toast" role="status" data-testid="toast">
            {toast}
          </div>
        )}
      </main>
      {graph && (
        <Inspector
          graph={graph}
          node={selectedNode}
          descriptor={selectedNode ? catalogue.byType.get(selectedNode.type) : undefined}
          status={selectedNode ? events.status.get(selectedNode.id) : undefined}
          nodeProblems={(selectedNode && issues.nodeProblems.get(selectedNode.id)) || []}
          paramProblems={(selectedNode && issues.paramProblems.get(selectedNode.id)) || {}}
          edge={selectedEdge}
          edgeType={selectedEdge ? portTypeOf(graph, catalogue.byType, selectedEdge.from, 'out') : undefined}
          edgeRates={selectedEdgeId ? events.rates.get(selectedEdgeId) : undefined}
          selectionSize={selectedNodes.size + (selectedNodes.size > 0 ? 0 : selectedEdges.size > 1 ? selectedEdges.size : 0)}
          generalProblems={[...issues.general, ...(events.graphState === 'error' && events.graphText ? [events.graphText] : [])]}
          onParam={(nodeId, key, value) => doc.apply((g) => setParam(g, nodeId, key, value))}
          onNodeName={(nodeId, name) => doc.apply((g) => setNodeName(g, nodeId, name))}
          onGraphName={(name) => doc.apply((g) => renameGraph(g, name))}
          onGraphDescription={(description) => doc.apply((g) => (description ? { ...g, description } : (({ description: _d, ...rest }) => rest)(g)))}
        />
      )}
      <LogsPanel logs={events.logs} nodeIds={nodeIds} selectedNode={selectedNodeId} onClear={events.clearLogs} />
      {dialog && <ProblemsDialog title={dialog.title} problems={dialog.problems} onClose={() => setDialog(undefined)} />}
    </div>
  );
}

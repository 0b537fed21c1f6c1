import {
  ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  Controls,
  getViewportForBounds,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTheme } from '@material-ui/core/styles';
import type { LineageGraphResponse } from '../../api';
import { healthColor } from './health';
import {
  defaultLayoutEngine,
  LayoutThread,
  LineageLayoutEngine,
} from './layout/elkEngine';
import {
  boundsOf,
  LineageFlowEdge,
  LineageFlowNode,
  LineageLayout,
  layoutLineageGraph,
} from './layout/layoutLineageGraph';
import { defaultEdgeOptions, edgeTypes } from './graph/edges';
import { Legend } from './graph/Legend';
import { GraphContext, GraphContextValue, nodeTypes } from './graph/nodes';
import { NodeSearch } from './graph/NodeSearch';
import { buildAdjacency, PathHighlight, pathsBetween } from './graph/paths';
import { useGraphStyles } from './graph/styles';

/** What a finished layout reports (for diagnostics and the benchmark). */
export interface LineageLayoutInfo {
  nodes: number;
  edges: number;
  /** Time spent in ELK. */
  layoutMs: number;
  thread?: LayoutThread;
}

/** @public */
export interface LineageGraphViewProps {
  graph: LineageGraphResponse;
  /** Shows or hides a product's datasets; without it, products have no expand control. */
  onToggleExpand?: (entityRef: string) => void;
  /** A product's name as a link to its entity page; plain text without it. */
  renderEntityLink?: (entityRef: string, label: string) => ReactNode;
  /** The node whose paths to the focus are highlighted, or undefined when none is. */
  onSelectNode?: (nodeId: string | undefined) => void;
  /** Called when a layout has been applied. */
  onLayout?: (info: LineageLayoutInfo) => void;
  /** Default: one ELK engine in a Web Worker, shared by the page. */
  layoutEngine?: LineageLayoutEngine;
  /** CSS height of the canvas. Default `70vh`. */
  height?: number | string;
}

// Larger graphs draw only what is in view; smaller ones draw everything, which saves the
// visibility checks on every pan and avoids nodes popping in.
const RENDER_VISIBLE_ONLY_ABOVE = 150;
// Below this zoom, labels are unreadable: a graph that does not fit at this zoom opens centred
// on the focus instead, and the minimap shows the rest.
const MIN_READABLE_ZOOM = 0.5;
const FOCUS_ZOOM = 0.8;
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 2;

const plainLabel = (_entityRef: string, label: string) => label;
const NO_NODES: LineageFlowNode[] = [];
const NO_EDGES: LineageFlowEdge[] = [];

let viewCount = 0;
const DIM_NODE = 0.2;
const DIM_EDGE = 0.08;
// Above this, edges off the path are hidden rather than faded: repainting hundreds of faded SVG
// paths made the first click of a 1,000-node graph take ~210 ms to show, hiding them ~85 ms
// (Event Timing, bench/lineage-tab).
const HIDE_DIMMED_EDGES_ABOVE = 300;

/** `"…"` for a CSS attribute selector. */
function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ')}"`;
}

/**
 * The style sheet of a highlight. Highlighting changes no node or edge object, so no node
 * component re-renders and xyflow has nothing to re-process: a click costs one style recalc.
 * Rules name whichever is fewer, the highlighted elements or the others.
 */
function highlightCss(
  scope: string,
  highlight: PathHighlight,
  layout: LineageLayout,
  pathColor: string,
): string {
  const root = `[data-lineage-view=${cssString(scope)}].lineage-highlighting`;
  const select = (kind: 'node' | 'edge', ids: string[], suffix = '') =>
    ids
      .map(
        id => `${root} .react-flow__${kind}[data-id=${cssString(id)}]${suffix}`,
      )
      .join(',');
  const rules: string[] = [];
  const onNodes = [...highlight.nodes];
  if (onNodes.length <= layout.nodes.length / 2) {
    rules.push(`${root} .react-flow__node{opacity:${DIM_NODE}}`);
    if (onNodes.length) rules.push(`${select('node', onNodes)}{opacity:1}`);
  } else {
    const offNodes = layout.nodes.filter(n => !highlight.nodes.has(n.id));
    if (offNodes.length) {
      rules.push(
        `${select(
          'node',
          offNodes.map(n => n.id),
        )}{opacity:${DIM_NODE}}`,
      );
    }
  }
  const onPath = `stroke:${pathColor};stroke-width:2.5`;
  const dimEdge =
    layout.edges.length > HIDE_DIMMED_EDGES_ABOVE
      ? 'visibility:hidden'
      : `opacity:${DIM_EDGE}`;
  const onEdges = [...highlight.edges];
  if (onEdges.length <= layout.edges.length / 2) {
    rules.push(`${root} .react-flow__edge{${dimEdge}}`);
    if (onEdges.length) {
      rules.push(`${select('edge', onEdges)}{opacity:1;visibility:visible}`);
      rules.push(
        `${select('edge', onEdges, ' .react-flow__edge-path')}{${onPath}}`,
      );
    }
  } else {
    rules.push(`${root} .react-flow__edge-path{${onPath}}`);
    const offEdges = layout.edges.filter(e => !highlight.edges.has(e.id));
    if (offEdges.length) {
      rules.push(
        `${select(
          'edge',
          offEdges.map(e => e.id),
        )}{${dimEdge}}`,
      );
    }
  }
  return rules.join('\n');
}

function LineageCanvas(props: LineageGraphViewProps) {
  const { graph, height = '70vh' } = props;
  const engine = props.layoutEngine ?? defaultLayoutEngine();
  const classes = useGraphStyles();
  const theme = useTheme();
  const flow = useReactFlow<LineageFlowNode, LineageFlowEdge>();
  const containerRef = useRef<HTMLDivElement>(null);

  const [layout, setLayout] = useState<LineageLayout>();
  const [layoutError, setLayoutError] = useState<Error>();
  const [selected, setSelected] = useState<string>();
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  // The latest callbacks, read when called, so that new function props do not re-render nodes.
  const latest = useRef(props);
  latest.current = props;

  // Layout once per graph.
  useEffect(() => {
    let cancelled = false;
    setLayoutError(undefined);
    layoutLineageGraph(graph, engine).then(
      result => {
        if (cancelled) return;
        setLayout(result);
        setSelected(current =>
          current && result.boxes.has(current) ? current : undefined,
        );
      },
      error => {
        if (!cancelled) setLayoutError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [graph, engine]);

  // Each new layout opens fitted, or centred on the focus when fitting would be unreadable.
  useEffect(() => {
    if (!layout) return;
    const width = containerRef.current?.clientWidth || 1000;
    const canvasHeight = containerRef.current?.clientHeight || 600;
    const fitted = getViewportForBounds(
      boundsOf(layout.boxes.values()),
      width,
      canvasHeight,
      MIN_ZOOM,
      1,
      0.1,
    );
    const focus = layout.boxes.get(graph.focus);
    if (fitted.zoom >= MIN_READABLE_ZOOM || !focus) {
      flow.setViewport(fitted);
    } else {
      flow.setViewport({
        x: width / 2 - (focus.x + focus.width / 2) * FOCUS_ZOOM,
        y: canvasHeight / 2 - (focus.y + focus.height / 2) * FOCUS_ZOOM,
        zoom: FOCUS_ZOOM,
      });
    }
    latest.current.onLayout?.({
      nodes: layout.nodes.length,
      edges: layout.edges.length,
      layoutMs: layout.layoutMs,
      thread: engine.thread(),
    });
    // Only a new layout moves the viewport; `graph.focus` changes with it.
  }, [layout]); // eslint-disable-line react-hooks/exhaustive-deps

  const adjacency = useMemo(
    () => buildAdjacency(graph.nodes, graph.edges),
    [graph],
  );
  const highlight = useMemo(
    () =>
      selected && layout
        ? pathsBetween(selected, graph.focus, graph.edges, adjacency)
        : undefined,
    [selected, layout, graph, adjacency],
  );

  const [viewId] = useState(() => `lineage-view-${++viewCount}`);
  const highlightStyle = useMemo(
    () =>
      highlight && layout
        ? highlightCss(viewId, highlight, layout, theme.palette.primary.main)
        : '',
    [highlight, layout, viewId, theme],
  );
  const nodes = layout?.nodes ?? NO_NODES;
  const edges = layout?.edges ?? NO_EDGES;

  const select = useCallback((nodeId: string | undefined) => {
    setSelected(nodeId);
    latest.current.onSelectNode?.(nodeId);
  }, []);

  // Stable handlers: new ones would re-render every node wrapper on each click.
  const onNodeClick = useCallback(
    (_event: unknown, node: LineageFlowNode) =>
      select(node.id === selectedRef.current ? undefined : node.id),
    [select],
  );
  const clearSelection = useCallback(() => select(undefined), [select]);

  const centreOn = useCallback(
    (nodeId: string) => {
      const box = layout?.boxes.get(nodeId);
      if (!box) return;
      select(nodeId);
      flow.setCenter(box.x + box.width / 2, box.y + box.height / 2, {
        zoom: Math.max(flow.getZoom(), 1),
        duration: 300,
      });
    },
    [layout, flow, select],
  );

  const expandable = Boolean(props.onToggleExpand);
  const context = useMemo<GraphContextValue>(
    () => ({
      classes,
      toggleExpand: expandable
        ? entityRef => latest.current.onToggleExpand?.(entityRef)
        : undefined,
      renderEntityLink: (entityRef, label) =>
        (latest.current.renderEntityLink ?? plainLabel)(entityRef, label),
    }),
    [classes, expandable],
  );

  const minimapColor = useCallback(
    (node: LineageFlowNode) => healthColor(node.data.node.health),
    [],
  );

  const selectedLabel = selected
    ? graph.nodes.find(n => n.id === selected)?.label
    : undefined;
  let status = 'layout';
  if (layoutError) status = 'error';
  else if (layout) status = 'ready';

  return (
    <div
      ref={containerRef}
      className={`${classes.root}${highlight ? ' lineage-highlighting' : ''}`}
      style={{ height }}
      data-lineage-view={viewId}
      // Lets tests and the benchmark wait for the layout.
      data-lineage-status={status}
    >
      {highlightStyle && <style>{highlightStyle}</style>}
      <GraphContext.Provider value={context}>
        <ReactFlow<LineageFlowNode, LineageFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onlyRenderVisibleElements={nodes.length > RENDER_VISIBLE_ONLY_ABOVE}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          onNodeClick={onNodeClick}
          onPaneClick={clearSelection}
          colorMode={theme.palette.type === 'dark' ? 'dark' : 'light'}
        >
          <Panel position="top-left">
            <NodeSearch
              nodes={graph.nodes}
              onFound={centreOn}
              classes={classes}
            />
            {selectedLabel && (
              <div
                className={classes.panel}
                style={{ marginTop: 8, maxWidth: 280 }}
                role="status"
              >
                Paths between <b>{selectedLabel}</b> and this product.{' '}
                <button type="button" onClick={clearSelection}>
                  Clear
                </button>
              </div>
            )}
          </Panel>
          <Panel position="top-right">
            <Legend classes={classes} />
          </Panel>
          <Controls showInteractive={false} />
          <MiniMap
            pannable
            zoomable
            nodeColor={minimapColor}
            ariaLabel="Minimap of the lineage graph"
          />
        </ReactFlow>
      </GraphContext.Provider>
      {layoutError && (
        <div role="alert" className={classes.panel}>
          The graph could not be laid out: {layoutError.message}
        </div>
      )}
    </div>
  );
}

/**
 * A lineage graph laid out left to right with ELK and drawn with xyflow: nodes coloured by
 * health, edges styled by provenance, products expandable into their datasets, a search box,
 * path highlighting between a clicked node and the focus product, a legend, a minimap and zoom
 * controls. It takes the backend's response as is and uses no Backstage APIs, so that it can be
 * measured on a page of its own (bench/lineage-tab).
 * @public
 */
export function LineageGraphView(props: LineageGraphViewProps) {
  return (
    <ReactFlowProvider>
      <LineageCanvas {...props} />
    </ReactFlowProvider>
  );
}

import {
  createContext,
  memo,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  Controls,
  getViewportForBounds,
  MiniMap,
  NodeProps,
  NodeTypes,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTheme } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import type { DomainOverview } from '@backstage-data-mesh/plugin-data-mesh-common';
import { productTypeLabel } from '../../productTypes';
import { HEALTH_LABELS, HEALTH_ORDER, healthColor } from '../HealthChip';
import {
  defaultLayoutEngine,
  LineageLayoutEngine,
} from '../LineageContent/layout/elkEngine';
import {
  boundsOf,
  HEADER_HEIGHT,
  LineageFlowEdge,
  LineageFlowNode,
  LineageLayout,
  layoutLineageGraph,
} from '../LineageContent/layout/layoutLineageGraph';
import { NodeHandles } from '../LineageContent/graph/nodes';
import { GraphClasses, useGraphStyles } from '../LineageContent/graph/styles';
import { useEntityPath } from '../RefLink';
import { DomainGraph, domainGraphOf } from './domainGraph';

interface DomainGraphContextValue {
  classes: GraphClasses;
  graph: DomainGraph;
  entityPath: (entityRef: string) => string;
  onDomainClick?: (entityRef: string) => void;
}

const DomainGraphContext = createContext<DomainGraphContextValue | undefined>(
  undefined,
);

function useDomainGraphContext(): DomainGraphContextValue {
  const value = useContext(DomainGraphContext);
  if (!value)
    throw new Error('Domain graph nodes must be rendered by the view');
  return value;
}

/** A domain: a frame around its products, or (large meshes) one box with its counts. */
const DomainNode = memo(function DomainNodeContent(
  props: NodeProps<LineageFlowNode>,
) {
  const { classes, graph, onDomainClick } = useDomainGraphContext();
  const { node, hasChildren } = props.data;
  const internal = graph.internalCounts.get(node.id) ?? 0;
  const domain = graph.domains.get(node.id);
  const products = domain?.products.length ?? 0;
  return (
    <div
      className={`${classes.node} ${classes.product} ${
        hasChildren ? classes.container : ''
      }`}
      style={{ borderLeftColor: healthColor(node.health) }}
    >
      <NodeHandles top={hasChildren ? HEADER_HEIGHT.product / 2 : undefined} />
      <div className={classes.header}>
        <span className={classes.title} title={node.label}>
          {onDomainClick && node.entityRef ? (
            <button
              type="button"
              className="nodrag nopan"
              style={{
                all: 'unset',
                cursor: 'pointer',
                textDecoration: 'underline',
              }}
              onClick={() => onDomainClick(node.entityRef!)}
            >
              {node.label}
            </button>
          ) : (
            node.label
          )}
        </span>
      </div>
      {!hasChildren && (
        <div className={classes.meta}>
          <span>
            {products} {products === 1 ? 'product' : 'products'}
          </span>
          {internal > 0 && (
            <span>
              · {internal} {internal === 1 ? 'dependency' : 'dependencies'}{' '}
              within
            </span>
          )}
        </div>
      )}
      {!hasChildren && domain && products > 0 && (
        <HealthBar health={domain.health} total={products} />
      )}
    </div>
  );
});

/** The shares of a domain's products in each health status, as one bar. */
function HealthBar(props: { health: Record<string, number>; total: number }) {
  const { health, total } = props;
  const parts = HEALTH_ORDER.filter(h => (health[h] ?? 0) > 0);
  return (
    <div
      role="img"
      aria-label={parts.map(h => `${health[h]} ${h}`).join(', ')}
      title={parts
        .map(h => `${health[h]} ${HEALTH_LABELS[h].toLocaleLowerCase('en-US')}`)
        .join(', ')}
      style={{
        display: 'flex',
        height: 6,
        marginTop: 6,
        borderRadius: 3,
        overflow: 'hidden',
      }}
    >
      {parts.map(h => (
        <span
          key={h}
          style={{
            width: `${(health[h] / total) * 100}%`,
            background: healthColor(h),
          }}
        />
      ))}
    </div>
  );
}

/** A product inside its domain, linked to its page. */
const ProductNode = memo(function ProductNodeContent(
  props: NodeProps<LineageFlowNode>,
) {
  const { classes, entityPath } = useDomainGraphContext();
  const { node } = props.data;
  return (
    <div
      className={`${classes.node} ${classes.dataset}`}
      style={{ borderLeftColor: healthColor(node.health) }}
      title={`${node.label}: ${HEALTH_LABELS[node.health ?? 'unknown'] ?? ''}`}
    >
      <NodeHandles />
      <span className={classes.title}>
        {node.entityRef ? (
          <Link to={entityPath(node.entityRef)}>{node.label}</Link>
        ) : (
          node.label
        )}
      </span>
      <span className={classes.datasetPort}>
        {productTypeLabel(node.productType)}
      </span>
    </div>
  );
});

const nodeTypes: NodeTypes = { domain: DomainNode, domainProduct: ProductNode };

const minimapColor = (node: LineageFlowNode) =>
  healthColor(node.data.node.health);

function HealthLegend(props: { classes: GraphClasses }) {
  const { classes } = props;
  return (
    <div className={classes.panel} aria-label="Legend">
      {HEALTH_ORDER.map(h => (
        <div key={h} className={classes.legendRow}>
          <span
            className={classes.dot}
            style={{ background: healthColor(h) }}
            aria-hidden
          />
          {HEALTH_LABELS[h]}
        </div>
      ))}
    </div>
  );
}

// Below this zoom, names are too small to read: a graph that does not fit at this zoom opens at
// it, from its top left corner, with a minimap of the rest.
const READABLE_ZOOM = 0.8;

/** @public */
export interface DomainGraphViewProps {
  overview: DomainOverview;
  /** Above this many products, one node per domain. Default 300. */
  collapseAbove?: number;
  /** Called with a domain's entity ref when its name is clicked in the graph. */
  onDomainClick?: (entityRef: string) => void;
  /** Default: the page's ELK engine (a Web Worker when the browser allows one). */
  layoutEngine?: LineageLayoutEngine;
  height?: number | string;
}

function DomainCanvas(props: DomainGraphViewProps) {
  const { overview, collapseAbove, onDomainClick, height = 560 } = props;
  const engine = props.layoutEngine ?? defaultLayoutEngine();
  const classes = useGraphStyles();
  const theme = useTheme();
  const entityPath = useEntityPath();
  const graph = useMemo(
    () => domainGraphOf(overview, collapseAbove),
    [overview, collapseAbove],
  );
  const [layout, setLayout] = useState<LineageLayout>();
  const [error, setError] = useState<Error>();
  const [fits, setFits] = useState(true);
  const flow = useReactFlow<LineageFlowNode, LineageFlowEdge>();
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    setError(undefined);
    layoutLineageGraph(graph.graph, engine).then(
      result => {
        if (current) setLayout(result);
      },
      e => {
        if (current) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [graph, engine]);

  // Each layout opens fitted when that stays readable, else readable from the top left.
  useEffect(() => {
    if (!layout) return;
    const width = containerRef.current?.clientWidth || 1000;
    const canvasHeight = containerRef.current?.clientHeight || 560;
    const bounds = boundsOf(layout.boxes.values());
    const fitted = getViewportForBounds(
      bounds,
      width,
      canvasHeight,
      0.05,
      1,
      0.05,
    );
    const readable = fitted.zoom >= READABLE_ZOOM;
    setFits(readable);
    flow.setViewport(
      readable
        ? fitted
        : {
            x: 16 - bounds.x * READABLE_ZOOM,
            y: 16 - bounds.y * READABLE_ZOOM,
            zoom: READABLE_ZOOM,
          },
    );
  }, [layout, flow]);

  const nodes = useMemo(
    () =>
      (layout?.nodes ?? []).map(
        n =>
          ({
            ...n,
            type: n.id.startsWith('domain|') ? 'domain' : 'domainProduct',
            ariaLabel: n.id.startsWith('domain|')
              ? `domain ${n.data.node.label}`
              : `product ${n.data.node.label}, ${n.data.node.health}`,
          } as unknown as LineageFlowNode),
      ),
    [layout],
  );
  const edges = useMemo(
    () =>
      (layout?.edges ?? []).map(e => {
        const n = graph.edgeCounts.get(e.id);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          ariaLabel: e.ariaLabel,
          label: n === undefined ? undefined : String(n),
        } as LineageFlowEdge;
      }),
    [layout, graph],
  );

  const context = useMemo<DomainGraphContextValue>(
    () => ({ classes, graph, entityPath, onDomainClick }),
    [classes, graph, entityPath, onDomainClick],
  );

  let status = 'layout';
  if (error) status = 'error';
  else if (layout) status = 'ready';

  return (
    <div
      ref={containerRef}
      className={classes.root}
      style={{ height }}
      data-domain-graph-status={status}
    >
      <DomainGraphContext.Provider value={context}>
        {layout && (
          <ReactFlow<LineageFlowNode, LineageFlowEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            defaultEdgeOptions={{
              markerEnd: {
                type: 'arrowclosed' as const,
                width: 16,
                height: 16,
              },
            }}
            onlyRenderVisibleElements={nodes.length > 150}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            minZoom={0.05}
            maxZoom={2}
            colorMode={theme.palette.type === 'dark' ? 'dark' : 'light'}
          >
            <Panel position="top-right">
              <HealthLegend classes={classes} />
            </Panel>
            <Controls showInteractive={false} />
            {(!fits || nodes.length > 40) && (
              <MiniMap
                pannable
                zoomable
                nodeColor={minimapColor}
                ariaLabel="Minimap of the domain graph"
              />
            )}
          </ReactFlow>
        )}
      </DomainGraphContext.Provider>
      {error && (
        <div role="alert" className={classes.panel}>
          The graph could not be laid out: {error.message}
        </div>
      )}
    </div>
  );
}

/**
 * The products of every domain and how they depend on each other: domains as frames holding
 * their products (coloured by health, linked to their pages), laid out left to right with the
 * Lineage tab's ELK layout. Meshes of more than `collapseAbove` products show one node per
 * domain, each edge labelled with the number of product dependencies it stands for.
 * @public
 */
export function DomainGraphView(props: DomainGraphViewProps) {
  return (
    <ReactFlowProvider>
      <DomainCanvas {...props} />
    </ReactFlowProvider>
  );
}

import { createContext, memo, ReactNode, useContext } from 'react';
import { Handle, NodeProps, NodeTypes, Position } from '@xyflow/react';
import type { LineageHealth } from '../../../api';
import { healthColor } from '../health';
import { HEADER_HEIGHT, LineageFlowNode } from '../layout/layoutLineageGraph';
import type { GraphClasses } from './styles';

/**
 * What every node needs from the view. The value never changes while a graph is shown (the
 * callbacks read the latest props through refs), so nodes do not re-render with the view.
 */
export interface GraphContextValue {
  classes: GraphClasses;
  /** Undefined when products cannot be expanded (datasets are already shown at that level). */
  toggleExpand?: (entityRef: string) => void;
  renderEntityLink: (entityRef: string, label: string) => ReactNode;
}

export const GraphContext = createContext<GraphContextValue | undefined>(
  undefined,
);

function useGraphContext(): GraphContextValue {
  const value = useContext(GraphContext);
  if (!value) throw new Error('Lineage nodes must be rendered by the view');
  return value;
}

/**
 * Where edges meet a node: left in, right out. xyflow reads handle positions from the DOM once a
 * node is measured, so they must be rendered even though nothing connects by hand here. A
 * container's handles sit at its header (`top`), like the handles given to the layout.
 */
export function NodeHandles(props: { top?: number }) {
  const style = props.top === undefined ? undefined : { top: props.top };
  return (
    <>
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={false}
        style={style}
      />
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        style={style}
      />
    </>
  );
}

function HealthBadge(props: { health?: LineageHealth; classes: GraphClasses }) {
  const health = props.health ?? 'unknown';
  return (
    <span
      className={props.classes.badge}
      style={{ background: healthColor(health) }}
      aria-label={`Health: ${health}`}
    >
      {health}
    </span>
  );
}

const ProductNode = memo(function ProductNodeContent(
  props: NodeProps<LineageFlowNode>,
) {
  const { classes, toggleExpand, renderEntityLink } = useGraphContext();
  const { node, isFocus, hasChildren } = props.data;
  const className = [
    classes.node,
    classes.product,
    hasChildren ? classes.container : '',
    isFocus ? classes.focus : '',
  ].join(' ');
  return (
    <div
      className={className}
      style={{ borderLeftColor: healthColor(node.health) }}
    >
      <NodeHandles top={hasChildren ? HEADER_HEIGHT.product / 2 : undefined} />
      <div className={classes.header}>
        <span className={classes.title} title={node.entityRef}>
          {node.entityRef
            ? renderEntityLink(node.entityRef, node.label)
            : node.label}
        </span>
        {toggleExpand && node.entityRef && (
          <button
            type="button"
            className={`${classes.expand} nodrag nopan`}
            aria-label={`${hasChildren ? 'Hide' : 'Show'} datasets of ${
              node.label
            }`}
            aria-expanded={hasChildren}
            title={hasChildren ? 'Hide datasets' : 'Show datasets'}
            onClick={event => {
              // Expanding is not selecting: keep the click away from the node.
              event.stopPropagation();
              toggleExpand(node.entityRef!);
            }}
          >
            {hasChildren ? '−' : '+'}
          </button>
        )}
      </div>
      <div className={classes.meta}>
        <HealthBadge health={node.health} classes={classes} />
        {isFocus && (
          <span className={`${classes.badge} ${classes.focusBadge}`}>
            this product
          </span>
        )}
        <span>
          {[node.domain, node.productType].filter(Boolean).join(' · ')}
        </span>
      </div>
    </div>
  );
});

const DatasetNode = memo(function DatasetNodeContent(
  props: NodeProps<LineageFlowNode>,
) {
  const { classes } = useGraphContext();
  const { node, hasChildren } = props.data;
  const className = [
    classes.node,
    classes.dataset,
    hasChildren ? classes.container : '',
  ].join(' ');
  return (
    <div
      className={className}
      style={{
        borderLeftColor: healthColor(node.health),
        // With its columns inside, the name stays at the top.
        justifyContent: hasChildren ? 'flex-start' : undefined,
      }}
    >
      <NodeHandles top={hasChildren ? HEADER_HEIGHT.dataset / 2 : undefined} />
      <div className={classes.header}>
        <span className={classes.title} title={node.name ?? node.label}>
          {node.kind === 'job' ? `⚙ ${node.label}` : node.label}
        </span>
      </div>
      {!hasChildren && node.namespace && (
        <span className={classes.datasetPort} title={node.namespace}>
          {node.namespace}
        </span>
      )}
    </div>
  );
});

const FieldNode = memo(function FieldNodeContent(
  props: NodeProps<LineageFlowNode>,
) {
  const { classes } = useGraphContext();
  return (
    <div className={`${classes.node} ${classes.field}`}>
      <NodeHandles />
      <span className={classes.title}>{props.data.node.label}</span>
    </div>
  );
});

/** Stable: xyflow re-creates every node when this object changes. */
export const nodeTypes: NodeTypes = {
  product: ProductNode,
  dataset: DatasetNode,
  field: FieldNode,
};

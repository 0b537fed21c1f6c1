import { memo } from 'react';
import {
  BaseEdge,
  EdgeProps,
  EdgeTypes,
  getBezierPath,
  MarkerType,
} from '@xyflow/react';
import type { LineageFlowEdge } from '../layout/layoutLineageGraph';

/**
 * An edge in the legend's terms: dashed when only declared by an input port, solid when
 * observed in runs, solid with a round marker half-way when both.
 */
const LineageEdge = memo(function LineageEdgeContent(
  props: EdgeProps<LineageFlowEdge>,
) {
  const [path, middleX, middleY] = getBezierPath(props);
  const provenance = props.data?.edge.provenance ?? 'observed';
  return (
    <>
      <BaseEdge
        path={path}
        markerEnd={props.markerEnd}
        className={
          provenance === 'declared'
            ? 'lineage-edge-declared'
            : 'lineage-edge-observed'
        }
        // Edges are not clickable here: no invisible wide path per edge.
        interactionWidth={0}
      />
      {provenance === 'both' && (
        <circle
          className="lineage-edge-both-marker"
          cx={middleX}
          cy={middleY}
          r={4}
        />
      )}
    </>
  );
});

/** Stable, like nodeTypes. */
export const edgeTypes: EdgeTypes = { lineage: LineageEdge };

export const defaultEdgeOptions = {
  markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
};

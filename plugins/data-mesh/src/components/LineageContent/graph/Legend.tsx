import { memo } from 'react';
import { HEALTH_ORDER, healthColor, PROVENANCE_LABELS } from '../health';
import type { GraphClasses } from './styles';

function EdgeSample(props: { dashed?: boolean; marker?: boolean }) {
  return (
    <svg width="40" height="10" aria-hidden="true">
      <line
        x1="0"
        y1="5"
        x2="40"
        y2="5"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeDasharray={props.dashed ? '6 4' : undefined}
      />
      {props.marker && (
        <circle
          cx="20"
          cy="5"
          r="3.5"
          fill="white"
          stroke="currentColor"
          strokeWidth="2"
        />
      )}
    </svg>
  );
}

/** What edge styles and node colours mean. */
export const Legend = memo(function LegendContent(props: {
  classes: GraphClasses;
}) {
  const { classes } = props;
  return (
    <section className={classes.panel} aria-label="Legend">
      <div className={classes.legendRow}>
        <EdgeSample dashed />
        {PROVENANCE_LABELS.declared}
      </div>
      <div className={classes.legendRow}>
        <EdgeSample />
        {PROVENANCE_LABELS.observed}
      </div>
      <div className={classes.legendRow}>
        <EdgeSample marker />
        {PROVENANCE_LABELS.both}
      </div>
      <div className={classes.legendRow} style={{ marginTop: 4 }}>
        {HEALTH_ORDER.map(health => (
          <span key={health} className={classes.legendRow} style={{ gap: 3 }}>
            <span
              className={classes.dot}
              style={{ background: healthColor(health) }}
            />
            {health}
          </span>
        ))}
      </div>
    </section>
  );
});

import { makeStyles } from '@material-ui/core/styles';

/** Classes of the graph view and its nodes; computed once per view and shared through context. */
export const useGraphStyles = makeStyles(
  theme => ({
    root: {
      position: 'relative',
      width: '100%',
      // Handles only anchor edges: nothing is connected by hand.
      '& .react-flow__handle': {
        opacity: 0,
        pointerEvents: 'none',
      },
      '& .react-flow__edge-path': {
        stroke: theme.palette.text.secondary,
        strokeWidth: 1.5,
      },
      '& .lineage-edge-declared': { strokeDasharray: '6 4' },
      '& .lineage-edge-both-marker': {
        fill: theme.palette.background.paper,
        stroke: theme.palette.text.secondary,
        strokeWidth: 2,
      },
    },
    node: {
      boxSizing: 'border-box',
      width: '100%',
      height: '100%',
      borderRadius: 6,
      border: `1px solid ${theme.palette.divider}`,
      borderLeftWidth: 6,
      background: theme.palette.background.paper,
      color: theme.palette.text.primary,
      fontFamily: theme.typography.fontFamily,
      fontSize: 12,
      lineHeight: 1.3,
      overflow: 'hidden',
      cursor: 'pointer',
    },
    product: { padding: '6px 8px' },
    container: {
      // An expanded product or a dataset with its columns: a frame around its children.
      background: theme.palette.action.hover,
    },
    focus: {
      borderColor: theme.palette.primary.main,
      boxShadow: `0 0 0 3px ${theme.palette.primary.main}`,
    },
    selected: {
      boxShadow: `0 0 0 3px ${theme.palette.secondary.main}`,
    },
    header: {
      display: 'flex',
      alignItems: 'center',
      gap: 4,
      fontWeight: 600,
      fontSize: 13,
      whiteSpace: 'nowrap',
    },
    title: {
      flex: 1,
      minWidth: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    },
    meta: {
      display: 'flex',
      alignItems: 'center',
      gap: 6,
      marginTop: 4,
      color: theme.palette.text.secondary,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
    },
    badge: {
      display: 'inline-block',
      padding: '0 6px',
      borderRadius: 8,
      color: '#fff',
      fontSize: 11,
      lineHeight: '16px',
    },
    focusBadge: { background: theme.palette.primary.main },
    expand: {
      flex: 'none',
      width: 22,
      height: 22,
      padding: 0,
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: 4,
      background: theme.palette.background.paper,
      color: theme.palette.text.primary,
      cursor: 'pointer',
      fontSize: 14,
      lineHeight: '18px',
    },
    dataset: {
      padding: '3px 8px',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'center',
    },
    datasetPort: { color: theme.palette.text.secondary, fontSize: 11 },
    field: {
      padding: '0 8px',
      display: 'flex',
      alignItems: 'center',
      borderLeftWidth: 1,
      fontFamily: 'monospace',
      fontSize: 11,
    },
    dot: {
      flex: 'none',
      display: 'inline-block',
      width: 8,
      height: 8,
      borderRadius: '50%',
    },
    panel: {
      background: theme.palette.background.paper,
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: 4,
      padding: theme.spacing(1),
      fontFamily: theme.typography.fontFamily,
      fontSize: 12,
      color: theme.palette.text.primary,
    },
    search: { width: 280 },
    searchInput: {
      background: theme.palette.background.paper,
      borderRadius: theme.shape.borderRadius,
    },
    legendRow: {
      display: 'flex',
      alignItems: 'center',
      gap: 8,
      whiteSpace: 'nowrap',
    },
  }),
  { name: 'DataMeshLineageGraph' },
);

export type GraphClasses = ReturnType<typeof useGraphStyles>;

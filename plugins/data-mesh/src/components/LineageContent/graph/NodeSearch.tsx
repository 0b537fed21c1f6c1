import { memo, useMemo } from 'react';
import TextField from '@material-ui/core/TextField';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import type { LineageGraphNode } from '../../../api';
import type { GraphClasses } from './styles';

// At most this many suggestions: the list stays quick with thousands of nodes.
const filterOptions = createFilterOptions<LineageGraphNode>({
  limit: 20,
  stringify: node => `${node.label} ${node.entityRef ?? ''} ${node.name ?? ''}`,
});

const KIND_LABELS: Record<LineageGraphNode['kind'], string> = {
  product: 'product',
  dataset: 'dataset',
  field: 'column',
  job: 'job',
};

/** Finds a node by name; choosing one selects it and centres the view on it. */
export const NodeSearch = memo(function NodeSearchContent(props: {
  nodes: LineageGraphNode[];
  onFound(nodeId: string): void;
  classes: GraphClasses;
}) {
  const { nodes, onFound, classes } = props;
  const parents = useMemo(
    () => new Map(nodes.map(n => [n.id, n.label])),
    [nodes],
  );
  return (
    <Autocomplete
      className={`${classes.search} nodrag nopan nowheel`}
      options={nodes}
      filterOptions={filterOptions}
      getOptionLabel={node => node.label}
      renderOption={node => (
        <span>
          {node.label}{' '}
          <small style={{ opacity: 0.7 }}>
            {KIND_LABELS[node.kind]}
            {node.parent && parents.has(node.parent)
              ? ` in ${parents.get(node.parent)}`
              : ''}
          </small>
        </span>
      )}
      onChange={(_event, node) => {
        if (node) onFound(node.id);
      }}
      size="small"
      renderInput={params => (
        <TextField
          {...params}
          label="Find a node"
          variant="outlined"
          size="small"
          className={classes.searchInput}
        />
      )}
    />
  );
});

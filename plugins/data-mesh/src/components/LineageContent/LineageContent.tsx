import { useCallback, useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import {
  dataMeshApiRef,
  LineageDirection,
  LineageGraphResponse,
} from '../../api';
import { DifferencesPanel } from './DifferencesPanel';
import { LineageControls, LineageQueryState } from './LineageControls';
import { LineageGraphView } from './LineageGraphView';
import { defaultLayoutEngine } from './layout/elkEngine';

const EMPTY_MESSAGES: Record<LineageDirection, string> = {
  both: 'No lineage yet: this product declares no input ports and no run has reported any',
  upstream:
    'Nothing upstream: this product declares no input ports and no run has reported reading any',
  downstream:
    'Nothing downstream: no product declares this one as an input and no run has reported reading it',
};

/** True when the graph holds nothing but the focus product (and what is inside it). */
function isEmptyGraph(graph: LineageGraphResponse): boolean {
  if (graph.edges.length > 0) return false;
  const parents = new Map(graph.nodes.map(n => [n.id, n.parent]));
  return graph.nodes.every(node => {
    for (let id: string | undefined = node.id; id; id = parents.get(id)) {
      if (id === graph.focus) return true;
    }
    return false;
  });
}

const renderEntityLink = (entityRef: string, label: string) => (
  <EntityRefLink entityRef={entityRef}>{label}</EntityRefLink>
);

/**
 * The Lineage tab of a data product: the graph of products it reads from and that read from it,
 * at product, dataset or column level, with the differences between what it declares and what
 * its runs show.
 */
export function LineageContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(dataMeshApiRef);
  const [query, setQuery] = useState<LineageQueryState>({
    level: 'product',
    direction: 'both',
    depth: 3,
  });
  // Products shown with their datasets; only the product level needs asking.
  const [expanded, setExpanded] = useState<string[]>([]);

  // Start the layout worker while the graph is on its way.
  useEffect(() => defaultLayoutEngine().warmUp(), []);

  // useAsync keeps the previous graph while the next one loads, so the view does not flash.
  const graph = useAsync(
    () =>
      api.getLineageGraph({
        entityRef,
        ...query,
        expand: query.level === 'product' ? expanded : undefined,
      }),
    [api, entityRef, query, expanded],
  );
  const diff = useAsync(() => api.getLineageDiff(entityRef), [api, entityRef]);

  const toggleExpand = useCallback((ref: string) => {
    setExpanded(list =>
      list.includes(ref) ? list.filter(r => r !== ref) : [...list, ref],
    );
  }, []);

  let content;
  if (graph.error) {
    content = <ResponseErrorPanel error={graph.error} />;
  } else if (!graph.value) {
    content = <Progress />;
  } else if (isEmptyGraph(graph.value)) {
    content = (
      <EmptyState
        missing="data"
        title={EMPTY_MESSAGES[query.direction]}
        description="Declare the products this one reads as input ports in its catalog-info.yaml, or point an OpenLineage producer (Airflow, Spark, dbt) at /api/data-mesh/openlineage/api/v1/lineage."
      />
    );
  } else {
    content = (
      <>
        {graph.value.truncated && (
          <Box mb={1}>
            <Alert severity="warning">
              The graph was cut at the backend's node limit: lower the depth or
              choose one direction to see all of it.
            </Alert>
          </Box>
        )}
        <LineageGraphView
          graph={graph.value}
          onToggleExpand={query.level === 'product' ? toggleExpand : undefined}
          renderEntityLink={renderEntityLink}
        />
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Lineage" noPadding>
          <Box p={2}>
            <LineageControls value={query} onChange={setQuery} />
          </Box>
          {/* Refetching: the old graph stays, with a bar saying a new one is coming. */}
          <Box height={4}>
            {graph.loading && graph.value && (
              <LinearProgress aria-label="Loading the lineage graph" />
            )}
          </Box>
          <Box px={2} pb={2}>
            {content}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <DifferencesPanel
          loading={diff.loading}
          error={diff.error}
          differences={diff.value?.differences}
        />
      </Grid>
    </Grid>
  );
}

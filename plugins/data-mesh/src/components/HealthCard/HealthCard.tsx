import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { dataMeshApiRef, ProductQuality } from '../../api';
import { formatDateTime } from '../Agreements/format';
import { HealthChip } from '../HealthChip';
import { describeSlo } from '../QualityContent/format';

function Summary(props: { quality: ProductQuality; qualityLink?: string }) {
  const { quality, qualityLink } = props;
  const open = quality.incidents.filter(i => i.status === 'open').length;
  if (quality.ports.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No checks yet: they come from the contracts of the product's output
        ports.
      </Typography>
    );
  }
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <HealthChip
          status={quality.health}
          subject="this product"
          size="medium"
        />
        {quality.since && (
          <Typography variant="body2">
            since {formatDateTime(quality.since)}
          </Typography>
        )}
      </Box>
      <Box mt={1}>
        <Typography
          variant="body2"
          color={open > 0 ? 'error' : 'textSecondary'}
        >
          {open === 0
            ? 'No open incidents'
            : `${open} open incident${open === 1 ? '' : 's'}`}
        </Typography>
      </Box>
      <Table size="small" aria-label="Health of the output ports">
        <TableHead>
          <TableRow>
            <TableCell>Port</TableCell>
            <TableCell>Health</TableCell>
            <TableCell align="right">SLO, 30 days</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {quality.ports.map(port => (
            <TableRow key={port.port}>
              <TableCell>
                {qualityLink ? (
                  <Link
                    to={`${qualityLink}?port=${encodeURIComponent(port.port)}`}
                  >
                    {port.port}
                  </Link>
                ) : (
                  port.port
                )}
              </TableCell>
              <TableCell>
                <HealthChip status={port.health.status} subject={port.port} />
              </TableCell>
              <TableCell align="right">
                {describeSlo(port.slo.find(s => s.days === 30))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The overview card of a data product's health: the product and each port, open incidents and
 * the 30-day SLO, with a link to the Quality tab for the checks behind them.
 */
export function HealthCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(dataMeshApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  // The Quality tab is mounted at `quality` under the entity page.
  const qualityLink = entityRoute
    ? `${entityRoute(entityRouteParams(entity))}/quality`
    : undefined;
  const quality = useAsync(() => api.getQuality(entityRef), [api, entityRef]);

  let content;
  if (quality.error) {
    content = <ResponseErrorPanel error={quality.error} />;
  } else if (!quality.value) {
    content = <Progress />;
  } else {
    content = <Summary quality={quality.value} qualityLink={qualityLink} />;
  }
  return (
    <InfoCard
      title="Health"
      deepLink={
        qualityLink
          ? { title: 'Checks, incidents and runs', link: qualityLink }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}

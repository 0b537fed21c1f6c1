import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DiscoveryDomain,
  HealthStatus,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshApiRef } from '../../api';
import { productTypeLabel } from '../../productTypes';
import {
  HEALTH_LABELS,
  HEALTH_ORDER,
  HealthChip,
  healthColor,
  StatusChip,
} from '../HealthChip';
import { RefLink, useEntityPath } from '../RefLink';
import type { LineageLayoutEngine } from '../LineageContent/layout/elkEngine';
import { COLLAPSE_ABOVE_PRODUCTS } from './domainGraph';
import { DomainGraphView } from './DomainGraphView';

/** Products listed per domain card before "Show all". */
const LISTED = 8;
/** Owners of a domain's products named on its card. */
const OWNERS_LISTED = 5;

const useStyles = makeStyles(theme => ({
  card: { height: '100%' },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
  },
  products: {
    ...theme.typography.body2,
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
    '& li': {
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(0.25, 0),
    },
  },
  type: { color: theme.palette.text.secondary },
}));

/** The element id of a domain's card, for the graph to scroll to. */
export function domainCardId(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'domain',
  });
  return `data-mesh-domain-${namespace}-${name}`;
}

function HealthCounts(props: { health: Record<HealthStatus, number> }) {
  const classes = useStyles();
  return (
    <div className={classes.chips}>
      {HEALTH_ORDER.filter(h => (props.health[h] ?? 0) > 0).map(h => (
        <StatusChip
          key={h}
          color={healthColor(h)}
          icon={
            <span
              aria-hidden
              style={{
                width: 10,
                height: 10,
                marginLeft: 8,
                borderRadius: '50%',
                background: healthColor(h),
              }}
            />
          }
          label={`${props.health[h]} ${HEALTH_LABELS[h].toLocaleLowerCase(
            'en-US',
          )}`}
          ariaLabel={`${props.health[h]} ${h} ${
            props.health[h] === 1 ? 'product' : 'products'
          }`}
        />
      ))}
    </div>
  );
}

function DomainCard(props: { domain: DiscoveryDomain }) {
  const { domain } = props;
  const classes = useStyles();
  const entityPath = useEntityPath();
  const [all, setAll] = useState(false);
  const listed = all ? domain.products : domain.products.slice(0, LISTED);
  const productOwners = domain.owners.filter(o => o !== domain.owner);
  return (
    <Card
      id={domainCardId(domain.entityRef)}
      variant="outlined"
      className={classes.card}
      component="section"
      aria-label={`Domain ${domain.title}`}
    >
      <CardContent>
        <Typography variant="h6" component="h2">
          <Link to={entityPath(domain.entityRef)}>{domain.title}</Link>
        </Typography>
        {domain.description && (
          <Typography variant="body2" color="textSecondary" paragraph>
            {domain.description}
          </Typography>
        )}
        {domain.owner && (
          <Typography variant="body2">
            Owner: <RefLink value={domain.owner} defaultKind="group" />
          </Typography>
        )}
        {productOwners.length > 0 && (
          <Typography variant="body2">
            Product owners:{' '}
            {productOwners.slice(0, OWNERS_LISTED).map((owner, i) => (
              <span key={owner}>
                {i > 0 && ', '}
                <RefLink value={owner} defaultKind="group" />
              </span>
            ))}
            {productOwners.length > OWNERS_LISTED &&
              ` and ${productOwners.length - OWNERS_LISTED} more`}
          </Typography>
        )}
        <HealthCounts health={domain.health} />
        <Typography variant="subtitle2" component="h3">
          {domain.products.length}{' '}
          {domain.products.length === 1 ? 'product' : 'products'}
        </Typography>
        <ul className={classes.products}>
          {listed.map(product => (
            <li key={product.entityRef}>
              <HealthChip status={product.health} subject={product.title} />
              <Link to={entityPath(product.entityRef)}>{product.title}</Link>
              <Typography variant="caption" className={classes.type}>
                {productTypeLabel(product.type)}
              </Typography>
            </li>
          ))}
        </ul>
        {domain.products.length > LISTED && (
          <Button size="small" color="primary" onClick={() => setAll(a => !a)}>
            {all ? 'Show fewer' : `Show all ${domain.products.length} products`}
          </Button>
        )}
      </CardContent>
    </Card>
  );
}

/** @public */
export interface DomainViewProps {
  /** For tests and benchmarks; default, the page's ELK engine. */
  layoutEngine?: LineageLayoutEngine;
}

/**
 * The Domains tab of the Data Mesh page: a graph of how the products of every domain depend
 * on each other, then one card per domain with its owners, the health of its products at a
 * glance, and its products.
 */
export function DomainView(props: DomainViewProps) {
  const api = useApi(dataMeshApiRef);
  const overview = useAsyncRetry(() => api.getDomainOverview(), [api]);
  const scrollTo = useCallback((entityRef: string) => {
    document
      .getElementById(domainCardId(entityRef))
      ?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  let content;
  if (overview.error) {
    content = <ResponseErrorPanel error={overview.error} />;
  } else if (!overview.value) {
    content = <Progress />;
  } else if (overview.value.domains.length === 0) {
    content = (
      <EmptyState
        missing="content"
        title="No domains yet"
        description="Domains appear once data products name one in spec.domain."
      />
    );
  } else {
    const value = overview.value;
    const products = value.domains.reduce((n, d) => n + d.products.length, 0);
    const collapsed = products > COLLAPSE_ABOVE_PRODUCTS;
    content = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard
            title="How products depend on each other"
            subheader={
              collapsed
                ? `${products} products: one node per domain, each arrow labelled with the number of product dependencies it stands for.`
                : 'Arrows point from the product read to the product reading it.'
            }
          >
            <DomainGraphView
              overview={value}
              onDomainClick={scrollTo}
              layoutEngine={props.layoutEngine}
            />
          </InfoCard>
        </Grid>
        {value.domains.map(domain => (
          <Grid item xs={12} md={6} xl={4} key={domain.entityRef}>
            <DomainCard domain={domain} />
          </Grid>
        ))}
      </Grid>
    );
  }
  return (
    <Content>
      <Box>{content}</Box>
    </Content>
  );
}

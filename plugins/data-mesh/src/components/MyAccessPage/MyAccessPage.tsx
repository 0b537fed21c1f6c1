import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Agreement, AgreementStatus, dataMeshApiRef } from '../../api';
import { catalogIndexRouteRef } from '../../routes';
import {
  AgreementActions,
  AgreementStatusChip,
  ConnectionPanel,
  formatDate,
  GrantStateView,
} from '../Agreements';
import { RefLink } from '../RefLink';
import { Fact } from '../Fact';

/** The groups of the page, in the order a consumer cares about them: usable access first. */
const GROUPS: Array<{ status: AgreementStatus; title: string }> = [
  { status: 'active', title: 'Active' },
  { status: 'approved', title: 'Approved, not active yet' },
  { status: 'requested', title: 'Waiting for a decision' },
  { status: 'rejected', title: 'Rejected' },
  { status: 'cancelled', title: 'Cancelled' },
  { status: 'expired', title: 'Expired' },
  { status: 'revoked', title: 'Revoked' },
];

function AgreementCard(props: { agreement: Agreement; onChanged: () => void }) {
  const { agreement: a, onChanged } = props;
  return (
    <InfoCard
      title={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <RefLink value={a.dataProductRef} />
          <span>› {a.outputPort}</span>
          <AgreementStatusChip status={a.status} />
        </Box>
      }
    >
      <Box component="article" aria-label={`Agreement ${a.id}`}>
        <Grid container spacing={2}>
          <Fact label="Consumer">
            <RefLink value={a.consumerRef} />
          </Fact>
          <Fact label="Role">{a.role}</Fact>
          <Fact label="Grant">
            <GrantStateView grant={a.grant} />
          </Fact>
          <Fact label="Starts">{formatDate(a.startsAt)}</Fact>
          <Fact label="Ends">
            {a.endsAt ? formatDate(a.endsAt) : 'No end date'}
          </Fact>
          <Fact label="Requested by">
            <RefLink value={a.requestedBy} />
          </Fact>
          <Fact label="Purpose" width={12}>
            {a.purpose}
          </Fact>
          {a.reason && (
            <Fact label="Reason of the last decision" width={12}>
              {a.reason}
            </Fact>
          )}
        </Grid>
        {a.status === 'active' && <ConnectionPanel agreement={a} />}
        <Box mt={2}>
          <AgreementActions
            agreement={a}
            only={['cancel', 'revoke']}
            onChanged={onChanged}
          />
        </Box>
      </Box>
    </InfoCard>
  );
}

function CatalogLink() {
  // Unbound when the catalog plugin is not installed; then the text stands alone.
  const catalogIndex = useRouteRef(catalogIndexRouteRef);
  return catalogIndex ? (
    <Link to={catalogIndex()}>Browse the data products</Link>
  ) : null;
}

/**
 * My access: the agreements I asked for or that name me, my groups or my products as the
 * consumer, grouped by status; active ones say how to connect.
 */
export function MyAccessPage() {
  const api = useApi(dataMeshApiRef);
  const mine = useAsyncRetry(() => api.listAgreements({ view: 'mine' }), [api]);

  let content;
  if (mine.error) {
    content = <ResponseErrorPanel error={mine.error} />;
  } else if (!mine.value) {
    content = <Progress />;
  } else if (mine.value.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="You have no access to data products yet"
        description="Find a data product in the catalogue, open its Access tab and request access to one of its output ports."
        action={<CatalogLink />}
      />
    );
  } else {
    const agreements = mine.value;
    content = GROUPS.map(group => {
      const items = agreements.filter(a => a.status === group.status);
      if (items.length === 0) return null;
      return (
        <Box
          key={group.status}
          component="section"
          aria-label={group.title}
          mb={4}
        >
          <Typography variant="h5" component="h2" gutterBottom>
            {group.title} ({items.length})
          </Typography>
          <Grid container spacing={2}>
            {items.map(a => (
              <Grid item xs={12} key={a.id}>
                <AgreementCard agreement={a} onChanged={mine.retry} />
              </Grid>
            ))}
          </Grid>
        </Box>
      );
    });
  }

  return <Content>{content}</Content>;
}

import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import { Agreement } from '../../api';
import {
  AgreementActions,
  AgreementHistory,
  AgreementStatusChip,
  formatDate,
  formatDateTime,
  GrantStateView,
} from '../Agreements';
import { RefLink } from '../RefLink';

/** Who decides a request next, as the backend resolved it. */
function WaitingFor(props: { agreement: Agreement }) {
  const { approvalLevel, deciders } = props.agreement;
  const refs = deciders.find(d => d.level === approvalLevel)?.refs ?? [];
  if (refs.length === 0) {
    return null;
  }
  return (
    <Typography variant="caption" display="block" color="textSecondary">
      {approvalLevel > 1 ? `level ${approvalLevel}, ` : ''}decided by{' '}
      {refs.map((ref, index) => (
        <span key={ref}>
          {index > 0 && ', '}
          <RefLink value={ref} defaultKind="group" />
        </span>
      ))}
    </Typography>
  );
}

/** The agreements of one product; a row opens on the agreement's audit history. */
export function AgreementsTable(props: {
  agreements: Agreement[];
  onChanged: () => void;
}) {
  const { agreements, onChanged } = props;
  const columns: TableColumn<Agreement>[] = [
    {
      title: 'Consumer',
      field: 'consumerRef',
      render: a => (
        <>
          <RefLink value={a.consumerRef} />
          <Typography variant="caption" display="block" color="textSecondary">
            {a.requestedBy !== a.consumerRef && (
              <>
                asked by <RefLink value={a.requestedBy} />,{' '}
              </>
            )}
            {formatDateTime(a.createdAt)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Port and role',
      field: 'outputPort',
      render: a => (
        <>
          <Typography variant="body2">{a.outputPort}</Typography>
          <Typography variant="caption" color="textSecondary">
            {a.role}
          </Typography>
        </>
      ),
    },
    {
      title: 'Purpose',
      field: 'purpose',
      render: a => (
        <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
          {a.purpose}
        </Typography>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: a => (
        <>
          <AgreementStatusChip status={a.status} />
          {a.status === 'requested' && <WaitingFor agreement={a} />}
        </>
      ),
    },
    {
      title: 'Grant',
      field: 'grant.state',
      render: a => <GrantStateView grant={a.grant} />,
    },
    {
      title: 'Period',
      field: 'startsAt',
      render: a =>
        `${formatDate(a.startsAt)} – ${
          a.endsAt ? formatDate(a.endsAt) : 'no end date'
        }`,
    },
    {
      title: 'Actions',
      sorting: false,
      render: a => <AgreementActions agreement={a} onChanged={onChanged} />,
    },
  ];

  return (
    <Table<Agreement>
      title={`Agreements (${agreements.length})`}
      columns={columns}
      data={agreements}
      options={{ paging: false, search: false, padding: 'dense' }}
      detailPanel={[
        {
          tooltip: 'Show history',
          render: ({ rowData }) => <AgreementHistory agreement={rowData} />,
        },
      ]}
      onRowClick={(_event, _row, togglePanel) => togglePanel?.()}
    />
  );
}

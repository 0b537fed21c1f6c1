import Typography from '@material-ui/core/Typography';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Agreement, dataMeshApiRef } from '../../api';
import { AgreementActions, formatDateTime, formatPeriod } from '../Agreements';
import { RefLink } from '../RefLink';

/**
 * The approvals inbox: access requests waiting for a decision of the signed-in user, with
 * Approve and Reject. A decided request leaves the list when it is reloaded.
 */
export function ApprovalsPage() {
  const api = useApi(dataMeshApiRef);
  const inbox = useAsyncRetry(
    () => api.listAgreements({ view: 'inbox' }),
    [api],
  );

  const columns: TableColumn<Agreement>[] = [
    {
      title: 'Product',
      field: 'dataProductRef',
      render: a => <RefLink value={a.dataProductRef} />,
    },
    { title: 'Port', field: 'outputPort' },
    {
      title: 'Role',
      field: 'role',
      render: a => (
        <>
          {a.role}
          {a.approvalLevel > 1 && (
            <Typography variant="caption" display="block">
              level {a.approvalLevel} approval
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Consumer',
      field: 'consumerRef',
      render: a => <RefLink value={a.consumerRef} />,
    },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: a => <RefLink value={a.requestedBy} />,
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
      title: 'Requested at',
      field: 'createdAt',
      defaultSort: 'asc',
      render: a => formatDateTime(a.createdAt),
    },
    { title: 'Period', field: 'startsAt', render: a => formatPeriod(a) },
    {
      title: 'Decision',
      sorting: false,
      render: a => (
        <AgreementActions
          agreement={a}
          only={['approve', 'reject']}
          onChanged={inbox.retry}
        />
      ),
    },
  ];

  let content;
  if (inbox.error) {
    content = <ResponseErrorPanel error={inbox.error} />;
  } else if (!inbox.value) {
    content = <Progress />;
  } else if (inbox.value.length === 0) {
    content = (
      <EmptyState
        missing="content"
        title="Nothing waiting for your decision"
        description="Requests for access to the data products you own, or whose contracts name you as an approver, appear here."
      />
    );
  } else {
    content = (
      <Table<Agreement>
        title={`Waiting for your decision (${inbox.value.length})`}
        columns={columns}
        data={inbox.value}
        options={{ paging: false, search: false, padding: 'dense' }}
      />
    );
  }

  return <Content>{content}</Content>;
}

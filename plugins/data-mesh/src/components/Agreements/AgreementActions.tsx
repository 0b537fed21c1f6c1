import { MouseEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { DATA_PRODUCT_KIND } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  Agreement,
  AgreementAction,
  DataMeshApi,
  dataMeshApiRef,
} from '../../api';
import { parseRefOrUndefined } from '../../refs';
import { errorMessage, errorStatus } from './format';

type ActionSpec = {
  /** The button in the row and the confirming button in the dialog. */
  label: string;
  title: string;
  explanation: (agreement: Agreement) => string;
  color: 'primary' | 'secondary';
  run: (api: DataMeshApi, id: string, reason?: string) => Promise<Agreement>;
};

/** A ref as people read it (`group:finance-team`, `sales-orders`); the text as is if it is none. */
function humanize(ref: string, defaultKind: string): string {
  const parsed = parseRefOrUndefined(ref, defaultKind);
  return parsed ? humanizeEntityRef(parsed, { defaultKind }) : ref;
}

const describeAgreement = (a: Agreement) =>
  `${humanize(a.consumerRef, 'user')} on port ${a.outputPort} of ${humanize(
    a.dataProductRef,
    DATA_PRODUCT_KIND,
  )}, role ${a.role}`;

const ACTIONS: Record<AgreementAction, ActionSpec> = {
  approve: {
    label: 'Approve',
    title: 'Approve the request',
    explanation: a =>
      a.deciders.some(d => d.level > a.approvalLevel)
        ? `Approve access for ${describeAgreement(
            a,
          )}. A second-level approver decides next.`
        : `Approve access for ${describeAgreement(
            a,
          )}. The grant is applied in the warehouse once approved.`,
    color: 'primary',
    run: (api, id, reason) =>
      api.decideAgreement(id, { decision: 'approve', reason }),
  },
  reject: {
    label: 'Reject',
    title: 'Reject the request',
    explanation: a =>
      `Reject access for ${describeAgreement(
        a,
      )}. The requester sees your reason.`,
    color: 'secondary',
    run: (api, id, reason) =>
      api.decideAgreement(id, { decision: 'reject', reason }),
  },
  cancel: {
    label: 'Cancel request',
    title: 'Cancel the request',
    explanation: a =>
      `Withdraw the request for ${describeAgreement(
        a,
      )}. Nobody needs to decide on it any more.`,
    color: 'secondary',
    run: (api, id, reason) => api.cancelAgreement(id, reason),
  },
  revoke: {
    label: 'Revoke',
    title: 'Revoke access',
    explanation: a =>
      `End the agreement for ${describeAgreement(
        a,
      )}. Its grant is removed from the warehouse; to use the data again, request access anew.`,
    color: 'secondary',
    run: (api, id, reason) => api.revokeAgreement(id, reason),
  },
};

/** The order in which the buttons appear. */
const ORDER: AgreementAction[] = ['approve', 'reject', 'cancel', 'revoke'];

function ActionDialog(props: {
  agreement: Agreement;
  action: AgreementAction;
  onClose: () => void;
  onDone: (agreement: Agreement) => void;
  /** The agreement changed on the server meanwhile; the caller should reload it. */
  onStale: () => void;
}) {
  const { agreement, action, onClose, onDone, onStale } = props;
  const api = useApi(dataMeshApiRef);
  const spec = ACTIONS[action];
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      const updated = await spec.run(
        api,
        agreement.id,
        reason.trim() || undefined,
      );
      onDone(updated);
    } catch (e) {
      setError(errorMessage(e));
      if (errorStatus(e) === 409) {
        onStale();
      }
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={`agreement-${agreement.id}-${action}-title`}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={`agreement-${agreement.id}-${action}-title`}>
        {spec.title}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>{spec.explanation(agreement)}</DialogContentText>
        <TextField
          id={`agreement-${agreement.id}-${action}-reason`}
          label="Reason (optional)"
          value={reason}
          onChange={e => setReason(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          margin="dense"
          helperText="Kept in the agreement's history."
        />
        {error && (
          <Box mt={2}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          color={spec.color}
          variant="contained"
          disabled={submitting}
          onClick={confirm}
        >
          {spec.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * The buttons for what the caller may do with an agreement, as the backend computed it
 * (`allowedActions`); each asks for confirmation and an optional reason. `only` narrows the
 * buttons to those that fit the page.
 */
export function AgreementActions(props: {
  agreement: Agreement;
  only?: AgreementAction[];
  /** After a successful action, or when the agreement turned out to have changed meanwhile. */
  onChanged: (agreement?: Agreement) => void;
}) {
  const { agreement, only, onChanged } = props;
  const [open, setOpen] = useState<AgreementAction>();
  const [stale, setStale] = useState(false);
  const actions = ORDER.filter(
    action =>
      agreement.allowedActions.includes(action) &&
      (!only || only.includes(action)),
  );
  if (actions.length === 0) {
    return null;
  }

  const close = () => {
    setOpen(undefined);
    // Reload only once the dialog is gone, so its message is not lost with the row.
    if (stale) {
      setStale(false);
      onChanged();
    }
  };

  return (
    // Inside a table row that expands on click; clicks here (the dialog's too, as React
    // bubbles through portals) must not toggle it.
    <Box
      display="flex"
      style={{ gap: 8 }}
      onClick={(e: MouseEvent) => e.stopPropagation()}
    >
      {actions.map(action => (
        <Button
          key={action}
          size="small"
          variant={action === 'approve' ? 'contained' : 'outlined'}
          color={action === 'approve' ? 'primary' : 'default'}
          onClick={() => setOpen(action)}
        >
          {ACTIONS[action].label}
        </Button>
      ))}
      {open && (
        <ActionDialog
          agreement={agreement}
          action={open}
          onClose={close}
          onStale={() => setStale(true)}
          onDone={updated => {
            setOpen(undefined);
            setStale(false);
            onChanged(updated);
          }}
        />
      )}
    </Box>
  );
}

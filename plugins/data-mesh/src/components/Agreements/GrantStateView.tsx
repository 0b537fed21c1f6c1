import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AgreementGrant } from '../../api';
import { formatDateTime } from './format';

/** Where the warehouse stands: granted (with the provider's reference), or why it failed. */
export function GrantStateView(props: { grant?: AgreementGrant }) {
  const { grant } = props;
  if (!grant) {
    // No grant until a request is approved.
    return (
      <Typography variant="body2" color="textSecondary">
        –
      </Typography>
    );
  }
  return (
    <Box>
      <Typography
        variant="body2"
        color={grant.state === 'failed' ? 'error' : 'textPrimary'}
      >
        {grant.state}
        {grant.state === 'failed' &&
          ` (${grant.attempts} ${
            grant.attempts === 1 ? 'attempt' : 'attempts'
          })`}
      </Typography>
      {grant.reference && (
        <Typography variant="caption" display="block" color="textSecondary">
          <code>{grant.reference}</code>
        </Typography>
      )}
      {grant.state === 'failed' && grant.diagnostics && (
        <Typography
          variant="caption"
          display="block"
          color="error"
          style={{ whiteSpace: 'pre-wrap' }}
        >
          {grant.diagnostics}
        </Typography>
      )}
      {grant.state === 'failed' && grant.nextAttemptAt && (
        <Typography variant="caption" display="block" color="textSecondary">
          Next attempt at {formatDateTime(grant.nextAttemptAt)}
        </Typography>
      )}
    </Box>
  );
}

import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { dataMeshApiRef, QualityThreshold } from '../../api';
import { asQualityUnit } from './format';
import { QualityTrendChart } from './QualityTrendChart';

/** What the trend is of: a contract check, or a result imported from another tool. */
export interface TrendTarget {
  port: string;
  checkKey: string;
  name: string;
  /** A check's unit; results imported from other tools may name units of their own. */
  unit?: string;
  threshold?: QualityThreshold;
  description?: string;
}

const DAYS = 30;

/** A check's measurements over the last 30 days as a chart. */
export function CheckTrendDialog(props: {
  entityRef: string;
  target: TrendTarget;
  onClose(): void;
}) {
  const { entityRef, target, onClose } = props;
  const api = useApi(dataMeshApiRef);
  const history = useAsync(
    () =>
      api.getQualityHistory({
        entityRef,
        port: target.port,
        checkKey: target.checkKey,
        days: DAYS,
      }),
    [api, entityRef, target.port, target.checkKey],
  );

  let content;
  if (history.error) {
    content = <ResponseErrorPanel error={history.error} />;
  } else if (history.loading || !history.value) {
    content = <Progress />;
  } else if (history.value.points.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title={`No measurements in the last ${DAYS} days`}
        description="The trend appears once the check has run: on its schedule, or with Run checks."
      />
    );
  } else {
    content = (
      <QualityTrendChart
        points={history.value.points}
        unit={asQualityUnit(target.unit) ?? 'rows'}
        threshold={target.threshold}
        days={DAYS}
      />
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="quality-trend-title"
    >
      <DialogTitle id="quality-trend-title">Trend of {target.name}</DialogTitle>
      <DialogContent>
        <Box mb={2}>
          <Typography variant="body2" color="textSecondary">
            Port {target.port} · check <code>{target.checkKey}</code>
          </Typography>
          {target.description && (
            <Typography variant="body2">{target.description}</Typography>
          )}
        </Box>
        {content}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

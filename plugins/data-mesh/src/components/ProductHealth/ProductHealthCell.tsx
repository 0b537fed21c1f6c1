import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { HealthChip } from '../HealthChip';
import { errorMessage } from '../Agreements/format';
import { useProductHealth } from './useProductHealth';

/** A data product's health in a list: a chip, and the count of open incidents if any. */
export function ProductHealthCell(props: { entityRef: string }) {
  const { loading, value, error, available } = useProductHealth(
    props.entityRef,
  );
  if (!available) return null;
  if (loading) {
    return (
      <Skeleton
        variant="rect"
        width={80}
        height={24}
        aria-label="Loading health"
      />
    );
  }
  if (error) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        title={`Health unavailable: ${errorMessage(error)}`}
      >
        n/a
      </Typography>
    );
  }
  if (!value) {
    return <HealthChip status="unknown" />;
  }
  return (
    <>
      <HealthChip status={value.status} />
      {value.openIncidents > 0 && (
        <Typography variant="caption" color="error" component="div">
          {value.openIncidents} open incident
          {value.openIncidents === 1 ? '' : 's'}
        </Typography>
      )}
    </>
  );
}

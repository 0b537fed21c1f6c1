import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  describeQualityThreshold,
  QualityHistory,
  QualityThreshold,
  QualityUnit,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { HEALTH_COLORS } from '../HealthChip';
import { formatDate, formatDateTime } from '../Agreements/format';
import { describeValue } from './format';

type Point = QualityHistory['points'][number];

const POINT_COLORS: Record<Point['status'], string> = {
  pass: HEALTH_COLORS.healthy,
  fail: HEALTH_COLORS.failing,
  error: HEALTH_COLORS.degraded,
};

const HEIGHT = 280;

/**
 * Seconds are drawn in the largest unit that keeps the axis readable (hours for a 6-hour
 * freshness limit); everything else as measured.
 */
function axisScale(
  unit: QualityUnit,
  largest: number,
): { factor: number; label: string } {
  if (unit === 'seconds') {
    if (largest >= 7200) return { factor: 3600, label: 'hours' };
    if (largest >= 120) return { factor: 60, label: 'minutes' };
    return { factor: 1, label: 'seconds' };
  }
  if (unit === 'percent') return { factor: 1, label: '% of rows' };
  if (unit === 'flag') return { factor: 1, label: '1 = conforms' };
  return { factor: 1, label: 'rows' };
}

/** The smallest of 1, 2, 5 × 10^k at or above `value`. */
function niceCeil(value: number): number {
  if (!(value > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find(m => m * power >= value) ?? 10;
  return step * power;
}

function thresholdValues(threshold: QualityThreshold): number[] {
  return Array.isArray(threshold.value) ? threshold.value : [threshold.value];
}

/** One dot per measurement, in the colour of its outcome. */
function StatusDot(props: {
  cx?: number;
  cy?: number;
  payload?: { status: Point['status']; measuredAt: string };
}) {
  const { cx, cy, payload } = props;
  if (cx === undefined || cy === undefined || !payload) return null;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={payload.status === 'pass' ? 3 : 5}
      fill={POINT_COLORS[payload.status]}
      stroke="#fff"
      strokeWidth={1}
      data-status={payload.status}
    />
  );
}

/** A summary in words of what the chart shows, for everyone (and screen readers). */
export function describeTrend(points: Point[], days: number): string {
  const count = (status: Point['status']) =>
    points.filter(p => p.status === status).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`];
  if (count('error') > 0) parts.push(`${count('error')} not measured`);
  const plural = points.length === 1 ? '' : 's';
  return `${
    points.length
  } measurement${plural} in the last ${days} days: ${parts.join(', ')}.`;
}

export interface QualityTrendChartProps {
  points: Point[];
  unit: QualityUnit;
  threshold?: QualityThreshold;
  days: number;
}

/**
 * A check's value over time: one line through the measurements, each point coloured by its
 * outcome, and the threshold drawn as a line (a band for the between-operators).
 */
export function QualityTrendChart(props: QualityTrendChartProps) {
  const { points, unit, threshold, days } = props;
  const theme = useTheme();

  const spanMs =
    points.length > 1
      ? Date.parse(points[points.length - 1].measuredAt) -
        Date.parse(points[0].measuredAt)
      : 0;
  const { data, scale, domain } = useMemo(() => {
    const limits = threshold ? thresholdValues(threshold) : [];
    const values = points.flatMap(p => (p.value === null ? [] : [p.value]));
    const largest = Math.max(0, ...values, ...limits);
    const s = axisScale(unit, largest);
    const low = Math.min(0, ...values, ...limits) / s.factor;
    // Headroom above the highest value or threshold, so a line at the top stays visible,
    // rounded up to a round number so the axis reads 0, 5, 10, 15 rather than 13.2000001.
    const high = niceCeil((largest / s.factor) * 1.1) || 1;
    return {
      scale: s,
      domain: [low, high] as [number, number],
      // Measurements that could not be taken have no value: they break the line, and are
      // counted in the summary below the chart.
      data: points.map(p => ({
        t: Date.parse(p.measuredAt),
        y: p.value === null ? null : p.value / s.factor,
        raw: p.value,
        status: p.status,
        measuredAt: p.measuredAt,
      })),
    };
  }, [points, unit, threshold]);

  const limits = threshold ? thresholdValues(threshold) : [];
  let thresholdWords: string | undefined;
  if (threshold) {
    thresholdWords =
      unit === 'flag'
        ? 'must conform'
        : describeQualityThreshold(threshold, unit);
  }
  const between =
    threshold &&
    (threshold.operator === 'mustBeBetween' ||
      threshold.operator === 'mustNotBeBetween');
  const summary = describeTrend(points, days);
  const axisColor = theme.palette.text.secondary;

  return (
    <Box>
      <Box
        role="img"
        aria-label={`Trend chart. ${summary}${
          thresholdWords ? ` The value ${thresholdWords}.` : ''
        }`}
      >
        <ResponsiveContainer
          width="100%"
          height={HEIGHT}
          // Used until the container is measured (and by tests, where nothing is).
          initialDimension={{ width: 600, height: HEIGHT }}
        >
          <LineChart
            data={data}
            margin={{ top: 16, right: 24, bottom: 8, left: 8 }}
          >
            <CartesianGrid
              strokeDasharray="3 3"
              stroke={theme.palette.divider}
            />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              // Within two days, the time of day tells points apart; beyond, the date does.
              tickFormatter={(t: number) =>
                spanMs < 2 * 86_400_000
                  ? new Date(t).toLocaleTimeString(undefined, {
                      hour: '2-digit',
                      minute: '2-digit',
                    })
                  : formatDate(new Date(t).toISOString())
              }
              stroke={axisColor}
            />
            <YAxis
              domain={domain}
              stroke={axisColor}
              tickFormatter={(v: number) =>
                v.toLocaleString(undefined, { maximumFractionDigits: 2 })
              }
              label={{
                value: scale.label,
                angle: -90,
                position: 'insideLeft',
                fill: axisColor,
              }}
            />
            {between && (
              <ReferenceArea
                y1={limits[0] / scale.factor}
                y2={limits[1] / scale.factor}
                fill={
                  threshold!.operator === 'mustBeBetween'
                    ? HEALTH_COLORS.healthy
                    : HEALTH_COLORS.failing
                }
                fillOpacity={0.08}
                ifOverflow="extendDomain"
              />
            )}
            {limits.map((limit, i) => (
              <ReferenceLine
                key={i}
                y={limit / scale.factor}
                stroke={HEALTH_COLORS.failing}
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
                label={
                  i === 0
                    ? {
                        value: thresholdWords,
                        position: 'insideTopRight',
                        fill: axisColor,
                        fontSize: 12,
                      }
                    : undefined
                }
              />
            ))}
            <Tooltip
              labelFormatter={(t: unknown) =>
                formatDateTime(new Date(Number(t)).toISOString())
              }
              formatter={(_value: unknown, _name: unknown, item: unknown) => {
                const { raw, status } = (
                  item as { payload: { raw: number | null; status: string } }
                ).payload;
                return [
                  raw === null ? 'not measured' : describeValue(raw, unit),
                  status,
                ];
              }}
            />
            <Line
              type="linear"
              dataKey="y"
              stroke={theme.palette.primary.main}
              isAnimationActive={false}
              dot={(dotProps: Record<string, unknown>) => (
                <StatusDot
                  key={String(dotProps.index)}
                  cx={dotProps.cx as number | undefined}
                  cy={dotProps.cy as number | undefined}
                  payload={dotProps.payload as never}
                />
              )}
              activeDot={{ r: 6 }}
            />
          </LineChart>
        </ResponsiveContainer>
      </Box>
      <Typography variant="body2" color="textSecondary">
        {summary}
        {thresholdWords && ` The value ${thresholdWords}.`}
      </Typography>
    </Box>
  );
}

import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import type { LineageDirection, LineageLevel } from '../../api';

export interface LineageQueryState {
  level: LineageLevel;
  direction: LineageDirection;
  depth: number;
}

const LEVELS: Array<[LineageLevel, string]> = [
  ['product', 'Products'],
  ['dataset', 'Datasets'],
  ['column', 'Columns'],
];
const DIRECTIONS: Array<[LineageDirection, string]> = [
  ['both', 'Upstream and downstream'],
  ['upstream', 'Upstream'],
  ['downstream', 'Downstream'],
];
export const MAX_DEPTH = 10;

/** Level, direction and depth of the lineage graph. Native selects: quick and accessible. */
export function LineageControls(props: {
  value: LineageQueryState;
  onChange(value: LineageQueryState): void;
}) {
  const { value, onChange } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      <TextField
        select
        id="lineage-level"
        label="Level"
        value={value.level}
        onChange={e =>
          onChange({ ...value, level: e.target.value as LineageLevel })
        }
        SelectProps={{ native: true }}
        variant="outlined"
        size="small"
      >
        {LEVELS.map(([level, label]) => (
          <option key={level} value={level}>
            {label}
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="lineage-direction"
        label="Direction"
        value={value.direction}
        onChange={e =>
          onChange({
            ...value,
            direction: e.target.value as LineageDirection,
          })
        }
        SelectProps={{ native: true }}
        variant="outlined"
        size="small"
      >
        {DIRECTIONS.map(([direction, label]) => (
          <option key={direction} value={direction}>
            {label}
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="lineage-depth"
        label="Depth"
        value={value.depth}
        onChange={e => onChange({ ...value, depth: Number(e.target.value) })}
        SelectProps={{ native: true }}
        variant="outlined"
        size="small"
        helperText="Hops from this product"
      >
        {Array.from({ length: MAX_DEPTH }, (_, i) => i + 1).map(depth => (
          <option key={depth} value={depth}>
            {depth}
          </option>
        ))}
      </TextField>
    </Box>
  );
}

import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DISCOVERY_FACETS,
  DiscoveryFacet,
  DiscoveryFacetValue,
  DiscoveryQuery,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { productTypeLabel } from '../../productTypes';
import { HEALTH_LABELS, HEALTH_ORDER } from '../HealthChip';
import { count, refLabel } from './format';

/** The headings of the facet groups. */
export const FACET_TITLES: Record<DiscoveryFacet, string> = {
  domain: 'Domain',
  type: 'Type',
  owner: 'Owner',
  tag: 'Tag',
  classification: 'Classification',
  health: 'Health',
  access: 'Access',
};

/** Values shown before "Show all". */
const SHOWN = 6;

/** One checkbox: most stand for one value, "I have access" for two (owner and granted). */
export interface FacetOption {
  key: string;
  label: string;
  values: string[];
  count: number;
}

const ACCESS_OPTIONS: Array<{ key: string; label: string; values: string[] }> =
  [
    { key: 'have', label: 'I have access', values: ['owner', 'granted'] },
    { key: 'requested', label: 'Requested', values: ['requested'] },
    { key: 'none', label: 'No access', values: ['none'] },
  ];

/** A facet value in words. */
export function facetValueLabel(
  facet: DiscoveryFacet,
  value: string,
  labels?: ReadonlyMap<string, string>,
): string {
  switch (facet) {
    case 'domain':
    case 'owner':
      return refLabel(value, labels);
    case 'type':
      return productTypeLabel(value);
    case 'health':
      return HEALTH_LABELS[value as keyof typeof HEALTH_LABELS] ?? value;
    default:
      return value;
  }
}

/**
 * The checkboxes of a facet: its values by count (health in its usual order, access as "I have
 * access", "Requested", "No access"), and selected values the answer no longer counts, at 0.
 */
export function facetOptions(
  facet: DiscoveryFacet,
  values: DiscoveryFacetValue[],
  selected: readonly string[],
  labels?: ReadonlyMap<string, string>,
): FacetOption[] {
  const counts = new Map(values.map(v => [v.value, v.count]));
  if (facet === 'access') {
    return ACCESS_OPTIONS.map(o => ({
      ...o,
      count: o.values.reduce((sum, v) => sum + (counts.get(v) ?? 0), 0),
    }));
  }
  if (facet === 'health') {
    return HEALTH_ORDER.map(h => ({
      key: h,
      label: HEALTH_LABELS[h],
      values: [h],
      count: counts.get(h) ?? 0,
    }));
  }
  const options: FacetOption[] = values.map(v => ({
    key: v.value,
    label: v.label ?? facetValueLabel(facet, v.value, labels),
    values: [v.value],
    count: v.count,
  }));
  for (const value of selected) {
    if (!counts.has(value)) {
      options.push({
        key: value,
        label: facetValueLabel(facet, value, labels),
        values: [value],
        count: 0,
      });
    }
  }
  return options;
}

const useStyles = makeStyles(theme => ({
  group: {
    marginBottom: theme.spacing(2),
  },
  heading: {
    fontWeight: 'bold',
    marginBottom: theme.spacing(0.5),
  },
  option: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    minHeight: 30,
  },
  label: {
    marginLeft: -6,
    marginRight: theme.spacing(1),
    minWidth: 0,
    '& .MuiFormControlLabel-label': {
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      fontSize: theme.typography.body2.fontSize,
    },
  },
  checkbox: {
    padding: 4,
  },
  count: {
    color: theme.palette.text.secondary,
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.caption.fontSize,
    flex: 'none',
  },
}));

function FacetGroup(props: {
  facet: DiscoveryFacet;
  options: FacetOption[];
  selected: readonly string[];
  onChange: (facet: DiscoveryFacet, values: string[]) => void;
}) {
  const { facet, options, selected, onChange } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const selectedSet = new Set(selected);
  // Selected values stay visible when the list is cut.
  const shown = expanded
    ? options
    : options.filter(
        (o, i) => i < SHOWN || o.values.some(v => selectedSet.has(v)),
      );
  const headingId = `data-mesh-facet-${facet}`;

  const toggle = (option: FacetOption, on: boolean) => {
    const rest = selected.filter(v => !option.values.includes(v));
    onChange(facet, on ? [...rest, ...option.values] : rest);
  };

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      className={classes.group}
    >
      <Typography
        id={headingId}
        variant="body2"
        component="h3"
        className={classes.heading}
      >
        {FACET_TITLES[facet]}
      </Typography>
      {shown.map(option => {
        const on = option.values.filter(v => selectedSet.has(v)).length;
        const countId = `${headingId}-${option.key}-count`;
        return (
          <div key={option.key} className={classes.option}>
            <FormControlLabel
              className={classes.label}
              title={option.label}
              label={option.label}
              control={
                <Checkbox
                  className={classes.checkbox}
                  size="small"
                  color="primary"
                  disableRipple
                  checked={on === option.values.length}
                  indeterminate={on > 0 && on < option.values.length}
                  onChange={(_e, checked) => toggle(option, checked)}
                  inputProps={{
                    'aria-label': option.label,
                    'aria-describedby': countId,
                  }}
                />
              }
            />
            <span id={countId} className={classes.count}>
              {count(option.count)}
            </span>
          </div>
        );
      })}
      {options.length > SHOWN && (
        <Button
          size="small"
          color="primary"
          onClick={() => setExpanded(e => !e)}
          aria-expanded={expanded}
        >
          {expanded
            ? 'Show fewer'
            : `Show all ${count(options.length)} ${FACET_TITLES[
                facet
              ].toLocaleLowerCase('en-US')} values`}
        </Button>
      )}
    </Box>
  );
}

/**
 * The facets of the Data Mesh page: one group of checkboxes per facet, each value with the
 * number of products it would show given the other filters.
 */
export function FacetPanel(props: {
  facets: Record<DiscoveryFacet, DiscoveryFacetValue[]>;
  query: DiscoveryQuery;
  labels: ReadonlyMap<string, string>;
  onChange: (facet: DiscoveryFacet, values: string[]) => void;
}) {
  const { facets, query, labels, onChange } = props;
  return (
    <Box component="nav" aria-label="Filters">
      {DISCOVERY_FACETS.map(facet => {
        const selected = (query[facet] ?? []) as string[];
        const options = facetOptions(
          facet,
          facets[facet] ?? [],
          selected,
          labels,
        );
        if (options.length === 0) return null;
        return (
          <FacetGroup
            key={facet}
            facet={facet}
            options={options}
            selected={selected}
            onChange={onChange}
          />
        );
      })}
    </Box>
  );
}

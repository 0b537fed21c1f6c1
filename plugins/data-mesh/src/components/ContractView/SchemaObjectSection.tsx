import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  OdcsQualityRule,
  OdcsSchemaObject,
  OdcsSchemaProperty,
  describeQualityRule,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DescribedList } from '../DescribedList';

const useStyles = makeStyles(theme => ({
  restricted: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  confidential: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  columnName: {
    fontFamily: 'monospace',
    whiteSpace: 'nowrap',
  },
  // Short values never wrap mid-word; the description takes the remaining width and the table
  // scrolls sideways in narrow cards.
  compact: {
    whiteSpace: 'nowrap',
  },
  description: {
    minWidth: 220,
  },
}));

/** A property with its dotted path: nested object properties and array items are listed too. */
type FlatProperty = { column: string; property: OdcsSchemaProperty };

function flattenProperties(
  properties: OdcsSchemaProperty[] = [],
  prefix = '',
): FlatProperty[] {
  return properties.flatMap(property => {
    const column = `${prefix}${property.name}`;
    const nested = [
      ...flattenProperties(property.properties, `${column}.`),
      ...(property.items
        ? flattenProperties(property.items.properties ?? [], `${column}[].`)
        : []),
    ];
    return [{ column, property }, ...nested];
  });
}

function ClassificationChip(props: { classification?: string }) {
  const classes = useStyles();
  if (!props.classification) {
    return null;
  }
  // Sensitive data stands out so readers notice it before requesting access.
  const sensitiveClasses: Record<string, string> = {
    restricted: classes.restricted,
    confidential: classes.confidential,
  };
  const className =
    sensitiveClasses[props.classification.toLocaleLowerCase('en-US')];
  return (
    <Chip
      size="small"
      label={props.classification}
      className={className}
      variant={className ? 'default' : 'outlined'}
    />
  );
}

function primaryKeyText(property: OdcsSchemaProperty): string {
  if (!property.primaryKey) {
    return '';
  }
  return property.primaryKeyPosition !== undefined &&
    property.primaryKeyPosition >= 0
    ? `✓ (${property.primaryKeyPosition})`
    : '✓';
}

type DescribedRule = { key: string; text: string; details: string };

function describeRules(schemaObject: OdcsSchemaObject): DescribedRule[] {
  const describe = (
    rule: OdcsQualityRule,
    key: string,
    column?: string,
  ): DescribedRule => {
    const text = describeQualityRule(rule, column);
    const details = [
      rule.severity ? `Severity: ${rule.severity}` : undefined,
      rule.dimension ? `Dimension: ${rule.dimension}` : undefined,
      // Metric rules are described from their threshold; their free text adds context.
      rule.description && !text.includes(rule.description.replace(/\.$/, ''))
        ? rule.description
        : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    return { key, text, details };
  };
  return [
    ...(schemaObject.quality ?? []).map((rule, index) =>
      describe(rule, rule.id ?? `object-${index}`),
    ),
    ...flattenProperties(schemaObject.properties).flatMap(
      ({ column, property }) =>
        (property.quality ?? []).map((rule, index) =>
          describe(rule, rule.id ?? `${column}-${index}`, column),
        ),
    ),
  ];
}

/** One schema object of a contract (usually a table): its columns and quality rules. */
export function SchemaObjectSection(props: { schemaObject: OdcsSchemaObject }) {
  const { schemaObject } = props;
  const classes = useStyles();
  const title = schemaObject.businessName ?? schemaObject.name;
  const physical = [schemaObject.physicalType, schemaObject.physicalName]
    .filter(Boolean)
    .join(' ');
  const rows = flattenProperties(schemaObject.properties);
  const rules = describeRules(schemaObject);

  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3">
        {title}
        {physical && (
          <Typography variant="body2" component="span" color="textSecondary">
            {' '}
            ({physical})
          </Typography>
        )}
      </Typography>
      {schemaObject.description && (
        <Typography variant="body2" paragraph>
          {schemaObject.description}
          {schemaObject.dataGranularityDescription &&
            ` Granularity: ${schemaObject.dataGranularityDescription}.`}
        </Typography>
      )}
      {rows.length === 0 ? (
        <Typography variant="body2">No columns declared.</Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label={`Columns of ${title}`}>
            <TableHead>
              <TableRow>
                {[
                  'Column',
                  'Logical type',
                  'Physical type',
                  'Required',
                  'Primary key',
                  'Unique',
                  'Classification',
                ].map(heading => (
                  <TableCell key={heading} className={classes.compact}>
                    {heading}
                  </TableCell>
                ))}
                <TableCell className={classes.description}>
                  Description
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(({ column, property }) => (
                <TableRow key={column}>
                  <TableCell className={classes.columnName}>{column}</TableCell>
                  <TableCell className={classes.compact}>
                    {property.logicalType}
                  </TableCell>
                  <TableCell className={classes.compact}>
                    {property.physicalType}
                  </TableCell>
                  <TableCell>{property.required ? '✓' : ''}</TableCell>
                  <TableCell className={classes.compact}>
                    {primaryKeyText(property)}
                  </TableCell>
                  <TableCell>{property.unique ? '✓' : ''}</TableCell>
                  <TableCell>
                    <ClassificationChip
                      classification={property.classification}
                    />
                  </TableCell>
                  <TableCell className={classes.description}>
                    {property.description}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {rules.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h4">
            Quality rules of {title}
          </Typography>
          <DescribedList
            label={`Quality rules of ${title}`}
            items={rules.map(rule => ({
              key: rule.key,
              primary: rule.text,
              secondary: rule.details,
            }))}
          />
        </Box>
      )}
    </Box>
  );
}

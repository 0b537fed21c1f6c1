import { memo } from 'react';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import Chip from '@material-ui/core/Chip';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PersonIcon from '@material-ui/icons/Person';
import { Link } from '@backstage/core-components';
import {
  DiscoveryAccess,
  DiscoveryProduct,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { productTypeLabel } from '../../productTypes';
import { HealthChip } from '../HealthChip';
import {
  ACCESS_LABELS,
  matchTexts,
  plural,
  refLabel,
  updatedAgo,
} from './format';

// The cards use plain elements styled here rather than Typography, CardContent or Chip for
// their texts and tags: a page shows 50 cards, and each Material UI component adds to every
// facet change (bench/discovery-page).
const useStyles = makeStyles(theme => ({
  card: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    ...theme.typography.body2,
  },
  content: {
    flex: 1,
    padding: theme.spacing(2, 2, 1),
  },
  titleRow: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  title: {
    margin: 0,
    fontSize: '1.05rem',
    fontWeight: 600,
    lineHeight: 1.3,
    wordBreak: 'break-word',
  },
  facts: {
    color: theme.palette.text.secondary,
    marginTop: theme.spacing(0.5),
  },
  purpose: {
    margin: theme.spacing(1, 0, 0),
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  matches: {
    margin: theme.spacing(0.5, 0, 0),
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  tags: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
  },
  tag: {
    display: 'inline-block',
    padding: '1px 8px',
    borderRadius: 12,
    fontSize: '0.75rem',
    lineHeight: '20px',
    background: theme.palette.action.selected,
    color: theme.palette.text.primary,
  },
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 2, 1.5),
    color: theme.palette.text.secondary,
    fontSize: '0.75rem',
  },
  spacer: { flex: 1 },
  rowTitle: { fontWeight: 600 },
}));

const ACCESS_ICONS: Partial<Record<DiscoveryAccess, JSX.Element>> = {
  owner: <PersonIcon aria-hidden />,
  granted: <CheckIcon aria-hidden />,
  requested: <HourglassEmptyIcon aria-hidden />,
};

/** What the signed-in user has of a product: "Owner", "Access granted", "Requested"; nothing else. */
export function AccessChip(props: { access: DiscoveryAccess }) {
  const { access } = props;
  if (access === 'none' || !ACCESS_LABELS[access]) return null;
  return (
    <Chip
      size="small"
      variant={access === 'requested' ? 'outlined' : 'default'}
      color={access === 'requested' ? 'default' : 'primary'}
      icon={ACCESS_ICONS[access]}
      label={ACCESS_LABELS[access]}
      title={`Your access: ${ACCESS_LABELS[access]}`}
    />
  );
}

export interface ProductResultProps {
  product: DiscoveryProduct;
  /** The product's catalog page. */
  href: string;
  labels: ReadonlyMap<string, string>;
  now: number;
  onOnboard: (product: DiscoveryProduct) => void;
}

function Matches(props: { product: DiscoveryProduct; className: string }) {
  const { shown, more } = matchTexts(props.product.matches);
  if (shown.length === 0) return null;
  return (
    <p className={props.className}>
      {shown.join(' · ')}
      {more > 0 && ` · and ${more} more`}
    </p>
  );
}

function Tags(props: { tags: string[]; max: number }) {
  const { tags, max } = props;
  const classes = useStyles();
  if (tags.length === 0) return null;
  return (
    <ul className={classes.tags} aria-label="Tags">
      {tags.slice(0, max).map(tag => (
        <li key={tag} className={classes.tag}>
          {tag}
        </li>
      ))}
      {tags.length > max && (
        <li className={classes.tag} title={tags.slice(max).join(', ')}>
          +{tags.length - max}
        </li>
      )}
    </ul>
  );
}

function facts(product: DiscoveryProduct, labels: ReadonlyMap<string, string>) {
  return [
    productTypeLabel(product.type),
    refLabel(product.domain, labels),
    refLabel(product.owner, labels),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One product of the page as a card: title, health, facts, purpose, why it matched, tags. */
export const ProductCard = memo(function ProductCardContent(
  props: ProductResultProps,
) {
  const { product, href, labels, now, onOnboard } = props;
  const classes = useStyles();
  const updated = updatedAgo(product.freshness, now);
  return (
    <Card
      component="article"
      variant="outlined"
      className={classes.card}
      aria-label={product.title}
    >
      <div className={classes.content}>
        <div className={classes.titleRow}>
          <h3 className={classes.title}>
            <Link to={href}>{product.title}</Link>
          </h3>
          <HealthChip status={product.health} subject={product.title} />
        </div>
        <div className={classes.facts}>{facts(product, labels)}</div>
        {product.description && (
          <p className={classes.purpose} title={product.description}>
            {product.description}
          </p>
        )}
        <Matches product={product} className={classes.matches} />
        <Tags tags={product.tags} max={6} />
      </div>
      <div className={classes.footer}>
        <AccessChip access={product.access} />
        <span>{plural(product.consumers, 'consumer')}</span>
        {updated && <span>{updated}</span>}
        <span className={classes.spacer} />
        <Button
          size="small"
          color="primary"
          onClick={() => onOnboard(product)}
          aria-label={`How do I use ${product.title}?`}
        >
          How do I use this?
        </Button>
      </div>
    </Card>
  );
});

/** One product of the page as a table row. */
export const ProductRow = memo(function ProductRowContent(
  props: ProductResultProps,
) {
  const { product, href, labels, now, onOnboard } = props;
  const classes = useStyles();
  const updated = updatedAgo(product.freshness, now);
  return (
    <TableRow aria-label={product.title}>
      <TableCell>
        <Link to={href} className={classes.rowTitle}>
          {product.title}
        </Link>
        {product.description && (
          <p
            className={`${classes.purpose} ${classes.facts}`}
            title={product.description}
          >
            {product.description}
          </p>
        )}
        <Matches product={product} className={classes.matches} />
        <Tags tags={product.tags} max={4} />
      </TableCell>
      <TableCell>{refLabel(product.domain, labels)}</TableCell>
      <TableCell>{productTypeLabel(product.type)}</TableCell>
      <TableCell>{refLabel(product.owner, labels)}</TableCell>
      <TableCell>
        <HealthChip status={product.health} subject={product.title} />
      </TableCell>
      <TableCell align="right">{product.consumers}</TableCell>
      <TableCell>
        <AccessChip access={product.access} />
      </TableCell>
      <TableCell>{updated?.replace(/^updated /, '') ?? '–'}</TableCell>
      <TableCell>
        <Button
          size="small"
          color="primary"
          onClick={() => onOnboard(product)}
          aria-label={`How do I use ${product.title}?`}
        >
          How to use
        </Button>
      </TableCell>
    </TableRow>
  );
});

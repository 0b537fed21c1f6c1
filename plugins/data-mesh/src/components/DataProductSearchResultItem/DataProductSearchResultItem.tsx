import { ReactElement } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  ResultHighlight,
  SearchDocument,
  SearchResult,
} from '@backstage/plugin-search-common';
import {
  DATA_PRODUCT_SEARCH_TYPE,
  DataProductSearchDocument,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { productTypeLabel } from '../../productTypes';
import { HealthChip } from '../HealthChip';
import { refLabel } from '../DataMeshPage/format';

/** Whether a search result is a data product (the Data Mesh collator's documents). @public */
export function isDataProductSearchResult(result: SearchResult): boolean {
  return result.type === DATA_PRODUCT_SEARCH_TYPE;
}

/** @public */
export interface DataProductSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactElement;
  /** Lines of the text excerpt; default 3. */
  lineClamp?: number;
}

function Highlighted(props: {
  highlight?: ResultHighlight;
  field: string;
  fallback: string;
}) {
  const { highlight, field, fallback } = props;
  const text = highlight?.fields[field];
  return text ? (
    <HighlightedSearchResultText
      text={text}
      preTag={highlight!.preTag}
      postTag={highlight!.postTag}
    />
  ) : (
    <>{fallback}</>
  );
}

/**
 * A data product in Backstage search results: its title linked to its page, an excerpt of its
 * text (highlighted where the search engine says), and its type, domain, owner and health.
 * @public
 */
export function DataProductSearchResultListItem(
  props: DataProductSearchResultListItemProps,
) {
  const { highlight, icon, lineClamp = 3 } = props;
  const result = props.result as Partial<DataProductSearchDocument> | undefined;
  if (!result) return null;
  const facts = [
    result.productType && productTypeLabel(result.productType),
    result.domain && `Domain: ${refLabel(result.domain)}`,
    result.owner && `Owner: ${refLabel(result.owner)}`,
  ].filter(Boolean) as string[];
  return (
    <>
      {icon && <ListItemIcon>{icon}</ListItemIcon>}
      <ListItemText
        primaryTypographyProps={{ variant: 'h6' }}
        primary={
          <Link noTrack to={result.location ?? ''}>
            <Highlighted
              highlight={highlight}
              field="title"
              fallback={result.title ?? ''}
            />
          </Link>
        }
        secondaryTypographyProps={{ component: 'div' }}
        secondary={
          <>
            <Typography
              component="span"
              variant="body2"
              color="textSecondary"
              style={{
                display: '-webkit-box',
                WebkitBoxOrient: 'vertical',
                WebkitLineClamp: lineClamp,
                overflow: 'hidden',
              }}
            >
              <Highlighted
                highlight={highlight}
                field="text"
                fallback={result.text ?? ''}
              />
            </Typography>
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              mt={1}
              style={{ gap: 8 }}
            >
              <Chip size="small" label="Data product" />
              <HealthChip status={result.health} subject={result.title} />
              {facts.map(fact => (
                <Typography
                  key={fact}
                  component="span"
                  variant="body2"
                  color="textSecondary"
                >
                  {fact}
                </Typography>
              ))}
            </Box>
          </>
        }
      />
    </>
  );
}

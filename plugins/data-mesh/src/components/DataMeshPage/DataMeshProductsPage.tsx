import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import ViewModuleIcon from '@material-ui/icons/ViewModule';
import ViewListIcon from '@material-ui/icons/ViewList';
import LinkIcon from '@material-ui/icons/Link';
import IconButton from '@material-ui/core/IconButton';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  Content,
  EmptyState,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  DISCOVERY_FACETS,
  DiscoveryFacet,
  DiscoveryProduct,
  DiscoveryQuery,
  DiscoveryResponse,
  DiscoverySort,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { createFromTemplateRouteRef } from '../../routes';
import { useEntityPath } from '../RefLink';
import { OnboardingDialog } from '../ProductOnboarding';
import {
  effectiveOrder,
  effectiveSort,
  hasFilters,
  PAGE_SIZE,
  ResultsView,
  withFacet,
  withoutFilters,
  withText,
} from './discoveryState';
import { FACET_TITLES, FacetPanel, facetValueLabel } from './FacetPanel';
import { count, plural } from './format';
import { ProductCard, ProductRow } from './ProductResult';
import { useDiscoverySearch } from './useDiscoverySearch';
import { usePageState } from './usePageState';

/** How long typing pauses before the text is searched. */
export const SEARCH_DEBOUNCE_MS = 250;

/** The scaffolder template producers start from. */
const DATA_PRODUCT_TEMPLATE = {
  namespace: 'default',
  templateName: 'data-product',
};

const SORT_LABELS: Record<DiscoverySort, string> = {
  relevance: 'Relevance',
  name: 'Name',
  health: 'Health',
  consumers: 'Consumers',
  freshness: 'Freshness',
};

/** Each sort's two orders in words: [ascending, descending]. */
const ORDER_LABELS: Record<DiscoverySort, [string, string]> = {
  relevance: ['Least relevant first', 'Most relevant first'],
  name: ['A to Z', 'Z to A'],
  health: ['Least healthy first', 'Healthiest first'],
  consumers: ['Fewest consumers first', 'Most consumers first'],
  freshness: ['Least recently updated first', 'Most recently updated first'],
};

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  search: {
    flex: '1 1 320px',
  },
  select: {
    minWidth: 170,
  },
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
    minHeight: 32,
  },
  progress: {
    height: 2,
    marginBottom: theme.spacing(1),
  },
  progressIdle: {
    height: 2,
    marginBottom: theme.spacing(1),
  },
  facets: {
    padding: theme.spacing(2),
  },
  // A list for assistive technology; the grid's own negative margins stay.
  cards: {
    listStyle: 'none',
    padding: 0,
  },
  cardItem: {
    // Cards below the fold are neither laid out nor painted until scrolled to: a page of 50
    // shows 6 to 9 of them at first.
    contentVisibility: 'auto',
    containIntrinsicSize: 'auto 240px',
  },
  pagination: {
    display: 'flex',
    justifyContent: 'center',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginTop: theme.spacing(3),
  },
}));

/** Copies the address of this search; says so for a moment. */
function CopyLinkButton(props: { href: string }) {
  const [copied, setCopied] = useState(false);
  const [, copy] = useCopyToClipboard();
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <Typography variant="caption" color="textSecondary" aria-live="polite">
        {copied ? 'Link copied' : ''}
      </Typography>
      <IconButton
        size="small"
        aria-label="Copy a link to this search"
        title="Copy a link to this search"
        onClick={() => {
          copy(`${window.location.origin}${props.href}`);
          setCopied(true);
        }}
      >
        <LinkIcon fontSize="small" />
      </IconButton>
    </>
  );
}

/** Previous and next page, and where we are. Light on purpose: it re-renders on every change. */
function Pager(props: {
  offset: number;
  limit: number;
  totalCount: number;
  onOffset: (offset: number) => void;
}) {
  const { offset, limit, totalCount, onOffset } = props;
  const classes = useStyles();
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(totalCount / limit);
  return (
    <Box
      component="nav"
      aria-label="Result pages"
      className={classes.pagination}
    >
      <Button
        disabled={page <= 1}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        ‹ Previous page
      </Button>
      <Typography variant="body2" component="span">
        Page {count(page)} of {count(pages)}
      </Typography>
      <Button disabled={page >= pages} onClick={() => onOffset(offset + limit)}>
        Next page ›
      </Button>
    </Box>
  );
}

/** The text box: searches once typing pauses, or at once on Enter. */
function SearchBox(props: { value: string; onSearch: (text: string) => void }) {
  const { value, onSearch } = props;
  const [text, setText] = useState(value);
  // The text last searched for (or read from the address).
  const searched = useRef(value);
  const latest = useRef(onSearch);
  latest.current = onSearch;

  // Back, Forward or a "Clear filters" change the address: show its text.
  useEffect(() => {
    if (value !== searched.current) {
      searched.current = value;
      setText(value);
    }
  }, [value]);

  const search = useCallback((next: string) => {
    if (next.trim() === searched.current) return;
    searched.current = next.trim();
    latest.current(next);
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => search(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, search]);

  return (
    <TextField
      id="data-mesh-search"
      type="search"
      label="Search data products"
      placeholder="Names, descriptions, ports, columns"
      variant="outlined"
      size="small"
      value={text}
      onChange={e => setText(e.target.value)}
      onKeyDown={e => {
        if (e.key === 'Enter') search(text);
      }}
      InputProps={{
        startAdornment: (
          <InputAdornment position="start">
            <SearchIcon aria-hidden />
          </InputAdornment>
        ),
      }}
      fullWidth
    />
  );
}

/** The selected facet values as chips to remove one by one, and "Clear filters". */
function ActiveFilters(props: {
  query: DiscoveryQuery;
  labels: ReadonlyMap<string, string>;
  onRemove: (facet: DiscoveryFacet, value: string) => void;
  onClear: () => void;
}) {
  const { query, labels, onRemove, onClear } = props;
  const chips = DISCOVERY_FACETS.flatMap(facet =>
    (query[facet] ?? []).map(value => ({ facet, value: value as string })),
  );
  if (chips.length === 0 && !query.q) return null;
  return (
    <>
      {chips.map(({ facet, value }) => {
        const label = `${FACET_TITLES[facet]}: ${facetValueLabel(
          facet,
          value,
          labels,
        )}`;
        return (
          <Chip
            key={`${facet}:${value}`}
            size="small"
            label={label}
            onDelete={() => onRemove(facet, value)}
          />
        );
      })}
      <Button size="small" color="primary" onClick={onClear}>
        Clear filters
      </Button>
    </>
  );
}

/** Results rendered at once; the rest of a page follows once those are on screen. */
const FIRST_RESULTS = { cards: 12, rows: 20 };

/** After the next paint: rAF runs before it, a task queued from rAF after it. */
function afterPaint(callback: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (typeof requestAnimationFrame !== 'function') {
    timer = setTimeout(callback, 0);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(callback, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * The items of an answer to render: the first screenful at once, all of them right after it
 * is painted. A facet change thus shows its first results without waiting for the cards below
 * the fold (bench/discovery-page).
 */
function useProgressiveItems<T>(items: T[], key: string, first: number): T[] {
  const [done, setDone] = useState<string>();
  const all = done === key || items.length <= first;
  useEffect(() => {
    if (all) return undefined;
    return afterPaint(() => setDone(key));
  }, [all, key]);
  return all ? items : items.slice(0, first);
}

function ResultList(props: {
  response: DiscoveryResponse;
  /** The query string the response answers. */
  responseKey: string;
  view: ResultsView;
  labels: ReadonlyMap<string, string>;
  onOnboard: (product: DiscoveryProduct) => void;
}) {
  const { response, view, labels, onOnboard, responseKey } = props;
  const classes = useStyles();
  const entityPath = useEntityPath();
  const items = useProgressiveItems(
    response.items,
    `${view}?${responseKey}`,
    FIRST_RESULTS[view],
  );
  // Every result of the page is in the DOM (for tests and the benchmark).
  const complete = items.length === response.items.length;
  // One "now" per answer, so that every card of it says the same about freshness.
  const now = useMemo(() => Date.now(), [response]); // eslint-disable-line react-hooks/exhaustive-deps
  const itemProps = (product: DiscoveryProduct) => ({
    product,
    href: entityPath(product.entityRef),
    labels,
    now,
    onOnboard,
  });
  if (view === 'rows') {
    return (
      <Paper variant="outlined">
        <Table size="small" aria-label="Data products" data-complete={complete}>
          <TableHead>
            <TableRow>
              <TableCell>Product</TableCell>
              <TableCell>Domain</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Health</TableCell>
              <TableCell align="right">Consumers</TableCell>
              <TableCell>Access</TableCell>
              <TableCell>Updated</TableCell>
              <TableCell>
                <span hidden>Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(product => (
              <ProductRow key={product.entityRef} {...itemProps(product)} />
            ))}
          </TableBody>
        </Table>
      </Paper>
    );
  }
  return (
    <Grid
      container
      spacing={2}
      component="ul"
      className={classes.cards}
      aria-label="Data products"
      data-complete={complete}
    >
      {items.map(product => (
        <Grid
          item
          xs={12}
          md={6}
          xl={4}
          key={product.entityRef}
          component="li"
          className={classes.cardItem}
        >
          <ProductCard {...itemProps(product)} />
        </Grid>
      ))}
    </Grid>
  );
}

function CreateProductAction() {
  const createFromTemplate = useRouteRef(createFromTemplateRouteRef);
  if (!createFromTemplate) return null;
  return (
    <LinkButton
      variant="contained"
      color="primary"
      to={createFromTemplate(DATA_PRODUCT_TEMPLATE)}
    >
      Create a data product
    </LinkButton>
  );
}

/**
 * The Products tab of the Data Mesh page: every data product as a card or a row, a full-text
 * search over names, descriptions, port and column names, facets with counts, sorting and
 * pages. The whole state lives in the address, so that a search can be shared and Back works.
 */
export function DataMeshProductsPage() {
  const classes = useStyles();
  const { query, view, ignored, navigate, href } = usePageState();
  const search = useDiscoverySearch(query);
  const { response } = search;
  const [onboarding, setOnboarding] = useState<DiscoveryProduct>();

  const labels = useMemo(() => {
    const map = new Map<string, string>();
    for (const facet of ['domain', 'owner'] as const) {
      for (const v of response?.facets[facet] ?? []) {
        if (v.label) map.set(v.value, v.label);
      }
    }
    return map;
  }, [response]);

  const onSearch = useCallback(
    (text: string) =>
      // Refining a text is one history entry; starting or clearing one is a new entry.
      navigate(q => withText(q, text), {
        replace: Boolean(query.q) && Boolean(text.trim()),
      }),
    [navigate, query.q],
  );
  const onFacet = useCallback(
    (facet: DiscoveryFacet, values: string[]) =>
      navigate(q => withFacet(q, facet, values)),
    [navigate],
  );
  const onRemove = useCallback(
    (facet: DiscoveryFacet, value: string) =>
      navigate(q =>
        withFacet(
          q,
          facet,
          ((q[facet] ?? []) as string[]).filter(v => v !== value),
        ),
      ),
    [navigate],
  );
  const onClear = useCallback(() => navigate(withoutFilters), [navigate]);
  const onOnboard = useCallback(
    (product: DiscoveryProduct) => setOnboarding(product),
    [],
  );

  const sort = effectiveSort(query);
  const order = effectiveOrder(query);
  const limit = query.limit ?? PAGE_SIZE;
  const offset = query.offset ?? 0;
  const filtered = hasFilters(query);

  let results;
  if (search.error && !search.loading) {
    results = <ResponseErrorPanel error={search.error} />;
  } else if (!response) {
    results = <Progress />;
  } else if (response.totalCount === 0 && !filtered) {
    results = (
      <EmptyState
        missing="content"
        title="No data products yet"
        description="Data products appear here once they are in the catalog. Start one from the data product template."
        action={<CreateProductAction />}
      />
    );
  } else if (response.totalCount === 0) {
    results = (
      <EmptyState
        missing="data"
        title="No data products match"
        description="Try other words, or fewer filters."
        action={
          <Button variant="contained" color="primary" onClick={onClear}>
            Clear filters
          </Button>
        }
      />
    );
  } else if (response.items.length === 0) {
    results = (
      <EmptyState
        missing="data"
        title="No data products on this page"
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => navigate(q => ({ ...q, offset: undefined }))}
          >
            Go to the first page
          </Button>
        }
      />
    );
  } else {
    const pages = Math.ceil(response.totalCount / limit);
    results = (
      <>
        <ResultList
          response={response}
          responseKey={search.responseKey ?? ''}
          view={view}
          labels={labels}
          onOnboard={onOnboard}
        />
        {pages > 1 && (
          <Pager
            offset={offset}
            limit={limit}
            totalCount={response.totalCount}
            onOffset={next =>
              navigate(q => ({ ...q, offset: next || undefined }))
            }
          />
        )}
      </>
    );
  }

  const first = offset + 1;
  const last = Math.min(offset + limit, response?.totalCount ?? 0);
  const countText = response
    ? `${plural(response.totalCount, 'data product')}${
        response.totalCount > limit
          ? `, showing ${count(first)}–${count(last)}`
          : ''
      }`
    : '';

  return (
    <Content>
      {ignored.length > 0 && (
        <Box mb={2}>
          <Alert severity="warning">
            Parts of this address could not be read and are ignored:{' '}
            {ignored.map(e => e.message).join('; ')}
          </Alert>
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Box className={classes.toolbar}>
            <Box className={classes.search}>
              <SearchBox value={query.q ?? ''} onSearch={onSearch} />
            </Box>
            <TextField
              id="data-mesh-sort"
              select
              SelectProps={{ native: true }}
              label="Sort by"
              variant="outlined"
              size="small"
              className={classes.select}
              value={sort}
              onChange={e =>
                navigate(q => {
                  const next = { ...q, sort: e.target.value as DiscoverySort };
                  delete next.order;
                  delete next.offset;
                  return next;
                })
              }
            >
              {(Object.keys(SORT_LABELS) as DiscoverySort[])
                .filter(s => s !== 'relevance' || query.q)
                .map(s => (
                  <option key={s} value={s}>
                    {SORT_LABELS[s]}
                  </option>
                ))}
            </TextField>
            <TextField
              id="data-mesh-order"
              select
              SelectProps={{ native: true }}
              label="Order"
              variant="outlined"
              size="small"
              className={classes.select}
              value={order}
              onChange={e =>
                navigate(q => ({
                  ...q,
                  order: e.target.value as 'asc' | 'desc',
                  offset: undefined,
                }))
              }
            >
              <option value="asc">{ORDER_LABELS[sort][0]}</option>
              <option value="desc">{ORDER_LABELS[sort][1]}</option>
            </TextField>
            <ToggleButtonGroup
              size="small"
              exclusive
              value={view}
              onChange={(_e, next: ResultsView | null) => {
                if (next) navigate(q => q, { view: next });
              }}
              aria-label="Show results as"
            >
              <ToggleButton value="cards" aria-label="Cards">
                <ViewModuleIcon />
              </ToggleButton>
              <ToggleButton value="rows" aria-label="Rows">
                <ViewListIcon />
              </ToggleButton>
            </ToggleButtonGroup>
          </Box>
        </Grid>
        {response && (response.totalCount > 0 || filtered) && (
          <Grid item xs={12} md={3} lg={2}>
            <Paper variant="outlined" className={classes.facets}>
              <FacetPanel
                facets={response.facets}
                query={query}
                labels={labels}
                onChange={onFacet}
              />
            </Paper>
          </Grid>
        )}
        <Grid item xs={12} md={9} lg={10}>
          <div
            className={classes.summary}
            // Lets tests and the benchmark see which query the results on screen answer.
            data-discovery-status={search.loading ? 'loading' : 'ready'}
            data-discovery-key={search.responseKey ?? ''}
          >
            <Typography variant="body1" role="status" aria-live="polite">
              {countText}
            </Typography>
            {response && (
              <ActiveFilters
                query={query}
                labels={labels}
                onRemove={onRemove}
                onClear={onClear}
              />
            )}
            <Box flex={1} />
            {response && <CopyLinkButton href={href} />}
          </div>
          {search.loading && response ? (
            // Results of the last query stay while the next loads: no flash on each click.
            <LinearProgress
              className={classes.progress}
              aria-label="Loading results"
            />
          ) : (
            <div className={classes.progressIdle} />
          )}
          <div aria-busy={search.loading}>{results}</div>
        </Grid>
      </Grid>
      {onboarding && (
        <OnboardingDialog
          entityRef={onboarding.entityRef}
          title={onboarding.title}
          onClose={() => setOnboarding(undefined)}
        />
      )}
    </Content>
  );
}

import { screen, within } from '@testing-library/react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  DATA_PRODUCT_SEARCH_TYPE,
  DataProductSearchDocument,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  DataProductSearchResultListItem,
  isDataProductSearchResult,
} from './DataProductSearchResultItem';

const document: DataProductSearchDocument = {
  title: 'POS Transactions',
  text: 'Till transactions and receipt lines from the point-of-sale system. Columns: receipt_id, customer_email.',
  location: '/catalog/default/dataproduct/pos-transactions',
  entityRef: 'dataproduct:default/pos-transactions',
  kind: 'DataProduct',
  productType: 'sourceAligned',
  domain: 'domain:default/sales',
  owner: 'group:default/sales-team',
  lifecycle: 'production',
  health: 'degraded',
  tags: ['sales'],
  ports: ['transactions'],
  columns: ['receipt_id', 'customer_email'],
};

function renderItem(
  props: Partial<Parameters<typeof DataProductSearchResultListItem>[0]> = {},
) {
  return renderInTestApp(
    <List>
      <ListItem>
        <DataProductSearchResultListItem result={document} {...props} />
      </ListItem>
    </List>,
  );
}

describe('DataProductSearchResultListItem', () => {
  it("shows the product's title, text, type, domain, owner and health", async () => {
    renderItem();
    expect(
      await screen.findByRole('link', { name: 'POS Transactions' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/pos-transactions');
    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent('Till transactions and receipt lines');
    expect(item).toHaveTextContent('Source-aligned');
    expect(item).toHaveTextContent('Domain: sales');
    expect(item).toHaveTextContent('Owner: sales-team');
    expect(item).toHaveTextContent('Data product');
    expect(
      within(item).getByLabelText('Health of POS Transactions: degraded'),
    ).toHaveTextContent('Degraded');
  });

  it('highlights what the search engine matched', async () => {
    renderItem({
      highlight: {
        preTag: '<em>',
        postTag: '</em>',
        fields: {
          title: '<em>POS</em> Transactions',
          text: 'Columns: receipt_id, <em>customer_email</em>.',
        },
      },
    });
    const mark = await screen.findByText('customer_email');
    expect(mark.tagName).toBe('MARK');
    expect(screen.getByText('POS').tagName).toBe('MARK');
    expect(screen.getByRole('link')).toHaveTextContent('POS Transactions');
  });

  it('reads a missing health as unknown', async () => {
    renderItem({
      result: { ...document, health: undefined } as unknown as typeof document,
    });
    expect(
      await screen.findByLabelText('Health of POS Transactions: unknown'),
    ).toBeInTheDocument();
  });

  it('renders nothing without a result', async () => {
    renderItem({ result: undefined });
    // The list item stays empty.
    expect(await screen.findByRole('listitem')).toBeEmptyDOMElement();
  });

  it('is chosen for data product results only', () => {
    expect(
      isDataProductSearchResult({
        type: DATA_PRODUCT_SEARCH_TYPE,
        document,
      }),
    ).toBe(true);
    expect(
      isDataProductSearchResult({ type: 'software-catalog', document }),
    ).toBe(false);
  });
});

import ListItem from '@material-ui/core/ListItem';
import { attachComponentData } from '@backstage/core-plugin-api';
import {
  DataProductSearchResultListItem,
  DataProductSearchResultListItemProps,
  isDataProductSearchResult,
} from '@backstage-data-mesh/plugin-data-mesh';

/**
 * Data products in the search modal. The modal takes its result items the legacy way: elements
 * whose component carries a predicate under the key createSearchResultListItemExtension uses
 * (@backstage/plugin-search-react); the search page gets the same item from the data-mesh
 * plugin's `search-result-list-item:data-mesh/data-product` extension.
 */
function DataProductModalResultItem(
  props: DataProductSearchResultListItemProps,
) {
  return (
    <ListItem divider alignItems="flex-start">
      <DataProductSearchResultListItem {...props} />
    </ListItem>
  );
}
attachComponentData(
  DataProductModalResultItem,
  'search.results.list.items.extensions.v1',
  isDataProductSearchResult,
);
export const searchModalResultItems = [
  <DataProductModalResultItem key="data-product" />,
];

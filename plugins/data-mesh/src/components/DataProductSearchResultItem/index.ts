export {
  DataProductSearchResultListItem,
  isDataProductSearchResult,
} from './DataProductSearchResultItem';
export type { DataProductSearchResultListItemProps } from './DataProductSearchResultItem';

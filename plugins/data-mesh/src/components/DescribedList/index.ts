export { DescribedList } from './DescribedList';
export type { DescribedListItem } from './DescribedList';

export { RefLink } from './RefLink';
export { useEntityPath } from './useEntityPath';

export { AccessContent } from './AccessContent';

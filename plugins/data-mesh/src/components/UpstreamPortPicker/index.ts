export { UpstreamPortPicker, listUpstreamPorts } from './UpstreamPortPicker';
export type { UpstreamPort } from './UpstreamPortPicker';

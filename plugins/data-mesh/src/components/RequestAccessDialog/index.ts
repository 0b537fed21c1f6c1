export { RequestAccessDialog } from './RequestAccessDialog';
export type { RequestAccessDialogProps } from './RequestAccessDialog';

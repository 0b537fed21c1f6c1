// Pieces shared by the Access tab, the approvals inbox and My access.
export { AgreementActions } from './AgreementActions';
export { AgreementHistory } from './AgreementHistory';
export { AgreementStatusChip } from './AgreementStatusChip';
export { ConnectionPanel } from './ConnectionPanel';
export { GrantStateView } from './GrantStateView';
export {
  errorMessage,
  eventLabel,
  formatDate,
  formatDateTime,
  formatPeriod,
} from './format';

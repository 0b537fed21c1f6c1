import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { LinkButton } from '@backstage/core-components';
import { useEntityPath } from '../RefLink';
import { ProductOnboardingView } from './ProductOnboardingView';

/** "How do I use this?" for one product of a list, in a dialog over the list. */
export function OnboardingDialog(props: {
  entityRef: string;
  title: string;
  onClose: () => void;
}) {
  const { entityRef, title, onClose } = props;
  const entityPath = useEntityPath();
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="data-mesh-onboarding-title"
    >
      <DialogTitle id="data-mesh-onboarding-title">
        How do I use {title}?
      </DialogTitle>
      <DialogContent dividers>
        <ProductOnboardingView entityRef={entityRef} />
      </DialogContent>
      <DialogActions>
        <LinkButton to={entityPath(entityRef)} color="primary">
          Open the product page
        </LinkButton>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

export { OnboardingCard } from './OnboardingCard';
export { OnboardingDialog } from './OnboardingDialog';
export {
  ProductOnboardingView,
  withoutPassword,
} from './ProductOnboardingView';
export type { ProductOnboardingViewProps } from './ProductOnboardingView';

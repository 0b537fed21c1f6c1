import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';
import { ProductOnboardingView } from './ProductOnboardingView';

/**
 * The "How do I use this?" card of a data product's overview: connection details per output
 * port, an example query, my access and who to ask, without leaving the page.
 */
export function OnboardingCard() {
  const { entity } = useEntity<DataProductEntity>();
  return (
    <InfoCard title="How do I use this?">
      <ProductOnboardingView
        entityRef={stringifyEntityRef(entity)}
        entity={entity}
      />
    </InfoCard>
  );
}

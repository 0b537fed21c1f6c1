import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:field: UpstreamPortPicker`, used by the data-product template for input ports. */
const upstreamPortPickerField = FormFieldBlueprint.make({
  name: 'upstream-port-picker',
  params: {
    field: () =>
      import('./components/UpstreamPortPicker').then(m =>
        createFormField({
          name: 'UpstreamPortPicker',
          component: m.UpstreamPortPicker,
        }),
      ),
  },
});

/**
 * Adds the data-mesh form fields to the scaffolder, for templates that create data products.
 * @public
 */
export const dataMeshScaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [upstreamPortPickerField],
});

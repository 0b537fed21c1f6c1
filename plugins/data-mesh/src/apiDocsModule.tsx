import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  ApiDefinitionWidget,
  apiDocsConfigRef,
  defaultDefinitionWidgets,
} from '@backstage/plugin-api-docs';
import { ODCS_API_TYPE } from '@backstage-data-mesh/plugin-data-mesh-common';
import { OdcsDefinitionView } from './components/OdcsDefinitionView';

/** Shows `odcs` API definitions as a readable contract; the raw YAML stays one tab away. */
export const odcsDefinitionWidget: ApiDefinitionWidget = {
  type: ODCS_API_TYPE,
  title: 'Data contract (ODCS)',
  rawLanguage: 'yaml',
  component: definition => <OdcsDefinitionView definition={definition} />,
};

/**
 * Replaces `api:api-docs/config` (the api-docs plugin has no other hook for definition widgets),
 * keeping the default widgets for OpenAPI, AsyncAPI, GraphQL and so on.
 */
export const apiDocsConfigWithOdcs = ApiBlueprint.make({
  name: 'config',
  params: defineParams =>
    defineParams({
      api: apiDocsConfigRef,
      deps: {},
      factory: () => {
        const widgets = [...defaultDefinitionWidgets(), odcsDefinitionWidget];
        return {
          getApiDefinitionWidget: apiEntity =>
            widgets.find(widget => widget.type === apiEntity.spec.type),
        };
      },
    }),
});

/**
 * Add to the app's features next to the api-docs plugin to render ODCS contracts in the API
 * definition card.
 * @public
 */
export const dataMeshApiDocsModule = createFrontendModule({
  pluginId: 'api-docs',
  extensions: [apiDocsConfigWithOdcs],
});

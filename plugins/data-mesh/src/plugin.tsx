import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/data-mesh',
    routeRef: rootRouteRef,
    loader: () => import('./components/TodoPage').then(m => <m.TodoPage />),
  },
});

export const dataMeshPlugin = createFrontendPlugin({
  pluginId: 'data-mesh',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  },
});

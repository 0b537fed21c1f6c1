import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import {
  dataMeshApiDocsModule,
  dataMeshCatalogModule,
  dataMeshScaffolderModule,
} from '@backstage-data-mesh/plugin-data-mesh';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    dataMeshCatalogModule,
    dataMeshApiDocsModule,
    dataMeshScaffolderModule,
    navModule,
    signInModule,
  ],
});

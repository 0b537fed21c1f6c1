import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/frontend-plugin-api';

/** The approvals inbox, `/data-mesh/approvals`. */
export const approvalsRouteRef = createRouteRef();

/** My access, `/data-mesh/access`. */
export const myAccessRouteRef = createRouteRef();

/** The catalogue's index, where consumers find products; bound to the catalog plugin by default. */
export const catalogIndexRouteRef = createExternalRouteRef({
  defaultTarget: 'catalog.catalogIndex',
});

/** The Data Mesh page, `/data-mesh`: every data product, facets, domains. */
export const dataMeshRouteRef = createRouteRef();

/** Its Products tab, `/data-mesh/products`. */
export const productsRouteRef = createRouteRef();

/** Its Domains tab, `/data-mesh/domains`. */
export const domainsRouteRef = createRouteRef();

/**
 * The form of a scaffolder template, where the page's empty state sends producers (the
 * `data-product` template); bound to the scaffolder plugin by default.
 */
export const createFromTemplateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

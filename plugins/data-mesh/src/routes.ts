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

import { ReactElement } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import {
  BreadcrumbEntry,
  IconElement,
  PageLayout,
  pluginHeaderActionsApiRef,
  useApi,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { DATA_MESH_PLUGIN_ID } from '@backstage-data-mesh/plugin-data-mesh-common';
import { dataMeshRouteRef } from '../../routes';

/** One tab of the page: a sub-page extension's path, title and content. */
export interface DataMeshTab {
  path: string;
  title: string;
  element: ReactElement;
}

/**
 * The Data Mesh page's frame: its header with the tabs (the sub-pages attached to
 * `page:data-mesh`), each tab at its path. Like PageBlueprint's own frame, except that
 * `/data-mesh?q=…` keeps its query when it opens the first tab: a search shared without the
 * tab's path still opens as that search.
 */
export function DataMeshPageLayout(props: {
  title: string;
  icon?: IconElement;
  tabs: DataMeshTab[];
}) {
  const { title, icon, tabs } = props;
  const location = useLocation();
  const headerActions = useApi(
    pluginHeaderActionsApiRef,
  ).getPluginHeaderActions(DATA_MESH_PLUGIN_ID);
  const dataMesh = useRouteRef(dataMeshRouteRef);
  const first = tabs[0]?.path;
  return (
    <PageLayout
      title={title}
      icon={icon}
      titleLink={dataMesh?.()}
      headerActions={headerActions}
      tabs={tabs.map(tab => ({
        id: tab.path,
        label: tab.title,
        href: tab.path,
      }))}
    >
      <Routes>
        {first && (
          <Route
            index
            element={
              <Navigate
                to={{ pathname: first, search: location.search }}
                replace
              />
            }
          />
        )}
        {tabs.map(tab => (
          <Route
            key={tab.path}
            path={`${tab.path}/*`}
            element={
              <BreadcrumbEntry entry={{ label: tab.title, href: tab.path }}>
                {tab.element}
              </BreadcrumbEntry>
            }
          />
        ))}
      </Routes>
    </PageLayout>
  );
}

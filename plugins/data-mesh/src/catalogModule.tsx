import { useEffect } from 'react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import {
  coreExtensionData,
  createExtensionDataRef,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { TableColumn } from '@backstage/core-components';
import { CatalogExportSettings, CatalogTable } from '@backstage/plugin-catalog';
import catalogPlugin, {
  CatalogIndexPage,
  CatalogTableColumnsFunc,
  CatalogTableRow,
} from '@backstage/plugin-catalog/alpha';
import {
  DefaultEntityFilters,
  EntityAutocompletePicker,
  EntityFilter,
  EntityRefLink,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { CatalogFilterBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { DATA_PRODUCT_KIND } from '@backstage-data-mesh/plugin-data-mesh-common';
import { ProductHealthCell } from './components/ProductHealth';
import { productTypeLabel } from './productTypes';
import { parseRefOrUndefined } from './refs';

function isDataProductKind(kind?: string): boolean {
  return (
    kind?.toLocaleLowerCase('en-US') ===
    DATA_PRODUCT_KIND.toLocaleLowerCase('en-US')
  );
}

const productTypeColumn: TableColumn<CatalogTableRow> = {
  title: 'Type',
  field: 'entity.spec.type',
  render: ({ entity }) => productTypeLabel(entity.spec?.type),
};

const domainColumn: TableColumn<CatalogTableRow> = {
  title: 'Domain',
  field: 'entity.spec.domain',
  render: ({ entity }) => {
    const ref = parseRefOrUndefined(
      entity.spec?.domain,
      'domain',
      entity.metadata.namespace,
    );
    return ref ? <EntityRefLink entityRef={ref} /> : null;
  },
};

// Health is not in the entity, so the column cannot sort or search; each cell asks for its
// product's health and the cells of a page share one request (see HealthBatchLoader).
const healthColumn: TableColumn<CatalogTableRow> = {
  title: 'Health',
  sorting: false,
  searchable: false,
  width: '130px',
  render: ({ entity }) => (
    <ProductHealthCell entityRef={stringifyEntityRef(entity)} />
  ),
};

/** Data product columns when the kind filter is DataProduct, the catalog's defaults otherwise. */
export const dataMeshCatalogColumns: CatalogTableColumnsFunc = context => {
  if (!isDataProductKind(context.filters.kind?.value)) {
    return CatalogTable.defaultColumnsFunc(context);
  }
  return [
    CatalogTable.columns.createTitleColumn({ hidden: true }),
    CatalogTable.columns.createNameColumn({ defaultKind: DATA_PRODUCT_KIND }),
    healthColumn,
    productTypeColumn,
    domainColumn,
    CatalogTable.columns.createOwnerColumn(),
    CatalogTable.columns.createSpecLifecycleColumn(),
    CatalogTable.columns.createMetadataDescriptionColumn(),
    CatalogTable.columns.createTagsColumn(),
  ];
};

// page:catalog takes these from `catalog-export-config` extensions; the ref is not exported, but
// input data is looked up by id, so an identical ref reads it.
const catalogExportConfigDataRef = createExtensionDataRef<
  Pick<CatalogExportSettings, 'exporters' | 'columns' | 'onSuccess' | 'onError'>
>().with({ id: 'catalog.export-customization' });

/**
 * `page:catalog` with data product columns. The page has no columns input or config, so its
 * loader is replaced; filters, pagination and export settings are passed on as the original does.
 */
export const catalogPageWithDataMeshColumns = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      return originalFactory({
        params: {
          loader: async () => {
            const exportSettings: CatalogExportSettings = {
              ...config.exportSettings,
            };
            for (const input of inputs.exportConfig) {
              const data = input.get(catalogExportConfigDataRef);
              if (data?.exporters) {
                exportSettings.exporters = {
                  ...exportSettings.exporters,
                  ...data.exporters,
                };
              }
              exportSettings.columns ??= data?.columns;
              exportSettings.onSuccess ??= data?.onSuccess;
              exportSettings.onError ??= data?.onError;
            }
            return (
              <CatalogIndexPage
                columns={dataMeshCatalogColumns}
                pagination={config.pagination}
                exportSettings={
                  exportSettings.enabled ? exportSettings : undefined
                }
                filters={
                  <>
                    {inputs.filters.map(filter =>
                      filter.get(coreExtensionData.reactElement),
                    )}
                  </>
                }
              />
            );
          },
        },
      });
    },
  });

/** Filters entities by `spec.domain`. */
export class EntityDomainFilter implements EntityFilter {
  constructor(readonly values: string[]) {}
  getCatalogFilters() {
    return { 'spec.domain': this.values };
  }
  filterEntity(entity: Entity) {
    return this.values.includes(String(entity.spec?.domain ?? ''));
  }
  toQueryValue() {
    return this.values;
  }
}

/** Filters data products by their ODPS type (`spec.type`). */
export class DataProductTypeFilter implements EntityFilter {
  constructor(readonly values: string[]) {}
  getCatalogFilters() {
    return { 'spec.type': this.values };
  }
  filterEntity(entity: Entity) {
    return this.values.includes(String(entity.spec?.type ?? ''));
  }
  toQueryValue() {
    return this.values;
  }
}

type DataMeshEntityFilters = DefaultEntityFilters & {
  domain?: EntityDomainFilter;
  productType?: DataProductTypeFilter;
};

/** Only data products have a domain and product type worth filtering on here. */
function useIsDataProductList(): boolean {
  const { filters } = useEntityList<DataMeshEntityFilters>();
  return isDataProductKind(filters.kind?.value);
}

function DomainPicker() {
  // Systems have a spec.domain too, so the picker stays for every kind that has one.
  return (
    <EntityAutocompletePicker<DataMeshEntityFilters, 'domain'>
      label="Domain"
      name="domain"
      path="spec.domain"
      Filter={EntityDomainFilter}
    />
  );
}

function ProductTypePicker() {
  const isDataProductList = useIsDataProductList();
  const { updateFilters } = useEntityList<DataMeshEntityFilters>();
  // spec.type means something else for other kinds: drop the filter when the kind changes.
  useEffect(() => {
    if (!isDataProductList) {
      updateFilters({ productType: undefined });
    }
  }, [isDataProductList, updateFilters]);
  if (!isDataProductList) {
    return null;
  }
  return (
    <EntityAutocompletePicker<DataMeshEntityFilters, 'productType'>
      label="Product type"
      name="productType"
      path="spec.type"
      Filter={DataProductTypeFilter}
      getOptionLabel={productTypeLabel}
      renderOption={(option, { selected }) => (
        <FormControlLabel
          control={<Checkbox checked={selected} size="small" />}
          label={productTypeLabel(option)}
          onClick={event => event.preventDefault()}
        />
      )}
    />
  );
}

/** `catalog-filter:catalog/data-mesh-domain` */
export const domainCatalogFilter = CatalogFilterBlueprint.make({
  name: 'data-mesh-domain',
  params: { loader: async () => <DomainPicker /> },
});

/** `catalog-filter:catalog/data-mesh-product-type` */
export const productTypeCatalogFilter = CatalogFilterBlueprint.make({
  name: 'data-mesh-product-type',
  params: { loader: async () => <ProductTypePicker /> },
});

/**
 * Catalog customisations for data products: table columns and the Domain / Product type filters.
 * Add to the app's features next to the catalog plugin.
 * @public
 */
export const dataMeshCatalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [
    catalogPageWithDataMeshColumns,
    domainCatalogFilter,
    productTypeCatalogFilter,
  ],
});

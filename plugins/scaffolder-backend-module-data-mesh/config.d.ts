export interface Config {
  dataMesh?: {
    scaffolder?: {
      /**
       * Folder on the backend's disk where `data-mesh:publish:local` writes generated data
       * product repositories, one sub-folder per product. A relative path is resolved from the
       * backend's working directory. `catalog.locations` needs a `file` location with target
       * `<publishDir>/*\/catalog-info.yaml` (rules allowing DataProduct and API) to read them.
       * Without it, the local publish action is not installed.
       */
      publishDir?: string;
      /** How long the publish action waits for the catalogue to read a product. Default 120. */
      catalogWaitSeconds?: number;
      /** How long the provision and unprovision actions follow a deployment. Default 1800. */
      deploymentTimeoutSeconds?: number;
      /**
       * The warehouse that `data-mesh:product:generate` writes into each contract's `servers`
       * entry (`type: postgres`, `schema: <product name with - as _>`), which names the
       * product's datasets in lineage. Defaults: localhost, 5432, warehouse.
       */
      warehouse?: {
        /** Host consumers connect to. Default `localhost`. */
        host?: string;
        /** Default 5432. */
        port?: number;
        /** Default `warehouse`. */
        database?: string;
        /** `servers[].environment` (e.g. `prod`); omitted when unset. */
        environment?: string;
      };
    };
  };
}

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
    };
  };
}

export interface Config {
  dataMesh?: {
    /**
     * The provider of an output port that names none (port `customProperties` entry
     * `{ property: provisioner, value: <id> }`). Default `postgres`.
     */
    defaultProvider?: string;
    /** Governance policies checked before anything is provisioned. */
    governance?: {
      /** The product's `spec.owner` must be an entity in the catalog. Default true. */
      requireOwnerExists?: boolean;
      /** The product's `spec.domain` must be a Domain entity in the catalog. Default true. */
      requireDomainExists?: boolean;
    };
    provisioning?: {
      /** First delay between `getStatus` polls of an asynchronous provider. Default 500. */
      pollInitialDelayMs?: number;
      /** The delay doubles up to this. Default 10000. */
      pollMaxDelayMs?: number;
      /** A pending port that has not finished after this fails. Default 1800000 (30 min). */
      pollTimeoutMs?: number;
    };
  };
}

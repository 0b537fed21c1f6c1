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
      /** Policy `naming`. */
      naming?: {
        /** Regular expression for `metadata.name` of a product. Default `^[a-z][a-z0-9-]{1,62}$`. */
        product?: string;
        /** Regular expression for the names of input and output ports. Default `^[a-z][a-z0-9_-]{0,62}$`. */
        port?: string;
        /** An output port's `contractId` must be `<product>.<port>`. Default true. */
        contractIdMatchesPort?: boolean;
      };
      /** Policy `classification`, of the columns of the contracts (`schema[].properties[].classification`). */
      classification?: {
        /** The allowed values. Default `[public, internal, confidential, restricted]`. */
        allowed?: string[];
        /** A column without a classification fails the policy (else it is a warning). Default false. */
        requireOnColumns?: boolean;
        /** Classifications an output port may not expose, e.g. `[restricted]`. Default none. */
        forbiddenInPorts?: string[];
      };
      /**
       * Policy `breaking-change`, against the contract deployed last: `fail` refuses the deployment,
       * `warn` only warns (the provider may still refuse). A new major contract version may always
       * break (warning). Default `fail`.
       */
      breakingChanges?: 'fail' | 'warn';
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

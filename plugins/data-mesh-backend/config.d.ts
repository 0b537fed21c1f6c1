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
      /** How often the backend running a deployment writes its heartbeat. Default 5. */
      heartbeatSeconds?: number;
      /**
       * A pending or running deployment whose heartbeat is older than this lost its backend (a
       * crash, a stopped replica) and is marked failed, at startup and by a job that runs
       * every half of it on one replica. Default 30.
       */
      staleAfterSeconds?: number;
    };
    /** The embedded pipeline runner (see the README, "Pipelines"). */
    pipelines?: {
      /** OpenLineage namespace of the runner's jobs. Default `backstage-data-mesh`. */
      jobNamespace?: string;
      /** Timeout of a run whose pipeline names none. Default 30. */
      defaultTimeoutMinutes?: number;
      /** A running run without a heartbeat for this long is marked interrupted. Default 120. */
      staleAfterSeconds?: number;
      /** How often scheduled pipelines are looked at. Default 30. */
      dispatchFrequencySeconds?: number;
    };
    /** Quality checks, health and alerts (see the README, "Quality and health"). */
    quality?: {
      /** Cron (UTC) of a port's checks when its contract's rules name no `schedule`. Default hourly. */
      defaultSchedule?: string;
      /** Days results are kept (each check's newest is always kept). Default 90. */
      retentionDays?: number;
      /** A port's scan is cancelled after this long. Default 600. */
      timeoutSeconds?: number;
      /** A running scan without a heartbeat for this long is marked interrupted. Default 120. */
      staleAfterSeconds?: number;
      /** How often scheduled checks are looked at. Default 30. */
      dispatchFrequencySeconds?: number;
      /** Cron (UTC) of the daily digest for people who chose one. Default `0 7 * * *`. */
      digestSchedule?: string;
    };
    /** OpenLineage ingestion and lineage graphs (see the README, "Lineage"). */
    lineage?: {
      /** Largest single event body, e.g. `2mb` (default). */
      maxEventSize?: string;
      /** Largest batch body, e.g. `20mb` (default). */
      maxBatchSize?: string;
      /** Most events per batch request. Default 1000. */
      maxBatchEvents?: number;
      /** Deepest graph the Lineage tab may ask for. Default 10. */
      maxDepth?: number;
      /** How soon another replica's lineage writes are seen, in ms. Default 1000. */
      refreshIntervalMs?: number;
      /** How long the catalogue's products and contracts are cached for lineage, in ms. Default 30000. */
      catalogCacheMs?: number;
      /** Most products and datasets in one graph answer (the Lineage tab). Default 500. */
      maxNodes?: number;
    };
    /** The Data Mesh page, the domain view, onboarding and the search collator's documents. */
    discovery?: {
      /**
       * How long the in-memory index of products (with health, consumers and freshness) serves
       * before it is read again, in the background. Health transitions and agreement changes of
       * the same replica show at once. Default 30.
       */
      cacheSeconds?: number;
      /**
       * How long what is read per user is kept: which products they may see when the permission
       * policy answers `catalog.entity.read` with conditions (the catalogue is asked), and their
       * open agreements (dropped at once when this replica changes an agreement; other replicas'
       * changes show after this). Default 10.
       */
      requesterCacheSeconds?: number;
    };
    /** Access requests and agreements (see the README, "Access"). */
    access?: {
      /**
       * Requests approved without a person when every condition of one rule holds, e.g.
       * `{ classifications: [public, internal], sameDomain: true }`.
       */
      autoApprove?: Array<{
        /** Data product refs (`sales-orders` or `dataproduct:default/sales-orders`). */
        dataProducts?: string[];
        outputPorts?: string[];
        /** Contract roles (`roles[].role`). */
        roles?: string[];
        /** Every column of the port's contract has one of these (`unclassified` for none). */
        classifications?: string[];
        /** The consumer is in the product's domain (a product of it, or a team owning one). */
        sameDomain?: boolean;
        /** `user`, `group`, `dataproduct`. */
        consumerKinds?: string[];
      }>;
      /** The end date of a request that gives none. Default 90 (days). */
      defaultDurationDays?: number;
      /** Longest access that may be requested; none by default. */
      maxDurationDays?: number;
      /** Consumers are told this many days before their access ends. Default 7. */
      expiryWarningDays?: number;
      /** Grants that fail are retried after this, doubling each time up to the maximum. */
      retry?: {
        /** Default 5. */
        initialDelaySeconds?: number;
        /** Default 3600. */
        maxDelaySeconds?: number;
      };
      /** How often the scheduled jobs run (one replica at a time). */
      schedule?: {
        /** Due and failed grants. Default 30. */
        enforceSeconds?: number;
        /** Expiry and end-of-access warnings. Default 15. */
        expiryMinutes?: number;
        /** Grants in the warehouse compared with the agreements. Default 60. */
        reconcileMinutes?: number;
      };
    };
  };
}

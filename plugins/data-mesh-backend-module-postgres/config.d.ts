export interface Config {
  dataMesh?: {
    providers?: {
      /** The built-in PostgreSQL data platform provider. */
      postgres?: {
        /** Register the provider. Default true. */
        enabled?: boolean;
        /**
         * `embedded` (default): PGlite, PostgreSQL compiled to WebAssembly, inside the backend
         * process, persisted in `embedded.dataDir`. `server`: a PostgreSQL server.
         */
        mode?: 'embedded' | 'server';
        embedded?: {
          /**
           * PGlite data directory, relative to the backend's working directory. Default
           * `.data/warehouse`. Only one process may open it.
           */
          dataDir?: string;
        };
        server?: {
          /**
           * A connection string, or its parts. The user needs CREATEROLE and CREATE on the
           * database (or is a superuser).
           */
          connection?:
            | string
            | {
                connectionString?: string;
                host?: string;
                port?: number;
                user?: string;
                /** @visibility secret */
                password?: string;
                database?: string;
                /** Passed to node-postgres as is. */
                ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string };
              };
        };
        /** Host shown to consumers; defaults to the server's host in server mode. */
        publicHost?: string;
        /** Port shown to consumers; defaults to the server's port in server mode. */
        publicPort?: number;
        /** How Backstage principals (users, groups, data products) become warehouse roles. */
        principals?: {
          /**
           * Role name template with {kind}, {namespace} and {name}; values are lower-cased and any
           * character outside [a-z0-9_] becomes `_`. Default `dm_{kind}_{name}`.
           */
          template?: string;
          /** Explicit roles for some principals, e.g. a group that already has a role. */
          mapping?: Array<{
            /** An entity ref, e.g. `group:default/finance-team`. */
            principal: string;
            /** The existing warehouse role. */
            role: string;
          }>;
        };
      };
    };
  };
}

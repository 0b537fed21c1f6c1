export interface Config {
  dataMesh?: {
    permissions?: {
      /**
       * Groups (entity refs) whose members administer the platform: they may deploy and
       * unprovision any data product. Owners may always act on their own products.
       */
      adminGroups?: string[];
    };
  };
}

export interface Config {
  dataMesh?: {
    devSignIn?: {
      /**
       * Show the example-user picker instead of the production sign-in (development only; the
       * backend refuses it unless NODE_ENV is development).
       * @visibility frontend
       */
      enabled?: boolean;
    };
  };
}

import { useMemo } from 'react';
import { parseOdcsContract } from '@backstage-data-mesh/plugin-data-mesh-common';
import { ContractView } from '../ContractView';
import { ContractProblems } from '../ContractProblems';

/**
 * Renders the `spec.definition` of an `odcs` API entity: the contract when it is valid ODCS,
 * otherwise the list of problems so the owner can fix the file.
 * @public
 */
export function OdcsDefinitionView(props: { definition: unknown }) {
  // Parsing YAML and validating against the ODCS schema is not free: once per definition.
  const parsed = useMemo(
    () => parseOdcsContract(props.definition, 'spec.definition'),
    [props.definition],
  );
  if (!parsed.contract) {
    return (
      <ContractProblems
        title="This data contract is not valid ODCS"
        problems={parsed.problems}
      />
    );
  }
  return <ContractView contract={parsed.contract} />;
}

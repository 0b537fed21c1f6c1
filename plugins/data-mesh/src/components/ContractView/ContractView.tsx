import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  OdcsContract,
  OdcsRole,
  OdcsServer,
  OdcsSlaProperty,
  describeSlaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { RefLink } from '../RefLink';
import { DescribedList } from '../DescribedList';
import { Fact } from '../Fact';
import { SchemaObjectSection } from './SchemaObjectSection';

/** @public */
export interface ContractViewProps {
  contract: OdcsContract;
}

function describeServer(server: OdcsServer): string {
  const address = [server.host, server.port].filter(Boolean).join(':');
  const parts = [
    server.type,
    address,
    server.database ? `database ${server.database}` : undefined,
    server.schema ? `schema ${server.schema}` : undefined,
  ].filter(Boolean);
  const environment = server.environment ? ` (${server.environment})` : '';
  return `${server.server}${environment}: ${parts.join(' · ')}`;
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function SlaList(props: { slaProperties: OdcsSlaProperty[] }) {
  return (
    <DescribedList
      label="Service levels"
      items={props.slaProperties.map((sla, index) => ({
        key: sla.id ?? `${sla.property}-${index}`,
        primary: describeSlaProperty(sla),
        secondary: [
          sla.description,
          sla.element ? `Applies to ${sla.element}` : undefined,
        ]
          .filter(Boolean)
          .join(' · '),
      }))}
    />
  );
}

function RolesTable(props: { roles: OdcsRole[] }) {
  return (
    <TableContainer>
      <Table size="small" aria-label="Roles">
        <TableHead>
          <TableRow>
            <TableCell>Role</TableCell>
            <TableCell>Access</TableCell>
            <TableCell>First-level approvers</TableCell>
            <TableCell>Second-level approvers</TableCell>
            <TableCell>Description</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.roles.map((role, index) => (
            <TableRow key={role.id ?? `${role.role}-${index}`}>
              <TableCell>{role.role}</TableCell>
              <TableCell>{role.access}</TableCell>
              <TableCell>
                <RefLink value={role.firstLevelApprovers} defaultKind="group" />
              </TableCell>
              <TableCell>
                <RefLink
                  value={role.secondLevelApprovers}
                  defaultKind="group"
                />
              </TableCell>
              <TableCell>{role.description}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/**
 * A readable view of an ODCS data contract: its facts, one table per schema object with the
 * quality rules in words, the service levels and the access roles.
 * @public
 */
export function ContractView(props: ContractViewProps) {
  const { contract } = props;
  const servers = contract.servers ?? [];
  const slaProperties = contract.slaProperties ?? [];
  const roles = contract.roles ?? [];
  const descriptionParts = [
    ['Purpose', contract.description?.purpose],
    ['Usage', contract.description?.usage],
    ['Limitations', contract.description?.limitations],
  ].filter((part): part is [string, string] => Boolean(part[1]));

  return (
    <Box>
      <Grid container spacing={2}>
        <Fact label="Contract ID" width={3}>
          {contract.id}
        </Fact>
        <Fact label="Version" width={3}>
          {contract.version}
        </Fact>
        <Fact label="Status" width={3}>
          {contract.status}
        </Fact>
        <Fact label="Domain" width={3}>
          {contract.domain}
        </Fact>
        {descriptionParts.map(([label, text]) => (
          <Fact key={label} label={label} width={12}>
            {text}
          </Fact>
        ))}
        <Fact label="Servers" width={12}>
          {servers.length === 0
            ? 'No servers declared'
            : servers.map((server, index) => (
                <div key={server.id ?? index}>{describeServer(server)}</div>
              ))}
        </Fact>
      </Grid>

      {(contract.schema ?? []).map((schemaObject, index) => (
        <SchemaObjectSection
          key={schemaObject.id ?? `${schemaObject.name}-${index}`}
          schemaObject={schemaObject}
        />
      ))}

      <Section title="Service levels">
        {slaProperties.length === 0 ? (
          <Typography variant="body2">No service levels declared.</Typography>
        ) : (
          <SlaList slaProperties={slaProperties} />
        )}
      </Section>

      <Section title="Roles">
        {roles.length === 0 ? (
          <Typography variant="body2">No access roles declared.</Typography>
        ) : (
          <RolesTable roles={roles} />
        )}
      </Section>
    </Box>
  );
}

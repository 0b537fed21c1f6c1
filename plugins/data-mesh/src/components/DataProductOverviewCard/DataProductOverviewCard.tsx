import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  DataProductEntity,
  DataProductSpec,
  DataProductSupportChannel,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { productTypeLabel } from '../../productTypes';
import { parseRefOrUndefined } from '../../refs';
import { DescribedList } from '../DescribedList';
import { Fact } from '../Fact';

function RefOrText(props: {
  value?: string;
  defaultKind: string;
  namespace: string;
}) {
  const ref = parseRefOrUndefined(
    props.value,
    props.defaultKind,
    props.namespace,
  );
  if (!ref) {
    return props.value ? <>{props.value}</> : null;
  }
  return <EntityRefLink entityRef={ref} defaultKind={props.defaultKind} />;
}

function DescriptionSection(props: { title: string; text?: string }) {
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      <Typography
        variant="body2"
        color={props.text ? 'textPrimary' : 'textSecondary'}
      >
        {props.text?.trim() || 'Not described'}
      </Typography>
    </Box>
  );
}

function supportLabel(channel: DataProductSupportChannel): string {
  return channel.tool ? `${channel.tool}: ${channel.channel}` : channel.channel;
}

/** The ODPS facts of a data product: what it is, who owns it, why it exists and where to ask. */
export function DataProductOverviewCard() {
  const { entity } = useEntity<DataProductEntity>();
  // Entities that fail validation can still reach the page, so nothing in spec is assumed.
  const spec: Partial<DataProductSpec> = entity.spec ?? {};
  const namespace = entity.metadata.namespace ?? 'default';
  const tags = entity.metadata.tags ?? [];
  const support = spec.support ?? [];
  const members = spec.team?.members ?? [];

  return (
    <InfoCard title="Data product">
      <Grid container spacing={2}>
        <Fact label="Domain">
          <RefOrText
            value={spec.domain}
            defaultKind="domain"
            namespace={namespace}
          />
        </Fact>
        <Fact label="Owner">
          <RefOrText
            value={spec.owner}
            defaultKind="group"
            namespace={namespace}
          />
        </Fact>
        <Fact label="Type">{productTypeLabel(spec.type)}</Fact>
        <Fact label="Lifecycle">{spec.lifecycle}</Fact>
        <Fact label="Status">{spec.status}</Fact>
        <Fact label="Version">{spec.version}</Fact>
        <Fact label="Tags" width={12}>
          {tags.length === 0
            ? 'No tags'
            : tags.map(tag => (
                <Chip key={tag} size="small" label={tag} variant="outlined" />
              ))}
        </Fact>
      </Grid>

      <DescriptionSection title="Purpose" text={spec.description?.purpose} />
      <DescriptionSection title="Usage" text={spec.description?.usage} />
      <DescriptionSection
        title="Limitations"
        text={spec.description?.limitations}
      />

      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <Box mt={2}>
            <Typography variant="subtitle2" component="h3">
              Support
            </Typography>
            {support.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                No support channels
              </Typography>
            ) : (
              <DescribedList
                label="Support channels"
                items={support.map((channel, index) => ({
                  key: channel.id ?? `${channel.channel}-${index}`,
                  primary: (
                    <Link to={channel.url}>{supportLabel(channel)}</Link>
                  ),
                  secondary: channel.description ?? channel.scope,
                }))}
              />
            )}
          </Box>
        </Grid>
        <Grid item xs={12} md={6}>
          <Box mt={2}>
            <Typography variant="subtitle2" component="h3">
              Team{spec.team?.name ? ` (${spec.team.name})` : ''}
            </Typography>
            {members.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                No team members listed
              </Typography>
            ) : (
              <DescribedList
                label="Team members"
                items={members.map(member => ({
                  key: member.username,
                  primary: member.name ?? member.username,
                  secondary: [
                    member.name ? member.username : undefined,
                    member.role,
                  ]
                    .filter(Boolean)
                    .join(' · '),
                }))}
              />
            )}
          </Box>
        </Grid>
      </Grid>
    </InfoCard>
  );
}

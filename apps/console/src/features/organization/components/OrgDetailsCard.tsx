import { Badge, Code, DataList, Paper, Title } from '@mantine/core';
import type { OrgView } from '@tessera/contracts';
import { DateTime } from '../../../components/DateTime';

const STATE_LABELS: Record<OrgView['state'], { label: string; color: string }> = {
  ORG_STATE_ACTIVE: { label: 'Active', color: 'green' },
  ORG_STATE_INACTIVE: { label: 'Inactive', color: 'gray' },
};

export function OrgDetailsCard({ org }: { org: OrgView }) {
  const state = STATE_LABELS[org.state];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="org-details-title">
      <Title order={2} size="h4" mb="sm" id="org-details-title">
        Details
      </Title>
      <DataList labelWidth="140px">
        <Item label="Name">{org.name}</Item>
        <Item label="ID">
          <Code>{org.id}</Code>
        </Item>
        <Item label="Primary Domain">{org.primaryDomain}</Item>
        <Item label="State">
          <Badge variant="light" color={state.color}>
            {state.label}
          </Badge>
        </Item>
        <Item label="Created">
          <DateTime iso={org.details.creationDate} />
        </Item>
      </DataList>
    </Paper>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

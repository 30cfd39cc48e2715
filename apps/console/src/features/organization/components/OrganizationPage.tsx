import { Button, Group, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useActingOrg } from '../../../app/acting-org';
import { PageError, PageLoading, PageNotFound } from '../../../components/PageState';
import { isNotFound } from '../../../lib/api';
import { usePageTitle } from '../../../lib/use-page-title';
import { instanceMembersQuery, myOrgQuery, useCreateOrg, useRenameOrg } from '../api';
import { useOrgPermissions } from '../permissions';
import { InstanceCard } from './InstanceCard';
import { ManagersCard } from './ManagersCard';
import { OrgDetailsCard } from './OrgDetailsCard';
import { OrgNameModal } from './OrgNameModal';
import { notify } from '../../../lib/notify';

export function OrganizationPage() {
  usePageTitle('Organization');
  const { orgId, instanceOwner, switchTo } = useActingOrg();
  const { data: org, isPending, error, refetch } = useQuery(myOrgQuery(orgId));
  const perms = useOrgPermissions();
  const [renaming, renameModal] = useDisclosure(false);
  const [creating, createModal] = useDisclosure(false);
  const rename = useRenameOrg();
  const create = useCreateOrg();
  const navigate = useNavigate();
  const instance = useQuery(instanceMembersQuery);

  if (isPending) return <PageLoading label="Loading the organization" />;
  if (isNotFound(error)) {
    return (
      <PageNotFound
        title="Organization not found"
        message="The organization the console acts on no longer exists."
        back={{ to: '/service-users', label: 'Back to Service Users' }}
      />
    );
  }
  if (error) return <PageError error={error} retry={() => void refetch()} />;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{org.name}</Title>
        <Group gap="sm">
          {perms.can('org.write') && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={renameModal.open}>
              Rename
            </Button>
          )}
          {instanceOwner && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
              New Organization
            </Button>
          )}
        </Group>
      </Group>
      <OrgDetailsCard org={org} />
      {perms.can('org.member.read') && <ManagersCard orgName={org.name} />}
      {instance.data && instance.data.length > 0 && <InstanceCard members={instance.data} />}

      <OrgNameModal
        opened={renaming}
        onClose={renameModal.close}
        title="Rename Organization"
        submitLabel="Save"
        initialName={org.name}
        pending={rename.isPending}
        onSubmit={async (name) => {
          await rename.mutateAsync(name);
          renameModal.close();
          notify('green', 'Organization renamed', `It is now called ${name}.`);
        }}
      />
      <OrgNameModal
        opened={creating}
        onClose={createModal.close}
        title="New Organization"
        submitLabel="Create"
        initialName=""
        pending={create.isPending}
        onSubmit={async (name) => {
          const created = await create.mutateAsync(name);
          createModal.close();
          notify('green', 'Organization created', `The console now acts on ${name}.`);
          switchTo(created.id);
          void navigate('/org');
        }}
      />
    </Stack>
  );
}

import { Badge, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useActingOrg } from '../../../app/acting-org';
import { ApiRequestError } from '../../../lib/api';
import { myOrgQuery, orgListQuery } from '../api';

/** Shows, on every page, which organization the console acts on; the instance owner switches here. */
export function OrgIndicator() {
  const { orgId, homeOrgId, homeOrgName, instanceOwner, switchTo } = useActingOrg();
  const org = useQuery(myOrgQuery(orgId));
  const gone = org.error instanceof ApiRequestError && org.error.status === 404;
  // An organization remembered from earlier that no longer exists: go back to the user's own.
  useEffect(() => {
    if (gone && orgId !== homeOrgId) switchTo(homeOrgId);
  }, [gone, orgId, homeOrgId, switchTo]);
  // Roles without org.read (Org Project Creator) cannot read the organization; its own name still helps.
  const name = org.data?.name ?? (orgId === homeOrgId ? homeOrgName : '…');
  if (instanceOwner) return <OrgSwitcher currentId={orgId} currentName={name} onSwitch={switchTo} />;
  return (
    <Badge variant="light" size="lg" aria-label="Acting organization">
      {name}
    </Badge>
  );
}

function OrgSwitcher({ currentId, currentName, onSwitch }: { currentId: string; currentName: string; onSwitch: (id: string) => void }) {
  const { data: orgs } = useQuery(orgListQuery);
  const data = orgs?.map((o) => ({ value: o.id, label: o.name })) ?? [{ value: currentId, label: currentName }];
  return (
    <Select
      aria-label="Acting organization"
      size="xs"
      w={220}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No organization matches"
      data={data}
      value={currentId}
      onChange={(id) => id && id !== currentId && onSwitch(id)}
    />
  );
}

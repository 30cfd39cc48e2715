import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { myOrgQuery } from '../api';

/** Shows, on every page, which organization the console acts on. */
export function OrgIndicator() {
  const { data: org } = useQuery(myOrgQuery);
  return (
    <Badge variant="light" size="lg" aria-label="Acting organization">
      {org?.name ?? '…'}
    </Badge>
  );
}

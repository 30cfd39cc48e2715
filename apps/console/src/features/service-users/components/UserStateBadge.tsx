import { Badge } from '@mantine/core';
import type { UserState } from '@tessera/contracts';
import { STATE_LABELS } from '../format';

export function UserStateBadge({ state }: { state: UserState }) {
  return (
    <Badge color={state === 'USER_STATE_ACTIVE' ? 'green' : 'gray'} variant="light">
      {STATE_LABELS[state]}
    </Badge>
  );
}

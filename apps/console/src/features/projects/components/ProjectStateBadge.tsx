import { Badge } from '@mantine/core';
import type { ProjectView } from '@tessera/contracts';
import { PROJECT_STATE_LABELS } from '../format';

export function ProjectStateBadge({ state }: { state: ProjectView['state'] }) {
  return (
    <Badge color={state === 'PROJECT_STATE_ACTIVE' ? 'green' : 'gray'} variant="light">
      {PROJECT_STATE_LABELS[state]}
    </Badge>
  );
}

import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value in a details list (`<dl>`): the label above, small and dimmed, the value below. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

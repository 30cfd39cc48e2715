import { Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorMessage } from '../../../lib/api';

/**
 * A card of one kind of credential (client secrets, keys, tokens): a title, what it is for, an
 * optional New button, then its table, or the loading, error or empty state in words. The last
 * column holds each row's actions and is named for screen readers only.
 */
export function CredentialCard<T extends { id: string }>({
  id,
  title,
  description,
  newLabel,
  onNew,
  query,
  loading,
  empty,
  headers,
  cells,
  minWidth = 400,
  children,
}: {
  /** Names the table (aria-labelledby). */
  id: string;
  title: string;
  description: ReactNode;
  /** The New button's accessible name; no button without onNew. */
  newLabel?: string;
  onNew?: () => void;
  query: { data: T[] | undefined; isPending: boolean; error: unknown };
  loading: string;
  empty: string;
  headers: string[];
  /** One row's cells, the actions last. */
  cells: (item: T) => ReactNode[];
  minWidth?: number;
  /** The card's dialogs. */
  children?: ReactNode;
}) {
  const { data, isPending, error } = query;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Title order={2} size="h4" id={id}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </div>
          {onNew && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={onNew} aria-label={newLabel} flex="none">
              New
            </Button>
          )}
        </Group>
        {isPending ? (
          <Text c="dimmed" size="sm">
            {loading}
          </Text>
        ) : error ? (
          <Text c="red" size="sm" role="alert">
            {errorMessage(error)}
          </Text>
        ) : !data?.length ? (
          <Text size="sm">{empty}</Text>
        ) : (
          <Table.ScrollContainer minWidth={minWidth}>
            <Table aria-labelledby={id} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  {headers.map((h) => (
                    <Table.Th key={h}>{h}</Table.Th>
                  ))}
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((item) => (
                  <Table.Tr key={item.id}>
                    {cells(item).map((cell, i) => (
                      <Table.Td key={i}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {children}
    </Paper>
  );
}

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
}

/** A yes/no question before a change that cannot be taken back. */
export function ConfirmDialog({ request, busy, onClose }: { request: ConfirmRequest | null; busy: boolean; onClose: () => void }) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.title} centered>
      {request && (
        <Stack>
          <Text size="sm">{request.message}</Text>
          <Group justify="flex-end">
            {/* Enter on a destructive question should not destroy: focus starts on Cancel there. */}
            <Button variant="default" onClick={onClose} disabled={busy} data-autofocus={request.danger || undefined}>
              Cancel
            </Button>
            <Button color={request.danger ? 'red' : undefined} loading={busy} onClick={request.onConfirm} data-autofocus={!request.danger || undefined}>
              {request.confirmLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

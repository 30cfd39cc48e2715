import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/** A choice that goes with the confirmation, such as also revoking tokens. */
export interface ConfirmOption {
  label: string;
  defaultChecked: boolean;
  /** What will happen, said for the box as it stands: the person sees the outcome either way. */
  describe: (checked: boolean) => ReactNode;
}

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  option?: ConfirmOption;
  /** checked: the option's box, false when there is no option. */
  onConfirm: (checked: boolean) => void;
}

/** A yes/no question before a change that cannot be taken back. */
export function ConfirmDialog({ request, busy, onClose }: { request: ConfirmRequest | null; busy: boolean; onClose: () => void }) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.title} centered>
      {/* Mounted per question, so every question starts from its option's default. */}
      {request && <ConfirmBody request={request} busy={busy} onClose={onClose} />}
    </Modal>
  );
}

function ConfirmBody({ request, busy, onClose }: { request: ConfirmRequest; busy: boolean; onClose: () => void }) {
  const { option } = request;
  const [checked, setChecked] = useState(option?.defaultChecked ?? false);
  return (
    <Stack>
      <Text size="sm">{request.message}</Text>
      {option && <OptionBox option={option} checked={checked} onChange={setChecked} disabled={busy} />}
      <Group justify="flex-end">
        {/* Enter on a destructive question should not destroy: focus starts on Cancel there. */}
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus={request.danger || undefined}>
          Cancel
        </Button>
        <Button
          color={request.danger ? 'red' : undefined}
          loading={busy}
          onClick={() => request.onConfirm(checked)}
          data-autofocus={!request.danger || undefined}
        >
          {request.confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** The option's box, described by what will happen as it stands. */
export function OptionBox({
  option,
  checked,
  onChange,
  disabled,
}: {
  option: ConfirmOption;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled: boolean;
}) {
  return (
    <Checkbox
      label={option.label}
      description={option.describe(checked)}
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
      disabled={disabled}
    />
  );
}

import { ActionIcon, Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { expirationFromDay, isNeverExpiring } from '../credentials-api';
import { DateTime } from '../../../components/DateTime';

/** When a key or token expires: "Never", the date, or an Expired badge once it has passed. */
export function Expires({ iso }: { iso: string }) {
  if (isNeverExpiring(iso)) return <Text size="sm">Never</Text>;
  const text = <DateTime iso={iso} />;
  return Date.parse(iso) <= Date.now() ? (
    <Group gap="xs">
      <Badge color="red" variant="light">
        Expired
      </Badge>
      <Text size="sm">{text}</Text>
    </Group>
  ) : (
    <Text size="sm">{text}</Text>
  );
}

export function DeleteButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="red" aria-label={label} title="Delete" onClick={onClick}>
      <IconTrash size={18} aria-hidden />
    </ActionIcon>
  );
}

/** A date field for an optional expiration: the end of the chosen day, which must be after today. */
export function ExpirationField({ value, onChange, disabled }: { value: string; onChange: (day: string) => void; disabled?: boolean }) {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const error = value && value < tomorrow ? `Enter a valid expiration after ${new Date().toISOString().slice(0, 10)}` : undefined;
  return (
    <TextInput
      type="date"
      label="Expiration date"
      description="Optional: without one, it does not expire."
      min={tomorrow}
      value={value}
      error={error}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/** The "New" dialog of a card: its fields, then Cancel and Add; submits only a valid expiration. */
export function AddDialog({
  opened,
  title,
  description,
  busy,
  onClose,
  onAdd,
  children,
}: {
  opened: boolean;
  title: string;
  description: string;
  busy: boolean;
  onClose: () => void;
  onAdd: (expirationDate: string | undefined) => void;
  children?: ReactNode;
}) {
  const [day, setDay] = useState('');
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const close = () => {
    setDay('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (day && day < tomorrow) return;
          onAdd(expirationFromDay(day));
          setDay('');
        }}
      >
        <Stack>
          <Text size="sm">{description}</Text>
          {children}
          <ExpirationField value={day} onChange={setDay} disabled={busy} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

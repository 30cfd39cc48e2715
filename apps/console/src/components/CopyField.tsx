import { Button, CopyButton, Group, TextInput } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** The copy button of a value shown once: "Copy <what>" to a screen reader, "Copied" once used. */
export function CopyValueButton({
  value,
  label,
  text = 'Copy',
  onCopied,
  first,
}: {
  value: string;
  /** The accessible name. */
  label: string;
  /** The visible text before copying. */
  text?: string;
  onCopied?: () => void;
  first?: boolean;
}) {
  return (
    <CopyButton value={value} timeout={2500}>
      {({ copied, copy }) => (
        <Button
          aria-label={label}
          variant={copied ? 'filled' : 'light'}
          color={copied ? 'teal' : undefined}
          leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          onClick={() => {
            copy();
            onCopied?.();
          }}
          miw={110}
          // Focus starts on a harmless control: an Enter still held from the menu must not close the dialog.
          data-autofocus={first || undefined}
        >
          {copied ? 'Copied' : text}
        </Button>
      )}
    </CopyButton>
  );
}

/** A read-only value with its copy button; onCopied also hears a copy made from the field itself. */
export function CopyField({ label, value, first, onCopied }: { label: string; value: string; first?: boolean; onCopied?: () => void }) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput
        label={label}
        value={value}
        readOnly
        flex={1}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        onFocus={(e) => e.currentTarget.select()}
        onCopy={onCopied}
      />
      <CopyValueButton value={value} label={`Copy ${label}`} onCopied={onCopied} first={first} />
    </Group>
  );
}

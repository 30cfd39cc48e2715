import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { MAX_CLIENT_SECRETS } from '@tessera/contracts';
import { useState } from 'react';
import { OptionBox, type ConfirmOption } from './ConfirmDialog';

/** How long the secrets valid now stay valid beside the new one, in seconds; 0 revokes them (ZITADEL's behaviour, the default). */
const KEEP_CHOICES = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
  { seconds: 0, label: 'Revoke it now' },
];

export interface GenerateChoice {
  keepPreviousFor: number;
  revokeTokens: boolean;
}

interface Props {
  userName: string;
  /** Secrets that work now; at the limit none can be kept. */
  validSecrets: number;
  revokeOption: ConfirmOption;
  busy: boolean;
  onClose: () => void;
  onGenerate: (choice: GenerateChoice) => void;
}

/**
 * Generate Client Secret over an existing one: what becomes of the current secret (kept for a
 * while, so running jobs can move over, or revoked at once) and of the tokens issued so far.
 */
export function GenerateSecretDialog({ opened, ...props }: Props & { opened: boolean }) {
  return (
    <Modal opened={opened} onClose={props.onClose} title="Generate a new client secret?" centered>
      {/* Mounted per opening, so every time starts from the defaults. */}
      {opened && <Body {...props} />}
    </Modal>
  );
}

function Body({ userName, validSecrets, revokeOption, busy, onClose, onGenerate }: Props) {
  const [keep, setKeep] = useState('0');
  const [revokeTokens, setRevokeTokens] = useState(revokeOption.defaultChecked);
  const full = validSecrets >= MAX_CLIENT_SECRETS;
  const kept = KEEP_CHOICES.find((c) => String(c.seconds) === keep)!;
  const outcome = full
    ? `${userName} has ${validSecrets} valid client secrets, the most it may hold: revoke one in the Client Secrets list to keep the current ones for a while.`
    : kept.seconds
      ? `The current secret keeps working for ${kept.label} beside the new one, so running jobs can move over. Revoke it early in the Client Secrets list once they have.`
      : 'The current secret stops working the moment a new one is generated.';
  return (
    <Stack>
      <Text size="sm">
        {userName} already has {validSecrets > 1 ? `${validSecrets} valid client secrets` : 'a client secret'}.
      </Text>
      <Radio.Group label="Keep the current secret valid for" description={outcome} value={keep} onChange={setKeep}>
        <Stack gap="xs" mt="xs">
          {KEEP_CHOICES.map((c) => (
            <Radio key={c.seconds} value={String(c.seconds)} label={c.label} disabled={busy || (full && c.seconds > 0)} />
          ))}
        </Stack>
      </Radio.Group>
      <OptionBox option={revokeOption} checked={revokeTokens} onChange={setRevokeTokens} disabled={busy} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button color={kept.seconds ? undefined : 'red'} loading={busy} onClick={() => onGenerate({ keepPreviousFor: kept.seconds, revokeTokens })}>
          Generate
        </Button>
      </Group>
    </Stack>
  );
}

import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconKey, IconKeyOff, IconPlayerPause, IconPlayerPlay, IconTicketOff, IconTrash } from '@tabler/icons-react';
import type { MachineUserView } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../../lib/api';
import { useGenerateSecret, useUserAction, type UserAction, type UserActionRequest } from '../api';
import { isValidSecret, secretsQuery } from '../credentials-api';
import { ClientSecretDialog, type ShownSecret } from './ClientSecretDialog';
import { ConfirmDialog, type ConfirmOption, type ConfirmRequest } from './ConfirmDialog';
import { GenerateSecretDialog, type GenerateChoice } from './GenerateSecretDialog';
import { notify } from '../../../lib/notify';

const DONE: Record<UserAction, string> = {
  deactivate: 'Service user deactivated',
  reactivate: 'Service user reactivated',
  removeSecret: 'Client secret removed',
  revokeTokens: 'Tokens revoked',
  delete: 'Service user deleted',
};

const REVOKE_LABEL = 'Also revoke the tokens issued so far';

/**
 * The box beside Generate (when a secret exists) and Remove. A secret that changes because it
 * leaked must take the tokens it got with it; otherwise they work for their whole lifetime.
 *  - Remove: checked. Removing says "this client must stop"; tokens left alive contradict that.
 *  - Generate: unchecked, as ZITADEL keeps tokens on a new secret. A routine rotation must not cut
 *    off running jobs before they have the new secret; after a leak, the box is one click away.
 */
const revokeOption = (name: string, defaultChecked: boolean): ConfirmOption => ({
  label: REVOKE_LABEL,
  defaultChecked,
  describe: (checked) =>
    checked
      ? `Every access token ${name} got so far stops working at once, too.`
      : `Access tokens ${name} got so far keep working until they expire (12 hours by default). Check this if the secret may have leaked.`,
});

/** The detail page's "Actions": ZITADEL's menu, every destructive step behind a confirmation. */
export function UserActionsMenu({ user }: { user: MachineUserView }) {
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const actionsButton = useRef<HTMLButtonElement>(null);
  const action = useUserAction(user.id);
  const [generating, setGenerating] = useState(false);
  const generate = useGenerateSecret(user.id, (shown) => {
    setGenerating(false);
    setSecret(shown);
  });
  // How many secrets work now (the Client Secrets card's query): at the limit, none can be kept.
  const { data: secrets } = useQuery(secretsQuery(user.id));
  const validSecrets = secrets?.filter(isValidSecret).length ?? 1;
  const name = user.userName;
  const hasSecret = user.machine?.hasSecret ?? false;
  const active = user.state === 'USER_STATE_ACTIVE';

  const fail = (title: string) => (err: unknown) => notify('red', title, errorMessage(err));

  const run = (request: UserActionRequest) =>
    action.mutate(request, {
      onSuccess: () => {
        const a = request.action;
        setConfirm(null);
        notify('green', a === 'removeSecret' && request.revokeTokens ? 'Client secret removed, tokens revoked' : DONE[a], name);
        if (a === 'delete') {
          void navigate('/service-users', { replace: true });
          action.forgetUser();
        }
      },
      onError: fail('That did not work'),
      onSettled: () => action.reset(),
    });

  // None: there was no secret to replace (ZITADEL's request, no body).
  const generateNow = (choice?: GenerateChoice) =>
    generate.mutate(choice && { revokeTokens: choice.revokeTokens, ...(choice.keepPreviousFor ? { keepPreviousFor: `${choice.keepPreviousFor}s` } : {}) }, {
      onError: fail('No client secret was generated'),
      onSettled: () => generate.reset(),
    });

  const ask = (request: Omit<ConfirmRequest, 'onConfirm'>, onConfirm: ConfirmRequest['onConfirm']) => setConfirm({ ...request, onConfirm });

  return (
    <>
      <Menu position="bottom-end" shadow="md" width={240}>
        <Menu.Target>
          <Button ref={actionsButton} rightSection={<IconChevronDown size={16} aria-hidden />} loading={action.isPending || generate.isPending}>
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => (hasSecret ? setGenerating(true) : generateNow())}>
            Generate Client Secret
          </Menu.Item>
          {hasSecret && (
            <Menu.Item
              leftSection={<IconKeyOff size={16} aria-hidden />}
              onClick={() =>
                ask(
                  {
                    title: 'Remove the client secret?',
                    message: `${name} will not be able to get tokens with a client secret until a new one is generated.`,
                    confirmLabel: 'Remove',
                    danger: true,
                    option: revokeOption(name, true),
                  },
                  (revokeTokens) => run({ action: 'removeSecret', revokeTokens }),
                )
              }
            >
              Remove Client Secret
            </Menu.Item>
          )}
          <Menu.Item
            leftSection={<IconTicketOff size={16} aria-hidden />}
            onClick={() =>
              ask(
                {
                  title: 'Revoke all tokens?',
                  message: `Every access token issued to ${name} so far stops working at once. New tokens can still be requested with its client secret.`,
                  confirmLabel: 'Revoke Tokens',
                  danger: true,
                },
                () => run({ action: 'revokeTokens' }),
              )
            }
          >
            Revoke Tokens
          </Menu.Item>
          {active ? (
            <Menu.Item
              leftSection={<IconPlayerPause size={16} aria-hidden />}
              onClick={() =>
                ask(
                  {
                    title: 'Deactivate this service user?',
                    message: `${name} will not get any tokens, and every token it holds stops working, even after a later reactivation.`,
                    confirmLabel: 'Deactivate',
                    danger: true,
                  },
                  () => run({ action: 'deactivate' }),
                )
              }
            >
              Deactivate
            </Menu.Item>
          ) : (
            <Menu.Item leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => run({ action: 'reactivate' })}>
              Reactivate
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item
            color="var(--mantine-color-red-text)"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() =>
              ask(
                {
                  title: 'Delete service user',
                  message: `You are about to permanently delete the service user "${name}". Its client secret and tokens stop working at once. This cannot be undone.`,
                  confirmLabel: 'Delete',
                  danger: true,
                },
                () => run({ action: 'delete' }),
              )
            }
          >
            Delete
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ConfirmDialog request={confirm} busy={action.isPending} onClose={() => setConfirm(null)} />
      <GenerateSecretDialog
        opened={generating}
        userName={name}
        validSecrets={validSecrets}
        revokeOption={revokeOption(name, false)}
        busy={generate.isPending}
        onClose={() => setGenerating(false)}
        onGenerate={generateNow}
      />
      <ClientSecretDialog secret={secret} onClose={() => setSecret(null)} returnFocusTo={actionsButton} />
    </>
  );
}

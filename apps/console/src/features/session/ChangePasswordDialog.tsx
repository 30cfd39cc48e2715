import { Modal } from '@mantine/core';
import { ChangePasswordForm } from './ChangePasswordForm';
import { notifyPasswordChanged } from './notify';

export function ChangePasswordDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Change password" centered>
      {/* Mounted only while open, so every opening starts with empty fields. */}
      {opened && (
        <ChangePasswordForm
          onDone={() => {
            notifyPasswordChanged();
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

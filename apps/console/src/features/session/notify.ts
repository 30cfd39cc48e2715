import { notifications } from '@mantine/notifications';

export function notifyPasswordChanged(): void {
  notifications.show({
    color: 'green',
    title: 'Password changed',
    message: 'Your other sessions have been signed out.',
    position: 'bottom-right',
  });
}

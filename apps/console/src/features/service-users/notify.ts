import { notifications } from '@mantine/notifications';

/**
 * Confirmations of this feature appear bottom right: the app's default (top right) would cover
 * "New" and "Actions" for seconds, right when the guide's next step is to click them.
 */
export function notify(color: 'green' | 'red', title: string, message: string): void {
  notifications.show({ color, title, message, position: 'bottom-right' });
}

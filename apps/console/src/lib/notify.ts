import { notifications } from '@mantine/notifications';

/**
 * Every confirmation and failure of the console, shown bottom right (the stack's position, see
 * LazyNotifications): at the top it covered the header's Sign out and the page's New and Actions
 * for seconds, right when the next step is to click them, and the pointer resting on it paused its
 * timer, so it stayed there.
 */
export function notify(color: 'green' | 'red', title: string, message: string): void {
  notifications.show({ color, title, message });
}

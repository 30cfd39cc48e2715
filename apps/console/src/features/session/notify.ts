import { notify } from '../../lib/notify';

export function notifyPasswordChanged(): void {
  notify('green', 'Password changed', 'Your other sessions have been signed out.');
}

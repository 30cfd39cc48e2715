import { roleDefinition } from '@tessera/contracts';

/** The human name of a role key ("Org Owner"), or the key itself for one this console does not know. */
export const roleName = (key: string): string => roleDefinition(key)?.name ?? key;
export const roleDescription = (key: string): string => roleDefinition(key)?.description ?? '';

import { instanceRoleDefinition, roleDefinition } from '@tessera/contracts';

/** The human name of a role key ("Org Owner"), or the key itself for one this console does not know. */
export const roleName = (key: string): string => roleDefinition(key)?.name ?? key;
export const roleDescription = (key: string): string => roleDefinition(key)?.description ?? '';

/** An instance role's name as ZITADEL's console shows it ("Instance Owner"), or its key. */
export const instanceRoleName = (key: string): string => instanceRoleDefinition(key)?.name ?? key;
export const instanceRoleDescription = (key: string): string => instanceRoleDefinition(key)?.description ?? '';

export * from './roles.js';
export * from './users.js';
export * from './orgs.js';
export * from './session.js';
export * from './api-error.js';
export * from './keys.js';
export * from './pats.js';
export * from './secrets.js';

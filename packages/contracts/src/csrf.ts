// Apart from the session's schemas, so what needs only the name does not load zod (the console's
// sign-in page sends it).
/** Header the console sends with every state-changing request (a cross-site form cannot). */
export const CSRF_HEADER = 'x-csrf-token';

import type { SignedIn } from './test-app.js';

/** Creates a service user through the management API, as the console does. */
export async function createServiceUser(
  s: SignedIn,
  userName: string,
  extra: { name?: string; description?: string; accessTokenType?: string } = {},
): Promise<string> {
  const res = await s.agent
    .post('/management/v1/users/machine')
    .set('x-csrf-token', s.csrf)
    .send({ userName, name: extra.name ?? `${userName} display`, ...extra });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { userId: string }).userId;
}

export async function generateSecret(s: SignedIn, userId: string): Promise<{ clientId: string; clientSecret: string }> {
  const res = await s.agent.put(`/management/v1/users/${userId}/secret`).set('x-csrf-token', s.csrf);
  if (res.status !== 200) throw new Error(`secret failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { clientId: string; clientSecret: string };
}

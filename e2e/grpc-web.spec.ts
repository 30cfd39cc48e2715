import { expect, test } from '@playwright/test';
import { basic, machine, signIn } from './support';

const GET_MY_ORG = '/zitadel.management.v1.ManagementService/GetMyOrg';

test("a browser page calls GetMyOrg over gRPC-Web, as ZITADEL's web SDKs do", async ({ page }) => {
  await signIn(page);
  const m = await machine(page, 'grpc-web');
  const token = await page.request.post('/oauth/v2/token', {
    headers: { authorization: basic(m) },
    form: { grant_type: 'client_credentials', scope: 'openid urn:zitadel:iam:org:project:id:zitadel:aud' },
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const { orgId } = (await (await page.request.get('/api/session')).json()) as { orgId: string };

  // The browser's own fetch, with gRPC-Web's framing: an empty GetMyOrgRequest, then the answer's
  // data frame and its trailer frame (flag 0x80) read back from the bytes.
  const answer = await page.evaluate(
    async ({ path, bearer }) => {
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', authorization: `Bearer ${bearer}` },
        body: new Uint8Array([0, 0, 0, 0, 0]),
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const frames: { flag: number; text: string }[] = [];
      for (let at = 0; at + 5 <= bytes.length;) {
        const length = new DataView(bytes.buffer, at + 1, 4).getUint32(0);
        frames.push({ flag: bytes[at]!, text: new TextDecoder('latin1').decode(bytes.subarray(at + 5, at + 5 + length)) });
        at += 5 + length;
      }
      return { status: res.status, type: res.headers.get('content-type'), frames };
    },
    { path: GET_MY_ORG, bearer: access_token },
  );
  expect(answer.status).toBe(200);
  expect(answer.type).toBe('application/grpc-web+proto');
  expect(answer.frames.map((f) => f.flag)).toEqual([0, 0x80]);
  expect(answer.frames[0]!.text).toContain(orgId);
  expect(answer.frames[1]!.text).toMatch(/grpc-status: ?0/);
});

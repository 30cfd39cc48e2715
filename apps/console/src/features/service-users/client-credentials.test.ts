import { describe, expect, it } from 'vitest';
import { curlCommand, envFile, tokenUrl } from './client-credentials';

describe('client credentials, ready to use', () => {
  it('points at this server', () => {
    expect(tokenUrl('https://id.example.com')).toBe('https://id.example.com/oauth/v2/token');
  });

  it("writes the guide's curl with the ClientID filled in and the secret left to the shell", () => {
    const curl = curlCommand('ci.bot@example', 'https://id.example.com');
    expect(curl).toContain('--user "ci.bot@example:$CLIENT_SECRET"');
    expect(curl.split(' \\\n')).toHaveLength(6);
  });

  it('writes a .env of three lines', () => {
    expect(envFile('a', 'b', 'http://h').split('\n')).toEqual(['CLIENT_ID=a', 'CLIENT_SECRET=b', 'TOKEN_URL=http://h/oauth/v2/token']);
  });
});

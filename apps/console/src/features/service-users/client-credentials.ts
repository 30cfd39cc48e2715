/** The scopes of ZITADEL's guide: a token the management API accepts. */
export const GUIDE_SCOPE = 'openid profile email urn:zitadel:iam:org:project:id:zitadel:aud';

/** The token endpoint of this server: the console is served by the issuer itself. */
export const tokenUrl = (origin: string) => `${origin}/oauth/v2/token`;

/**
 * The guide's token request for one client, ready to paste into a shell. The secret stays a shell
 * variable: the command may be pasted into tickets and chats, and must not carry it.
 */
export function curlCommand(clientId: string, origin: string): string {
  return [
    'curl --request POST',
    `  --url ${tokenUrl(origin)}`,
    "  --header 'Content-Type: application/x-www-form-urlencoded'",
    `  --user "${clientId}:$CLIENT_SECRET"`,
    '  --data grant_type=client_credentials',
    `  --data scope='${GUIDE_SCOPE}'`,
  ].join(' \\\n');
}

/** The client's credentials as a .env file, for a job that reads its configuration from the environment. */
export const envFile = (clientId: string, clientSecret: string, origin: string) =>
  `CLIENT_ID=${clientId}\nCLIENT_SECRET=${clientSecret}\nTOKEN_URL=${tokenUrl(origin)}`;

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 6749 2.3.1: client_id and secret are each form-urlencoded, joined by ":" and base64-encoded.
 * Many clients skip the urlencoding; a raw part that is not valid urlencoding is taken as it is,
 * so those clients keep working whenever their values need no escaping. Returns null for anything
 * that is not Basic credentials. Never throws.
 */
export function parseBasicAuthorization(header: string): ClientCredentials | null {
  const b64 = BASIC.exec(header)?.[1];
  if (!b64 || b64.length % 4 === 1) return null;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(b64, 'base64'));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  if (!clientId) return null;
  return { clientId, clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** application/x-www-form-urlencoded decoding of one value: "+" is a space, %XX are UTF-8 bytes. */
export function formDecode(value: string): string {
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The encoding RFC 6749 2.3.1 asks of clients; used by tests and tools. */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

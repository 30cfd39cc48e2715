/** Each base64url character's value (RFC 4648 section 5); -1 for anything else. */
const VALUE = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) VALUE[ch.charCodeAt(0)] = i;

/** Bits of the last character that encode nothing, by length mod 4; and 0x80, which only -1 has. */
const UNUSED_BITS = [0x80, 0, 0x8f, 0x83];

/**
 * Whether s[start, end), already known to hold base64url characters only (callers test a pattern
 * first), is unpadded base64url in its one canonical spelling. The last character of a group of
 * 2 or 3 carries 4 or 2 bits that encode nothing; decoders ignore them, so without this check a
 * token ending in `Q` is also accepted ending in `R`..`f`. RFC 4648 3.5 lets a decoder refuse such
 * spellings, and a token must have only one. A group of 1 encodes no byte at all. One read of the
 * string and no allocation: this runs for every token not yet in the decoded cache.
 */
export function isCanonicalBase64url(s: string, start = 0, end = s.length): boolean {
  const rem = (end - start) % 4;
  if (end <= start || rem === 1) return false;
  const code = s.charCodeAt(end - 1);
  const value = code < 128 ? VALUE[code]! : -1;
  return (value & UNUSED_BITS[rem]!) === 0;
}

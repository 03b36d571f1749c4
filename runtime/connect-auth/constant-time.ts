/**
 * Whether two strings are equal, in time that depends only on their lengths (which are
 * public here: a hex hash, a base64url signature). Cheaper than two Buffers and
 * `timingSafeEqual` for the short strings it is used on.
 */
export function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

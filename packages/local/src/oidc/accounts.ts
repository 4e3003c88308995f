/**
 * Who signs in at the local provider: anyone, by email. The `sub` is a name-based UUID (RFC 9562
 * version 5) of the normalized email, so the same person gets the same `sub` at every sign-in,
 * after a restart and after `--fresh`, and the images they uploaded stay theirs. Cognito's `sub`
 * is a UUID too (random, fixed at sign-up).
 */
import { createHash } from 'node:crypto';

/** A fixed namespace for Snapstack's local subjects (a random UUID, chosen once). */
const NAMESPACE = Buffer.from('4f0c2a57d4a34b1e9f3e8b6f2d1c9a70', 'hex');

/** A plausible address: something@something, no spaces, at most 254 characters (RFC 5321's path limit). */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

/** The `sub` of a (normalized) email. */
export function subjectOf(email: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(email, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

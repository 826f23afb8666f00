// Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes).
import argon2 from 'argon2';
import { Invalid } from '../../platform/errors.ts';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function checkPasswordStrength(password: string): void {
  if (password.length < 10) throw new Invalid({ password: 'Le mot de passe doit contenir au moins 10 caractères.' });
  if (password.length > 256) throw new Invalid({ password: 'Le mot de passe ne doit pas dépasser 256 caractères.' });
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummy: Promise<string> | null = null;

/** Verifies; with no stored hash it still spends the same time, so timing does not reveal accounts. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    dummy ??= argon2.hash('not-a-real-password', OPTIONS);
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

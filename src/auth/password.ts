import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../errors.ts';

// argon2id (the library's default algorithm) with OWASP's recommended minimum cost:
// 19 MiB memory, 2 iterations, 1 lane.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Local additions to the common-password list: what people in this office would try first. */
const LOCAL_COMMON = [
  'bismillah',
  'indonesia',
  'indonesiaraya',
  'merdeka',
  'rahasia',
  'rahasiaku',
  'sayang',
  'sayangku',
  'katasandi',
  'dkisp',
  'diskominfo',
  'kominfo',
  'loket',
  'pemkab',
  'administrator',
];

let commonSet: Set<string> | undefined;

function commonPasswords(): Set<string> {
  if (!commonSet) {
    const list = (dictionary as Record<string, string[]>)['passwords-common'] ?? [];
    commonSet = new Set([...list, ...LOCAL_COMMON].map((p) => p.toLowerCase()));
  }
  return commonSet;
}

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_COMMON' | 'CONTAINS_USERNAME';

/**
 * Checks a new password against the policy. "Common" also catches the usual decorations of a
 * common word: a common password followed by digits/punctuation, or the year, is still common.
 */
export function passwordProblems(
  password: string,
  policy: { minLength: number },
  username?: string,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < policy.minLength) problems.push('TOO_SHORT');
  if (password.length > 256) problems.push('TOO_LONG');
  const lower = password.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  const set = commonPasswords();
  if (set.has(lower) || (core.length > 0 && set.has(core)) || /^(.)\1*$/u.test(lower)) {
    problems.push('TOO_COMMON');
  }
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    problems.push('CONTAINS_USERNAME');
  }
  return problems;
}

/** Throws PASSWORD_TOO_WEAK naming `field` (the form field the password was typed in). */
export function assertPasswordPolicy(
  password: string,
  policy: { minLength: number },
  username?: string,
  field = 'password',
): void {
  const reasons = passwordProblems(password, policy, username);
  if (reasons.length > 0) {
    throw new AppError('PASSWORD_TOO_WEAK', `Password does not meet the policy: ${reasons.join(', ')}`, {
      details: {
        reasons,
        minLength: policy.minLength,
        fields: [{ path: field, message: reasons.join(', ') }],
      },
    });
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Verifies against a throw-away hash so an unknown username costs as much time as a known one. */
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('loket-dummy-password-never-used');
  await verifyPassword(await dummyHash, password);
}

/** A strong random password for first start and resets: 20 characters from an unambiguous alphabet. */
export function generatePassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = '';
  for (const b of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : generatePassword(length);
}

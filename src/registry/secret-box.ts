import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Secrets kept in the registry (database passwords) are sealed with AES-256-GCM under a key from
// configuration, so a copy of the database alone does not give them away.

const VERSION = 'v1';

/**
 * The key: LOKET_SECRET_KEY when set, else `<dataDir>/secret.key`, generated once (mode 0600).
 * Losing that file makes the stored passwords unreadable, so back it up with the data.
 */
export function loadSecretKey(options: { secretKey: string | undefined; dataDir: string }): Buffer {
  if (options.secretKey) return decodeKey(options.secretKey, 'LOKET_SECRET_KEY');
  const file = path.join(options.dataDir, 'secret.key');
  try {
    return decodeKey(fs.readFileSync(file, 'utf8').trim(), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  try {
    // 'wx': two processes starting at once must not each write their own key.
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return decodeKey(fs.readFileSync(file, 'utf8').trim(), file);
  }
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${where}: the secret key must be 32 bytes in base64`);
  return key;
}

/** Seals `plain` as `v1:<iv>:<tag>:<ciphertext>` (base64 parts); `context` binds it to its record. */
export function seal(key: Buffer, plain: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64'),
    cipher.getAuthTag().toString('base64'),
    body.toString('base64'),
  ].join(':');
}

/** Opens what {@link seal} made with the same key and context; throws when anything differs. */
export function open(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAnonymousAudit, recordAudit } from '../audit/audit.service.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor, Ctx, RequestMeta } from '../shared/context.ts';
import { findUserByUsername, updateUser } from '../users/user.repository.ts';
import type { Me } from '../users/user.schemas.ts';
import { presentMe } from '../users/user.service.ts';
import {
  clearUsernameFailures,
  dbNow,
  insertLoginFailure,
  lockLoginKey,
  recentFailures,
} from './login-failure.repository.ts';
import { assertPasswordPolicy, burnVerifyTime, hashPassword, verifyPassword } from './password.ts';
import {
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  insertSession,
  type SessionUser,
  touchSession,
} from './session.repository.ts';

export type AuthConfig = Pick<Config, 'session' | 'loginThrottle' | 'passwordPolicy'>;

/** A signed-in request: the actor for services and the profile for `/api/auth/me`. */
export type Authenticated = { sessionId: string; actor: Actor; me: Me };

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function present(s: SessionUser): Authenticated {
  return {
    sessionId: s.session_id,
    actor: { id: s.id, username: s.username, roles: s.roles, opdId: s.opd_id },
    me: presentMe(s),
  };
}

// Touch the idle clock at most once a minute: one write per minute per session, not per request.
const TOUCH_EVERY_MS = 60_000;

/** Resolves a cookie token to its live session, or null. */
export async function authenticate(
  db: Kysely<Database>,
  token: string,
  cfg: AuthConfig,
): Promise<Authenticated | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const s = await findLiveSession(db, tokenHash(token), cfg.session.idleMinutes);
  if (!s) return null;
  if (Date.now() - s.last_seen_at.getTime() > TOUCH_EVERY_MS) await touchSession(db, s.session_id);
  return present(s);
}

async function openSession(
  trx: Kysely<Database>,
  userId: string,
  meta: RequestMeta,
  cfg: AuthConfig,
): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const id = tokenHash(token);
  await insertSession(trx, {
    id,
    userId,
    absoluteHours: cfg.session.absoluteHours,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return { token, sessionId: id };
}

/** Seconds until a key with these failures (newest first) is unlocked, or 0 if it is not locked. */
function lockedFor(failures: Date[], max: number, windowMinutes: number, now: Date): number {
  if (failures.length < max) return 0;
  const oldestCounted = failures[max - 1] as Date;
  return Math.max(1, Math.ceil((oldestCounted.getTime() + windowMinutes * 60_000 - now.getTime()) / 1000));
}

async function lockState(
  trx: Kysely<Database>,
  username: string,
  ip: string,
  cfg: AuthConfig,
): Promise<number> {
  const { maxFailures, maxFailuresPerAddress, windowMinutes } = cfg.loginThrottle;
  const [byUser, byIp, now] = await Promise.all([
    recentFailures(trx, { username }, windowMinutes, maxFailures),
    recentFailures(trx, { ip }, windowMinutes, maxFailuresPerAddress),
    dbNow(trx),
  ]);
  return Math.max(
    lockedFor(byUser, maxFailures, windowMinutes, now),
    lockedFor(byIp, maxFailuresPerAddress, windowMinutes, now),
  );
}

function tooMany(seconds: number): AppError {
  return new AppError('TOO_MANY_ATTEMPTS', 'Too many failed password attempts. Try again later.', {
    details: { retryAfterSeconds: seconds },
    headers: { 'retry-after': String(seconds) },
  });
}

/**
 * Signs a user in. The answer for an unknown user, a wrong password, a deactivated user or an
 * inactive OPD is the same, and takes as long. Failures are counted per username and per address;
 * at the limit the key is locked for the rest of the window, even for the right password.
 * Manages its own transactions: a failure must be recorded although the request fails.
 */
export async function login(
  db: Kysely<Database>,
  input: { username: string; password: string; previousToken?: string | undefined },
  meta: RequestMeta,
  cfg: AuthConfig,
): Promise<{ token: string; auth: Authenticated }> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const ip = meta.ip ?? 'unknown';

  const lockedBefore = await db.transaction().execute((trx) => lockState(trx, username, ip, cfg));
  if (lockedBefore > 0) throw tooMany(lockedBefore);

  // The expensive hash check runs outside any transaction: it holds no connection or lock.
  const user = await findUserByUsername(db, username);
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, input.password);
  else await burnVerifyTime(input.password);
  const usable = ok && user?.active === true && user.opd_active !== false;

  const outcome = await db.transaction().execute(async (trx) => {
    await lockLoginKey(trx, username);
    // Re-check under the lock: parallel attempts cannot slip past the limit.
    const locked = await lockState(trx, username, ip, cfg);
    if (locked > 0) return { kind: 'locked' as const, seconds: locked };
    if (!usable || !user) {
      await insertLoginFailure(trx, username, ip);
      const reason = !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive';
      await recordAnonymousAudit(trx, meta, {
        action: 'auth.login_failed',
        actorUsername: username,
        details: { reason },
      });
      return { kind: 'failed' as const };
    }
    await clearUsernameFailures(trx, username);
    if (input.previousToken) await deleteSession(trx, tokenHash(input.previousToken));
    const { token, sessionId } = await openSession(trx, user.id, meta, cfg);
    await updateUser(trx, user.id, { last_login_at: new Date() });
    await recordAudit(
      trx,
      { actor: { id: user.id, username: user.username, roles: user.roles, opdId: null }, meta },
      { action: 'auth.login', entityType: 'user', entityId: user.id },
    );
    const s = await findLiveSession(trx, sessionId, cfg.session.idleMinutes);
    if (!s) throw new Error('new session not found');
    return { kind: 'ok' as const, token, auth: present(s) };
  });
  if (outcome.kind === 'locked') throw tooMany(outcome.seconds);
  if (outcome.kind === 'failed') throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
  return { token: outcome.token, auth: outcome.auth };
}

export async function logout(
  trx: Kysely<Database>,
  auth: Authenticated | null,
  meta: RequestMeta,
): Promise<void> {
  if (!auth) return;
  await deleteSession(trx, auth.sessionId);
  await recordAudit(
    trx,
    { actor: auth.actor, meta },
    { action: 'auth.logout', entityType: 'user', entityId: auth.actor.id },
  );
}

/**
 * A user changes its own password: the current one is checked, every session of the user ends,
 * and a fresh session is opened for the request that made the change. A wrong current password
 * counts as a failed sign-in (per username and per address, same limits and lock): a stolen
 * session must not become a way to guess the password without limit.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string },
  ctx: Ctx,
  cfg: AuthConfig,
): Promise<{ token: string }> {
  const username = auth.actor.username;
  const ip = ctx.meta.ip ?? 'unknown';
  const lockedBefore = await db.transaction().execute((trx) => lockState(trx, username, ip, cfg));
  if (lockedBefore > 0) throw tooMany(lockedBefore);

  // As at sign-in, the hash check holds no connection or lock.
  const user = await findUserByUsername(db, username);
  const ok = user ? await verifyPassword(user.password_hash, input.currentPassword) : false;
  if (!ok || !user) {
    const locked = await db.transaction().execute(async (trx) => {
      await lockLoginKey(trx, username);
      const locked = await lockState(trx, username, ip, cfg);
      if (locked > 0) return locked;
      await insertLoginFailure(trx, username, ip);
      await recordAudit(trx, ctx, {
        action: 'auth.password_change_failed',
        entityType: 'user',
        entityId: auth.actor.id,
      });
      return 0;
    });
    if (locked > 0) throw tooMany(locked);
    throw new AppError('PASSWORD_INCORRECT', 'The current password is not correct', {
      details: { fields: [{ path: 'currentPassword', message: 'not correct' }] },
    });
  }
  assertPasswordPolicy(input.newPassword, cfg.passwordPolicy, user.username, 'newPassword');
  const hash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await lockLoginKey(trx, username);
    // Re-check under the lock: failures recorded in parallel lock even the right password.
    const locked = await lockState(trx, username, ip, cfg);
    if (locked > 0) throw tooMany(locked);
    await clearUsernameFailures(trx, username);
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: new Date() });
    await deleteUserSessions(trx, user.id);
    const { token } = await openSession(trx, user.id, ctx.meta, cfg);
    await recordAudit(trx, ctx, { action: 'auth.password_change', entityType: 'user', entityId: user.id });
    return { token };
  });
}

import { parseArgs } from 'node:util';
import { recordAudit } from './audit/audit.service.ts';
import { assertPasswordPolicy, generatePassword, hashPassword } from './auth/password.ts';
import { deleteUserSessions } from './auth/session.repository.ts';
import { ensureFirstAdmin, firstAdminNotice } from './bootstrap.ts';
import { makeCaseDeps } from './cases/make-case-deps.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb, type Db } from './db/create-db.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from './demo/seed-demo.ts';
import { AppError } from './errors.ts';
import { startLoket } from './main.ts';
import { systemCtx } from './shared/context.ts';
import { LocalFileStore } from './storage/file-store.ts';
import { storageSettings } from './storage/settings.ts';
import { findUserByUsername, insertUser, lockUsernames, updateUser } from './users/user.repository.ts';
import { usernameSchema } from './users/user.schemas.ts';

const USAGE = `Usage: npm run loket -- <command> [options]

Commands:
  start                              start the server (same as npm start)
  migrate                            bring the database schema up to date
  create-admin <username> [--full-name NAME] [--password-stdin]
                                     create an administrator
  reset-password <username> [--password-stdin]
                                     set a new password and end the user's sessions
  seed-demo                          fill an empty installation with demo OPDs, users and cases
                                     (creates the first administrator too, as the first start would)

Without --password-stdin a strong password is generated and printed once.
Configuration comes from the environment (see README).`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Opens the configured database, brings it up to date, and runs `fn` with it. */
async function withDb<T>(fn: (db: Db, applied: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const handle = await createDb(config);
  try {
    const applied = await migrateToLatest(handle.db);
    return await fn(handle.db, applied);
  } finally {
    await handle.close();
  }
}

async function newPassword(
  useStdin: boolean,
  username: string,
): Promise<{ password: string; generated: boolean }> {
  const config = loadConfig(process.env);
  const password = useStdin ? await readStdin() : generatePassword();
  assertPasswordPolicy(password, config.passwordPolicy, username);
  return { password, generated: !useStdin };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'full-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (!command || values.help || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'start': {
      const loket = await startLoket({ env: process.env });
      console.log(
        `Loket siap / ready: ${loket.url}  (database: ${loket.handle.kind === 'pglite' ? loket.config.dataDir : 'PostgreSQL'})`,
      );
      const stop = async (signal: string) => {
        loket.app.log.info(`${signal}: shutting down`);
        await loket.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return -1;
    }
    case 'migrate': {
      const applied = await withDb(async (_db, done) => done);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    case 'create-admin': {
      const username = usernameSchema.parse(positionals[0] ?? '');
      const { password, generated } = await newPassword(values['password-stdin'] === true, username);
      const hash = await hashPassword(password);
      await withDb((db) =>
        db.transaction().execute(async (trx) => {
          await lockUsernames(trx);
          if (await findUserByUsername(trx, username))
            throw new AppError('USERNAME_TAKEN', `${username} already exists`);
          const id = await insertUser(trx, {
            username,
            full_name: values['full-name'] ?? 'Administrator',
            roles: ['admin'],
            password_hash: hash,
          });
          await recordAudit(trx, systemCtx('cli'), {
            action: 'user.create',
            entityType: 'user',
            entityId: id,
            details: { username, roles: ['admin'] },
          });
        }),
      );
      console.log(`Administrator ${username} created.${generated ? ` Password: ${password}` : ''}`);
      return 0;
    }
    case 'reset-password': {
      const username = usernameSchema.parse(positionals[0] ?? '');
      const { password, generated } = await newPassword(values['password-stdin'] === true, username);
      const hash = await hashPassword(password);
      await withDb((db) =>
        db.transaction().execute(async (trx) => {
          const user = await findUserByUsername(trx, username);
          if (!user) throw new AppError('NOT_FOUND', `No user ${username}`);
          await updateUser(trx, user.id, { password_hash: hash, password_changed_at: new Date() });
          await deleteUserSessions(trx, user.id);
          await recordAudit(trx, systemCtx('cli'), {
            action: 'user.set_password',
            entityType: 'user',
            entityId: user.id,
          });
        }),
      );
      console.log(
        `Password of ${username} reset; its sessions have ended.${generated ? ` New password: ${password}` : ''}`,
      );
      return 0;
    }
    case 'seed-demo': {
      const config = loadConfig(process.env);
      const result = await withDb(async (db) => {
        // Before the first start the demo must not take the first administrator's place: create
        // it exactly as the first start would (the start then finds users and creates none).
        const first = await ensureFirstAdmin(db, config.admin, config.passwordPolicy);
        if (first.generatedPassword) {
          for (const line of firstAdminNotice(config.admin.username, first.generatedPassword))
            console.log(line);
        }
        const settings = storageSettings(config);
        const deps = await makeCaseDeps(db, config, new LocalFileStore(settings.filesDir));
        return seedDemo(db, deps, settings.tmpDir);
      });
      console.log(
        `Demo data: ${result.cases} cases; users (password ${DEMO_PASSWORD}): ${result.users.join(', ')}`,
      );
      return 0;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DataDirLockedError) console.error(err.message);
    else if (err instanceof AppError) console.error(`${err.code}: ${err.message}`);
    else if (err && typeof err === 'object' && 'issues' in err)
      console.error(`Invalid argument: ${String((err as { message?: unknown }).message)}`);
    else console.error(err);
    process.exit(1);
  },
);

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      admin: { username: 'admin', password: undefined },
      passwordPolicy: { minLength: 12 },
      session: { idleMinutes: 30, absoluteHours: 12 },
      loginThrottle: { maxFailures: 5, maxFailuresPerAddress: 5, windowMinutes: 15 },
    });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        LOKET_LOG_LEVEL: 'loud',
        LOKET_ADMIN_USERNAME: 'Bad Name',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'DATABASE_URL', 'LOKET_LOG_LEVEL', 'LOKET_ADMIN_USERNAME'])
        expect(problems).toContain(key);
    }
  });

  it('treats empty values as unset and rejects a too short admin password', () => {
    expect(loadConfig({ PORT: '', HOST: '' }).port).toBe(3000);
    expect(() => loadConfig({ LOKET_ADMIN_PASSWORD: 'short' })).toThrow(/LOKET_ADMIN_PASSWORD/);
  });

  it('reads PostgreSQL and origins', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      LOKET_ALLOWED_ORIGINS: 'https://a.example/, https://b.example:8443',
    });
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
  });
});

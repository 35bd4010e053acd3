import { describe, expect, it } from 'vitest';
import { markDatabaseUnavailable } from '../../db/create-db.ts';
import { toErrorBody } from './errors.ts';

// Which errors mean "the database is away" (503 DB_UNAVAILABLE, Retry-After) and which stay 500.

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database-unavailable errors', () => {
  it.each([
    ['admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', withCode('57P02')],
    ['cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['connection failure', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['refused, from the database pool', markDatabaseUnavailable(withCode('ECONNREFUSED'))],
  ])('%s → 503 DB_UNAVAILABLE with Retry-After', (_what, err) => {
    const out = toErrorBody(err);
    expect(out.status).toBe(503);
    expect(out.body.error.code).toBe('DB_UNAVAILABLE');
    expect(out.headers?.['retry-after']).toMatch(/^\d+$/);
  });

  it.each([
    ['a refused socket of another server', withCode('ECONNREFUSED')],
    ['a unique violation', withCode('23505')],
    ['a bug', new TypeError('x is undefined')],
  ])('%s is not', (_what, err) => {
    expect(toErrorBody(err).body.error.code).not.toBe('DB_UNAVAILABLE');
  });
});

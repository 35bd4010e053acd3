import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/index.ts';
import { actionName, changedFields, readable } from './history.ts';
import {
  blockStart,
  cidr,
  inBlock,
  ipList,
  ipProblem,
  optionalDbName,
  optionalLabel,
  reasonText,
  stepAddress,
  usagePercent,
} from './rules.ts';
import { poolSearch, websiteSearch } from './search.ts';

// The app's i18n module touches `document` and `localStorage`: under node a plain i18next instance with
// the app's own messages stands in for it.
vi.mock('../../i18n/index.ts', async () => {
  const { createInstance } = await import('i18next');
  const { default: id } = await import('../../i18n/id.ts');
  const { default: en } = await import('../../i18n/en.ts');
  const instance = createInstance();
  await instance.init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: 'id',
    fallbackLng: 'id',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const currentLanguage = () => (instance.language === 'en' ? 'en' : 'id');
  return {
    default: instance,
    currentLanguage,
    currentLocale: () => (currentLanguage() === 'en' ? 'en-GB' : 'id-ID'),
  };
});

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe('name rules in the user language', () => {
  it('explains a bad subdomain label the way the server would refuse it', () => {
    expect(optionalLabel('')).toBeNull();
    expect(optionalLabel('dinkes')).toBeNull();
    expect(optionalLabel('Dinkes')).toBe('Gunakan huruf kecil.');
    expect(optionalLabel('dinkes.web')).toMatch(/^Tanpa titik/);
    expect(optionalLabel('-dinkes')).toBe('Tidak boleh diawali atau diakhiri tanda hubung.');
    expect(optionalLabel('din kes')).toBe('Hanya huruf kecil a–z, angka 0–9, dan tanda hubung.');
    expect(optionalLabel('a'.repeat(64))).toBe('Paling banyak 63 karakter.');
  });

  it('translates the server’s reasons: reserved, taken, held until a date', () => {
    expect(reasonText('The name is not allowed: "www" is a reserved name')).toBe(
      'Nama ini dicadangkan dan tidak dapat dipakai.',
    );
    // "in use or reserved" is a taken name, not a reserved label.
    expect(reasonText('dinkes.contoh.go.id is already in use or reserved')).toBe('Nama ini sudah dipakai.');
    expect(reasonText('dinkes.contoh.go.id is held after its website was retired, until 2026-12-28')).toMatch(
      /ditahan \(karantina\) sampai 28 Desember 2026/,
    );
    expect(reasonText('The name is not allowed: label 1: upper case letters: use lower case')).toBe(
      'Gunakan huruf kecil.',
    );
    expect(reasonText('something new')).toBe('something new');
  });

  it('checks database names', () => {
    expect(optionalDbName('')).toBeNull();
    expect(optionalDbName('dinkes_web')).toBeNull();
    expect(optionalDbName('1web')).toBe('Harus diawali huruf a–z.');
    expect(optionalDbName('web-db')).toBe('Hanya huruf kecil a–z, angka 0–9, dan garis bawah.');
  });
});

describe('address rules', () => {
  it('asks for the canonical form the server insists on', () => {
    expect(ipProblem('203.0.113.5')).toBeNull();
    expect(ipProblem('2001:db8::1')).toBeNull();
    expect(ipProblem('2001:0db8:0:0::1')).toBe('Tulis dalam bentuk baku: 2001:db8::1');
    expect(ipProblem('203.0.113.256')).toBe('Bukan alamat IPv4 atau IPv6 yang benar.');
    expect(ipList(['203.0.113.5', '203.0.113.5'])).toBe('Ada alamat yang ditulis dua kali.');
    expect(ipList(['203.0.113.5', 'x'])).toMatch(/^x: /);
  });

  it('checks a CIDR block and addresses inside it', () => {
    expect(cidr('203.0.113.0/24')).toBeNull();
    expect(cidr('')).toBe('validation.required');
    expect(cidr('203.0.113.0')).toMatch(/blok CIDR/);
    expect(cidr('203.0.113.5/24')).toMatch(/alamat jaringannya/);
    expect(inBlock('203.0.113.1', '203.0.113.0/24')).toBeNull();
    expect(inBlock('198.51.100.1', '203.0.113.0/24')).toBe(
      'Alamat ini tidak berada di dalam 203.0.113.0/24.',
    );
    expect(inBlock('203.0.113.255', '203.0.113.0/24')).toBe(
      'Alamat jaringan atau broadcast tidak dapat dipakai.',
    );
  });

  it('pages the address map and measures use, IPv6 included', () => {
    expect(blockStart('203.0.113.0/24')).toBe('203.0.113.0');
    expect(stepAddress('203.0.113.0', 256, '203.0.113.0', '203.0.114.255')).toBe('203.0.114.0');
    expect(stepAddress('203.0.113.128', -256, '203.0.113.0', '203.0.113.255')).toBe('203.0.113.0');
    expect(stepAddress('2001:db8::100', -256, '2001:db8::', '2001:db8::ffff')).toBe('2001:db8::');
    expect(usagePercent(127, '254')).toBeCloseTo(50, 0);
    expect(usagePercent(5, '18446744073709551616')).toBeGreaterThan(0);
    expect(usagePercent(5, '18446744073709551616')).toBeLessThan(0.001);
    expect(usagePercent(1, 'not a number')).toBe(0);
  });
});

describe('history', () => {
  it('names actions, in either language', async () => {
    expect(actionName('website.status.retired')).toBe('Dipensiunkan');
    expect(actionName('website.ip_allocated')).toBe('Alamat IP diberikan');
    expect(actionName('website.something_new')).toBe('website.something_new');
    await i18n.changeLanguage('en');
    expect(actionName('website.create')).toBe('Created');
  });

  it('lists what changed, field by field inside groups, without identifiers', () => {
    const before = {
      status: 'active',
      database: { engine: 'mariadb', name: 'old_db', passwordSet: false },
      server: { id: 's1', name: 'web-01' },
      version: 3,
      poolId: 'p1',
    };
    const after = {
      status: 'suspended',
      database: { engine: 'mariadb', name: 'new_db', passwordSet: true },
      server: { id: 's2', name: 'web-02' },
      version: 4,
      poolId: 'p2',
    };
    const changes = changedFields(before, after);
    expect(changes.map((c) => c.field)).toEqual([
      'status',
      'database.name',
      'database.passwordSet',
      'server',
    ]);
    expect(readable(after.status, 'status')).toBe('Ditangguhkan');
    expect(readable(after.server, 'server')).toBe('web-02');
    expect(readable(true, 'database.passwordSet')).toBe('Ya');
    expect(readable(['web', 'dns'], 'roles')).toBe('Web, DNS');
    expect(readable(null)).toBe('—');
  });

  it('a created record has no before: every filled field is new, empty ones are left out', () => {
    const changes = changedFields(null, { hostname: 'a.b.go.id', contact: { name: 'Budi', nip: null } });
    expect(changes).toEqual([
      { field: 'hostname', before: undefined, after: 'a.b.go.id' },
      { field: 'contact.name', before: undefined, after: 'Budi' },
    ]);
  });
});

describe('search parameters', () => {
  it('keeps what the list understands and drops the rest', () => {
    expect(
      websiteSearch({
        q: '  dinkes ',
        status: 'retired',
        opdId: 'not-a-uuid',
        sort: 'tlsExpiresAt',
        dir: 'sideways',
        page: '3',
      }),
    ).toEqual({
      q: 'dinkes',
      status: 'retired',
      opdId: undefined,
      serverId: undefined,
      sort: 'tlsExpiresAt',
      dir: undefined,
      page: 3,
    });
    expect(poolSearch({ from: '203.0.113.0', used: 'true' })).toEqual({ from: '203.0.113.0', used: true });
    expect(poolSearch({ from: '<script>', used: 'no' })).toEqual({ from: undefined, used: undefined });
  });
});

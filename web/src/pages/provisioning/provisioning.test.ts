import { afterEach, describe, expect, it, vi } from 'vitest';
import { canRollback, durationMs, kindsFor } from '../../api/provisioning.ts';
import i18n from '../../i18n/index.ts';
import {
  changeKindText,
  changeTargetText,
  formatDuration,
  planBlock,
  resultFacts,
  skipText,
  warningText,
} from './planText.ts';
import {
  fieldOfPath,
  type SettingsValues,
  toInput,
  validateSettings,
  valuesFrom,
} from './serverSettingsForm.ts';

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

const NO_SECRETS = { dnsKey: false, dbAdminPassword: false, sshPrivateKey: false };
const FINGERPRINT = 'uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

describe('which runs a website may have', () => {
  it('follows the server: planned and active install, active suspends, suspended resumes, retired nothing', () => {
    expect(kindsFor('planned')).toEqual(['install', 'retire']);
    expect(kindsFor('active')).toEqual(['install', 'suspend', 'retire']);
    expect(kindsFor('suspended')).toEqual(['resume', 'retire']);
    expect(kindsFor('retired')).toEqual([]);
  });

  it('offers a rollback only for an installation that is over', () => {
    expect(canRollback({ kind: 'install', status: 'done' })).toBe(true);
    expect(canRollback({ kind: 'install', status: 'failed' })).toBe(true);
    expect(canRollback({ kind: 'install', status: 'running' })).toBe(false);
    expect(canRollback({ kind: 'suspend', status: 'done' })).toBe(false);
    expect(canRollback({ kind: 'rollback', status: 'failed' })).toBe(false);
  });

  it('measures a duration, and none before the start', () => {
    expect(durationMs('2026-01-01T00:00:00Z', '2026-01-01T00:01:05Z')).toBe(65_000);
    expect(durationMs(null, '2026-01-01T00:01:05Z')).toBeNull();
    expect(durationMs('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:02Z'))).toBe(2000);
    expect(formatDuration(300)).toBe('< 1 dtk');
    expect(formatDuration(42_000)).toBe('42 dtk');
    expect(formatDuration(185_000)).toBe('3 mnt 5 dtk');
  });
});

describe("the plan's words", () => {
  it('translates the known reasons, warnings, kinds and targets, and keeps anything else as it came', () => {
    expect(skipText('no name server for the zone')).toBe(
      'zona ini tidak punya server DNS dengan pembaruan dinamis',
    );
    expect(skipText('ACME is not configured (LOKET_ACME_DIRECTORY_URL)')).toContain('ACME belum');
    expect(skipText('something new')).toBe('something new');
    expect(
      warningText(
        'The zone example-kab.go.id has no name server with dynamic update settings: the DNS record is skipped',
      ),
    ).toBe(
      'Zona example-kab.go.id tidak punya server DNS dengan pengaturan pembaruan dinamis: catatan DNS dilewati.',
    );
    expect(warningText('No source archive from a build step: the document root stays as it is')).toContain(
      'Belum ada arsip kode sumber',
    );
    expect(changeKindText('mariadb database')).toBe('basis data mariadb');
    expect(changeKindText('files from situs.zip (WEB-2026-0001)')).toBe(
      'berkas dari situs.zip (WEB-2026-0001)',
    );
    expect(changeKindText('certificate (ACME http-01, acme.example)')).toBe(
      'sertifikat (ACME http-01, acme.example)',
    );
    expect(changeKindText('DNS A')).toBe('DNS A');
    expect(changeTargetText('http://dinkes.example-kab.go.id/ at 203.0.113.7')).toBe(
      'http://dinkes.example-kab.go.id/ di 203.0.113.7',
    );
    expect(changeTargetText('/etc/apache2/sites-enabled/dinkes.conf')).toBe(
      '/etc/apache2/sites-enabled/dinkes.conf',
    );
  });

  it('reads in English when the user chose English', async () => {
    await i18n.changeLanguage('en');
    expect(changeKindText('apache2 -t, graceful reload')).toBe('apache2 -t, graceful reload');
    expect(changeTargetText('203.0.113.7 (dedicated)')).toBe('203.0.113.7 (dedicated)');
    expect(formatDuration(42_000)).toBe('42 s');
  });

  it('says what a step found or made, and whatever else it recorded', () => {
    expect(resultFacts({ records: { 'dinkes.example-kab.go.id': 'created', 'www.x': 'exists' } })).toEqual([
      'dinkes.example-kab.go.id: dibuat',
      'www.x: sudah ada',
    ]);
    expect(resultFacts({ files: 3, bytes: 2048, from: 'situs.zip' })).toEqual([
      '3 berkas (2 KB) dari situs.zip',
    ]);
    expect(resultFacts({ status: 200, url: 'http://a.b/', bytes: 10, matched: true })).toEqual([
      'HTTP 200 dari http://a.b/',
      'Halaman utama sama dengan yang dipasang',
    ]);
    expect(resultFacts({ skipped: 'no source archive' })).toEqual(['Dilewati: belum ada arsip kode sumber']);
    expect(resultFacts({ vhost: 'unchanged', extra: 7 })).toEqual([
      'Virtual host: tidak berubah',
      'extra: 7',
    ]);
    expect(resultFacts({ issuer: 'Pebble', notAfter: '2027-01-01T00:00:00.000Z' })[0]).toMatch(
      /^Sertifikat dari Pebble, berlaku sampai .*2027/,
    );
    expect(resultFacts(null)).toEqual([]);
  });

  it('says what blocks a plan and where to fix it', () => {
    expect(
      planBlock('STATUS_TRANSITION', 'The server has no Apache settings (Registri › Server › Provisioning)', [
        { path: 'serverId' },
      ]),
    ).toEqual({
      message: 'Server website ini belum punya pengaturan Apache untuk provisioning.',
      fix: 'server',
    });
    expect(
      planBlock('STATUS_TRANSITION', 'The website has no IP address yet', [{ path: 'ipAddress' }]),
    ).toEqual({
      message: 'Website ini belum punya alamat IP.',
      fix: 'website',
    });
    expect(
      planBlock('STATUS_TRANSITION', 'A retired website cannot be given a install run', undefined).fix,
    ).toBe(null);
    expect(
      planBlock('LOCAL_ACCESS_DISABLED', 'The server web-01 is reached locally …', [{ path: 'serverId' }]),
    ).toEqual({
      message:
        'Server website ini dijangkau secara lokal, tetapi instalasi Loket ini tidak mengaktifkan akses lokal. Beri server ini akses SSH.',
      fix: 'server',
    });
  });
});

function values(patch: Partial<SettingsValues> = {}): SettingsValues {
  return { ...valuesFrom(undefined), ...patch };
}

describe('the server settings form', () => {
  it('switches on what the roles of a server with nothing stored say it runs', () => {
    const fresh = valuesFrom(undefined, ['web', 'database']);
    expect([fresh.apacheOn, fresh.dnsOn, fresh.dbOn]).toEqual([true, false, true]);
    const stored = valuesFrom(
      {
        access: { kind: 'local' },
        settings: { dns: { host: '192.0.2.53', port: 53, keyName: 'loket-key' } },
        secretsSet: { ...NO_SECRETS, dnsKey: true },
        localAccess: { enabled: false, apache: null },
      },
      ['web', 'dns'],
    );
    expect([stored.apacheOn, stored.dnsOn, stored.dbOn]).toEqual([false, true, false]);
    expect(stored.dnsHost).toBe('192.0.2.53');
  });

  it('checks what the API checks, field by field', () => {
    const ssh = { accessKind: 'ssh' as const, sshHost: '192.0.2.10', sshUser: 'loket', hostKey: FINGERPRINT };
    const key = { ...NO_SECRETS, sshPrivateKey: true };
    expect(validateSettings(values({ ...ssh, apacheOn: true }), key)).toEqual({});
    const bad = validateSettings(
      values({
        ...ssh,
        apacheOn: true,
        sitesDir: '/etc/apache2/../x',
        httpPort: '70000',
        listenAddress: 'everywhere',
        dnsOn: true,
        dnsHost: '192.0.2.999',
        keyName: 'Loket Key',
        dbOn: true,
        dbHost: '',
        adminUser: '1admin',
        dnsKey: 'short',
      }),
      key,
    );
    expect(bad).toEqual({
      sitesDir: 'provisioning.rules.dir',
      httpPort: 'provisioning.rules.port',
      listenAddress: 'provisioning.rules.listen',
      dnsHost: 'provisioning.rules.ip',
      keyName: 'provisioning.rules.keyName',
      dnsKey: 'provisioning.rules.dnsKey',
      dbHost: 'validation.required',
      adminUser: 'provisioning.rules.adminUser',
    });
  });

  it('asks ssh access for a key unless one is stored (and kept)', () => {
    const ssh = values({ accessKind: 'ssh', sshHost: '192.0.2.10', sshUser: 'loket', hostKey: FINGERPRINT });
    expect(validateSettings(ssh, NO_SECRETS)).toEqual({ sshKey: 'provisioning.rules.sshKeyRequired' });
    expect(validateSettings(ssh, { ...NO_SECRETS, sshPrivateKey: true })).toEqual({});
    expect(validateSettings({ ...ssh, sshKeyClear: true }, { ...NO_SECRETS, sshPrivateKey: true })).toEqual({
      sshKey: 'provisioning.rules.sshKeyRequired',
    });
    expect(validateSettings({ ...ssh, sshKey: 'not a key' }, NO_SECRETS)).toEqual({
      sshKey: 'provisioning.rules.sshKey',
    });
    expect(
      validateSettings(
        { ...ssh, hostKey: `256 SHA256:${FINGERPRINT} root@web01 (ED25519)` },
        {
          ...NO_SECRETS,
          sshPrivateKey: true,
        },
      ),
    ).toEqual({});
  });

  it('sends only the parts switched on, numbers as numbers, and secrets only when typed or removed', () => {
    const body = toInput(
      values({
        accessKind: 'ssh',
        sshHost: '192.0.2.10',
        sshPort: '2222',
        sshUser: 'loket',
        hostKey: `SHA256:${FINGERPRINT}`,
        apacheOn: true,
        dnsOn: false,
        dbOn: true,
        engine: 'postgresql',
        dbHost: '192.0.2.30',
        dbPort: '5432',
        adminUser: 'loket',
        maintenanceDb: 'postgres',
        dnsKeyClear: true,
        dbPassword: 'rahasia',
        reason: '  ',
      }),
    );
    expect(body.access).toEqual({
      kind: 'ssh',
      host: '192.0.2.10',
      port: 2222,
      username: 'loket',
      hostKeySha256: FINGERPRINT,
    });
    expect(body.settings.dns).toBeUndefined();
    expect(body.settings.apache?.httpPort).toBe(80);
    expect(body.settings.database).toEqual({
      engine: 'postgresql',
      host: '192.0.2.30',
      port: 5432,
      adminUser: 'loket',
      maintenanceDb: 'postgres',
    });
    expect(body.secrets).toEqual({ dnsKey: null, dbAdminPassword: 'rahasia' });
    expect(body.reason).toBeUndefined();
  });

  it("sends no Apache settings for a local server: its Apache is the installation's own", () => {
    const body = toInput(values({ accessKind: 'local', apacheOn: true, sitesDir: '/srv/sites' }));
    expect(body.access).toEqual({ kind: 'local' });
    expect(body.settings.apache).toBeUndefined();
    // Nothing of a local server's Apache is checked in the form either: there is nothing to type.
    expect(
      validateSettings(values({ accessKind: 'local', apacheOn: true, sitesDir: 'relative' }), NO_SECRETS),
    ).toEqual({});
    // The program and its configuration file are no settings at all.
    expect(
      Object.keys(toInput(values({ accessKind: 'ssh', apacheOn: true })).settings.apache ?? {}),
    ).not.toContain('configFile');
    expect(fieldOfPath('settings.apache.binary')).toBeUndefined();
  });

  it("places the API's field paths on the form's fields", () => {
    expect(fieldOfPath('settings.apache.sitesDir')).toBe('sitesDir');
    expect(fieldOfPath('settings.dns.host')).toBe('dnsHost');
    expect(fieldOfPath('settings.database.port')).toBe('dbPort');
    expect(fieldOfPath('access.hostKeySha256')).toBe('hostKey');
    expect(fieldOfPath('secrets.sshPrivateKey')).toBe('sshKey');
    expect(fieldOfPath('settings.apache.unknown')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { checkHostname, checkSubdomainLabel } from '../../../../src/registry/names.ts';
import en from '../../i18n/en.ts';
import id from '../../i18n/id.ts';
import {
  composeHostname,
  formatCount,
  installationAddressProblem,
  labelProblem,
  nameReason,
  splitHostname,
  zonesFromReason,
  zonesOf,
} from './websiteRules.ts';

const ZONES = { zones: ['example-kab.go.id', 'desa.example-kab.go.id'] };

describe('host names in two parts', () => {
  it('splits at the first dot and joins back', () => {
    expect(splitHostname(' dinkes.example-kab.go.id ')).toEqual({
      label: 'dinkes',
      zone: 'example-kab.go.id',
    });
    expect(splitHostname('dinkes')).toEqual({ label: 'dinkes', zone: '' });
    expect(composeHostname('dinkes', 'example-kab.go.id')).toBe('dinkes.example-kab.go.id');
    expect(composeHostname('dinkes', '.example-kab.go.id')).toBe('dinkes.example-kab.go.id');
    expect(composeHostname('dinkes', '')).toBe('');
    expect(composeHostname('', 'example-kab.go.id')).toBe('');
  });

  it('collects the zones of known names once each', () => {
    expect(zonesOf(['a.example-kab.go.id', null, 'b.example-kab.go.id', 'c.lain.id', undefined])).toEqual([
      'example-kab.go.id',
      'lain.id',
    ]);
  });
});

describe('the server’s reasons, as message keys', () => {
  it('reads every reason the registry gives for a name it will not take', () => {
    const reasons: [string, string][] = [
      ['Dinkes.example-kab.go.id', 'upperCase'],
      ['din kes.example-kab.go.id', 'characters'],
      ['-dinkes.example-kab.go.id', 'dash'],
      ['dinkes..example-kab.go.id', 'emptyLabel'],
      ['dinkes.example-kab.go.id.', 'trailingDot'],
      ['.dinkes.example-kab.go.id', 'leadingDot'],
      ['dinkes.contoh.id', 'outsideZones'],
      ['example-kab.go.id', 'zoneItself'],
      ['a.b.example-kab.go.id', 'tooDeep'],
      ['www.example-kab.go.id', 'reserved'],
      [`${'a'.repeat(64)}.example-kab.go.id`, 'tooLong'],
    ];
    for (const [name, key] of reasons) {
      const check = checkHostname(name, ZONES);
      expect(check.ok, name).toBe(false);
      if (check.ok) continue;
      expect(nameReason(check.reason)?.key, `${name}: ${check.reason}`).toBe(key);
    }
    expect(nameReason('dinkes.example-kab.go.id is already in use or reserved')?.key).toBe('taken');
    expect(
      nameReason('dinkes.example-kab.go.id is held after its website was retired, until 2027-02-01'),
    ).toEqual({ key: 'held', params: { date: '2027-02-01' } });
    expect(nameReason('something new')).toBeNull();
  });

  it('learns the managed zones from a name outside them', () => {
    const check = checkHostname('nama', ZONES);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(zonesFromReason(check.reason).sort()).toEqual([...ZONES.zones].sort());
    const none = checkHostname('nama', { zones: [] });
    expect(none.ok ? [] : zonesFromReason(none.reason)).toEqual([]);
    expect(zonesFromReason('dinkes.example-kab.go.id is already in use or reserved')).toEqual([]);
  });

  it('judges a label as the server does', () => {
    for (const label of [
      'dinkes',
      'a',
      'dinas-kesehatan',
      'x1',
      'Dinkes',
      'din_kes',
      '-a',
      'a-',
      'a'.repeat(64),
    ]) {
      const server = checkSubdomainLabel(label);
      expect(labelProblem(label) === null, label).toBe(server.ok);
    }
    expect(labelProblem('')).toBeNull();
  });

  it('has every reason in both dictionaries', () => {
    const keys = Object.keys(id.newCase.nameReasons);
    expect(Object.keys(en.newCase.nameReasons).sort()).toEqual([...keys].sort());
    for (const key of [
      'taken',
      'held',
      'outsideZones',
      'noZones',
      'reserved',
      'tooDeep',
      'zoneItself',
      'upperCase',
      'characters',
      'dash',
      'emptyLabel',
      'trailingDot',
      'leadingDot',
      'tooLong',
      'empty',
    ]) {
      expect(keys).toContain(key);
    }
  });
});

describe('the installation’s address', () => {
  it('wants an address or a pool, unless the website has an address', () => {
    expect(installationAddressProblem({ ipAddress: '', poolId: '', websiteHasAddress: false })).toBe(
      'poolId',
    );
    expect(installationAddressProblem({ ipAddress: '  ', poolId: '', websiteHasAddress: false })).toBe(
      'poolId',
    );
    expect(
      installationAddressProblem({ ipAddress: '203.0.113.9', poolId: '', websiteHasAddress: false }),
    ).toBeNull();
    expect(installationAddressProblem({ ipAddress: '', poolId: 'p', websiteHasAddress: false })).toBeNull();
    expect(installationAddressProblem({ ipAddress: '', poolId: '', websiteHasAddress: true })).toBeNull();
  });

  it('groups large free counts', () => {
    expect(formatCount('253', 'id-ID')).toBe('253');
    expect(formatCount('18446744073709551616', 'en-GB')).toBe('18,446,744,073,709,551,616');
    expect(formatCount('n/a', 'en-GB')).toBe('n/a');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDatabaseName,
  checkDocumentRootPath,
  checkHostname,
  checkSubdomainLabel,
  DEFAULT_RESERVED_LABELS,
} from './names.ts';

// ---- Independent oracles: character-by-character, no regular expressions. ----

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function oracleLabel(s: string): boolean {
  if (s.length < 1 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const alnum = LOWER.includes(c) || DIGITS.includes(c);
    if (!alnum && c !== '-') return false;
    if (c === '-' && (i === 0 || i === s.length - 1)) return false;
  }
  return true;
}

function oracleDatabase(s: string): boolean {
  if (s.length < 1 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (i === 0 && !LOWER.includes(c)) return false;
    if (!LOWER.includes(c) && !DIGITS.includes(c) && c !== '_') return false;
  }
  return true;
}

const ZONE = 'example-kab.go.id';
const OTHER_ZONE = 'kab-contoh.go.id';
const ZONES = [ZONE, OTHER_ZONE];

function oracleHostname(name: string, reserved: readonly string[]): boolean {
  if (name.length > 253) return false;
  for (const zone of ZONES) {
    const suffix = `.${zone}`;
    if (name.length > suffix.length && name.slice(name.length - suffix.length) === suffix) {
      const label = name.slice(0, name.length - suffix.length);
      return oracleLabel(label) && !reserved.includes(label);
    }
  }
  return false;
}

// ---- Generators mixing valid labels with hostile ones. ----

const alnumChar = fc.constantFrom(...(LOWER + DIGITS).split(''));
const labelChar = fc.constantFrom(...`${LOWER}${DIGITS}-`.split(''));

const validLabel = fc
  .tuple(alnumChar, fc.string({ unit: labelChar, maxLength: 61 }), alnumChar, fc.boolean())
  .map(([a, mid, z, single]) => (single ? a : `${a}${mid}${z}`));

const hostilePieces = fc.constantFrom(
  '\n',
  '\r\n',
  ' ',
  '\t',
  '$(id)',
  '`id`',
  "'",
  '"',
  ';',
  '..',
  '.',
  '/',
  '\\',
  '\u0000',
  '_',
  '*',
  '-',
  '--',
  'A',
  'WWW',
  '\u0430', // Cyrillic а
  '\u043e', // Cyrillic о
  '\u0435', // Cyrillic е
  '\u200b', // zero-width space
  '\u200d', // zero-width joiner
  '\ufeff', // BOM
  '\u00e9', // é
  'ı', // dotless i
  '\u2028',
  'ａ', // full-width a
  '%0a',
  '\nAlias /leak /etc',
);

const hostileLabel = fc.oneof(
  // a valid label with hostile text spliced in somewhere
  fc
    .tuple(validLabel, hostilePieces, fc.nat())
    .map(([l, h, at]) => `${l.slice(0, at % (l.length + 1))}${h}${l.slice(at % (l.length + 1))}`),
  // dashes at the ends
  validLabel.map((l) => `-${l}`),
  validLabel.map((l) => `${l}-`),
  // too long
  fc.string({ unit: alnumChar, minLength: 64, maxLength: 80 }),
  // upper case
  validLabel.map((l) => l.toUpperCase()),
  // anything at all
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constant(''),
);

const mixedLabel = fc.oneof({ arbitrary: validLabel, weight: 2 }, { arbitrary: hostileLabel, weight: 3 });

describe('checkSubdomainLabel', () => {
  it('accepts exactly the labels the specification accepts (10,000 generated)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mixedLabel, (label) => {
        const result = checkSubdomainLabel(label);
        expect(result.ok, JSON.stringify(label)).toBe(oracleLabel(label));
        if (result.ok) accepted++;
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 10_000 },
    );
    // The mix is meaningful: both sides are exercised.
    expect(accepted).toBeGreaterThan(1000);
    expect(accepted).toBeLessThan(9000);
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(64), 'longer than 63 characters'],
    ['dinkes.go', 'contains a dot'],
    ['Dinkes', 'upper case letters: use lower case'],
    ['din kes', 'contains a character other than a–z, 0–9 and -'],
    ['dinkes\n', 'contains a character other than a–z, 0–9 and -'],
    ['$(id)', 'contains a character other than a–z, 0–9 and -'],
    ['din_kes', 'contains a character other than a–z, 0–9 and -'],
    ['dink\u0435s', 'contains a character other than a–z, 0–9 and -'],
    ['din\u200bkes', 'contains a character other than a–z, 0–9 and -'],
    ['-dinkes', 'starts or ends with -'],
    ['dinkes-', 'starts or ends with -'],
  ])('refuses %j: %s', (label, reason) => {
    expect(checkSubdomainLabel(label)).toEqual({ ok: false, reason });
  });

  it.each(['a', '0', 'dinkes', 'dinas-kesehatan', 'x1-2-3', 'a'.repeat(63), 'a--b'])(
    'accepts %j',
    (label) => {
      expect(checkSubdomainLabel(label)).toEqual({ ok: true });
    },
  );

  it('never fixes a name up', () => {
    expect(checkSubdomainLabel('DINKES').ok).toBe(false);
    expect(checkSubdomainLabel(' dinkes').ok).toBe(false);
  });
});

describe('checkHostname', () => {
  const opts = { zones: ZONES, reserved: DEFAULT_RESERVED_LABELS };

  const hostname = fc.oneof(
    mixedLabel.map((l) => `${l}.${ZONE}`),
    mixedLabel.map((l) => `${l}.${OTHER_ZONE}`),
    fc.tuple(mixedLabel, validLabel).map(([a, b]) => `${a}.${b}.${ZONE}`),
    mixedLabel.map((l) => `${l}.${ZONE}.`),
    mixedLabel.map((l) => `${l}.evil.example`),
    mixedLabel.map((l) => `${l}.${ZONE}\n`),
    mixedLabel.map((l) => `${l}.${ZONE.toUpperCase()}`),
    mixedLabel.map((l) => `${l}x${ZONE}`),
    fc.constantFrom(...DEFAULT_RESERVED_LABELS).map((l) => `${l}.${ZONE}`),
    fc.constant(ZONE),
    fc.string({ maxLength: 300 }),
  );

  it('accepts exactly the host names the specification accepts (10,000 generated)', () => {
    fc.assert(
      fc.property(hostname, (name) => {
        const result = checkHostname(name, opts);
        expect(result.ok, JSON.stringify(name)).toBe(oracleHostname(name, DEFAULT_RESERVED_LABELS));
        if (result.ok) {
          expect(`${result.label}.${result.zone}`).toBe(name);
          expect(ZONES).toContain(result.zone);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('returns the label and zone', () => {
    expect(checkHostname('dinkes.example-kab.go.id', opts)).toEqual({
      ok: true,
      label: 'dinkes',
      zone: 'example-kab.go.id',
    });
  });

  it('matches the longest managed zone', () => {
    const r = checkHostname('dinkes.sub.example-kab.go.id', {
      zones: ['example-kab.go.id', 'sub.example-kab.go.id'],
    });
    expect(r).toEqual({ ok: true, label: 'dinkes', zone: 'sub.example-kab.go.id' });
  });

  it.each<[string, RegExp]>([
    ['', /^empty$/],
    ['dinkes.example-kab.go.id.', /trailing dot/],
    ['.dinkes.example-kab.go.id', /starts with a dot/],
    ['dinkes..example-kab.go.id', /two dots in a row/],
    ['Dinkes.example-kab.go.id', /^label 1: upper case letters: use lower case$/],
    ['dinkes\n.example-kab.go.id', /^label 1: contains a character other than/],
    ['dinkes.example-kab.go.id\nAlias /leak /etc', /^label 4: contains a character other than/],
    ['-dinkes.example-kab.go.id', /^label 1: starts or ends with -$/],
    [`${'a'.repeat(64)}.example-kab.go.id`, /^label 1: longer than 63/],
    [`${'a.'.repeat(130)}example-kab.go.id`, /longer than 253/],
    ['dinkes.example.com', /not inside a managed zone/],
    ['dinkesexample-kab.go.id', /not inside a managed zone/],
    ['example-kab.go.id', /zone example-kab.go.id itself/],
    ['a.dinkes.example-kab.go.id', /has 2 labels below the zone .*exactly one label/],
    ['www.example-kab.go.id', /"www" is a reserved name/],
    ['cpanel.example-kab.go.id', /reserved/],
  ])('refuses %j', (name, reason) => {
    const r = checkHostname(name, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('takes the reserved list as a parameter, defaulting to DEFAULT_RESERVED_LABELS', () => {
    expect(checkHostname('www.example-kab.go.id', { zones: [ZONE] }).ok).toBe(false);
    expect(checkHostname('www.example-kab.go.id', { zones: [ZONE], reserved: [] }).ok).toBe(true);
    expect(checkHostname('dinkes.example-kab.go.id', { zones: [ZONE], reserved: ['dinkes'] }).ok).toBe(false);
  });

  it('the default reserved list holds the usual service names', () => {
    for (const l of ['www', 'mail', 'ns1', 'ns2', 'admin', 'ftp', 'smtp', 'webmail', 'cpanel', 'localhost']) {
      expect(DEFAULT_RESERVED_LABELS).toContain(l);
      expect(checkSubdomainLabel(l).ok).toBe(true);
    }
  });
});

describe('checkDatabaseName', () => {
  const dbChar = fc.constantFrom(...`${LOWER}${DIGITS}_`.split(''));
  const validDb = fc
    .tuple(fc.constantFrom(...LOWER.split('')), fc.string({ unit: dbChar, maxLength: 31 }))
    .map(([a, b]) => a + b);
  const mixedDb = fc.oneof(
    validDb,
    fc
      .tuple(validDb, hostilePieces, fc.nat())
      .map(([l, h, at]) => `${l.slice(0, at % (l.length + 1))}${h}${l.slice(at % (l.length + 1))}`),
    validDb.map((l) => `_${l}`),
    validDb.map((l) => `1${l}`),
    validDb.map((l) => l.toUpperCase()),
    fc.string({ unit: dbChar, minLength: 33, maxLength: 40 }),
    fc.string({ maxLength: 40 }),
  );

  it('accepts exactly the names the specification accepts (10,000 generated)', () => {
    fc.assert(
      fc.property(mixedDb, (name) => {
        expect(checkDatabaseName(name).ok, JSON.stringify(name)).toBe(oracleDatabase(name));
      }),
      { numRuns: 10_000 },
    );
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(33), 'longer than 32 characters'],
    ['Dinkes', 'upper case letters: use lower case'],
    ['din-kes', 'contains a character other than a–z, 0–9 and _'],
    ['dinkes; drop', 'contains a character other than a–z, 0–9 and _'],
    ['1dinkes', 'does not start with a letter a–z'],
    ['_dinkes', 'does not start with a letter a–z'],
  ])('refuses %j: %s', (name, reason) => {
    expect(checkDatabaseName(name)).toEqual({ ok: false, reason });
  });

  it.each(['a', 'dinkes', 'web_dinkes_2024', `a${'b'.repeat(31)}`])('accepts %j', (name) => {
    expect(checkDatabaseName(name)).toEqual({ ok: true });
  });
});

describe('checkDocumentRootPath', () => {
  const base = '/srv/www';

  it.each(['/srv/www/dinkes', '/srv/www/dinkes/public_html', '/srv/www/dinkes.example-kab.go.id/htdocs'])(
    'accepts %j',
    (p) => {
      expect(checkDocumentRootPath(p, base)).toEqual({ ok: true });
    },
  );

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['srv/www/dinkes', /not absolute/],
    ['/srv/www/../etc', /contains \.\./],
    ['/srv/www/dinkes/..', /contains \.\./],
    ['/srv/www/./dinkes', /\. segment/],
    ['/srv/www//dinkes', /\/\//],
    ['//srv/www/dinkes', /\/\//],
    ['/srv/www/dinkes/', /ends with \//],
    ['/srv/www/din\u0000kes', /NUL/],
    ['/srv/www/dinkes\nAlias /leak /etc', /line break/],
    ['/srv/www/din\u001bkes', /control character/],
    ['/srv/www/din kes', /segment with characters/],
    ['/srv/www/"dinkes"', /segment with characters/],
    ['/srv/www/$(id)', /segment with characters/],
    ['/srv/www/~root', /segment with characters/],
    ['/srv/www/.git', /segment with characters/],
    ['/srv/www', /base directory .* itself/],
    ['/srv/wwwx/dinkes', /not inside \/srv\/www/],
    ['/etc', /not inside/],
  ])('refuses %j', (p, reason) => {
    const r = checkDocumentRootPath(p, base);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses a base directory that is itself not normalised', () => {
    expect(checkDocumentRootPath('/srv/www/dinkes', '/srv/www/').ok).toBe(false);
    expect(checkDocumentRootPath('/srv/www/dinkes', 'srv/www').ok).toBe(false);
  });
});

// The DNS adapter against a real BIND `named` (test/servers/bind.ts): TSIG-signed RFC 2136 updates,
// the "name not in use" guard, idempotency, the response signature, and hostile names that must
// never reach a server.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindServer, findNamed, startBind } from '../../../test/servers/bind.ts';
import { UnsafeValueError } from '../types.ts';
import {
  addRecord,
  DnsConflictError,
  DnsError,
  type DnsRecord,
  type DnsTarget,
  describeRecord,
  queryRecords,
  removeRecord,
} from './client.ts';
import { CLASS, decodeMessage, encodeQuery, encodeUpdate, TYPE } from './message.ts';
import { signRequest, verifyResponse } from './tsig.ts';

const NSUPDATE = '/usr/bin/nsupdate';
const haveBind = findNamed() !== undefined && fs.existsSync(NSUPDATE);
if (!haveBind && process.env.CI === 'true') {
  throw new Error('CI=true but BIND is missing: apt-get install bind9 bind9-dnsutils');
}
if (!haveBind) console.warn('DNS adapter tests skipped: install bind9 and bind9-dnsutils to run them');

const ZONE = 'example-kab.go.id';
const KEY_NAME = 'loket-key';
const OTHER: DnsRecord = {
  zone: ZONE,
  name: 'other.example-kab.go.id',
  type: 'A',
  value: '203.0.113.7',
  ttl: 3600,
};

/** Sends one raw message over TCP (2-byte length prefix) and returns the raw answer. */
function rawExchange(port: number, message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    s.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(message.length);
      s.write(Buffer.concat([len, message]));
    });
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    s.on('error', reject);
  });
}

/** nsupdate (Debian's client, independent of our encoder) with the script on stdin. */
function nsupdate(bind: BindServer, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(NSUPDATE, [
      '-v',
      '-y',
      `hmac-sha256:${bind.keyName}:${bind.keySecret.toString('base64')}`,
    ]);
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`nsupdate ${code}: ${err}`))));
    child.stdin.end(`server 127.0.0.1 ${bind.port}\nzone ${ZONE}\n${script}\nsend\n`);
  });
}

describe.skipIf(!haveBind)('DNS adapter against BIND named', () => {
  let bind: BindServer;
  let target: DnsTarget;

  const rec = (name: string, type: DnsRecord['type'], value: string, ttl = 3600): DnsRecord => ({
    zone: ZONE,
    name: `${name}.${ZONE}`,
    type,
    value,
    ttl,
  });

  beforeAll(async () => {
    bind = await startBind({
      zones: [ZONE],
      keyName: KEY_NAME,
      keySecretBase64: randomBytes(32).toString('base64'),
    });
    target = { host: bind.host, port: bind.port, keyName: bind.keyName, keySecret: bind.keySecret };
    expect(await addRecord(target, OTHER)).toBe('created');
  });

  afterAll(async () => {
    await bind?.stop();
  });

  it('adds an A record that a query then sees; adding it again answers exists', async () => {
    const r = rec('dinkes', 'A', '203.0.113.20');
    expect(await queryRecords(bind, r.name, 'A')).toEqual([]);
    expect(await addRecord(target, r)).toBe('created');
    expect(await queryRecords(bind, r.name, 'A')).toEqual(['203.0.113.20']);
    expect(await addRecord(target, r)).toBe('exists');
    // Same record with another TTL is the same RR (RFC 2181 §5.2): still 'exists', nothing changed.
    expect(await addRecord(target, { ...r, ttl: 300 })).toBe('exists');
    expect(await queryRecords(bind, r.name, 'A')).toEqual(['203.0.113.20']);
  });

  it('never overwrites a name in use: another address, another type, names below it', async () => {
    const r = rec('disdik', 'A', '203.0.113.21');
    expect(await addRecord(target, r)).toBe('created');

    const other = addRecord(target, { ...r, value: '203.0.113.99' });
    await expect(other).rejects.toBeInstanceOf(DnsConflictError);
    await expect(other).rejects.toMatchObject({
      rcode: 'YXDOMAIN',
      existing: ['disdik.example-kab.go.id. 3600 IN A 203.0.113.21'],
    });
    await expect(addRecord(target, { ...r, type: 'AAAA', value: '2001:db8::21' })).rejects.toBeInstanceOf(
      DnsConflictError,
    );
    await expect(addRecord(target, { ...r, type: 'CNAME', value: 'www.example.org' })).rejects.toBeInstanceOf(
      DnsConflictError,
    );
    expect(await queryRecords(bind, r.name, 'A')).toEqual(['203.0.113.21']);
    expect(await queryRecords(bind, r.name, 'AAAA')).toEqual([]);
    expect(await queryRecords(bind, r.name, 'CNAME')).toEqual([]);

    // A name that holds this record AND something else is not "exactly this record".
    await nsupdate(bind, `update add ${r.name} 3600 TXT "owner=someone-else"`);
    await expect(addRecord(target, r)).rejects.toBeInstanceOf(DnsConflictError);

    // An empty non-terminal (only a name below it exists) owns no records: it is not in use
    // (RFC 2136 §2.4.5), so the record is created and the name below it stays.
    expect(await addRecord(target, rec('www.bappeda', 'A', '203.0.113.22'))).toBe('created');
    expect(await addRecord(target, rec('bappeda', 'A', '203.0.113.23'))).toBe('created');
    expect(await queryRecords(bind, `bappeda.${ZONE}`, 'A')).toEqual(['203.0.113.23']);
    expect(await queryRecords(bind, `www.bappeda.${ZONE}`, 'A')).toEqual(['203.0.113.22']);
  });

  it('removes exactly the RR; removing again answers absent; other records of the name stay', async () => {
    const r = rec('dukcapil', 'A', '203.0.113.30');
    expect(await addRecord(target, r)).toBe('created');
    // A second record of the same name, added by Debian's nsupdate (also an interoperability check).
    await nsupdate(bind, `update add ${r.name} 3600 AAAA 2001:db8::30`);
    expect(await queryRecords(bind, r.name, 'AAAA')).toEqual(['2001:db8::30']);

    // Another value of the right type is not this RR.
    expect(await removeRecord(target, { ...r, value: '203.0.113.31' })).toBe('absent');
    expect(await queryRecords(bind, r.name, 'A')).toEqual(['203.0.113.30']);

    expect(await removeRecord(target, r)).toBe('removed');
    expect(await queryRecords(bind, r.name, 'A')).toEqual([]);
    expect(await queryRecords(bind, r.name, 'AAAA')).toEqual(['2001:db8::30']);
    expect(await removeRecord(target, r)).toBe('absent');
    expect(await removeRecord(target, rec('never-there', 'A', '203.0.113.32'))).toBe('absent');
  });

  it('AAAA records: add, exists, query, remove', async () => {
    const r = rec('v6', 'AAAA', '2001:db8:0:1::20');
    expect(await addRecord(target, r)).toBe('created');
    expect(await addRecord(target, r)).toBe('exists');
    expect(await queryRecords(bind, r.name, 'AAAA')).toEqual(['2001:db8:0:1::20']);
    expect(await removeRecord(target, r)).toBe('removed');
    expect(await queryRecords(bind, r.name, 'AAAA')).toEqual([]);
  });

  it('CNAME records: add, exists, query, remove', async () => {
    const r = rec('portal', 'CNAME', 'web1.example-kab.go.id');
    expect(await addRecord(target, r)).toBe('created');
    expect(await addRecord(target, r)).toBe('exists');
    expect(await queryRecords(bind, r.name, 'CNAME')).toEqual(['web1.example-kab.go.id']);
    await expect(addRecord(target, { ...r, value: 'web2.example-kab.go.id' })).rejects.toBeInstanceOf(
      DnsConflictError,
    );
    expect(await removeRecord(target, r)).toBe('removed');
    expect(await queryRecords(bind, r.name, 'CNAME')).toEqual([]);
  });

  it('a wrong key is refused with NOTAUTH and changes nothing', async () => {
    const r = rec('wrongkey', 'A', '203.0.113.40');
    const badSecret = { ...target, keySecret: randomBytes(32) };
    await expect(addRecord(badSecret, r)).rejects.toMatchObject({ rcode: 'NOTAUTH', tsigError: 'BADSIG' });
    const unknownKey = { ...target, keyName: 'not-a-key' };
    await expect(addRecord(unknownKey, r)).rejects.toMatchObject({ rcode: 'NOTAUTH', tsigError: 'BADKEY' });
    expect(await queryRecords(bind, r.name, 'A')).toEqual([]);

    await expect(removeRecord(badSecret, OTHER)).rejects.toBeInstanceOf(DnsError);
    await expect(removeRecord(badSecret, OTHER)).rejects.toMatchObject({ rcode: 'NOTAUTH' });
    expect(await queryRecords(bind, OTHER.name, 'A')).toEqual([OTHER.value]);
  });

  it('a zone the server does not serve is refused', async () => {
    const r = {
      zone: 'not-served.test',
      name: 'x.not-served.test',
      type: 'A',
      value: '203.0.113.41',
      ttl: 60,
    };
    await expect(addRecord(target, r as DnsRecord)).rejects.toMatchObject({ rcode: 'NOTAUTH' });
  });

  it("verifies named's response TSIG; a changed byte fails verification", async () => {
    const key = { name: bind.keyName, secret: bind.keySecret };
    const signed = signRequest(encodeQuery(0x2a2a, OTHER.name, TYPE.A), key);
    const raw = await rawExchange(bind.port, signed.message);
    const answer = decodeMessage(raw);
    expect(answer.answers.map((a) => a.data)).toEqual([OTHER.value]);
    expect(verifyResponse(raw, answer, signed.mac, key)).toMatchObject({ ok: true });

    // Flip the last byte of the answer's address.
    const tampered = Buffer.from(raw);
    const at = answer.answers[0]?.offset ?? 0;
    const addrEnd = at + raw.subarray(at).indexOf(Buffer.from([203, 0, 113, 7])) + 3;
    tampered[addrEnd] = 8;
    const decodedTampered = decodeMessage(tampered);
    expect(decodedTampered.answers[0]?.data).toBe('203.0.113.8');
    expect(verifyResponse(tampered, decodedTampered, signed.mac, key)).toMatchObject({
      ok: false,
      problem: 'MAC',
    });
    // Verified against another request's MAC, it fails too.
    expect(verifyResponse(raw, answer, Buffer.alloc(32), key)).toMatchObject({ ok: false, problem: 'MAC' });

    // And our signed UPDATE is accepted by named (the real test of our request MAC), answer verified.
    const upd = signRequest(
      encodeUpdate({
        id: 0x3b3b,
        zone: ZONE,
        prerequisites: [],
        updates: [
          {
            name: `raw.${ZONE}`,
            type: TYPE.A,
            class: CLASS.IN,
            ttl: 300,
            rdata: Buffer.from([192, 0, 2, 55]),
          },
        ],
      }),
      key,
    );
    const updRaw = await rawExchange(bind.port, upd.message);
    const updAnswer = decodeMessage(updRaw);
    expect(updAnswer.rcode).toBe(0);
    expect(verifyResponse(updRaw, updAnswer, upd.mac, key)).toMatchObject({ ok: true });
    expect(await queryRecords(bind, `raw.${ZONE}`, 'A')).toEqual(['192.0.2.55']);
  });

  describe('hostile values never reach a server', () => {
    let counter: net.Server;
    let counterPort = 0;
    let connections = 0;

    beforeAll(async () => {
      counter = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
      counterPort = (counter.address() as net.AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => counter.close(() => resolve()));
    });

    const HOSTILE = [
      `evil\nupdate delete ${OTHER.name}`,
      `evil.${ZONE}\nupdate delete ${OTHER.name} A\nsend`,
      `evil name.${ZONE}`,
      `$(reboot).${ZONE}`,
      `\`reboot\`.${ZONE}`,
      `"evil".${ZONE}`,
      `'evil'.${ZONE}`,
      `evil;rm.${ZONE}`,
      `..${ZONE}`,
      `evil..${ZONE}`,
      `../../etc/passwd.${ZONE}`,
      `dinkés.${ZONE}`,
      `xn--dinks-bsa\u200b.${ZONE}`,
      `Dinkes.${ZONE}`,
      `dinkes.${ZONE}.`,
      `${'a'.repeat(300)}.${ZONE}`,
      `${Array(60).fill('abcd').join('.')}.${ZONE}`,
      `-evil.${ZONE}`,
      `evil\u0000.${ZONE}`,
      `evil\r.${ZONE}`,
      `evil\u2028.${ZONE}`,
      `*.${ZONE}`,
      `_acme.${ZONE}`,
      '',
    ];

    it('every exported function throws UnsafeValueError and opens no connection', async () => {
      const to: DnsTarget = {
        host: '127.0.0.1',
        port: counterPort,
        keyName: KEY_NAME,
        keySecret: bind.keySecret,
      };
      const good = rec('safe', 'A', '203.0.113.50');
      const attempts: Array<[string, () => unknown]> = [];
      for (const h of HOSTILE) {
        const name = JSON.stringify(h);
        attempts.push(
          [`addRecord name ${name}`, () => addRecord(to, { ...good, name: h })],
          [`addRecord zone ${name}`, () => addRecord(to, { ...good, zone: h })],
          [`addRecord CNAME value ${name}`, () => addRecord(to, { ...good, type: 'CNAME', value: h })],
          [`addRecord keyName ${name}`, () => addRecord({ ...to, keyName: h }, good)],
          [`removeRecord name ${name}`, () => removeRecord(to, { ...good, name: h })],
          [`removeRecord zone ${name}`, () => removeRecord(to, { ...good, zone: h })],
          [`removeRecord CNAME value ${name}`, () => removeRecord(to, { ...good, type: 'CNAME', value: h })],
          [`removeRecord keyName ${name}`, () => removeRecord({ ...to, keyName: h }, good)],
          [`queryRecords name ${name}`, () => queryRecords(to, h, 'A')],
          [`describeRecord name ${name}`, () => describeRecord({ ...good, name: h })],
          [`describeRecord CNAME value ${name}`, () => describeRecord({ ...good, type: 'CNAME', value: h })],
        );
      }
      const badRecords: Array<[string, Partial<DnsRecord>]> = [
        ['name equal to the zone', { name: ZONE }],
        ['name outside the zone', { name: 'dinkes.other-kab.go.id' }],
        ['name that only ends like the zone', { name: `evil${ZONE}` }],
        ['A value with a newline', { value: '203.0.113.50\nupdate delete x' }],
        ['A value not canonical (leading zero)', { value: '203.0.113.050' }],
        ['A value that is IPv6', { value: '2001:db8::1' }],
        ['A value that is a name', { value: 'localhost' }],
        ['AAAA value not canonical (upper case)', { type: 'AAAA', value: '2001:DB8::1' }],
        ['AAAA value not canonical (zeros)', { type: 'AAAA', value: '2001:db8:0:0:0:0:0:1' }],
        ['AAAA value with a zone id', { type: 'AAAA', value: 'fe80::1%eth0' }],
        ['AAAA value that is IPv4', { type: 'AAAA', value: '203.0.113.50' }],
        ['CNAME to itself', { type: 'CNAME', value: good.name }],
        ['type TXT', { type: 'TXT' as DnsRecord['type'], value: 'x' }],
        ['type ANY', { type: 'ANY' as DnsRecord['type'] }],
        ['ttl 59', { ttl: 59 }],
        ['ttl 86401', { ttl: 86_401 }],
        ['ttl 3600.5', { ttl: 3600.5 }],
        ['ttl NaN', { ttl: Number.NaN }],
        ['ttl as text', { ttl: '3600' as unknown as number }],
      ];
      for (const [why, patch] of badRecords) {
        const r = { ...good, ...patch } as DnsRecord;
        attempts.push(
          [`addRecord ${why}`, () => addRecord(to, r)],
          [`removeRecord ${why}`, () => removeRecord(to, r)],
          [`describeRecord ${why}`, () => describeRecord(r)],
        );
      }
      const badTargets: Array<[string, Partial<DnsTarget>]> = [
        ['host name instead of an address', { host: 'localhost' }],
        ['host with a newline', { host: '127.0.0.1\n' }],
        ['host with a port', { host: '127.0.0.1:53' }],
        ['port 0', { port: 0 }],
        ['port 70000', { port: 70_000 }],
        ['empty secret', { keySecret: Buffer.alloc(0) }],
        ['secret as text', { keySecret: 'c2VjcmV0' as unknown as Buffer }],
        ['negative timeout', { timeoutMs: -1 }],
      ];
      for (const [why, patch] of badTargets) {
        const t = { ...to, ...patch } as DnsTarget;
        attempts.push(
          [`addRecord ${why}`, () => addRecord(t, good)],
          [`removeRecord ${why}`, () => removeRecord(t, good)],
        );
        if (!('keySecret' in patch))
          attempts.push([`queryRecords ${why}`, () => queryRecords(t, good.name, 'A')]);
      }
      attempts.push(['queryRecords type TXT', () => queryRecords(to, good.name, 'TXT' as 'A')]);

      const notRefused: string[] = [];
      for (const [label, call] of attempts) {
        try {
          await call();
          notRefused.push(`${label}: no error`);
        } catch (e) {
          if (!(e instanceof UnsafeValueError)) notRefused.push(`${label}: ${String(e)}`);
        }
      }
      expect(notRefused).toEqual([]);
      expect(attempts.length).toBeGreaterThan(300);
      expect(connections).toBe(0);

      // The counter does count: a valid call reaches it (and fails there, as nothing answers).
      await expect(addRecord(to, good)).rejects.toMatchObject({ rcode: 'NETWORK' });
      expect(connections).toBe(1);
    });

    it("the real server's other records are untouched after the hostile calls against it", async () => {
      const real: DnsTarget = target;
      for (const h of HOSTILE) {
        await expect(removeRecord(real, { ...OTHER, name: h })).rejects.toBeInstanceOf(UnsafeValueError);
        await expect(addRecord(real, { ...OTHER, name: h })).rejects.toBeInstanceOf(UnsafeValueError);
      }
      expect(await queryRecords(bind, OTHER.name, 'A')).toEqual([OTHER.value]);
      expect(await queryRecords(bind, `evil.${ZONE}`, 'A')).toEqual([]);
    });
  });
});

describe('describeRecord', () => {
  it('renders the record as zone-file text', () => {
    expect(
      describeRecord({ zone: ZONE, name: `dinkes.${ZONE}`, type: 'A', value: '203.0.113.20', ttl: 3600 }),
    ).toBe('dinkes.example-kab.go.id. 3600 IN A 203.0.113.20');
    expect(
      describeRecord({ zone: ZONE, name: `v6.${ZONE}`, type: 'AAAA', value: '2001:db8::20', ttl: 300 }),
    ).toBe('v6.example-kab.go.id. 300 IN AAAA 2001:db8::20');
    expect(
      describeRecord({ zone: ZONE, name: `www.${ZONE}`, type: 'CNAME', value: `dinkes.${ZONE}`, ttl: 600 }),
    ).toBe('www.example-kab.go.id. 600 IN CNAME dinkes.example-kab.go.id.');
  });
});

describe('a forged answer is not believed', () => {
  /** A fake DNS server that answers every request NOERROR (copying id and question), optionally with a bogus TSIG. */
  async function fakeServer(withBogusTsig: boolean) {
    const server = net.createServer((socket) => {
      let buf = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        const req = decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        const body = encodeUpdate({
          id: req.id,
          zone: req.questions[0]?.name ?? '',
          prerequisites: [],
          updates: [],
        });
        body.writeUInt16BE(0xa800, 2); // QR, UPDATE, NOERROR
        let answer = body;
        if (withBogusTsig) {
          // Signed with another secret: well-formed, but the MAC is wrong for the client's key.
          answer = signRequest(body, { name: KEY_NAME, secret: Buffer.from('not the key') }).message;
        }
        const len = Buffer.alloc(2);
        len.writeUInt16BE(answer.length);
        socket.end(Buffer.concat([len, answer]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  it.each([
    ['unsigned', false],
    ['badly signed', true],
  ])('an %s NOERROR answer to an update is refused with BADSIG', async (_why, bogus) => {
    const server = await fakeServer(bogus);
    try {
      const port = (server.address() as net.AddressInfo).port;
      const t: DnsTarget = { host: '127.0.0.1', port, keyName: KEY_NAME, keySecret: randomBytes(32) };
      const r: DnsRecord = {
        zone: ZONE,
        name: `forged.${ZONE}`,
        type: 'A',
        value: '203.0.113.60',
        ttl: 3600,
      };
      await expect(addRecord(t, r)).rejects.toMatchObject({ name: 'DnsError', rcode: 'BADSIG' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a server that never answers', () => {
  it('gives DnsError TIMEOUT', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s); // accepted, read, never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      await expect(
        queryRecords({ host: '127.0.0.1', port, timeoutMs: 50 }, `x.${ZONE}`, 'A'),
      ).rejects.toMatchObject({
        name: 'DnsError',
        rcode: 'TIMEOUT',
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

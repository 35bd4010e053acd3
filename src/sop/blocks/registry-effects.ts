import { z } from 'zod';
import { serverName } from '../../registry/registry.schemas.ts';
import { DB_ENGINES, SERVER_KINDS, SERVER_LOCATIONS } from '../../registry/registry.tables.ts';
import type { Bilingual } from '../definition.ts';
import { optionalText, picker, prefill, widget } from './common.ts';
import type { RegistryEffect } from './registry.ts';

// The `registry` block's effects for the related services (docs/sop-blocks.md): a server recorded
// (colocation, cloud), addresses allocated to it from a pool, a name reserved under a managed zone
// for hosting. `website.install` (the website SOP's) lives with the block in registry.ts; these are
// its other effects, kept here. Their database side: src/cases/blocks/registry-effects.ts.

export const RELATED_EFFECTS = ['server.record', 'address.allocate', 'name.reserve'] as const;
export type RelatedEffect = (typeof RELATED_EFFECTS)[number];

const label = (id: string, en: string) => ({ 'x-loket-label': { id, en } satisfies Bilingual });
const requiredWhen = (field: string, equals: string) => ({ 'x-loket-requiredWhen': { field, equals } });

/** Server fields that only some servers need, by when they are required. */
const COLOCATION_FIELDS = ['rack', 'rackPosition', 'powerWatts'] as const;
const VIRTUAL_FIELDS = ['vcpu', 'memoryGb', 'diskGb'] as const;

export const serverRecordInput = z
  .strictObject({
    /** The registry's own rule for a server's name. */
    name: serverName.meta(label('Nama server', 'Server name')),
    kind: z.enum(SERVER_KINDS).meta({ ...widget('radio'), ...label('Jenis server', 'Kind of server') }),
    location: z.enum(SERVER_LOCATIONS).meta({ ...widget('radio'), ...label('Lokasi', 'Location') }),
    os: optionalText(100).meta(label('Sistem operasi', 'Operating system')),
    rack: optionalText(50).meta({ ...label('Rak', 'Rack'), ...requiredWhen('location', 'colocation') }),
    rackPosition: optionalText(50).meta({
      ...label('Posisi unit pada rak (mis. U12–U13)', 'Unit position in the rack (e.g. U12–U13)'),
      ...requiredWhen('location', 'colocation'),
    }),
    powerWatts: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .meta({ ...label('Daya (watt)', 'Power (watts)'), ...requiredWhen('location', 'colocation') }),
    vcpu: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .optional()
      .meta({ ...label('vCPU', 'vCPUs'), ...requiredWhen('kind', 'virtual') }),
    memoryGb: z
      .number()
      .int()
      .min(1)
      .max(65_536)
      .optional()
      .meta({ ...label('Memori (GB)', 'Memory (GB)'), ...requiredWhen('kind', 'virtual') }),
    diskGb: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .meta({ ...label('Disk (GB)', 'Disk (GB)'), ...requiredWhen('kind', 'virtual') }),
    notes: optionalText(4000).meta(widget('textarea')),
  })
  .superRefine((v, ctx) => {
    if (v.location === 'colocation') {
      for (const f of COLOCATION_FIELDS) {
        if (v[f] === undefined || v[f] === '')
          ctx.addIssue({ code: 'custom', path: [f], message: 'required for a colocated server' });
      }
    }
    if (v.kind === 'virtual') {
      for (const f of VIRTUAL_FIELDS) {
        if (v[f] === undefined)
          ctx.addIssue({ code: 'custom', path: [f], message: 'required for a virtual server' });
      }
    }
  });
export type ServerRecordInput = z.infer<typeof serverRecordInput>;

export const addressAllocateInput = z.strictObject({
  poolId: z.uuid().meta({ ...picker('pool'), ...label('Pool alamat IP', 'IP pool') }),
  /** A particular address of the pool; without it, the next free ones. */
  address: z
    .union([z.ipv4(), z.ipv6()])
    .optional()
    .meta({
      ...picker('ip'),
      ...label(
        'Alamat tertentu (kosongkan: berikutnya yang bebas)',
        'A particular address (empty: the next free)',
      ),
    }),
  count: z.number().int().min(1).max(16).default(1).meta(label('Jumlah alamat', 'How many addresses')),
  notes: optionalText(4000).meta(widget('textarea')),
});
export type AddressAllocateInput = z.infer<typeof addressAllocateInput>;

export const nameReserveInput = z
  .strictObject({
    hostname: z
      .string()
      .trim()
      .min(1, 'required')
      .max(253)
      .meta({ ...picker('hostname'), ...prefill('case.websiteRef'), ...label('Subdomain', 'Subdomain') }),
    /** The web server the hosting will run on. */
    serverId: z.uuid().meta({ ...picker('server'), ...label('Server web', 'Web server') }),
    /** The pool its address comes from (the next free one), or a particular address. */
    poolId: z
      .uuid()
      .optional()
      .meta({ ...picker('pool'), ...label('Pool alamat IP', 'IP pool') }),
    ipAddress: z
      .union([z.ipv4(), z.ipv6()])
      .optional()
      .meta({ ...picker('ip'), ...label('Alamat IP tertentu', 'A particular IP address') }),
    dbEngine: z
      .enum(DB_ENGINES)
      .optional()
      .meta({ ...widget('radio'), ...label('Mesin basis data', 'Database engine') }),
    dbServerId: z
      .uuid()
      .optional()
      .meta({ ...picker('server'), ...label('Server basis data', 'Database server') }),
    notes: optionalText(4000).meta(widget('textarea')),
  })
  .superRefine((v, ctx) => {
    if (!v.poolId && !v.ipAddress)
      ctx.addIssue({ code: 'custom', path: ['poolId'], message: 'pick a pool, or a particular address' });
    if (v.dbEngine && !v.dbServerId)
      ctx.addIssue({ code: 'custom', path: ['dbServerId'], message: 'required with a database' });
  });
export type NameReserveInput = z.infer<typeof nameReserveInput>;

/** The related services' registry effects, added to the registry block's (registry.ts). */
export const RELATED_REGISTRY_EFFECTS: Record<RelatedEffect, RegistryEffect> = {
  'server.record': {
    title: { id: 'Catat server di registri', en: 'Record the server in the registry' },
    description: {
      id: 'Server dicatat pada registri dengan OPD pemiliknya: jenis, lokasi, rak, posisi unit, daya atau spesifikasi virtual.',
      en: 'The server is recorded in the registry with its owner OPD: kind, location, rack, unit position, power or virtual specification.',
    },
    input: () => serverRecordInput,
    opdSees: ['server', 'rack', 'rackPosition'],
  },
  'address.allocate': {
    title: { id: 'Alokasikan alamat IP', en: 'Allocate IP addresses' },
    description: {
      id: 'Alamat IP dari pool dialokasikan untuk server yang dicatat pada kasus ini.',
      en: 'IP addresses from a pool are allocated to the server this case recorded.',
    },
    input: () => addressAllocateInput,
    opdSees: ['addresses'],
  },
  'name.reserve': {
    title: { id: 'Periksa dan cadangkan subdomain', en: 'Check and reserve the subdomain' },
    description: {
      id: 'Subdomain di bawah zona terkelola diperiksa dan dicadangkan untuk OPD: website terencana pada registri dengan server, alamat IP dan basis datanya.',
      en: 'The subdomain under a managed zone is checked and reserved for the OPD: a planned website in the registry with its server, IP address and database.',
    },
    input: () => nameReserveInput,
    opdSees: ['hostname'],
  },
};

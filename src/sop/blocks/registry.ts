import { z } from 'zod';
import type { Bilingual } from '../definition.ts';
import type { BlockAction, BlockContext, BlockDef } from '../types.ts';
import { optionalText, picker, prefill, text, toNext, widget } from './common.ts';

/**
 * A registry effect: what the step records in the registry. Each effect is one entry here (its
 * title, payload and what the OPD sees); its database side is in src/cases/blocks/registry.ts.
 */
export type RegistryEffect = {
  title: Bilingual;
  description: Bilingual;
  input: () => z.ZodType;
  opdSees: readonly string[];
};

export const REGISTRY_EFFECTS: Record<string, RegistryEffect> = {
  'website.install': {
    title: { id: 'Catat instalasi', en: 'Record the installation' },
    description: {
      id: 'Website pada registri menjadi aktif: server, alamat IP, nama host.',
      en: 'The registry’s website becomes active: server, IP address, host name.',
    },
    input: () =>
      z.strictObject({
        /** The registry's server the website now runs on. */
        serverId: z.uuid().meta({ ...picker('server'), ...prefill('case.website.serverId') }),
        /** The address: picked, or (leave it out) the next free one of `poolId`. */
        ipAddress: z.union([z.ipv4(), z.ipv6()]).optional().meta(picker('ip')),
        poolId: z.uuid().optional().meta(picker('pool')),
        /** The full host name under a managed zone; defaults to the one already in the registry. */
        hostname: z
          .string()
          .max(253)
          .optional()
          .meta({ ...picker('hostname'), ...prefill('case.website.hostname') }),
        documentRoot: optionalText(4095),
        networkConfig: text(4000).meta(widget('textarea')),
        siteAnswers: z
          .literal(true, 'the site must answer before the step can be completed')
          .meta(widget('confirm')),
        notes: optionalText(4000).meta(widget('textarea')),
      }),
    opdSees: ['hostname', 'url'],
  },
};

export const registryConfig = z.strictObject({
  effect: z.string().refine((e) => e in REGISTRY_EFFECTS, { message: 'unknown registry effect' }),
});
export type RegistryConfig = z.infer<typeof registryConfig>;

function action(effect: string, e: RegistryEffect, at: BlockContext): BlockAction {
  return {
    key: `record_${effect.replaceAll('.', '_')}`,
    name: 'record',
    title: e.title,
    roles: at.roles,
    input: e.input(),
    ...toNext(at),
    opdSees: e.opdSees,
  };
}

/** The step records something in the registry (a website installed, a server, an address, a name). */
export const registry: BlockDef<RegistryConfig> = {
  key: 'registry',
  title: { id: 'Catat pada registri', en: 'Registry record' },
  description: {
    id: 'Langkah mencatat pada registri: website terpasang, server, alamat IP, nama.',
    en: 'The step records in the registry: a website installed, a server, an IP address, a name.',
  },
  config: registryConfig,
  records: [{ id: 'Perubahan pada registri', en: 'Changes to the registry' }],
  documents: [],
  actionNames: ['record'],
  actions: (cfg, at) => {
    const e = REGISTRY_EFFECTS[cfg.effect];
    return e ? [action(cfg.effect, e, at)] : [];
  },
};

import { z } from 'zod';
import type { BlockDef } from '../types.ts';
import { hiddenWhen, optionalText, picker, prefill, staffRoles, toNext, widget } from './common.ts';

export const startWorkConfig = z.strictObject({
  /** Is a team assigned (people of the step's lane)? */
  team: z.boolean().default(true),
  /**
   * `link`: the work is about a website of the registry — an existing one is updated (tied to the
   * case), or a new one gets its planned record now.
   */
  website: z.enum(['none', 'link']).default('none'),
});
export type StartWorkConfig = z.infer<typeof startWorkConfig>;

/** The work starts: the team is assigned and, for a website service, the registry record tied. */
export const startWork: BlockDef<StartWorkConfig> = {
  key: 'start_work',
  title: { id: 'Mulai pekerjaan', en: 'Start of the work' },
  description: {
    id: 'Pekerjaan dimulai: tim ditetapkan dan (untuk layanan website) website pada registri dikaitkan atau direncanakan.',
    en: 'The work starts: the team is assigned and (for a website service) the registry’s website is tied or planned.',
  },
  config: startWorkConfig,
  records: [
    { id: 'Tim pelaksana', en: 'The team' },
    { id: 'Website pada registri (bila dikaitkan)', en: 'The registry’s website (when linked)' },
  ],
  documents: [],
  actionNames: ['start_work'],
  actions: (cfg, at) => {
    const lane = at.sop.lanes.find((l) => l.key === at.step.lane);
    const teamRoles = staffRoles(lane?.roles ?? at.roles);
    return [
      {
        key: 'start_work',
        name: 'start_work',
        title: { id: 'Mulai pekerjaan', en: 'Start the work' },
        roles: at.roles,
        input: z.strictObject({
          ...(cfg.website === 'link'
            ? {
                websiteExists: z.boolean().meta(widget('switch')),
                /** For an update: the OPD's website in the registry (defaults to the one the request names). */
                websiteId: z
                  .uuid()
                  .optional()
                  .meta({
                    ...picker('website'),
                    ...prefill('case.website.id'),
                    ...hiddenWhen('websiteExists', false),
                  }),
              }
            : {}),
          ...(cfg.team
            ? {
                teamUserIds: z
                  .array(z.uuid())
                  .min(1, 'assign at least one person')
                  .max(20)
                  .meta(picker('staffMulti', teamRoles)),
              }
            : {}),
          notes: optionalText(4000).meta(widget('textarea')),
        }),
        ...toNext(at),
        opdSees: cfg.website === 'link' ? ['path'] : [],
      },
    ];
  },
};

import { z } from 'zod';
import { bilingual } from '../definition.ts';
import type { BlockDef, CaseState } from '../types.ts';
import { optionalText, picker, staffRoles, text, toNext, widget } from './common.ts';

export const scheduleConfig = z.strictObject({
  /** What is scheduled: "Kunjungan penempatan server", "Pertemuan konsultasi aplikasi", … */
  what: bilingual,
  /** Ask who attends (DKISP staff picked; the OPD's people by name). */
  attendees: z.boolean().default(true),
});
export type ScheduleConfig = z.infer<typeof scheduleConfig>;

/** The mark a step's schedule keeps: how many times it was (re)scheduled. */
export const scheduleMark = (step: string) => `schedule:${step}`;

/**
 * A visit or a meeting: DKISP sets the date, time, place (and attendees) — and may set them again —
 * the OPD is told; once it has taken place, its notes are recorded and the step is done.
 */
export const schedule: BlockDef<ScheduleConfig> = {
  key: 'schedule',
  title: { id: 'Jadwal kunjungan/pertemuan', en: 'Visit or meeting schedule' },
  description: {
    id: 'Tanggal, jam, tempat dan peserta ditetapkan (dapat dijadwalkan ulang) dan diberitahukan kepada OPD; setelah terlaksana, catatannya direkam.',
    en: 'Date, time, place and attendees are set (may be rescheduled) and the OPD is told; once held, its notes are recorded.',
  },
  config: scheduleConfig,
  records: [
    { id: 'Tanggal, jam, tempat dan peserta', en: 'Date, time, place and attendees' },
    { id: 'Catatan pelaksanaan', en: 'Notes of what took place' },
  ],
  documents: [],
  actionNames: ['schedule', 'held'],
  actions: (cfg, at) => {
    const mark = scheduleMark(at.step.key);
    const scheduled = (s: CaseState) => (s.marks[mark] ?? 0) > 0;
    return [
      {
        key: 'schedule',
        name: 'schedule',
        title: { id: `Jadwalkan: ${cfg.what.id}`, en: `Schedule: ${cfg.what.en}` },
        roles: at.roles,
        input: z.strictObject({
          at: z.iso.datetime({ offset: true }).meta({
            ...widget('datetime'),
            'x-loket-label': { id: 'Tanggal dan jam', en: 'Date and time' },
          }),
          place: text(300).meta({ 'x-loket-label': { id: 'Tempat', en: 'Place' } }),
          ...(cfg.attendees
            ? {
                staffAttendees: z
                  .array(z.uuid())
                  .min(1, 'name at least one person of DKISP')
                  .max(20)
                  .meta({
                    ...picker('staffMulti', staffRoles(at.roles)),
                    'x-loket-label': { id: 'Peserta dari DKISP', en: 'Attendees from DKISP' },
                  }),
                opdAttendees: optionalText(2000).meta({
                  ...widget('textarea'),
                  'x-loket-label': {
                    id: 'Peserta dari OPD (nama, jabatan)',
                    en: 'Attendees from the OPD (name, position)',
                  },
                }),
              }
            : {}),
          notes: optionalText(4000).meta(widget('textarea')),
        }),
        effect: () => ({ kind: 'stay' }),
        apply: (s) => ({ marks: { ...s.marks, [mark]: (s.marks[mark] ?? 0) + 1 } }),
        targets: [],
        opdSees: ['at', 'place', 'opdAttendees', 'rescheduled'],
        opdNews: (before) => ({
          kind: 'case.scheduled',
          title: scheduled(before) ? `${cfg.what.id} dijadwalkan ulang` : `${cfg.what.id} dijadwalkan`,
        }),
      },
      {
        key: 'held',
        name: 'held',
        title: { id: `Catat pelaksanaan: ${cfg.what.id}`, en: `Record that it took place: ${cfg.what.en}` },
        roles: at.roles,
        input: z.strictObject({
          notes: text(10_000).meta({
            ...widget('textarea'),
            'x-loket-label': { id: 'Catatan pelaksanaan', en: 'Notes' },
          }),
        }),
        guard: (s) => (scheduled(s) ? null : 'schedule it first'),
        ...toNext(at),
        opdSees: ['heldAt'],
      },
    ];
  },
  check: (_cfg, at) =>
    at.next === null ? [{ path: '', message: 'a schedule step leads to a next step' }] : [],
};

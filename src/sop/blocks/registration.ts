import { z } from 'zod';
import type { BlockDef } from '../types.ts';
import { optionalText, prefill, text, toNext, URGENCIES, widget } from './common.ts';

export const registrationConfig = z.strictObject({});

/** Bagian Umum scans the letter, enters it in the agenda book and fills in the disposition sheet. */
export const registration: BlockDef<z.infer<typeof registrationConfig>> = {
  key: 'registration',
  title: { id: 'Registrasi surat dan lembar disposisi', en: 'Registration and disposition sheet' },
  description: {
    id: 'Surat dipindai, diagendakan (nomor agenda), dan lembar disposisi dilengkapi.',
    en: 'The letter is scanned, registered in the agenda book (agenda number) and the disposition sheet filled in.',
  },
  config: registrationConfig,
  records: [{ id: 'Nomor agenda, tanggal terima, sifat surat', en: 'Agenda number, date received, urgency' }],
  documents: ['disposition_sheet'],
  actionNames: ['register'],
  actions: (_cfg, at) => [
    {
      key: 'register',
      name: 'register',
      title: {
        id: 'Agendakan surat dan isi lembar disposisi',
        en: 'Register the letter and fill in the disposition sheet',
      },
      roles: at.roles,
      input: z.strictObject({
        receivedAt: z.iso.datetime({ offset: true }).meta({ ...widget('datetime'), ...prefill('now') }),
        urgency: z.enum(URGENCIES).meta(widget('radio')),
        addressee: text(200).default('Kepala DKISP'),
        scanConfirmed: z
          .literal(true, 'confirm that the scan is the electronic document')
          .meta(widget('confirm')),
        notes: optionalText(4000).meta(widget('textarea')),
      }),
      ...toNext(at),
      opdSees: ['agendaNumber'],
      opdNews: () => ({ kind: 'case.registered', title: 'Surat permohonan telah diagendakan' }),
    },
  ],
};

import { z } from 'zod';
import { bilingual } from '../definition.ts';
import type { BlockDef } from '../types.ts';
import { confirmText, optionalText, text, toNext, widget } from './common.ts';

export const handoverConfig = z.strictObject({
  /** What is handed over: "Akses hosting dan basis data", "Akses pengelolaan server virtual", … */
  what: bilingual,
});
export type HandoverConfig = z.infer<typeof handoverConfig>;

export const HANDOVER_METHODS = ['langsung', 'surel_dinas', 'aplikasi_pesan_dinas'] as const;

/**
 * Access handed over to the OPD. Credentials the registry keeps sealed (the website's database
 * password) are revealed once, in this action's answer, and never again through Loket; the case
 * records who received them, how and when — never the secret.
 */
export const handover: BlockDef<HandoverConfig> = {
  key: 'handover',
  title: { id: 'Serah terima akses', en: 'Access handover' },
  description: {
    id: 'Akses diserahkan kepada narahubung OPD. Kredensial yang tersimpan tersegel ditampilkan satu kali saja saat serah terima; yang dicatat hanya penerima, cara dan waktunya.',
    en: "Access is handed over to the OPD's contact. Sealed credentials are shown once only, at the handover; only the recipient, the way and the time are recorded.",
  },
  config: handoverConfig,
  records: [{ id: 'Penerima, cara dan waktu serah terima', en: 'Recipient, way and time of the handover' }],
  documents: [],
  actionNames: ['hand_over'],
  actions: (cfg, at) => [
    {
      key: 'hand_over',
      name: 'hand_over',
      title: { id: `Serahkan: ${cfg.what.id}`, en: `Hand over: ${cfg.what.en}` },
      roles: at.roles,
      input: z
        .strictObject({
          recipientName: text(200).meta({
            'x-loket-label': { id: 'Nama penerima di OPD', en: 'Recipient at the OPD' },
          }),
          recipientNip: optionalText(30).meta({
            'x-loket-label': { id: 'NIP penerima', en: "Recipient's NIP" },
          }),
          method: z.enum(HANDOVER_METHODS).meta({
            ...widget('radio'),
            'x-loket-label': { id: 'Cara penyerahan', en: 'How it is handed over' },
          }),
          accessNotes: optionalText(4000).meta({
            ...widget('textarea'),
            'x-loket-label': {
              id: 'Keterangan akses (alamat, nama pengguna — tanpa kata sandi)',
              en: 'Access details (address, user name — no password)',
            },
          }),
          received: z.literal(true, 'the recipient must confirm receipt').meta({
            ...widget('confirm'),
            'x-loket-label': {
              id: 'Penerima telah menerima akses',
              en: 'The recipient has received the access',
            },
          }),
        })
        .meta(
          confirmText({
            id: 'Kredensial ditampilkan satu kali saja. Pastikan penerima hadir/siap menerimanya.',
            en: 'Credentials are shown once only. Make sure the recipient is ready to receive them.',
          }),
        ),
      ...toNext(at),
      opdSees: ['recipientName', 'method', 'handedOverAt'],
      opdNews: () => ({ kind: 'case.handed_over', title: `${cfg.what.id} telah diserahkan` }),
    },
  ],
  check: (_cfg, at) => (at.next === null ? [{ path: '', message: 'a handover leads to a next step' }] : []),
};

// Every official PDF rendered from realistic data and read back with pdftotext (poppler-utils).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngDeclaring } from '../../storage/test-fixtures.ts';
import { renderBeritaAcara, renderRecommendation } from './case-documents.ts';
import { renderCaseSummary } from './case-summary.ts';
import { renderDispositionSheet } from './disposition-sheet.ts';
import {
  sampleBeritaAcara,
  sampleCaseSummary,
  sampleDispositionSheet,
  sampleKak,
  sampleLetter,
  sampleLetterhead,
  samplePng,
  sampleRecommendation,
  sampleReport,
  sampleSteps,
  websiteSopSheet,
} from './fixtures.ts';
import { renderFollowUpLetter } from './follow-up-letter.ts';
import { renderKak } from './kak.ts';
import {
  flat,
  hasPdftoppm,
  hasPdftotext,
  inkOutside,
  pdfImages,
  pdfInfo,
  pdfText,
  pdfToPng,
} from './pdftotext.ts';
import { renderReport } from './report.ts';
import { renderSopSheet } from './sop-sheet.ts';
import type { SopSheetData } from './types.ts';

const CI = process.env.CI === 'true';
const skip = !hasPdftotext && !CI;
if (skip) {
  console.warn('SKIPPED src/documents/render/render.test.ts: pdftotext (poppler-utils) is not installed.');
}
const OUT = path.join(import.meta.dirname, '..', '..', '..', 'test-results', 'docs');

/** Both text forms: layout for what sits on one line, raw (flattened) for wrapped text. */
function read(pdf: Buffer) {
  const layout = pdfText(pdf, 'layout');
  return { layout, raw: flat(pdfText(pdf, 'raw')), pages: layout.split('\f').filter((p) => p.trim()) };
}

function expectFooter(text: ReturnType<typeof read>, url: string, id: string) {
  const n = text.pages.length;
  text.pages.forEach((p, i) => {
    expect(p).toContain(`Halaman ${i + 1} dari ${n}`);
    expect(p).toContain(`ID dokumen: ${id}`);
    expect(flat(p)).toContain(url);
  });
  expect(text.raw).toContain('Dokumen ini diterbitkan oleh Loket DKISP. Periksa keasliannya:');
}

describe.skipIf(skip)('official PDFs', () => {
  beforeAll(() => {
    if (!hasPdftotext) throw new Error('pdftotext (poppler-utils) is required when CI=true');
  });

  describe('Lembar Disposisi', () => {
    it('shows the letter particulars, every disposition, the verification mark', async () => {
      const data = sampleDispositionSheet(3);
      const pdf = await renderDispositionSheet(data);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const t = read(pdf);
      expect(t.layout).toContain('PEMERINTAH KABUPATEN CONTOH');
      expect(t.layout).toContain('LEMBAR DISPOSISI');
      for (const s of [
        '0142/AG/DKISP/2026',
        '440/1187/35.16.10/2026',
        '20 November 2026',
        '23 November 2026 pukul 09.15 WIB',
        'Dinas Kesehatan Kabupaten Contoh',
        'Segera',
        'Kepala DKISP',
        'Permohonan pembuatan website Puskesmas se-Kabupaten Contoh',
      ]) {
        expect(t.raw).toContain(s);
      }
      for (const d of data.dispositions) {
        expect(t.raw).toContain(d.from);
        expect(t.raw).toContain(d.to);
        if (d.note) expect(t.raw).toContain(d.note);
      }
      expect(t.raw).toContain('Tindak lanjuti');
      expect(t.raw).toContain('Koordinasikan');
      expect(t.raw).toContain('Pelajari');
      expect(t.raw).toContain('27 November 2026'); // due date
      expect(t.raw).toContain('24 November 2026 11.15 WIB');
      expectFooter(t, data.verify.url, data.verify.documentId);
      expect(t.pages).toHaveLength(1);
      const info = pdfInfo(pdf);
      expect(info.Title).toBe('Lembar Disposisi 0142/AG/DKISP/2026');
      expect(info.Author).toBe('Loket DKISP');
      expect(info.Subject).toContain('440/1187/35.16.10/2026');
      expect(info.CreationDate).toBeTruthy();
    });

    it('keeps a 2,000-character subject and 300 dispositions, header repeated on each page', async () => {
      const sentence =
        'Permohonan pembuatan website resmi Puskesmas, Pustu, dan Posyandu se-Kabupaten Contoh beserta subdomain, hosting, dan pelatihan admin konten; ';
      const subject = `${sentence
        .repeat(Math.ceil(2000 / sentence.length))
        .slice(0, 1990)
        .trim()} AKHIR.`;
      expect(subject.length).toBeGreaterThanOrEqual(1990);
      const data = sampleDispositionSheet(300, subject);
      const pdf = await renderDispositionSheet(data);
      const t = read(pdf);
      expect(t.pages.length).toBeGreaterThan(5);
      expect(t.raw).toContain(flat(subject));
      for (let i = 3; i < 300; i++) {
        const d = data.dispositions[i];
        expect(t.raw).toContain(`${d?.from} ${d?.to}`);
        expect(t.raw).toContain(d?.note);
      }
      // The disposition table's header on every page.
      t.pages.forEach((p) => {
        expect(p).toMatch(/No\s+Dari\s+Kepada\s+Instruksi\s+Catatan\s+Tanggal\s+Batas waktu/);
      });
      // Rows in order, none lost: each row number once, 1..300.
      const numbers = [...t.raw.matchAll(/Catatan disposisi ke-(\d+):/g)].map((m) => Number(m[1]));
      expect(numbers).toEqual(Array.from({ length: 297 }, (_, i) => i + 4));
      expectFooter(t, data.verify.url, data.verify.documentId);
    });

    it('says so when there is no disposition yet, and survives odd characters and a bad logo', async () => {
      const data = sampleDispositionSheet(0);
      data.sender = 'Dinas Pariwisata — Kafé “Budaya” ✓ 漢字';
      data.letterhead.logo = Buffer.from('not an image');
      const t = read(await renderDispositionSheet(data));
      expect(t.raw).toContain('Belum ada disposisi.');
      expect(t.raw).toContain('Dinas Pariwisata — Kafé “Budaya” v ??');
    });
  });

  describe('Surat Tindak Lanjut', () => {
    for (const variant of ['approve', 'reject', 'return'] as const) {
      it(`lays out the ${variant} letter in the official form`, async () => {
        const data = sampleLetter(variant);
        const pdf = await renderFollowUpLetter(data);
        const t = read(pdf);
        expect(t.layout).toMatch(/Contoh, 28 November 2026/);
        expect(t.layout).toMatch(/Nomor\s+:\s+500\.11\/0012\/DKISP\/2026/);
        expect(t.layout).toMatch(/Sifat\s+:\s+Biasa/);
        expect(t.layout).toMatch(/Lampiran\s+:\s+-/);
        expect(t.raw).toContain(`Hal : ${data.subject}`);
        expect(t.raw).toContain('Yth. Kepala Dinas Kesehatan Kabupaten Contoh di Contoh');
        for (const p of data.paragraphs) expect(t.raw).toContain(p);
        expect(t.raw).toContain(data.signer.title);
        expect(t.layout).toContain('Drs. H. Ahmad Fauzi, M.Si.');
        expect(t.layout).toContain('NIP. 19700512 199803 1 007');
        expectFooter(t, data.verify.url, data.verify.documentId);
        // The variant shows only through its paragraphs.
        expect(t.raw.toLowerCase()).not.toMatch(/\b(approve|reject|return|variant)\b/);
        const info = pdfInfo(pdf);
        expect(`${info.Title} ${info.Subject} ${info.Keywords}`).not.toMatch(/approve|reject|return/);
        expect(info.Author).toBe('Loket DKISP');
      });
    }

    it('prints given Sifat and Lampiran, and a long letter goes on to a second page', async () => {
      const data = sampleLetter('approve');
      data.urgency = 'Segera';
      data.attachments = '1 (satu) berkas';
      data.paragraphs = Array.from({ length: 12 }, (_, i) => `${i + 1}. ${data.paragraphs[0]}`);
      data.signer.nip = null;
      const t = read(await renderFollowUpLetter(data));
      expect(t.layout).toMatch(/Sifat\s+:\s+Segera/);
      expect(t.layout).toMatch(/Lampiran\s+:\s+1 \(satu\) berkas/);
      expect(t.pages.length).toBeGreaterThanOrEqual(2);
      expect(t.raw).toContain('12. Menindaklanjuti');
      expect(t.raw).not.toContain('NIP.');
      expectFooter(t, data.verify.url, data.verify.documentId);
    });
  });

  it('Kerangka Acuan Kerja: title, reference, OPD, version, sections, author', async () => {
    const data = sampleKak();
    const t = read(await renderKak(data));
    expect(t.layout).toContain('KERANGKA ACUAN KERJA');
    expect(t.layout).toMatch(/Nomor permohonan\s+:\s+WEB-2026-0142/);
    expect(t.layout).toMatch(/Perangkat daerah\s+:\s+Dinas Kesehatan Kabupaten Contoh/);
    expect(t.layout).toMatch(/Versi\s+:\s+2/);
    data.sections.forEach(([title, text], i) => {
      // (Kerning of "space T" can close the gap as pdftotext sees it.)
      expect(t.raw).toMatch(new RegExp(`${i + 1}\\. ?${title}`));
      expect(t.raw).toContain(flat(text));
    });
    expect(t.raw).toContain('Disusun oleh Rina Wulandari, S.Kom. pada 25 November 2026 pukul 14.05 WIB.');
    expectFooter(t, data.verify.url, data.verify.documentId);
  });

  it('Laporan Pelaksanaan: summary, facts, documentation, steps with late ones marked, signer', async () => {
    const data = sampleReport();
    const t = read(await renderReport(data));
    expect(t.layout).toContain('LAPORAN PELAKSANAAN');
    expect(t.raw).toContain(flat(data.summary));
    for (const [k, v] of data.facts) expect(t.raw).toContain(`${k} ${v}`);
    for (const f of data.documentation) expect(t.raw).toContain(f);
    for (const s of data.steps) {
      expect(t.raw).toContain(s.title);
      expect(t.raw).toContain(`${s.standard} ${s.actual}`);
    }
    expect(t.raw.match(/Terlambat/g)).toHaveLength(data.steps.filter((s) => s.late).length);
    expect(t.raw).toContain('23 November 2026 08.00 WIB');
    expect(t.layout).toContain('11 Desember 2026');
    expect(t.layout).toContain('Ir. Bambang Sutrisno, M.T.');
    expect(t.layout).toContain('NIP. 19780304 200501 1 012');
    expectFooter(t, data.verify.url, data.verify.documentId);
  });

  it('Ringkasan permohonan: every step with standard and actual time', async () => {
    const data = sampleCaseSummary();
    const t = read(await renderCaseSummary(data));
    expect(t.layout).toContain('RINGKASAN PERMOHONAN');
    expect(t.raw).toContain('Berjalan — tahap 11 (Pekerjaan selesai)');
    for (const s of sampleSteps()) {
      expect(t.raw).toContain(`${s.no} ${s.title}`);
      expect(t.raw).toContain(`${s.standard} ${s.actual}`);
    }
    expect(t.raw).toContain('10 dari 11 tahapan selesai; 3 tahapan melewati waktu baku.');
    expectFooter(t, data.verify.url, data.verify.documentId);
  });

  it('Berita Acara serah terima: number, day and date, place, both parties, items, facts, two signers', async () => {
    const data = sampleBeritaAcara();
    const pdf = await renderBeritaAcara(data);
    const t = read(pdf);
    expect(t.layout).toContain('BERITA ACARA SERAH TERIMA');
    expect(t.raw).toContain(data.title);
    expect(t.layout).toContain(`Nomor: ${data.number}`);
    expect(t.raw).toContain('Pada hari ini Selasa, tanggal 1 Desember 2026, bertempat di Contoh');
    expect(t.layout).toMatch(/Nomor permohonan\s+:\s+COL-2026-00007/);
    expect(t.layout).toMatch(/Layanan\s+:\s+Layanan Colocation Server/);
    expect(t.raw).toContain('selanjutnya disebut PIHAK PERTAMA.');
    expect(t.raw).toContain('selanjutnya disebut PIHAK KEDUA.');
    data.items.forEach((item, i) => {
      expect(t.raw).toContain(`${i + 1} ${item}`);
    });
    for (const [k, v] of data.facts) expect(t.raw).toContain(`${k} ${v}`);
    expect(t.layout).toMatch(/PIHAK PERTAMA\s+PIHAK KEDUA/);
    expect(t.layout).toMatch(/Sri Wahyuni, S\.Kom\.\s+Drs\. H\. Ahmad Fauzi, M\.Si\./);
    expect(t.layout).toContain('NIP. 19700512 199803 1 007');
    expectFooter(t, data.verify.url, data.verify.documentId);
    expect(pdfInfo(pdf).Title).toBe(`${data.title} ${data.number}`);
    // A party without a name signs by hand; a witness signs below.
    const hand = read(
      await renderBeritaAcara({
        ...data,
        firstParty: { name: '', title: 'Perwakilan OPD' },
        items: [],
        witness: { name: 'Ir. Budi', title: 'Sekretaris DKISP', nip: null },
      }),
    );
    expect(hand.raw).toContain('(................................)');
    expect(hand.raw).toContain('Tidak ada rincian.');
    expect(hand.raw).toContain('Mengetahui, Sekretaris DKISP');
    await savePng(pdf, 'berita-acara', 1);
  });

  it('Rekomendasi konsultasi: attendees, findings, recommendation, signer, number', async () => {
    const data = sampleRecommendation();
    const pdf = await renderRecommendation(data);
    const t = read(pdf);
    expect(t.layout).toContain('REKOMENDASI');
    expect(t.layout).toContain(`Nomor: ${data.number}`);
    expect(t.raw).toContain(data.title);
    data.attendees.forEach((a, i) => {
      expect(t.raw).toContain(`${i + 1} ${a}`);
    });
    for (const p of data.findings.split('\n\n')) expect(t.raw).toContain(p);
    expect(t.raw).toContain(data.recommendation);
    expect(t.raw).toMatch(/A\. ?Peserta/);
    expect(t.raw).toMatch(/C\. ?Rekomendasi/);
    expect(t.raw).toContain('Tempat pertemuan Ruang rapat DKISP');
    expect(t.layout).toContain('Contoh, 1 Desember 2026');
    expect(t.layout).toContain('Ir. Bambang Sutrisno, M.T.');
    expectFooter(t, data.verify.url, data.verify.documentId);
    await savePng(pdf, 'rekomendasi', 1);
  });

  describe('SOP sheet', () => {
    it('shows the real SOP (the built-in definition): 11 activities, lanes, times, decisions, side boxes', async () => {
      const data = websiteSopSheet();
      const pdf = await renderSopSheet(data);
      const t = read(pdf);
      expect(t.layout).toContain('STANDAR OPERASIONAL PROSEDUR');
      expect(t.layout).toContain('LAYANAN PEMBUATAN/UPDATE WEBSITE');
      expect(data.steps).toHaveLength(11);
      for (const s of data.steps) {
        expect(t.raw).toContain(s.activity);
        for (const x of [...s.inputs, ...s.outputs]) expect(t.raw).toContain(x);
      }
      const times = data.steps.map((s) => s.time);
      expect(times).toEqual(
        expect.arrayContaining(['2 Menit', '3 Menit', '25 Menit', '30 Menit', '15 Menit']),
      );
      expect(times).toEqual(expect.arrayContaining(['3 Hari', '7 Hari', '90 Menit']));
      for (const time of times) expect(t.layout).toContain(time);
      for (const label of ['OPD', 'Bagian Umum', 'Kepala DKISP']) expect(t.layout).toContain(label);
      expect(t.raw).toContain('Bidang Aplikasi Informatika');
      expect(t.raw).toContain('Disetujui?');
      expect(t.raw).toContain('Website sudah ada?');
      expect(t.raw.match(/\bYa\b/g)?.length).toBeGreaterThanOrEqual(2);
      expect(t.raw.match(/\bTidak\b/g)?.length).toBeGreaterThanOrEqual(2);
      // The diamonds, numbered, every way named in Keterangan.
      expect(t.raw).toMatch(
        /Keputusan 1 Disetujui \(ke no\. 6\) Ditolak \(selesai, ditolak\) Dikembalikan untuk revisi \(dikembalikan ke OPD, lalu ke no\. 4\)/,
      );
      expect(t.raw).toMatch(/Keputusan 2 Ya: update \(ke no\. 7\) Tidak: pembuatan \(ke no\. 7\)/);
      for (const box of [
        'Keterkaitan SOP',
        'Peralatan/Perlengkapan',
        'Peringatan',
        'Pencatatan dan Pendataan',
      ]) {
        expect(t.layout).toContain(box);
      }
      for (const x of [...data.related, ...data.equipment, ...data.warnings, ...data.records]) {
        expect(t.raw).toContain(x);
      }
      // Header row on every page.
      for (const p of t.pages) {
        expect(p).toMatch(/Pelaksana/);
        expect(p).toMatch(/Mutu Baku/);
        expect(p).toMatch(/Kelengkapan\s+Waktu\s+Output/);
      }
      expectFooter(t, data.verify?.url as string, data.verify?.documentId as string);
      const info = pdfInfo(pdf);
      expect(info['Page size']).toMatch(/841.89 x 595.28/); // landscape A4
      expect(info.Author).toBe('Loket DKISP');
    });

    it('pages a long SOP with many lanes, decisions and no verification mark', async () => {
      const base = websiteSopSheet(null);
      const lanes = [...base.lanes, { key: 'noc', label: 'Tim NOC' }, { key: 'pptk', label: 'PPTK' }];
      const keys = lanes.map((l) => l.key);
      const steps: SopSheetData['steps'] = Array.from({ length: 60 }, (_, i) => ({
        no: i + 1,
        activity: `Kegiatan nomor ${i + 1} yang cukup panjang untuk dibungkus ke beberapa baris`,
        lane: keys[(i * 7) % keys.length] as string,
        ...(i % 9 === 4
          ? {
              decision: {
                no: i,
                question: `Keputusan ${i + 1}?`,
                outcomes: [
                  { label: 'Ya', to: i + 2 },
                  { label: 'Tidak', to: Math.max(1, i - 3) },
                ],
              },
            }
          : {}),
        ...(i % 9 === 7
          ? {
              decision: {
                no: i,
                question: 'Pertanyaan yang sangat panjang sekali untuk sebuah belah ketupat?',
                outcomes: [
                  { label: 'Ya', to: i + 2 },
                  { label: 'Tidak', to: i + 2 },
                ],
              },
            }
          : {}),
        inputs: [`Masukan ${i + 1}`, 'Data untuk tindak lanjut'],
        time: `${i + 1} Menit`,
        outputs: [`Keluaran ${i + 1}`],
        ...(i % 10 === 0 ? { notes: `Catatan langkah ${i + 1}` } : {}),
      }));
      const pdf = await renderSopSheet({ ...base, lanes, steps });
      const t = read(pdf);
      expect(t.pages.length).toBeGreaterThan(4);
      for (const s of steps) {
        expect(t.raw).toContain(s.activity);
        expect(t.raw).toContain(`${s.no} Menit`);
      }
      for (const p of t.pages) expect(p).toMatch(/Kelengkapan\s+Waktu\s+Output/);
      expect(t.raw).toContain(
        'Keputusan 7: Pertanyaan yang sangat panjang sekali untuk sebuah belah ketupat?',
      );
      t.pages.forEach((p, i) => {
        expect(p).toContain(`Halaman ${i + 1} dari ${t.pages.length}`);
      });
      expect(t.raw).not.toContain('Periksa keasliannya');
      await savePng(pdf, 'sop-long', 2);
    });

    it('a 3-step SOP in 2 lanes with one decision: its own lanes, no fixed ones', async () => {
      const base = websiteSopSheet();
      const data: SopSheetData = {
        ...base,
        title: 'Layanan Konsultasi Singkat',
        version: 3,
        lanes: [
          { key: 'pemohon', label: 'Perangkat Daerah' },
          { key: 'bidang', label: 'Bidang Persandian' },
        ],
        steps: [
          {
            no: 1,
            activity: 'Permohonan konsultasi',
            lane: 'pemohon',
            inputs: ['Surat'],
            time: '5 Menit',
            outputs: ['Surat'],
          },
          {
            no: 2,
            activity: 'Kabid memutuskan konsultasi',
            lane: 'bidang',
            decision: {
              no: 1,
              question: 'Dapat dilayani?',
              outcomes: [
                { label: 'Dilayani', to: 3 },
                { label: 'Ditolak', to: null, end: 'rejected' },
              ],
            },
            inputs: ['Surat'],
            time: '1 Hari',
            outputs: ['Keputusan'],
          },
          {
            no: 3,
            activity: 'Konsultasi dilaksanakan',
            lane: 'bidang',
            inputs: [],
            time: '2 Hari',
            outputs: ['Rekomendasi'],
          },
        ],
      };
      const pdf = await renderSopSheet(data);
      const t = read(pdf);
      expect(t.pages).toHaveLength(1);
      expect(t.layout).toContain('LAYANAN KONSULTASI SINGKAT');
      expect(t.layout).toContain('Versi 3');
      expect(t.raw).toContain('Perangkat Daerah');
      expect(t.raw).toContain('Bidang Persandian');
      for (const fixed of ['Bagian Umum', 'Kepala DKISP', 'Bidang Aplikasi Informatika']) {
        expect(t.raw).not.toContain(fixed);
      }
      expect(t.raw).toContain('Dapat dilayani?');
      expect(t.raw).toContain('Keputusan 1');
      expect(t.raw).toContain('Dilayani (ke no. 3)');
      // The end is drawn as a labelled stub and listed.
      expect(t.raw).toContain('Ditolak (selesai, ditolak)');
      expectFooter(t, data.verify?.url as string, data.verify?.documentId as string);
      await savePng(pdf, 'sop-3-steps', 1);
      // (The check sees ink: a box narrower than the table leaves some outside.)
      if (hasPdftoppm) expect(inkOutside(pdf, 1, 100, 700)).toBeGreaterThan(100);
      if (hasPdftoppm)
        for (let p = 1; p <= t.pages.length; p++) expect(inkOutside(pdf, p, 26, 841.89 - 26)).toBe(0);
    });

    it('a 15-step SOP in 10 lanes with three diamonds, one of four ways, as a draft', async () => {
      const base = websiteSopSheet(null);
      const lanes = Array.from({ length: 10 }, (_, k) => ({ key: `l${k}`, label: `Pelaksana ${k + 1}` }));
      const steps: SopSheetData['steps'] = Array.from({ length: 15 }, (_, i) => ({
        no: i + 1,
        activity: `Tahap ${i + 1}: kegiatan yang dilakukan pada tahap ini`,
        lane: `l${(i * 3) % 10}`,
        inputs: [`Masukan ${i + 1}`],
        time: `${i + 1} Hari`,
        outputs: [`Keluaran ${i + 1}`],
      }));
      (steps[4] as SopSheetData['steps'][number]).decision = {
        no: 1,
        question: 'Lengkap?',
        outcomes: [
          { label: 'Lengkap', to: 6 },
          { label: 'Kurang', to: 2, revise: true },
          { label: 'Ditolak', to: null, end: 'rejected' },
          { label: 'Dialihkan', to: 12 },
        ],
      };
      (steps[8] as SopSheetData['steps'][number]).decision = {
        no: 2,
        question: 'Server ada?',
        outcomes: [
          { label: 'Ya', to: 10 },
          { label: 'Tidak', to: 10 },
        ],
      };
      (steps[13] as SopSheetData['steps'][number]).decision = {
        no: 3,
        question: 'Diterima?',
        outcomes: [
          { label: 'Ya', to: 15 },
          { label: 'Tidak', to: 7 },
        ],
      };
      const pdf = await renderSopSheet({ ...base, lanes, steps, draft: true });
      const t = read(pdf);
      for (const l of lanes) expect(t.raw).toContain(l.label);
      for (const s of steps) {
        expect(t.raw).toContain(s.activity);
        expect(t.raw).toContain(`${s.no} Hari`);
      }
      expect(t.raw).toContain('Keputusan 1');
      expect(t.raw).toContain('Lengkap (ke no. 6)');
      expect(t.raw).toContain('Kurang (dikembalikan ke OPD, lalu ke no. 2)');
      expect(t.raw).toContain('Ditolak (selesai, ditolak)');
      expect(t.raw).toContain('Dialihkan (ke no. 12)');
      expect(t.raw).toContain('Keputusan 2');
      expect(t.raw).toContain('Keputusan 3');
      // (The watermark's letters cut through the layout text: read the pages in drawing order.)
      const rawPages = pdfText(pdf, 'raw')
        .split('\f')
        .filter((p) => p.trim());
      expect(rawPages).toHaveLength(t.pages.length);
      for (const p of rawPages) {
        expect(flat(p)).toMatch(/Kelengkapan Waktu Output/);
        expect(flat(p)).toMatch(/PRATINJ ?AU/);
      }
      expect(t.raw).toContain('PRATINJAU (belum diterbitkan)');
      expect(t.raw).not.toContain('Periksa keasliannya');
      // The table keeps to the page: every lane column and the text columns inside the margins.
      expect(pdfInfo(pdf)['Page size']).toMatch(/841.89 x 595.28/);
      await savePng(pdf, 'sop-15-steps', 1);
      if (hasPdftoppm)
        for (let p = 1; p <= t.pages.length; p++) expect(inkOutside(pdf, p, 26, 841.89 - 26)).toBe(0);
    });
  });

  it('renders empty data without failing', async () => {
    const sop = {
      ...websiteSopSheet(null),
      lanes: [],
      steps: [],
      related: [],
      equipment: [],
      warnings: [],
      records: [],
    };
    expect(read(await renderSopSheet(sop)).layout).toContain('Halaman 1 dari 1');
    const report = { ...sampleReport(), facts: [], documentation: [], steps: [], summary: '' };
    const r = read(await renderReport(report));
    expect(r.raw).toContain('Tidak ada data instalasi.');
    expect(r.raw).toContain('Tidak ada berkas dokumentasi.');
    expect(r.raw).toContain('Belum ada tahapan.');
    const kak = read(
      await renderKak({
        ...sampleKak(),
        sections: [],
        letterhead: { ...sampleKak().letterhead, logo: null },
      }),
    );
    expect(kak.layout).toContain('KERANGKA ACUAN KERJA');
    const letter = read(await renderFollowUpLetter({ ...sampleLetter('return'), paragraphs: [] }));
    expect(letter.layout).toContain('NIP. 19700512 199803 1 007');
  });

  it('draws a logo within bounds and leaves out one declaring more pixels than a logo may have', async () => {
    const letter = (logo: Buffer) =>
      renderFollowUpLetter({ ...sampleLetter('approve'), letterhead: sampleLetterhead(logo) });
    expect(pdfImages(await letter(samplePng(96)))).toContainEqual({ width: 96, height: 96 });
    // RGB, so pdfkit would copy its (tiny) data through and declare 11,000 × 11,000 in the PDF.
    const huge = await letter(pngDeclaring(11_000, 11_000, 2));
    const images = pdfImages(huge);
    expect(images.length).toBeGreaterThan(0); // the QR code
    for (const img of images) expect(Math.max(img.width, img.height)).toBeLessThanOrEqual(4096);
    expect(read(huge).layout).toContain('PEMERINTAH KABUPATEN CONTOH');
    // A second IHDR (pdfkit keeps the last one) is no logo either.
    const small = pngDeclaring(64, 64, 2);
    const twoHeaders = Buffer.concat([
      small.subarray(0, 33),
      pngDeclaring(11_000, 11_000, 2).subarray(8, 33),
      small.subarray(33),
    ]);
    for (const img of pdfImages(await letter(twoHeaders))) expect(img.width).toBeLessThanOrEqual(4096);
  });

  // For looking at: test-results/docs/*.png (git-ignored).
  it.skipIf(!hasPdftoppm)('renders pages of the SOP sheet and the letter to PNG', async () => {
    const sop = await renderSopSheet(websiteSopSheet());
    const files = [
      ...(await savePng(sop, 'sop-sheet', 1)),
      ...(await savePng(sop, 'sop-sheet', 2)),
      ...(await savePng(await renderFollowUpLetter(sampleLetter('reject')), 'surat-tindak-lanjut', 1)),
      ...(await savePng(await renderDispositionSheet(sampleDispositionSheet(12)), 'lembar-disposisi', 1)),
      ...(await savePng(await renderReport(sampleReport()), 'laporan', 1)),
      ...(await savePng(await renderKak(sampleKak()), 'kak', 1)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
});

async function savePng(pdf: Buffer, name: string, page: number) {
  if (!hasPdftoppm) return [];
  return pdfToPng(pdf, path.join(OUT, `${name}-p${page}`), { first: page, last: page, dpi: 60 });
}

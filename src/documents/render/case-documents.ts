// The numbered documents a step of an SOP issues to the OPD (block issue_document): the Berita
// Acara serah terima and the recommendation of a consultation. Plain data in, PDF bytes out.
import {
  bounds,
  type Doc,
  drawFields,
  drawHeading,
  drawLetterhead,
  drawParagraphs,
  drawSignature,
  drawTable,
  ensureSpace,
  FONT,
  formatDate,
  leading,
  put,
  renderPdf,
  wrap,
  wrapBalanced,
} from './layout.ts';
import type { BeritaAcaraData, CaseDocumentHead, Party, RecommendationData } from './types.ts';

const SIZE = 10.5;
const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

/** The weekday of a calendar date (YYYY-MM-DD), in Indonesian. */
export function dayName(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? '' : (DAYS[d.getUTCDay()] ?? '');
}

function drawHead(doc: Doc, heading: string, d: CaseDocumentHead) {
  drawLetterhead(doc, d.letterhead);
  const { left, width } = bounds(doc);
  let y = doc.y;
  for (const line of wrapBalanced(doc, heading, width, FONT.sansBold, 13)) {
    put(doc, line, left, y, { font: FONT.sansBold, size: 13, width, align: 'center' });
    y += leading(13);
  }
  for (const line of wrapBalanced(doc, d.title, width - 60, FONT.sansBold, 11)) {
    put(doc, line, left, y, { font: FONT.sansBold, size: 11, width, align: 'center' });
    y += leading(11);
  }
  put(doc, `Nomor: ${d.number}`, left, y + 1, { font: FONT.sans, size: 10.5, width, align: 'center' });
  doc.y = y + leading(10.5) + 12;
  drawFields(
    doc,
    [
      ['Nomor permohonan', d.caseRef],
      ['Layanan', d.service],
      ['Perangkat daerah', d.opd],
      ['Perihal', d.subject],
    ],
    { size: SIZE },
  );
  doc.y += 8;
}

function drawFacts(doc: Doc, facts: [string, string][], number: string) {
  if (facts.length === 0) return;
  const { width } = bounds(doc);
  drawHeading(doc, 'Keterangan', { number });
  drawTable(doc, {
    columns: [
      { header: 'Uraian', width: 160 },
      { header: 'Keterangan', width: width - 160 },
    ],
    rows: facts.map(([k, v]) => [{ text: k, bold: true }, v || '-']),
    size: 9.5,
    padding: 4,
  });
  doc.y += 6;
}

/** Two signature blocks side by side, e.g. PIHAK PERTAMA and PIHAK KEDUA. */
function drawTwoSignatures(doc: Doc, a: { label: string; p: Party }, b: { label: string; p: Party }) {
  const { left, width } = bounds(doc);
  const bw = width / 2 - 10;
  const lh = leading(SIZE);
  const block = (s: { label: string; p: Party }) => ({
    head: [s.label, ...wrapBalanced(doc, s.p.title, bw, FONT.sans, SIZE)],
    name: s.p.name.trim()
      ? wrapBalanced(doc, s.p.name, bw, FONT.sansBold, SIZE)
      : ['(................................)'],
  });
  const blocks = [block(a), block(b)];
  const headLines = Math.max(...blocks.map((x) => x.head.length));
  const nameLines = Math.max(...blocks.map((x) => x.name.length));
  const height = (headLines + nameLines + 1) * lh + 58;
  ensureSpace(doc, height + 6);
  const top = doc.y + 6;
  blocks.forEach((x, i) => {
    const bx = left + i * (bw + 20);
    let y = top;
    x.head.forEach((line, k) => {
      put(doc, line, bx, y, {
        font: k === 0 ? FONT.sansBold : FONT.sans,
        size: SIZE,
        width: bw,
        align: 'center',
      });
      y += lh;
    });
    y = top + headLines * lh + 58;
    for (const line of x.name) {
      put(doc, line, bx, y, {
        font: FONT.sansBold,
        size: SIZE,
        width: bw,
        align: 'center',
        underline: line[0] !== '(',
      });
      y += lh;
    }
    const nip = (i === 0 ? a : b).p.nip;
    if (nip) put(doc, `NIP. ${nip}`, bx, y, { font: FONT.sans, size: SIZE, width: bw, align: 'center' });
  });
  doc.x = left;
  doc.y = top + height;
}

export async function renderBeritaAcara(d: BeritaAcaraData): Promise<Buffer> {
  return renderPdf(
    {
      title: `${d.title} ${d.number}`,
      subject: `Berita Acara: ${d.subject}`.slice(0, 500),
      keywords: 'berita acara serah terima',
      verify: d.verify,
    },
    (doc) => {
      drawHead(doc, 'BERITA ACARA SERAH TERIMA', d);
      const { width } = bounds(doc);
      const day = dayName(d.date);
      drawParagraphs(
        doc,
        [
          `Pada hari ini${day ? ` ${day}` : ''}, tanggal ${formatDate(d.date)}, bertempat di ${d.place}, kami yang bertanda tangan di bawah ini:`,
        ],
        { size: SIZE },
      );
      const party = (n: string, p: Party, as: string) => [
        [n, 'Nama', ':', p.name.trim() || '-'],
        ['', 'Jabatan', ':', p.title],
        ['', { text: `selanjutnya disebut ${as}.`, span: 3, italic: true }],
      ];
      drawTable(doc, {
        columns: [
          { header: '', width: 20 },
          { header: '', width: 70 },
          { header: '', width: 10 },
          { header: '', width: width - 100 },
        ],
        rows: [...party('1.', d.firstParty, 'PIHAK PERTAMA'), ...party('2.', d.secondParty, 'PIHAK KEDUA')],
        header: false,
        borders: false,
        size: SIZE,
        padding: 1.5,
      });
      doc.y += 6;
      drawParagraphs(
        doc,
        [
          'PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA menerima dari PIHAK PERTAMA, dengan rincian sebagai berikut:',
        ],
        { size: SIZE },
      );
      drawTable(doc, {
        columns: [
          { header: 'No', width: 28, align: 'center' },
          { header: 'Uraian', width: width - 28 },
        ],
        rows:
          d.items.length > 0
            ? d.items.map((item, i) => [{ text: String(i + 1), align: 'center' }, item])
            : [[{ text: 'Tidak ada rincian.', span: 2, italic: true }]],
        size: 9.5,
        padding: 4,
      });
      doc.y += 8;
      drawFacts(doc, d.facts, '');
      drawParagraphs(
        doc,
        [
          'Demikian Berita Acara Serah Terima ini dibuat dengan sebenarnya dalam rangkap secukupnya untuk dipergunakan sebagaimana mestinya.',
        ],
        { size: SIZE },
      );
      drawTwoSignatures(
        doc,
        { label: 'PIHAK PERTAMA', p: d.firstParty },
        { label: 'PIHAK KEDUA', p: d.secondParty },
      );
      if (d.witness) {
        const { left, width: w } = bounds(doc);
        ensureSpace(doc, 120);
        put(doc, 'Mengetahui,', left, doc.y + 4, { font: FONT.sans, size: SIZE, width: w, align: 'center' });
        doc.y += leading(SIZE);
        const save = doc.x;
        // Centred under both parties.
        const bw = Math.min(250, w * 0.5);
        const lines = wrap(doc, d.witness.title, bw, FONT.sans, SIZE);
        let y = doc.y + 4;
        for (const l of lines) {
          put(doc, l, left, y, { font: FONT.sans, size: SIZE, width: w, align: 'center' });
          y += leading(SIZE);
        }
        y += 58;
        put(doc, d.witness.name, left, y, {
          font: FONT.sansBold,
          size: SIZE,
          width: w,
          align: 'center',
          underline: true,
        });
        y += leading(SIZE);
        if (d.witness.nip)
          put(doc, `NIP. ${d.witness.nip}`, left, y, {
            font: FONT.sans,
            size: SIZE,
            width: w,
            align: 'center',
          });
        doc.x = save;
        doc.y = y + leading(SIZE);
      }
    },
  );
}

export async function renderRecommendation(d: RecommendationData): Promise<Buffer> {
  return renderPdf(
    {
      title: `${d.title} ${d.number}`,
      subject: `Rekomendasi: ${d.subject}`.slice(0, 500),
      keywords: 'rekomendasi konsultasi',
      verify: d.verify,
    },
    (doc) => {
      drawHead(doc, 'REKOMENDASI', d);
      const { width } = bounds(doc);
      const paras = (text: string) => {
        const ps = text.split(/\n\s*\n/).filter((p) => p.trim());
        return ps.length > 0 ? ps : ['-'];
      };
      drawHeading(doc, 'Peserta', { number: 'A.' });
      drawTable(doc, {
        columns: [
          { header: 'No', width: 28, align: 'center' },
          { header: 'Nama / Jabatan / Instansi', width: width - 28 },
        ],
        rows:
          d.attendees.length > 0
            ? d.attendees.map((a, i) => [{ text: String(i + 1), align: 'center' }, a])
            : [[{ text: 'Tidak ada daftar peserta.', span: 2, italic: true }]],
        size: 9.5,
        padding: 3.5,
      });
      doc.y += 6;
      drawHeading(doc, 'Hasil Konsultasi', { number: 'B.' });
      drawParagraphs(doc, paras(d.findings), { size: SIZE });
      doc.y += 4;
      drawHeading(doc, 'Rekomendasi', { number: 'C.' });
      drawParagraphs(doc, paras(d.recommendation), { size: SIZE });
      doc.y += 4;
      drawFacts(doc, d.facts, 'D.');
      drawSignature(doc, d.signer, { dateLine: `${d.place}, ${formatDate(d.date)}`, size: SIZE });
    },
  );
}

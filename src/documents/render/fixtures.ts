// Realistic sample data for the renderers' tests and benchmark (not used by the service).
import zlib from 'node:zlib';
import { builtInSop } from '../../sop/catalogue.ts';
import { sopSheetData } from '../sop-sheet-data.ts';
import type {
  BeritaAcaraData,
  CaseSummaryData,
  DispositionEntry,
  DispositionSheetData,
  FollowUpLetterData,
  KakData,
  Letterhead,
  RecommendationData,
  ReportData,
  SopSheetData,
  StepLine,
  VerifyMark,
} from './types.ts';

/** A small PNG emblem (a gold disc with a green ring and a blue star-ish centre), made in code. */
export function samplePng(size = 96): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      const r = Math.hypot(dx, dy) / c;
      const a = Math.atan2(dy, dx);
      const star = 0.45 + 0.12 * Math.cos(5 * a);
      let px: [number, number, number, number] = [0, 0, 0, 0];
      if (r <= 1) px = [20, 110, 60, 255];
      if (r <= 0.86) px = [232, 184, 40, 255];
      if (r <= star) px = [30, 70, 150, 255];
      raw.set(px, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function sampleLetterhead(logo: Buffer | null = samplePng()): Letterhead {
  return {
    government: 'Pemerintah Kabupaten Contoh',
    agency: 'Dinas Komunikasi, Informatika, Statistik dan Persandian',
    address: 'Jalan Jenderal Sudirman Nomor 17, Contoh 61211',
    contact: 'Telepon (0321) 861234 · Pos-el dkisp@contohkab.go.id · Laman dkisp.contohkab.go.id',
    logo,
  };
}

export function sampleVerify(documentId = 'DOC-2026-000142'): VerifyMark {
  return { documentId, url: `https://loket.contohkab.go.id/verifikasi/${documentId}` };
}

const KABID = 'Ir. Bambang Sutrisno, M.T.';
const HEAD = 'Drs. H. Ahmad Fauzi, M.Si.';

/** A disposition sheet with `n` dispositions (the first three are the real chain, then more). */
export function sampleDispositionSheet(n = 3, subject?: string): DispositionSheetData {
  const base = Date.UTC(2026, 10, 23, 2, 15); // 23 November 2026 09.15 WIB
  const chain: DispositionEntry[] = [
    {
      from: `Kepala DKISP (${HEAD})`,
      to: 'Bidang Aplikasi Informatika',
      instruction: 'tindak_lanjuti',
      note: 'Mohon dikaji kebutuhan websitenya dan dilaporkan hasilnya.',
      at: new Date(base + 40 * 60_000),
      dueDate: '2026-11-27',
    },
    {
      from: `Kabid Aplikasi Informatika (${KABID})`,
      to: 'Sub Koordinator Pengembangan Aplikasi (Rina Wulandari, S.Kom.)',
      instruction: 'koordinasikan',
      note: 'Siapkan data kebutuhan informasi bersama Dinas Kesehatan.',
      at: new Date(base + 26 * 3600_000),
      dueDate: '2026-11-26',
    },
    {
      from: 'Sub Koordinator Pengembangan Aplikasi',
      to: 'Dwi Prasetyo, S.T. (staf)',
      instruction: 'pelajari',
      note: null,
      at: new Date(base + 27 * 3600_000),
      dueDate: null,
    },
  ];
  const dispositions: DispositionEntry[] = [];
  for (let i = 0; i < n; i++) {
    const c = chain[i];
    dispositions.push(
      c ?? {
        from: `Pejabat Pengirim ${i + 1}`,
        to: `Penerima Disposisi ${i + 1}`,
        instruction: i % 2 ? 'siapkan_jawaban' : 'untuk_diketahui',
        note: `Catatan disposisi ke-${i + 1}: mohon ditindaklanjuti sesuai ketentuan yang berlaku.`,
        at: new Date(base + (i + 30) * 3600_000),
        dueDate: i % 3 ? '2026-12-15' : null,
      },
    );
  }
  return {
    letterhead: sampleLetterhead(),
    agendaNumber: '0142/AG/DKISP/2026',
    receivedAt: new Date(base),
    letterNumber: '440/1187/35.16.10/2026',
    letterDate: '2026-11-20',
    sender: 'Dinas Kesehatan Kabupaten Contoh',
    subject: subject ?? 'Permohonan pembuatan website Puskesmas se-Kabupaten Contoh',
    urgency: 'segera',
    addressee: 'Kepala DKISP',
    dispositions,
    verify: sampleVerify('DSP-2026-000142'),
  };
}

const LETTER_PARAGRAPHS: Record<FollowUpLetterData['variant'], string[]> = {
  approve: [
    'Menindaklanjuti surat Saudara Nomor 440/1187/35.16.10/2026 tanggal 20 November 2026 perihal Permohonan Pembuatan Website Puskesmas se-Kabupaten Contoh, dengan hormat kami sampaikan bahwa permohonan tersebut dapat kami setujui dan akan dilaksanakan oleh Bidang Aplikasi Informatika.',
    'Untuk kelancaran pelaksanaannya, kami mohon Saudara menunjuk petugas penghubung yang akan menyampaikan data kebutuhan informasi, struktur menu, dan materi konten website kepada tim kami paling lambat 5 (lima) hari kerja sejak surat ini diterima.',
    'Demikian disampaikan, atas perhatian dan kerja samanya kami ucapkan terima kasih.',
  ],
  reject: [
    'Menindaklanjuti surat Saudara Nomor 440/1187/35.16.10/2026 tanggal 20 November 2026 perihal Permohonan Pembuatan Website Puskesmas se-Kabupaten Contoh, dengan hormat kami sampaikan bahwa permohonan tersebut belum dapat kami laksanakan karena kapasitas server di NOC DKISP untuk tahun anggaran 2026 telah terpakai seluruhnya.',
    'Permohonan dapat diajukan kembali pada tahun anggaran 2027 setelah penambahan kapasitas server selesai dilaksanakan.',
    'Demikian disampaikan, atas perhatian Saudara kami ucapkan terima kasih.',
  ],
  return: [
    'Menindaklanjuti surat Saudara Nomor 440/1187/35.16.10/2026 tanggal 20 November 2026 perihal Permohonan Pembuatan Website Puskesmas se-Kabupaten Contoh, dengan hormat kami kembalikan permohonan tersebut untuk dilengkapi dengan daftar nama subdomain yang diusulkan dan nama petugas pengelola konten.',
    'Setelah dilengkapi, permohonan dapat dikirim kembali melalui Loket DKISP.',
    'Demikian disampaikan, atas perhatian Saudara kami ucapkan terima kasih.',
  ],
};

export function sampleLetter(variant: FollowUpLetterData['variant'] = 'approve'): FollowUpLetterData {
  return {
    letterhead: sampleLetterhead(),
    number: '500.11/0012/DKISP/2026',
    date: '2026-11-28',
    place: 'Contoh',
    variant,
    addressee: 'Kepala Dinas Kesehatan Kabupaten Contoh',
    addresseePlace: 'Contoh',
    subject: 'Tindak Lanjut Permohonan Pembuatan Website Puskesmas se-Kabupaten Contoh',
    paragraphs: LETTER_PARAGRAPHS[variant],
    signer: {
      name: HEAD,
      title: 'Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Contoh',
      nip: '19700512 199803 1 007',
    },
    verify: sampleVerify('STL-2026-000012'),
  };
}

export function sampleKak(): KakData {
  return {
    letterhead: sampleLetterhead(),
    caseRef: 'WEB-2026-0142',
    subject: 'Pembuatan Website Puskesmas se-Kabupaten Contoh',
    opd: 'Dinas Kesehatan Kabupaten Contoh',
    version: 2,
    sections: [
      [
        'Tujuan',
        'Menyediakan website resmi bagi 27 Puskesmas di Kabupaten Contoh sebagai sarana informasi layanan kesehatan, jadwal pelayanan, dan pengumuman kepada masyarakat.',
      ],
      [
        'Ruang Lingkup',
        'Pembuatan satu template website yang dipakai bersama oleh seluruh Puskesmas, masing-masing dengan subdomain sendiri di bawah contohkab.go.id, termasuk pelatihan pengelola konten.',
      ],
      [
        'Struktur Menu',
        '- Beranda\n- Profil (visi dan misi, struktur organisasi)\n- Layanan dan jadwal pelayanan\n- Berita dan pengumuman\n- Kontak dan pengaduan',
      ],
      [
        'Fitur',
        'Pengelolaan konten (CMS), galeri foto, formulir pengaduan, dan tautan ke aplikasi antrean daring.',
      ],
      ['Pengguna', 'Masyarakat umum; admin konten di setiap Puskesmas; admin Dinas Kesehatan.'],
      ['Jadwal', 'Analisa kebutuhan 3 hari kerja, pembuatan 7 hari kerja, instalasi 1 hari kerja.'],
      ['Tim', 'Ir. Bambang Sutrisno, M.T. (penanggung jawab); Rina Wulandari, S.Kom.; Dwi Prasetyo, S.T.'],
    ],
    createdAt: new Date(Date.UTC(2026, 10, 25, 7, 5)),
    createdBy: 'Rina Wulandari, S.Kom.',
    verify: sampleVerify('KAK-2026-000142-2'),
  };
}

/** The case's steps, as the service would list them (some late). */
export function sampleSteps(): StepLine[] {
  const t0 = Date.UTC(2026, 10, 23, 1, 0);
  const m = 60_000;
  const d = 24 * 60; // start offsets are in minutes
  const rows: [string, string, number, number, string, string, string | null, boolean][] = [
    [
      'Surat permohonan pembuatan/update website dari OPD',
      'OPD',
      0,
      2,
      '2 menit',
      '2 menit',
      'Siti Aminah',
      false,
    ],
    [
      'Scanning surat, mengagendakan surat, melengkapi lembar disposisi',
      'Bagian Umum',
      15,
      4,
      '3 menit',
      '4 menit',
      'Yuliana',
      true,
    ],
    [
      'Disposisi Kepala DKISP ke Bidang Aplikasi Informatika',
      'Kepala DKISP',
      55,
      2,
      '2 menit',
      '2 menit',
      HEAD,
      false,
    ],
    [
      'Kabid Aplikasi Informatika melakukan pengkajian bersama Sub Koordinator',
      'Bidang Aplikasi Informatika',
      d,
      40,
      '25 menit',
      '40 menit',
      KABID,
      true,
    ],
    [
      'Permintaan disetujui/dapat dilaksanakan atau tidak',
      'Bidang Aplikasi Informatika',
      d + 60,
      30,
      '30 menit',
      '30 menit',
      KABID,
      false,
    ],
    [
      'Pembuatan/update website',
      'Bidang Aplikasi Informatika',
      2 * d,
      10,
      '15 menit',
      '10 menit',
      KABID,
      false,
    ],
    [
      'Analisa kebutuhan informasi',
      'Bidang Aplikasi Informatika',
      2 * d + 30,
      2 * 24 * 60,
      '3 hari kerja',
      '2 hari kerja',
      'Rina Wulandari, S.Kom.',
      false,
    ],
    [
      'Pembuatan website',
      'Bidang Aplikasi Informatika',
      4 * d,
      8 * 24 * 60,
      '7 hari kerja',
      '8 hari kerja',
      'Dwi Prasetyo, S.T.',
      true,
    ],
    [
      'Instalasi website pada server',
      'Bidang Aplikasi Informatika',
      14 * d,
      75,
      '90 menit',
      '75 menit',
      'Dwi Prasetyo, S.T.',
      false,
    ],
    [
      'Melaporkan pelaksanaan pembuatan/update website',
      'Bidang Aplikasi Informatika',
      14 * d + 120,
      2,
      '2 menit',
      '2 menit',
      'Rina Wulandari, S.Kom.',
      false,
    ],
    ['Pekerjaan selesai', 'Bidang Aplikasi Informatika', 14 * d + 180, 0, '2 menit', '-', null, false],
  ];
  return rows.map(([title, executor, start, minutes, standard, actual, actor, late], i) => {
    const open = i === rows.length - 1;
    return {
      no: i + 1,
      title,
      executor,
      startedAt: new Date(t0 + start * m),
      endedAt: open ? null : new Date(t0 + (start + minutes) * m),
      actor,
      standard,
      actual,
      late,
    };
  });
}

export function sampleReport(): ReportData {
  return {
    letterhead: sampleLetterhead(),
    caseRef: 'WEB-2026-0142',
    subject: 'Pembuatan Website Puskesmas se-Kabupaten Contoh',
    opd: 'Dinas Kesehatan Kabupaten Contoh',
    summary:
      'Website Puskesmas se-Kabupaten Contoh telah dibuat memakai CMS WordPress dengan satu template bersama dan dipasang pada server virtual di NOC DKISP. Seluruh 27 subdomain telah aktif dan dapat diakses publik.\n\nPelatihan pengelola konten untuk admin Puskesmas dilaksanakan pada 10 Desember 2026.',
    facts: [
      ['Server', 'VM-WEB-03 (Apache 2.4, PHP 8.3), NOC DKISP'],
      ['Alamat IP publik', '103.147.12.45'],
      ['Subdomain', 'puskesmas.contohkab.go.id'],
      ['Alamat website', 'https://puskesmas.contohkab.go.id'],
      ['Konfigurasi jaringan', 'VLAN 120, reverse proxy Nginx, sertifikat TLS Let’s Encrypt'],
    ],
    documentation: [
      'tangkapan-layar-beranda.png',
      'berita-acara-instalasi.pdf',
      'daftar-hadir-pelatihan.pdf',
    ],
    steps: sampleSteps(),
    signer: { name: KABID, title: 'Kepala Bidang Aplikasi Informatika', nip: '19780304 200501 1 012' },
    date: '2026-12-11',
    verify: sampleVerify('LAP-2026-000142'),
  };
}

export function sampleCaseSummary(): CaseSummaryData {
  return {
    letterhead: sampleLetterhead(),
    caseRef: 'WEB-2026-0142',
    subject: 'Pembuatan Website Puskesmas se-Kabupaten Contoh',
    opd: 'Dinas Kesehatan Kabupaten Contoh',
    status: 'Berjalan — tahap 11 (Pekerjaan selesai)',
    steps: sampleSteps(),
    verify: sampleVerify('RPM-2026-000142'),
  };
}

/** The SOP sheet of the real definition (the built-in website SOP), as the service builds it. */
export function websiteSopSheet(verify: VerifyMark | null = sampleVerify('SOP-WEBSITE-V1')): SopSheetData {
  return sopSheetData(builtInSop('website'), sampleLetterhead(), verify);
}

const CASE_HEAD = {
  number: '000.2.3/0003/BA/DKISP/2026',
  date: '2026-12-01',
  place: 'Contoh',
  caseRef: 'COL-2026-00007',
  service: 'Layanan Colocation Server',
  opd: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Contoh',
  subject: 'Penempatan server SIAK di ruang server DKISP',
};

export function sampleBeritaAcara(): BeritaAcaraData {
  return {
    letterhead: sampleLetterhead(),
    ...CASE_HEAD,
    title: 'Berita Acara Serah Terima Server Colocation',
    facts: [
      ['Rak / posisi unit', 'Rak R2, U12–U14'],
      ['Daya', '2 × 550 W'],
    ],
    firstParty: { name: 'Sri Wahyuni, S.Kom.', title: 'Pranata Komputer Dispendukcapil', nip: null },
    secondParty: { name: HEAD, title: 'Kepala DKISP Kabupaten Contoh', nip: '19700512 199803 1 007' },
    items: [
      '1 (satu) unit server Dell PowerEdge R650, nomor seri 8XK2L93',
      '2 (dua) kabel daya C13',
      'Kunci rel server',
    ],
    witness: null,
    verify: sampleVerify('BA-2026-000003'),
  };
}

export function sampleRecommendation(): RecommendationData {
  return {
    letterhead: sampleLetterhead(),
    ...CASE_HEAD,
    number: '000.2.3/0001/REK/DKISP/2026',
    caseRef: 'KON-2026-00002',
    service: 'Layanan Konsultasi Aplikasi',
    subject: 'Konsultasi pengembangan aplikasi antrean Puskesmas',
    title: 'Rekomendasi Konsultasi Aplikasi',
    facts: [['Tempat pertemuan', 'Ruang rapat DKISP']],
    attendees: ['Rina Wulandari, S.Kom. — DKISP', 'dr. Andi Pratama — Dinas Kesehatan'],
    findings:
      'Aplikasi antrean yang direncanakan memerlukan integrasi dengan SIMPUS yang sudah berjalan.\n\nData pasien tidak boleh disimpan di luar server pemerintah daerah.',
    recommendation:
      'Aplikasi dibangun di atas SIMPUS dan dipasang pada server DKISP dengan subdomain antrean.contohkab.go.id.',
    signer: { name: KABID, title: 'Kepala Bidang Aplikasi Informatika', nip: '19780304 200501 1 012' },
    verify: sampleVerify('REK-2026-000001'),
  };
}

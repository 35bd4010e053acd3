// Official PDFs: time to render the disposition sheet (10 dispositions) and the SOP sheet (the
// real website SOP), next to a baseline measured in the same run — an empty one-page pdfkit
// document with one line of text — and reported as ratios. Target: p50 < 100 ms each.
// Standalone: `node bench/documents.ts`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { renderDispositionSheet } from '../src/documents/render/disposition-sheet.ts';
import { sampleDispositionSheet, websiteSopSheet } from '../src/documents/render/fixtures.ts';
import { renderSopSheet } from '../src/documents/render/sop-sheet.ts';

type Figures = { p50: number; p99: number; mean: number; bytes: number };

export type DocumentsBench = {
  iterations: number;
  baseline: Figures;
  dispositionSheet: Figures & { ratio: number };
  sopSheet: Figures & { ratio: number };
  targetP50Ms: number;
  meetsTarget: boolean;
};

const TARGET_P50_MS = 100;

function baselinePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica').fontSize(12).text('Loket DKISP — baseline', 57, 57);
  doc.end();
  return done;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

function figures(times: number[], bytes: number): Figures {
  const s = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    bytes,
  };
}

export async function documentsBench(
  o: { iterations?: number; log?: (line: string) => void } = {},
): Promise<DocumentsBench> {
  const n = o.iterations ?? Number(process.env.BENCH_DOC_ITERATIONS ?? 100);
  const log = o.log ?? console.log;
  const disposition = sampleDispositionSheet(10);
  const sop = websiteSopSheet();
  const cases: [string, () => Promise<Buffer>][] = [
    ['baseline', baselinePdf],
    ['disposition', () => renderDispositionSheet(disposition)],
    ['sop', () => renderSopSheet(sop)],
  ];
  // Warm-up (module loading, font metrics, JIT), discarded.
  for (let i = 0; i < 5; i++) for (const [, f] of cases) await f();
  const times: Record<string, number[]> = { baseline: [], disposition: [], sop: [] };
  const bytes: Record<string, number> = {};
  // Interleaved, so drift on a shared machine hits all three alike.
  for (let i = 0; i < n; i++) {
    for (const [name, f] of cases) {
      const t0 = performance.now();
      const pdf = await f();
      (times[name] as number[]).push(performance.now() - t0);
      bytes[name] = pdf.length;
    }
  }
  const baseline = figures(times.baseline as number[], bytes.baseline ?? 0);
  const d = figures(times.disposition as number[], bytes.disposition ?? 0);
  const s = figures(times.sop as number[], bytes.sop ?? 0);
  const result: DocumentsBench = {
    iterations: n,
    baseline,
    dispositionSheet: { ...d, ratio: d.p50 / baseline.p50 },
    sopSheet: { ...s, ratio: s.p50 / baseline.p50 },
    targetP50Ms: TARGET_P50_MS,
    meetsTarget: d.p50 < TARGET_P50_MS && s.p50 < TARGET_P50_MS,
  };
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  log(`Official PDFs (${n} renders each, interleaved):`);
  log(`  baseline (one-page pdfkit, one line): p50 ${ms(baseline.p50)}, p99 ${ms(baseline.p99)}`);
  log(
    `  disposition sheet (10 dispositions): p50 ${ms(d.p50)}, p99 ${ms(d.p99)} (target p50 < ${TARGET_P50_MS} ms), ` +
      `${(d.bytes / 1024).toFixed(1)} KiB, ratio to baseline ${result.dispositionSheet.ratio.toFixed(1)}`,
  );
  log(
    `  SOP sheet (website SOP, landscape): p50 ${ms(s.p50)}, p99 ${ms(s.p99)} (target p50 < ${TARGET_P50_MS} ms), ` +
      `${(s.bytes / 1024).toFixed(1)} KiB, ratio to baseline ${result.sopSheet.ratio.toFixed(1)}`,
  );
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await documentsBench();
  if (!r.meetsTarget) {
    console.log(`  target missed: p50 must stay under ${r.targetP50Ms} ms`);
    process.exitCode = 1;
  }
}

// The official SOP table (format SOP AP), landscape A4: No, Kegiatan, one column per executor
// (swimlane) holding the flowchart, Mutu Baku (Kelengkapan, Waktu, Output), Keterangan; then the
// side boxes. The header row repeats on every page; a flow that continues on the next page goes
// through a pair of lettered off-page connectors. Any number of lanes (1–10) and any diamonds the
// definition has: a decision's or a branch's ways are drawn from its outcomes and listed, numbered,
// in Keterangan.
import {
  bounds,
  type CellSpec,
  cellLines,
  clean,
  type Doc,
  drawLetterhead,
  drawTable,
  FILL,
  FONT,
  INK,
  type Line,
  leading,
  MUTED,
  put,
  RULE,
  renderPdf,
  wrap,
} from './layout.ts';
import type { SopSheetData } from './types.ts';

type Step = SopSheetData['steps'][number];

const SIZE = 7.5;
const LH = leading(SIZE);
const PAD = 4;
const RECT_H = 22;
const DIAMOND_H = 36;
const VGAP = 9;
/** Room in a row for an off-page connector above (continued) or below (continues) its shape. */
const CONN = 22;
const HEADER_A = 15;

type Geometry = {
  x: number;
  no: number;
  activity: number;
  lane: number;
  lanes: number;
  inputs: number;
  time: number;
  outputs: number;
  notes: number;
  /** Left edges: No, Kegiatan, each lane, Kelengkapan, Waktu, Output, Keterangan, end. */
  edges: number[];
};

function geometry(left: number, width: number, laneCount: number): Geometry {
  const n = Math.max(1, laneCount);
  let cols = { no: 20, activity: 150, inputs: 112, time: 46, outputs: 112, notes: 70 };
  let fixed = Object.values(cols).reduce((a, b) => a + b, 0);
  let lane = (width - fixed) / n;
  if (lane < 50) {
    cols = { no: 18, activity: 118, inputs: 92, time: 40, outputs: 92, notes: 50 };
    fixed = Object.values(cols).reduce((a, b) => a + b, 0);
    lane = (width - fixed) / n;
  }
  if (lane < 50) {
    // Many lanes (up to 10): the text columns give up what they can.
    cols = { no: 16, activity: 100, inputs: 72, time: 34, outputs: 72, notes: 60 };
    fixed = Object.values(cols).reduce((a, b) => a + b, 0);
    lane = (width - fixed) / n;
  } else if (lane > 110) {
    const extra = width - fixed - 110 * n;
    lane = 110;
    cols.activity += extra * 0.45;
    cols.inputs += extra * 0.2;
    cols.outputs += extra * 0.2;
    cols.notes += extra * 0.15;
  }
  const edges = [left, left + cols.no];
  let x = left + cols.no + cols.activity;
  for (let i = 0; i < n; i++) {
    edges.push(x);
    x += lane;
  }
  for (const w of [cols.inputs, cols.time, cols.outputs, cols.notes]) {
    edges.push(x);
    x += w;
  }
  edges.push(x);
  return { x: left, ...cols, lane, lanes: n, edges };
}

type TextCell = { x: number; w: number; lines: Line[]; align: 'left' | 'center'; font: string };

type Placed = {
  step: Step;
  lane: number;
  page: number;
  y: number;
  h: number;
  topExtra: number;
  bottomExtra: number;
  cells: TextCell[];
  /** The decision question, wrapped to fit the diamond (empty when it goes to Keterangan). */
  question: { lines: string[]; size: number };
};

type Shape = {
  kind: 'terminal' | 'rect' | 'diamond';
  cx: number;
  cy: number;
  w: number;
  h: number;
  laneLeft: number;
  laneRight: number;
};

const top = (s: Shape) => s.cy - s.h / 2;
const bottom = (s: Shape) => s.cy + s.h / 2;

export async function renderSopSheet(data: SopSheetData): Promise<Buffer> {
  return renderPdf(
    {
      title: `SOP ${data.title} (versi ${data.version})`,
      subject: `Standar Operasional Prosedur: ${data.title}`,
      keywords: 'standar operasional prosedur, SOP',
      landscape: true,
      verify: data.draft ? null : data.verify,
      ...(data.draft ? { watermark: 'PRATINJAU' } : {}),
    },
    (doc) => drawSheet(doc, data),
  );
}

function drawSheet(doc: Doc, data: SopSheetData) {
  drawLetterhead(doc, data.letterhead, { compact: true });
  const b = bounds(doc);
  let y = doc.y;
  put(doc, 'STANDAR OPERASIONAL PROSEDUR', b.left, y, {
    font: FONT.sansBold,
    size: 11.5,
    width: b.width,
    align: 'center',
  });
  y += leading(11.5);
  for (const line of wrap(doc, data.title.toUpperCase(), b.width - 80, FONT.sansBold, 10.5)) {
    put(doc, line, b.left, y, { font: FONT.sansBold, size: 10.5, width: b.width, align: 'center' });
    y += leading(10.5);
  }
  put(
    doc,
    data.draft ? `Versi ${data.version} — PRATINJAU (belum diterbitkan)` : `Versi ${data.version}`,
    b.left,
    y,
    {
      font: FONT.sans,
      size: 8.5,
      width: b.width,
      align: 'center',
    },
  );
  y += leading(8.5) + 6;

  // Lanes: as given, plus any lane a step names that the list forgot (never drop a step).
  const lanes = [...data.lanes];
  for (const s of data.steps) {
    if (!lanes.some((l) => l.key === s.lane)) lanes.push({ key: s.lane, label: s.lane });
  }
  const laneIndex = new Map(lanes.map((l, i) => [l.key, i]));
  const g = geometry(b.left, b.width, lanes.length);
  const edge = (i: number) => g.edges[i] as number;
  const laneCol = (k: number) => 2 + k;
  const afterLanes = 2 + g.lanes;
  lanesSpan = [edge(2), edge(afterLanes)];

  // Header row B: the lane labels and the Mutu Baku sub-columns.
  const headerB: TextCell[] = [];
  const headerCell = (text: string, x: number, w: number): TextCell => ({
    x,
    w,
    lines: cellLines(doc, { text }, w - 2 * PAD + 2, FONT.sansBold, SIZE),
    align: 'center',
    font: FONT.sansBold,
  });
  lanes.forEach((l, k) => {
    headerB.push(headerCell(l.label, edge(laneCol(k)), g.lane));
  });
  headerB.push(headerCell('Kelengkapan', edge(afterLanes), g.inputs));
  headerB.push(headerCell('Waktu', edge(afterLanes + 1), g.time));
  headerB.push(headerCell('Output', edge(afterLanes + 2), g.outputs));
  const headerBH = Math.max(...headerB.map((c) => c.lines.length)) * LH + 2 * PAD;
  const headerH = HEADER_A + headerBH;

  // Rows: wrapped text and the room the flowchart needs; then pages.
  const diamondW = Math.max(18, Math.min(g.lane - 18, 84));
  const noOf = new Map(data.steps.map((s, i) => [s.no, i]));
  const placed: Placed[] = [];
  const pageTop = b.top;
  let page = 0;
  let cursor = y + headerH;
  const rowsOnPage = () => placed.filter((p) => p.page === page).length;
  data.steps.forEach((step, i) => {
    const question = fitQuestion(doc, step.decision?.question, diamondW);
    const notes = [step.notes ?? ''];
    if (step.decision) {
      const d = step.decision;
      notes.push(
        question.lines.length === 0 ? `Keputusan ${d.no}: ${d.question}` : `Keputusan ${d.no}`,
        ...d.outcomes.map((o) => `${o.label} (${wayText(o, noOf.has(o.to ?? -1))})`),
      );
    }
    const text = (spec: CellSpec, col: number, w: number, align: 'left' | 'center' = 'left'): TextCell => ({
      x: edge(col),
      w,
      lines: cellLines(doc, spec, w - 2 * PAD, FONT.sans, SIZE),
      align,
      font: FONT.sans,
    });
    const cells = [
      text({ text: String(step.no) }, 0, g.no, 'center'),
      text({ text: step.activity }, 1, g.activity),
      text({ items: step.inputs.length > 0 ? step.inputs : ['-'] }, afterLanes, g.inputs),
      text({ text: step.time || '-' }, afterLanes + 1, g.time, 'center'),
      text({ items: step.outputs.length > 0 ? step.outputs : ['-'] }, afterLanes + 2, g.outputs),
      text({ text: notes.filter((n) => n.trim()).join('\n') }, afterLanes + 3, g.notes),
    ];
    const textH = Math.max(...cells.map((c) => c.lines.length)) * LH + 2 * PAD;
    const flowH = (step.decision ? DIAMOND_H + 8 : RECT_H) + 2 * VGAP;
    const base = Math.max(textH, flowH);
    const last = i === data.steps.length - 1;
    let topExtra = i > 0 && rowsOnPage() === 0 ? CONN : 0;
    if (cursor + topExtra + base + (last ? 0 : CONN) > b.bottom && rowsOnPage() > 0) {
      page += 1;
      cursor = pageTop + headerH;
      topExtra = CONN;
    }
    placed.push({
      step,
      lane: laneIndex.get(step.lane) ?? 0,
      page,
      y: cursor,
      h: topExtra + base,
      topExtra,
      bottomExtra: 0,
      cells,
      question,
    });
    cursor += topExtra + base;
  });
  for (let i = 0; i + 1 < placed.length; i++) {
    const p = placed[i] as Placed;
    if ((placed[i + 1] as Placed).page !== p.page) {
      p.bottomExtra = CONN;
      p.h += CONN;
    }
  }

  const shapes: Shape[] = placed.map((p, i) => {
    const laneLeft = edge(laneCol(p.lane));
    const cx = laneLeft + g.lane / 2;
    const cy = p.y + p.topExtra + (p.h - p.topExtra - p.bottomExtra) / 2;
    const first = i === 0;
    const lastStep = i === placed.length - 1;
    if (p.step.decision) {
      return { kind: 'diamond', cx, cy, w: diamondW, h: DIAMOND_H, laneLeft, laneRight: laneLeft + g.lane };
    }
    return {
      kind: first || lastStep ? 'terminal' : 'rect',
      cx,
      cy,
      w: Math.min(g.lane - 16, 90),
      h: RECT_H,
      laneLeft,
      laneRight: laneLeft + g.lane,
    };
  });

  // Draw page by page.
  const pages = placed.length > 0 ? (placed[placed.length - 1] as Placed).page + 1 : 1;
  let connector = 0;
  const connectorLabels = new Map<number, string>();
  for (let p = 0; p < pages; p++) {
    if (p > 0) doc.addPage();
    const tableTop = p === 0 ? y : pageTop;
    drawHeader(doc, g, tableTop, headerBH, headerB);
    const rows = placed.map((r, i) => ({ r, i })).filter(({ r }) => r.page === p);
    for (const { r } of rows) drawRow(doc, g, r);
    for (const { r, i } of rows) {
      const s = shapes[i] as Shape;
      drawShape(doc, s, r.question);
      const nextPlaced = placed[i + 1];
      const next = shapes[i + 1];
      // Continued from the previous page: connector above the shape.
      if (i > 0 && (placed[i - 1] as Placed).page !== p) {
        const label = connectorLabels.get(i - 1) ?? '?';
        const cTop = r.y + 3;
        drawConnector(doc, s.cx, cTop, label);
        arrow(doc, [
          [s.cx, cTop + 13],
          [s.cx, top(s)],
        ]);
      }
      const ya =
        nextPlaced && next
          ? flowToNext(doc, r, s, nextPlaced, next, p, mainWay(r, nextPlaced)?.label ?? null, () => {
              const label = connector < 26 ? String.fromCharCode(65 + connector) : String(connector + 1);
              connector += 1;
              connectorLabels.set(i, label);
              return label;
            })
          : null;
      if (r.step.decision) drawOtherWays(doc, r, s, i, placed, shapes, ya);
    }
    if (p === pages - 1) {
      const lastRow = rows[rows.length - 1];
      doc.y = lastRow ? lastRow.r.y + lastRow.r.h + 14 : tableTop + headerH + 14;
    }
  }
  drawSideBoxes(doc, data);
}

/** The decision question wrapped into the diamond, smaller if need be; empty if it cannot fit. */
function fitQuestion(doc: Doc, question: string | undefined, diamondW: number) {
  if (!question) return { lines: [], size: 0 };
  for (const [size, max] of [
    [6.5, 2],
    [6, 2],
    [5.5, 3],
  ] as const) {
    const lines = wrap(doc, question, diamondW * 0.6, FONT.sans, size);
    const whole = lines.join(' ') === clean(question).replace(/\s+/g, ' ').trim(); // no word cut
    const narrow = lines.every((l) => doc.widthOfString(l) <= diamondW * 0.72);
    if (whole && narrow && lines.length <= max) return { lines, size };
  }
  return { lines: [], size: 0 };
}

function drawHeader(doc: Doc, g: Geometry, y: number, headerBH: number, headerB: TextCell[]) {
  const e = (i: number) => g.edges[i] as number;
  const end = e(g.edges.length - 1);
  const lanesStart = e(2);
  const lanesEnd = e(2 + g.lanes);
  const notesStart = e(2 + g.lanes + 3);
  const h = HEADER_A + headerBH;
  doc
    .save()
    .rect(g.x, y, end - g.x, h)
    .fill(FILL)
    .restore();
  doc.save().lineWidth(0.6).strokeColor(RULE);
  doc.rect(g.x, y, end - g.x, h).stroke();
  // Full-height separators around the spanning groups.
  for (const x of [e(1), lanesStart, lanesEnd, notesStart])
    doc
      .moveTo(x, y)
      .lineTo(x, y + h)
      .stroke();
  // Row A / row B split over the lanes and Mutu Baku.
  doc
    .moveTo(lanesStart, y + HEADER_A)
    .lineTo(notesStart, y + HEADER_A)
    .stroke();
  for (let i = 3; i < 2 + g.lanes + 3; i++) {
    if (e(i) === lanesEnd) continue;
    doc
      .moveTo(e(i), y + HEADER_A)
      .lineTo(e(i), y + h)
      .stroke();
  }
  doc.restore();
  const mid = (text: string, x0: number, x1: number, yy: number, hh: number) => {
    const lines = wrap(doc, text, x1 - x0 - 4, FONT.sansBold, SIZE);
    let ly = yy + (hh - lines.length * LH) / 2 + 1;
    for (const l of lines) {
      put(doc, l, x0, ly, { font: FONT.sansBold, size: SIZE, width: x1 - x0, align: 'center' });
      ly += LH;
    }
  };
  mid('No', e(0), e(1), y, h);
  mid('Kegiatan', e(1), lanesStart, y, h);
  mid('Pelaksana', lanesStart, lanesEnd, y, HEADER_A);
  mid('Mutu Baku', lanesEnd, notesStart, y, HEADER_A);
  mid('Keterangan', notesStart, end, y, h);
  for (const c of headerB) drawCellText(doc, c, y + HEADER_A, headerBH);
}

function drawCellText(doc: Doc, c: TextCell, y: number, h: number) {
  let ly = y + (h - c.lines.length * LH) / 2 + SIZE * 0.12;
  for (const line of c.lines) {
    put(doc, line.text, c.x + PAD + line.dx, ly, {
      font: c.font,
      size: SIZE,
      width: c.w - 2 * PAD - line.dx,
      align: c.align,
    });
    ly += LH;
  }
}

function drawRow(doc: Doc, g: Geometry, r: Placed) {
  doc.save().lineWidth(0.6).strokeColor(RULE);
  for (let i = 0; i + 1 < g.edges.length; i++) {
    const x = g.edges[i] as number;
    doc.rect(x, r.y, (g.edges[i + 1] as number) - x, r.h).stroke();
  }
  doc.restore();
  for (const c of r.cells) drawCellText(doc, c, r.y, r.h);
}

function drawShape(doc: Doc, s: Shape, question: { lines: string[]; size: number }) {
  doc.save().lineWidth(0.9).strokeColor(INK).fillColor('#ffffff');
  const x = s.cx - s.w / 2;
  const y = s.cy - s.h / 2;
  if (s.kind === 'terminal') doc.roundedRect(x, y, s.w, s.h, s.h / 2).fillAndStroke();
  else if (s.kind === 'rect') doc.rect(x, y, s.w, s.h).fillAndStroke();
  else {
    doc.polygon([s.cx, y], [s.cx + s.w / 2, s.cy], [s.cx, y + s.h], [s.cx - s.w / 2, s.cy]).fillAndStroke();
  }
  doc.restore();
  if (s.kind === 'diamond' && question.lines.length > 0) {
    const lh = question.size * 1.15;
    let ly = s.cy - (question.lines.length * lh) / 2 + question.size * 0.08;
    for (const l of question.lines) {
      put(doc, l, s.cx - s.w / 2, ly, { font: FONT.sans, size: question.size, width: s.w, align: 'center' });
      ly += lh;
    }
  }
}

type Point = [number, number];

/** A polyline ending in an arrowhead. */
function arrow(doc: Doc, pts: Point[], head = true) {
  const clean = pts.filter(
    (p, i) => i === 0 || p[0] !== (pts[i - 1] as Point)[0] || p[1] !== (pts[i - 1] as Point)[1],
  );
  if (clean.length < 2) return;
  doc.save().lineWidth(0.8).strokeColor(INK).fillColor(INK);
  const [x0, y0] = clean[0] as Point;
  doc.moveTo(x0, y0);
  for (const [x, y] of clean.slice(1)) doc.lineTo(x, y);
  doc.stroke();
  if (head) {
    const [ax, ay] = clean[clean.length - 1] as Point;
    const [px, py] = clean[clean.length - 2] as Point;
    const len = Math.hypot(ax - px, ay - py) || 1;
    const ux = (ax - px) / len;
    const uy = (ay - py) / len;
    const s = 4.2;
    doc
      .polygon(
        [ax, ay],
        [ax - ux * s - uy * s * 0.55, ay - uy * s + ux * s * 0.55],
        [ax - ux * s + uy * s * 0.55, ay - uy * s - ux * s * 0.55],
      )
      .fill();
  }
  doc.restore();
}

/** Off-page connector: a small pentagon pointing down, lettered. */
function drawConnector(doc: Doc, cx: number, y: number, label: string) {
  const w = 14;
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .fillColor('#ffffff')
    .polygon([cx - w / 2, y], [cx + w / 2, y], [cx + w / 2, y + 8], [cx, y + 13], [cx - w / 2, y + 8])
    .fillAndStroke()
    .restore();
  put(doc, label, cx - w / 2, y + 1.6, { font: FONT.sansBold, size: 6.5, width: w, align: 'center' });
}

/** The lanes' span on the sheet being drawn: flow labels stay inside it, off the text columns. */
let lanesSpan: [number, number] = [0, Number.POSITIVE_INFINITY];

function label(doc: Doc, text: string, x: number, y: number, align: 'left' | 'right' = 'left') {
  let size = 6.5;
  doc.font(FONT.sansItalic).fontSize(size);
  const [lo, hi] = [lanesSpan[0] + 1.5, lanesSpan[1] - 1.5];
  if (doc.widthOfString(text) > hi - lo) {
    size = 5.5;
    doc.fontSize(size);
  }
  const w = Math.min(doc.widthOfString(text), hi - lo);
  const x0 = Math.max(lo, Math.min(hi - w, align === 'right' ? x - w : x));
  put(doc, text, x0, y, { font: FONT.sansItalic, size, color: MUTED });
}

type Exit = 'bottom' | 'left' | 'right';
type Way = NonNullable<Step['decision']>['outcomes'][number];

/** Where a way leads, in words (Keterangan and stubs). */
function wayText(o: Way, known: boolean): string {
  if (o.to === null) return o.end === 'rejected' ? 'selesai, ditolak' : 'selesai';
  const to = known ? `ke no. ${o.to}` : 'lanjut';
  return o.revise ? `dikembalikan ke OPD, lalu ${to}` : to;
}

/** The way that follows the main line to the next row, if any. */
function mainWay(r: Placed, next: Placed | undefined): Way | undefined {
  return r.step.decision?.outcomes.find((o) => next !== undefined && o.to === next.step.no && !o.revise);
}

/**
 * The arrow from a step to the next: straight down in the same lane, out of the side and down
 * into the next lane otherwise, or into an off-page connector when the next step is on the next
 * page. A diamond's way to the next row is labelled on it. Returns the side it left from.
 */
function flowToNext(
  doc: Doc,
  r: Placed,
  s: Shape,
  nextPlaced: Placed,
  next: Shape,
  page: number,
  wayLabel: string | null,
  newConnector: () => string,
): { exit: Exit; joinY: number; joinX: number } {
  if (nextPlaced.page !== page) {
    const cTop = r.y + r.h - CONN + 4;
    arrow(doc, [
      [s.cx, bottom(s)],
      [s.cx, cTop],
    ]);
    drawConnector(doc, s.cx, cTop, newConnector());
    if (wayLabel) label(doc, wayLabel, s.cx - 3, bottom(s) + 1, 'right');
    return { exit: 'bottom', joinX: s.cx, joinY: Math.min(bottom(s) + 11, cTop - 5) };
  }
  if (nextPlaced.lane === r.lane) {
    arrow(doc, [
      [s.cx, bottom(s)],
      [next.cx, top(next)],
    ]);
    if (wayLabel) label(doc, wayLabel, s.cx - 3, bottom(s) + 1, 'right');
    return { exit: 'bottom', joinX: s.cx, joinY: Math.min(bottom(s) + 11, top(next) - 5) };
  }
  const right = nextPlaced.lane > r.lane;
  const sx = right ? s.cx + s.w / 2 : s.cx - s.w / 2;
  arrow(doc, [
    [sx, s.cy],
    [next.cx, s.cy],
    [next.cx, top(next)],
  ]);
  if (wayLabel) label(doc, wayLabel, right ? sx + 3 : sx - 3, s.cy - 8, right ? 'left' : 'right');
  return { exit: right ? 'right' : 'left', joinX: next.cx, joinY: bottom(s) + 6 };
}

/**
 * A diamond's ways besides the main line: the first one leading to another step is an arrow to
 * it (or "ke no. N" when it is on another page); one that also leads to the next row rejoins the
 * main line; the rest (an end, further ways) are labelled stubs from the free vertices. Keterangan
 * lists them all, so nothing depends on there being a free vertex.
 */
function drawOtherWays(
  doc: Doc,
  r: Placed,
  s: Shape,
  i: number,
  placed: Placed[],
  shapes: Shape[],
  ya: { exit: Exit; joinY: number; joinX: number } | null,
) {
  const d = r.step.decision;
  if (!d) return;
  const main = mainWay(r, placed[i + 1]);
  const others = d.outcomes.filter((o) => o !== main);
  const used = new Set<Exit>([ya?.exit ?? 'bottom']);
  const jump = others.find(
    (o) => o.to !== null && placed.some((p) => p.step.no === o.to) && o.to !== placed[i + 1]?.step.no,
  );
  const rejoin = others.find((o) => o !== jump && o.to !== null && o.to === placed[i + 1]?.step.no);
  if (jump) {
    const j = placed.findIndex((p) => p.step.no === jump.to);
    used.add(drawJump(doc, r, s, i, j, placed, shapes, ya?.exit ?? 'bottom', jump.label));
  }
  if (rejoin && ya) used.add(drawRejoin(doc, s, ya, rejoin.label));
  const vertex = (side: Exit): Point =>
    side === 'bottom' ? [s.cx, bottom(s)] : [side === 'right' ? s.cx + s.w / 2 : s.cx - s.w / 2, s.cy];
  const free: Exit[] = (['right', 'left', 'bottom'] as const).filter((x) => !used.has(x));
  for (const o of others.filter((x) => x !== jump && x !== rejoin)) {
    const side = free.shift();
    if (!side) break;
    const [vx, vy] = vertex(side);
    // Just the way's label here (where it leads is in Keterangan): the room beside a vertex is small.
    const text = o.label;
    if (side === 'bottom') {
      arrow(doc, [
        [vx, vy],
        [vx, vy + 7],
      ]);
      label(doc, text, vx + 3, vy + 1);
    } else {
      const dir = side === 'left' ? -1 : 1;
      arrow(doc, [
        [vx, vy],
        [vx + dir * 7, vy],
      ]);
      label(doc, text, vx + dir * 3, vy - 8, side === 'left' ? 'right' : 'left');
    }
  }
}

/** An arrow from the diamond to step `j` (up or down the sheet), labelled. Returns the side used. */
function drawJump(
  doc: Doc,
  r: Placed,
  s: Shape,
  i: number,
  j: number,
  placed: Placed[],
  shapes: Shape[],
  yaExit: Exit,
  text: string,
): Exit {
  const vertex = (side: Exit): Point =>
    side === 'bottom' ? [s.cx, bottom(s)] : [side === 'right' ? s.cx + s.w / 2 : s.cx - s.w / 2, s.cy];
  // Beside the vertex; when the line leaves the lane, just past the lane's edge (clear of the
  // lane border and with room to read).
  const labelAt = (side: Exit, leavesLane = false) => {
    const [vx, vy] = vertex(side);
    if (side === 'bottom') label(doc, text, vx + 3, vy + 1);
    else if (side === 'right') label(doc, text, leavesLane ? s.laneRight + 3 : vx + 2, vy - 8);
    else label(doc, text, leavesLane ? s.laneLeft - 3 : vx - 2, vy - 8, 'right');
  };
  const t = shapes[j] as Shape;
  const tp = placed[j] as Placed;
  const dir = Math.sign(tp.lane - r.lane);
  let side: Exit;
  if (dir < 0) side = yaExit !== 'left' ? 'left' : 'bottom';
  else if (dir > 0) side = yaExit !== 'right' ? 'right' : 'bottom';
  else side = yaExit !== 'left' ? 'left' : 'right';
  const [vx, vy] = vertex(side);
  labelAt(side, tp.page === r.page && dir !== 0);
  if (tp.page !== r.page) {
    // The target is on another page: a short arrow and where it goes.
    const d = side === 'left' ? -1 : 1;
    const end: Point = side === 'bottom' ? [vx, vy + 8] : [vx + d * 6, vy];
    arrow(doc, [[vx, vy], end]);
    label(
      doc,
      `ke no. ${tp.step.no}`,
      end[0] + (side === 'left' ? -2 : 2),
      end[1] + 1,
      side === 'left' ? 'right' : 'left',
    );
    return side;
  }
  const [lo, hi] = j < i ? [j, i] : [i, j];
  const laneClear = placed.slice(lo + 1, hi).every((p) => p.lane !== tp.lane);
  const up = j < i;
  if (dir !== 0 && side !== 'bottom' && laneClear) {
    arrow(doc, [
      [vx, vy],
      [t.cx, vy],
      [t.cx, up ? bottom(t) : top(t)],
    ]);
    return side;
  }
  // A channel along the target lane's edge, entering the target from the side.
  const leftSide = side === 'left' || (side === 'bottom' && dir <= 0);
  const ch = leftSide ? t.laneLeft + 4 : t.laneRight - 4;
  const tx = leftSide ? t.cx - t.w / 2 : t.cx + t.w / 2;
  const start: Point[] =
    side === 'bottom'
      ? [
          [vx, vy],
          [vx, vy + 5],
          [ch, vy + 5],
        ]
      : [
          [vx, vy],
          [ch, vy],
        ];
  arrow(doc, [...start, [ch, t.cy], [tx, t.cy]]);
  return side;
}

/** A second way to the next row: it leaves from another vertex and rejoins the main line. */
function drawRejoin(
  doc: Doc,
  s: Shape,
  ya: { exit: Exit; joinY: number; joinX: number },
  text: string,
): Exit {
  if (ya.exit === 'bottom') {
    const vx = s.cx + s.w / 2;
    const vy = s.cy;
    // The label goes over the short way back to the main line (no room beside the vertex).
    label(doc, text, s.cx + 3, ya.joinY - 8);
    const ch = Math.min(vx + 6, s.laneRight - 4);
    arrow(doc, [
      [vx, vy],
      [ch, vy],
      [ch, ya.joinY],
      [ya.joinX + 0.6, ya.joinY],
    ]);
    return 'right';
  }
  const vx = s.cx;
  const vy = bottom(s);
  label(doc, text, vx + 3, vy + 1);
  arrow(doc, [
    [vx, vy],
    [vx, ya.joinY],
    [ya.joinX + (ya.exit === 'right' ? -0.6 : 0.6), ya.joinY],
  ]);
  return 'bottom';
}

function drawSideBoxes(doc: Doc, data: SopSheetData) {
  const { width } = bounds(doc);
  const w = width / 4;
  const list = (xs: string[]) => ({ items: xs.length > 0 ? xs : ['-'] });
  drawTable(doc, {
    columns: [
      { header: 'Keterkaitan SOP', width: w },
      { header: 'Peralatan/Perlengkapan', width: w },
      { header: 'Peringatan', width: w },
      { header: 'Pencatatan dan Pendataan', width: w },
    ],
    rows: [[list(data.related), list(data.equipment), list(data.warnings), list(data.records)]],
    size: SIZE + 0.5,
    padding: 5,
  });
}

import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { AppError, notFound } from '../errors.ts';
import { registerErrorHandling } from '../server/plugins/errors.ts';
import { sendStoredFile } from './download.ts';
import { LocalFileStore } from './file-store.ts';
import { type StorageSettings, storageSettings } from './settings.ts';
import { fakes, jpeg, odt, pdf, png, targz, zip } from './test-fixtures.ts';
import { type StoredUpload, storeUploads, type UploadSpec, withUploads } from './upload.ts';

const DOC_LIMIT = 4096;
const ARCHIVE_LIMIT = 3 * 1024 * 1024;

type Part = {
  name: string;
  /** Written into the header as is (escape it yourself): tests control the exact bytes. */
  filename?: string;
  type?: string;
  data: Buffer | string;
  /** A whole Content-Disposition value, for odd cases. */
  disposition?: string;
};

/** A hand-made multipart/form-data body: what is on the wire is exactly what the test says. */
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----loket${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.disposition ??
      `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    let head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n`;
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The same through the platform's FormData, as a browser or `fetch` would send it. */
async function formData(form: FormData): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const request = new Request('http://loket.test/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let dataDir: string;
let settings: StorageSettings;
let app: FastifyInstance;
/** What the "database" holds: stored uploads by key. */
let saved: Map<string, StoredUpload>;

beforeEach(async () => {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'loket-upload-'));
  const config = loadConfig({
    LOKET_DATA_DIR: dataDir,
    LOKET_UPLOAD_MAX_BYTES: String(DOC_LIMIT),
    LOKET_ARCHIVE_MAX_BYTES: String(ARCHIVE_LIMIT),
  });
  settings = storageSettings(config);
  const store = new LocalFileStore(settings.filesDir);
  saved = new Map();
  // Fastify's default 1 MiB body limit, as in the app: it must not cap multipart uploads.
  app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(fastifyMultipart);
  const spec: UploadSpec = {
    settings,
    files: {
      letter: { kind: 'document', required: true },
      attachments: { kind: 'document', maxCount: 3 },
      source: { kind: 'archive' },
    },
    maxFieldBytes: 1024,
  };
  app.post('/cases', async (request) =>
    withUploads(request, spec, async ({ fields, files }) =>
      storeUploads(store, files, async (stored) => {
        // Stands in for the database transaction recording the files.
        if (fields.fail === 'yes') throw new AppError('CONFLICT', 'The transaction failed');
        for (const s of stored) saved.set(s.key, s);
        return { fields, files: stored };
      }),
    ),
  );
  app.get<{ Params: { key: string } }>('/files/:key', async (request, reply) => {
    const file = saved.get(request.params.key); // the authorisation check would be here
    if (!file) throw notFound('File');
    return sendStoredFile(reply, store, file);
  });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await fsp.rm(dataDir, { recursive: true, force: true });
});

async function post(body: { payload: Buffer; headers: Record<string, string> }) {
  return app.inject({ method: 'POST', url: '/cases', ...body });
}

/** A refused upload: the status and code, and not a byte left behind anywhere. */
async function expectRefused(
  body: { payload: Buffer; headers: Record<string, string> },
  status: number,
  code: string,
) {
  const res = await post(body);
  expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status, code });
  expect(await filesUnder(settings.filesDir)).toEqual([]);
  expect(await filesUnder(settings.tmpDir)).toEqual([]);
  expect(saved.size).toBe(0);
  return res;
}

const letter = (data: Buffer, filename = 'surat.pdf', type = 'application/pdf'): Part => ({
  name: 'letter',
  filename,
  type,
  data,
});

describe('receiving uploads', () => {
  it('stores a letter under a generated name with its SHA-256, and gives the same bytes back', async () => {
    const bytes = pdf();
    const res = await post(
      multipart([
        { name: 'title', data: 'Pembuatan situs web Dinas Pendidikan' },
        letter(bytes, 'Surat Permohonan Dinas Pendidikan.pdf'),
        { name: 'tags', data: 'situs' },
        { name: 'tags', data: 'baru' },
      ]),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.fields).toEqual({ title: 'Pembuatan situs web Dinas Pendidikan', tags: ['situs', 'baru'] });
    expect(body.files).toHaveLength(1);
    const file = body.files[0];
    expect(file).toMatchObject({
      field: 'letter',
      displayName: 'Surat Permohonan Dinas Pendidikan.pdf',
      type: 'pdf',
      mime: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(file).not.toHaveProperty('tempPath');

    // On disk: <dataDir>/files/<prefix>/<key>, no trace of the client's name, temp dir empty.
    const onDisk = await filesUnder(settings.filesDir);
    expect(onDisk).toEqual([path.join(dataDir, 'files', file.key.slice(0, 2), file.key)]);
    expect(file.key).toMatch(/^[0-9a-f]{32}$/);
    expect(await fsp.readFile(onDisk[0] as string)).toEqual(bytes);
    expect(await filesUnder(settings.tmpDir)).toEqual([]);
    if (process.platform !== 'win32') expect((await fsp.stat(onDisk[0] as string)).mode & 0o777).toBe(0o600);

    const download = await app.inject({ method: 'GET', url: `/files/${file.key}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload).toEqual(bytes);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'content-disposition': `attachment; filename="Surat Permohonan Dinas Pendidikan.pdf"; filename*=UTF-8''Surat%20Permohonan%20Dinas%20Pendidikan.pdf`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
  });

  it('takes what a browser sends (FormData), stores the sniffed MIME type, skips empty file inputs', async () => {
    const form = new FormData();
    form.append('letter', new Blob([jpeg()], { type: 'image/jpeg' }), 'Surat dari Kepala Dinas.JPG');
    form.append('attachments', new Blob([png()]), 'denah lokasi.png'); // no type: octet-stream
    form.append('attachments', new Blob([pdf()], { type: 'application/pdf' }), 'lampiran é.pdf');
    form.append('source', new Blob([]), ''); // an input where no file was chosen
    form.append('note', 'mohon segera');
    const res = await post(await formData(form));
    expect(res.statusCode).toBe(200);
    const files = res.json().files as StoredUpload[];
    expect(files.map((f) => [f.field, f.displayName, f.mime])).toEqual([
      ['letter', 'Surat dari Kepala Dinas.JPG', 'image/jpeg'],
      ['attachments', 'denah lokasi.png', 'image/png'],
      ['attachments', 'lampiran é.pdf', 'application/pdf'],
    ]);
    expect(res.json().fields).toEqual({ note: 'mohon segera' });
    expect(await filesUnder(settings.filesDir)).toHaveLength(3);
    expect(await filesUnder(settings.tmpDir)).toEqual([]);

    const png1 = files[1] as StoredUpload;
    const download = await app.inject({ method: 'GET', url: `/files/${png1.key}` });
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload).toEqual(png());
    const accented = await app.inject({ method: 'GET', url: `/files/${(files[2] as StoredUpload).key}` });
    expect(accented.headers['content-disposition']).toBe(
      `attachment; filename="lampiran e.pdf"; filename*=UTF-8''lampiran%20%C3%A9.pdf`,
    );
  });

  it('takes source archives (ZIP, tar.gz) larger than the request body limit', async () => {
    const big = zip({ 'index.html': '<html></html>', 'big.bin': randomBytes(2 * 1024 * 1024) });
    const tgz = targz({ 'situs/index.php': '<?php echo 1;' });
    for (const [data, name] of [
      [big, 'situs.zip'],
      [tgz, 'situs.tar.gz'],
      [tgz, 'situs.tgz'],
    ] as const) {
      const res = await post(
        multipart([
          letter(pdf()),
          { name: 'source', filename: name, type: 'application/octet-stream', data },
        ]),
      );
      expect(res.statusCode, name).toBe(200);
      const source = res.json().files[1];
      expect(source).toMatchObject({ field: 'source', size: data.length, sha256: sha256(data) });
      expect(source.mime).toBe(name.endsWith('.zip') ? 'application/zip' : 'application/gzip');
    }
  });

  it('accepts a file of exactly the limit and refuses one byte more (413)', async () => {
    expect((await post(multipart([letter(pdf(DOC_LIMIT))]))).statusCode).toBe(200);
    saved.clear();
    await fsp.rm(settings.filesDir, { recursive: true });
    const res = await expectRefused(multipart([letter(pdf(DOC_LIMIT + 1))]), 413, 'FILE_TOO_LARGE');
    expect(res.json().error.details).toMatchObject({ field: 'letter', maxBytes: DOC_LIMIT });
  });

  it('refuses a far too large archive as it streams, and a declared body over every limit at once', async () => {
    const huge = Buffer.concat([zip({ 'a.txt': 'a' }), randomBytes(ARCHIVE_LIMIT)]);
    await expectRefused(
      multipart([letter(pdf()), { name: 'source', filename: 'situs.zip', data: huge }]),
      413,
      'FILE_TOO_LARGE',
    );
    // Refused on its first 64 KiB, long before the limit.
    const bigFake = Buffer.concat([fakes.elf(), randomBytes(ARCHIVE_LIMIT - 1000)]);
    await expectRefused(
      multipart([letter(pdf()), { name: 'source', filename: 'situs.zip', data: bigFake }]),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    );
    const body = multipart([letter(pdf())]);
    await expectRefused(
      { payload: body.payload, headers: { ...body.headers, 'content-length': String(1024 ** 3) } },
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('refuses files that are not what they claim (415)', async () => {
    const cases: [string, Part][] = [
      ['HTML renamed .pdf', letter(fakes.html())],
      ['HTML renamed .pdf, declared PDF', letter(fakes.html(), 'surat.pdf', 'application/pdf')],
      ['ELF renamed .png', letter(fakes.elf(), 'foto.png', 'image/png')],
      ['EXE renamed .png', letter(fakes.exe(), 'foto.png', 'image/png')],
      ['an .exe', letter(fakes.exe(), 'setup.exe', 'application/octet-stream')],
      ['SVG as .png', letter(fakes.svg(), 'logo.png', 'image/png')],
      ['SVG as itself', letter(fakes.svg(), 'logo.svg', 'image/svg+xml')],
      ['polyglot PNG', letter(fakes.polyglotPng(), 'foto.png', 'image/png')],
      ['PDF named .png', letter(pdf(), 'foto.png', 'image/png')],
      ['PDF declared text/html', letter(pdf(), 'surat.pdf', 'text/html')],
      ['a ZIP as the letter', letter(zip({ 'a.txt': 'a' }), 'surat.zip', 'application/zip')],
      ['a DOCX (not accepted yet)', letter(zip({ '[Content_Types].xml': '<Types/>' }), 'surat.docx')],
      ['an ODT (not accepted yet)', letter(odt(), 'surat.odt', 'application/vnd.oasis.opendocument.text')],
      ['no extension', letter(pdf(), 'surat', 'application/pdf')],
    ];
    for (const [what, part] of cases) {
      const res = await post(multipart([part]));
      expect({ what, status: res.statusCode, code: res.json().error.code }).toEqual({
        what,
        status: 415,
        code: 'FILE_TYPE_NOT_ALLOWED',
      });
    }
    await expectRefused(
      multipart([letter(pdf()), { name: 'source', filename: 'situs.tar.gz', data: fakes.plainGzip() }]),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    );
    await expectRefused(
      multipart([letter(pdf()), { name: 'source', filename: 'situs.pdf', data: pdf() }]),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    );
  });

  it('refuses path-like and malformed file names (400), also sent RFC 5987-encoded', async () => {
    for (const filename of [
      '../../x.pdf',
      'a/b.pdf',
      'a\\\\b.pdf',
      'a\\b.pdf',
      'x\u0000.pdf',
      '..',
      'x\u202e.pdf',
    ]) {
      const res = await expectRefused(multipart([letter(pdf(), filename)]), 400, 'FILE_NAME_INVALID');
      expect(res.json().error.details).toEqual({ field: 'letter' });
    }
    await expectRefused(multipart([letter(pdf(), `${'a'.repeat(252)}.pdf`)]), 400, 'FILE_NAME_INVALID');
    await expectRefused(
      multipart([
        {
          name: 'letter',
          disposition: `form-data; name="letter"; filename*=UTF-8''..%2F..%2Fx.pdf`,
          data: pdf(),
        },
      ]),
      400,
      'FILE_NAME_INVALID',
    );
    // A file with content but no name at all.
    await expectRefused(
      multipart([{ name: 'letter', type: 'application/octet-stream', data: pdf() }]),
      400,
      'FILE_NAME_INVALID',
    );
  });

  it('refuses an empty file, a missing letter, too many files and files in unknown fields', async () => {
    await expectRefused(multipart([letter(Buffer.alloc(0))]), 400, 'FILE_EMPTY');
    await expectRefused(multipart([{ name: 'title', data: 'tanpa surat' }]), 400, 'FILE_REQUIRED');
    await expectRefused(multipart([letter(pdf()), letter(pdf(), 'kedua.pdf')]), 400, 'TOO_MANY_FILES');
    await expectRefused(
      multipart([
        letter(pdf()),
        ...[1, 2, 3, 4].map((i) => ({ ...letter(png(), `${i}.png`, 'image/png'), name: 'attachments' })),
      ]),
      400,
      'TOO_MANY_FILES',
    );
    const res = await expectRefused(
      multipart([letter(pdf()), { name: 'avatar', filename: 'me.png', data: png() }]),
      400,
      'BAD_REQUEST',
    );
    expect(res.json().error.details).toEqual({ field: 'avatar' });
  });

  it('refuses over-long text fields, non-multipart bodies and broken multipart', async () => {
    await expectRefused(
      multipart([letter(pdf()), { name: 'title', data: 'x'.repeat(1025) }]),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const json = await app.inject({ method: 'POST', url: '/cases', payload: { letter: 'x' } });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const truncated = multipart([letter(pdf())]);
    await expectRefused(
      { payload: truncated.payload.subarray(0, truncated.payload.length - 100), headers: truncated.headers },
      400,
      'BAD_REQUEST',
    );
    await expectRefused(
      { payload: truncated.payload, headers: { 'content-type': 'multipart/form-data' } },
      400,
      'BAD_REQUEST',
    );
  });

  it('removes the stored files when the transaction after the upload fails', async () => {
    await expectRefused(
      multipart([
        letter(pdf()),
        { name: 'attachments', filename: 'foto.jpg', type: 'image/jpeg', data: jpeg() },
        { name: 'fail', data: 'yes' },
      ]),
      409,
      'CONFLICT',
    );
  });

  it('cleans up the first file when a later one is refused', async () => {
    await expectRefused(
      multipart([
        letter(pdf()),
        { name: 'attachments', filename: 'foto.jpg', type: 'image/jpeg', data: jpeg() },
        { name: 'attachments', filename: 'virus.png', type: 'image/png', data: fakes.exe() },
      ]),
      415,
      'FILE_TYPE_NOT_ALLOWED',
    );
  });

  it('answers a refused upload over a real connection, and the server keeps serving', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const base = `http://127.0.0.1:${address.port}`;
    const form = new FormData();
    form.append('letter', new Blob([pdf(2 * 1024 * 1024)], { type: 'application/pdf' }), 'besar.pdf');
    const refused = await fetch(`${base}/cases`, { method: 'POST', body: form });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FILE_TOO_LARGE');

    const ok = new FormData();
    ok.append('letter', new Blob([pdf()], { type: 'application/pdf' }), 'surat.pdf');
    const accepted = await fetch(`${base}/cases`, { method: 'POST', body: ok });
    expect(accepted.status).toBe(200);
    const [{ key }] = ((await accepted.json()) as { files: [StoredUpload] }).files;
    const download = await fetch(`${base}/files/${key}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf());
    expect(await filesUnder(settings.tmpDir)).toEqual([]);
  });

  it('downloads answer 404 for a stored file that has gone missing, 500 for one that changed', async () => {
    const res = await post(
      multipart([letter(pdf()), { ...letter(jpeg(), 'a.jpg', 'image/jpeg'), name: 'attachments' }]),
    );
    const [first, second] = res.json().files as StoredUpload[];
    if (!first || !second) throw new Error('two files expected');
    await fsp.rm(path.join(settings.filesDir, first.key.slice(0, 2), first.key));
    const missing = await app.inject({ method: 'GET', url: `/files/${first.key}` });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
    await fsp.truncate(path.join(settings.filesDir, second.key.slice(0, 2), second.key), 10);
    const damaged = await app.inject({ method: 'GET', url: `/files/${second.key}` });
    expect([damaged.statusCode, damaged.json().error.code]).toEqual([500, 'INTERNAL']);
  });

  it('hands JSON-typed fields on as text and keeps the temp directory private', async () => {
    await expectRefused(
      multipart([letter(pdf()), { name: 'meta', type: 'application/json', data: '{"domain":' }]),
      400,
      'INVALID_JSON',
    );
    const res = await post(
      multipart([letter(pdf()), { name: 'meta', type: 'application/json', data: '{"domain":"disdik"}' }]),
    );
    expect(res.json().fields).toEqual({ meta: '{"domain":"disdik"}' });
    if (process.platform !== 'win32') expect((await fsp.stat(settings.tmpDir)).mode & 0o777).toBe(0o700);
  });
});

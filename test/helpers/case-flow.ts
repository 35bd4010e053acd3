import { pdf } from '../../src/storage/test-fixtures.ts';
import { multipart, type TestApp } from './app.ts';
import { jakartaDate } from './clock.ts';

type Detail = { id: string; version: number; step: { key: string }; website: { id: string } | null };

/**
 * Drives a new-website request through the real API up to the installation step: filed by an OPD
 * user (with the address it wishes for), registered, disposed, reviewed, approved, letter sent,
 * work started (the planned website is created), KAK saved, build handed over with `archive`.
 */
export async function driveToInstallation(
  t: TestApp,
  v: {
    opdId: string;
    requestedHostname: string;
    archive: { name: string; type: string; data: Buffer };
  },
): Promise<{ caseId: string; websiteId: string; cookies: Record<string, string> }> {
  const who: Record<string, { cookie: string; id: string }> = {};
  for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf'] as const) {
    const { user, cookie } = await t.as([role]);
    who[role] = { cookie, id: user.id };
  }
  const opd = await t.as(['opd'], { opdId: v.opdId });
  who.opd = { cookie: opd.cookie, id: opd.user.id };
  const unit = await t.db
    .selectFrom('units')
    .select('id')
    .where('code', '=', 'APTIKA')
    .executeTakeFirstOrThrow();
  const today = jakartaDate(t.now());

  const send = async (c: Detail, as: string, action: string, payload: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/${action}`,
      headers: { cookie: who[as]?.cookie ?? '' },
      payload: { version: c.version, ...payload },
    });
    if (res.statusCode !== 200) throw new Error(`${as} ${action}: ${res.statusCode} ${res.body}`);
    return res.json() as Detail;
  };
  const body = multipart(
    {
      kind: 'new',
      subject: 'Permohonan pembuatan website resmi',
      letterNumber: '027/77/X/2026',
      letterDate: today,
      description: 'Website resmi.',
      requestedHostname: v.requestedHostname,
    },
    [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() }],
  );
  const filed = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: who.opd?.cookie ?? '' },
    payload: body.payload,
  });
  if (filed.statusCode !== 201) throw new Error(`file: ${filed.statusCode} ${filed.body}`);
  let c = filed.json() as Detail;
  c = await send(c, 'opd', 'submit');
  c = await send(c, 'umum', 'register', {
    receivedAt: t.now().toISOString(),
    urgency: 'biasa',
    addressee: 'Kepala DKISP',
    scanConfirmed: true,
  });
  c = await send(c, 'kepala', 'dispose', { toUnitId: unit.id, instruction: 'tindak_lanjuti' });
  c = await send(c, 'kabid', 'dispose_on', { toUserId: who.subkoor?.id, instruction: 'pelajari' });
  c = await send(c, 'subkoor', 'review', { findings: 'Layak.', recommendation: 'approve' });
  c = await send(c, 'kabid', 'decide', { decision: 'approve' });
  c = await send(c, 'umum', 'send_letter', { letterDate: today });
  c = await send(c, 'kabid', 'start_work', { websiteExists: false, teamUserIds: [who.staf?.id] });
  const kak = {
    goals: 'g',
    scope: 's',
    menuStructure: 'm',
    features: 'f',
    targetUsers: 't',
    schedule: 's',
    team: 't',
  };
  c = await send(c, 'staf', 'save_kak', kak);
  c = await send(c, 'staf', 'complete_analysis');
  const build = multipart({ version: String(c.version), template: 'Pemda', cms: 'Statis' }, [
    { field: 'source', ...v.archive },
  ]);
  const built = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/complete_build`,
    headers: { ...build.headers, cookie: who.staf?.cookie ?? '' },
    payload: build.payload,
  });
  if (built.statusCode !== 200) throw new Error(`complete_build: ${built.statusCode} ${built.body}`);
  c = built.json() as Detail;
  if (c.step.key !== 'instalasi' || !c.website)
    throw new Error(`not at the installation step: ${c.step.key}`);
  return {
    caseId: c.id,
    websiteId: c.website.id,
    cookies: Object.fromEntries(Object.entries(who).map(([k, w]) => [k, w.cookie])),
  };
}

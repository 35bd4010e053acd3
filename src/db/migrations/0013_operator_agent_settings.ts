import { type Kysely, sql } from 'kysely';

// Frozen in time: which program runs on a web server, and which file it reads as its configuration,
// are no longer server settings a manager stores (issue 10, ADR 0008). They come from the agent's own
// configuration — the ssh helper's agent.json, or LOKET_LOCAL_AGENT_CONFIG for Loket's own host.
//
// - `configFile` and `binary` are removed from every stored Apache setting (over ssh they were never
//   used; locally they were the hole).
// - A `local` server's stored Apache settings are removed: its Apache is the installation's own.
//   Local access itself stays as stored; it works only where the installation enables it.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE servers
       SET settings = jsonb_set(settings, '{apache}', (settings -> 'apache') - 'configFile' - 'binary')
     WHERE jsonb_typeof(settings -> 'apache') = 'object'
       AND access ->> 'kind' IS DISTINCT FROM 'local'
  `.execute(db);
  await sql`
    UPDATE servers SET settings = settings - 'apache'
     WHERE access ->> 'kind' = 'local' AND settings ? 'apache'
  `.execute(db);
}

export async function down(_db: Kysely<any>): Promise<void> {
  // What was removed named programs and files no user may choose: it is not put back.
}

// E-mail notifications to citizens (outbox = durable jobs): on every status change of a case whose
// contact has a portal account, and on every message or request for documents from the Département.
// Status changes are read from the case timeline (case_events) by a recurring job with a cursor, so
// changes made by any channel or job are covered and none is lost if a process dies.
import type { Runtime } from '../../platform/runtime.ts';
import type { Sql } from '../../platform/db/database.ts';
import { schedule } from '../../platform/jobs/queue.ts';
import { queuePortalEmail, sendPortalEmail } from '../../modules/citizens/mailer.ts';
import { citizenStatusLabel, type ProcedureDefinition } from '../../modules/procedures/definition.ts';
import { produceSubmissionPdf } from '../../modules/procedures/summary-pdf.ts';
import { deleteExpiredCitizenSessions } from '../../modules/citizens/citizen-sessions.ts';

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'portal.notify-scan': Record<string, never>;
    'portal.sessions-prune': Record<string, never>;
  }
}

/**
 * The verified portal accounts that see case `c` in Mon espace: the contact's own account and, unless the
 * case is sensitive, its organisation's confirmed representatives'. Two index lookups (a UNION rather
 * than an OR in a join, which read every account).
 */
const ACCOUNTS_OF_CASE = `
  SELECT a.email FROM citizen_accounts a WHERE a.contact_id = c.contact_id AND a.email_verified_at IS NOT NULL
  UNION
  SELECT a.email FROM contact_links l JOIN citizen_accounts a ON a.contact_id = l.person_id AND a.email_verified_at IS NOT NULL
   WHERE NOT c.sensitive AND l.organisation_id = c.contact_id AND l.confirmed`;

async function recipients(sql: Sql, caseId: string): Promise<{ emails: string[]; sensitive: boolean }> {
  const { rows } = await sql.query<{ email: string | null; sensitive: boolean }>(
    `SELECT acc.email, c.sensitive FROM cases c LEFT JOIN LATERAL (${ACCOUNTS_OF_CASE}) acc ON true WHERE c.id = $1`,
    [caseId],
  );
  // accounts opened without a usable address (identity provider without e-mail) are not written to
  const emails = rows.map((r) => r.email).filter((e): e is string => !!e && !e.endsWith('.invalid'));
  return { emails, sensitive: rows[0]?.sensitive ?? false };
}

/** Whether someone with a portal account can see (and answer on) this case in Mon espace. */
export async function hasPortalAccount(sql: Sql, caseId: string): Promise<boolean> {
  const { rows } = await sql.query<{ yes: boolean }>(`SELECT EXISTS (SELECT 1 FROM cases c, LATERAL (${ACCOUNTS_OF_CASE}) acc WHERE c.id = $1) AS yes`, [caseId]);
  return rows[0].yes;
}

/**
 * Queues one e-mail per recipient. A sensitive case's e-mail says only that something is waiting in the
 * space (an e-mail box is not the place for what an APA or child-protection file holds).
 */
export async function notifyCitizens(sql: Sql, publicUrl: string, caseId: string, reference: string, key: string, subject: string, intro: string) {
  const { emails, sensitive } = await recipients(sql, caseId);
  for (const to of emails) {
    await queuePortalEmail(sql, {
      to,
      subject: sensitive ? `Du nouveau sur votre demande ${reference}` : `${subject} – demande ${reference}`,
      text: `Bonjour,\n\n${sensitive ? `Votre demande ${reference} a évolué ou un message vous attend.` : intro}\n\nConsultez votre demande dans votre espace : ${publicUrl}/mon-espace/demandes/${reference}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre : écrivez-nous depuis votre espace.\n`,
    }, `portal-notify:${key}:${to}`);
  }
}

export async function scanCaseEvents(rt: Runtime): Promise<number> {
  return rt.db.tx(async (tx) => {
    await tx.query(`INSERT INTO portal_notify_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM case_events ON CONFLICT DO NOTHING`);
    const { rows: cur } = await tx.query<{ last_event_id: string }>(`SELECT last_event_id FROM portal_notify_cursor FOR UPDATE`);
    const { rows } = await tx.query<{ id: string; case_id: string; kind: string; to_value: string; reference: string; definition: ProcedureDefinition | null }>(
      `SELECT e.id, e.case_id, e.kind, e.to_value, c.reference, p.definition
         FROM case_events e JOIN cases c ON c.id = e.case_id
         LEFT JOIN procedure_submissions s ON s.case_id = c.id LEFT JOIN procedures p ON p.slug = s.procedure_slug
        WHERE e.id > $1 ORDER BY e.id LIMIT 500`,
      [cur[0].last_event_id],
    );
    for (const e of rows) {
      if (e.kind !== 'status' && e.kind !== 'reopened') continue;
      const label = citizenStatusLabel(e.definition, e.to_value);
      await notifyCitizens(tx, rt.config.publicUrl, e.case_id, e.reference, `event-${e.id}`, 'Votre demande a évolué', `Le statut de votre demande ${e.reference} est désormais : « ${label} ».`);
    }
    if (rows.length) await tx.query('UPDATE portal_notify_cursor SET last_event_id = $1', [rows[rows.length - 1].id]);
    return rows.length;
  });
}

export function registerPortalJobs(rt: Runtime) {
  rt.jobs
    .define('portal.email', async (mail) => sendPortalEmail(rt, mail))
    .define('portal.submission-pdf', async (p) => produceSubmissionPdf(rt, p.submissionId))
    .define('portal.notify-scan', async () => {
      while ((await scanCaseEvents(rt)) === 500);
    })
    .define('portal.sessions-prune', async (_p, { db }) => deleteExpiredCitizenSessions(db));
}

export async function declarePortalSchedules(rt: Runtime) {
  await schedule(rt.db, 'portal-notify-scan', 'portal.notify-scan', 60);
  await schedule(rt.db, 'portal-sessions-prune', 'portal.sessions-prune', 3600);
}

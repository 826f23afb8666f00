// The supervisors' wallboard for one Paris day: volumes, service level (answered within 20 s), average
// handling time, abandon rate, per agent and per hour, level-1 resolution rate, and presence now.
import type { Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { parisToday } from '../../platform/calendar/calendar.ts';
import { PRESENCE_LABELS, type Presence } from './presence.service.ts';

export const SERVICE_LEVEL_SECONDS = 20;
const DAY_RANGE = `k.started_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris') AND k.started_at < (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
const COUNTS = `
  count(*)::int AS calls,
  count(*) FILTER (WHERE k.outcome = 'answered')::int AS answered,
  count(*) FILTER (WHERE k.outcome = 'abandoned')::int AS abandoned,
  count(*) FILTER (WHERE k.outcome = 'out_of_hours')::int AS "outOfHours",
  count(*) FILTER (WHERE k.outcome = 'answered' AND k.wait_seconds <= ${SERVICE_LEVEL_SECONDS})::int AS "answeredInTime",
  round(avg(k.talk_seconds) FILTER (WHERE k.outcome = 'answered'))::int AS "ahtSeconds",
  round(avg(k.wait_seconds) FILTER (WHERE k.outcome = 'answered'))::int AS "asaSeconds"`;

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);

export async function wallboard(sql: Sql, actor: Actor, date?: string) {
  authorize(actor, 'phone.supervise');
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Invalid({ date: 'Date attendue au format AAAA-MM-JJ.' });
  const day = date ?? parisToday();
  const inbound = `${DAY_RANGE} AND k.direction = 'inbound'`;
  const [totals, perAgent, perHour, level1, presence] = await Promise.all([
    sql.query(`SELECT ${COUNTS} FROM calls k WHERE ${inbound}`, [day]),
    sql.query(`SELECT k.agent_id AS "agentId", a.display_name AS "agentName", ${COUNTS} FROM calls k JOIN agents a ON a.id = k.agent_id
                WHERE ${inbound} GROUP BY k.agent_id, a.display_name ORDER BY a.display_name`, [day]),
    sql.query(`SELECT extract(hour FROM k.started_at AT TIME ZONE 'Europe/Paris')::int AS hour, ${COUNTS} FROM calls k
                WHERE ${inbound} GROUP BY 1 ORDER BY 1`, [day]),
    sql.query(`SELECT count(*) FILTER (WHERE qualification = 'level1')::int AS level1, count(*) FILTER (WHERE qualification IS NOT NULL)::int AS qualified
                 FROM calls k WHERE ${inbound}`, [day]),
    sql.query(`SELECT p.agent_id AS "agentId", a.display_name AS "agentName", p.status, p.since FROM agent_presence p JOIN agents a ON a.id = p.agent_id
                WHERE a.active ORDER BY a.display_name`),
  ]);
  const t = totals.rows[0];
  const offered = t.answered + t.abandoned;
  const withRates = (r: any) => ({ ...r, serviceLevel: ratio(r.answeredInTime, r.answered + r.abandoned), abandonRate: ratio(r.abandoned, r.answered + r.abandoned) });
  return {
    date: day,
    serviceLevelSeconds: SERVICE_LEVEL_SECONDS,
    ...t,
    serviceLevel: ratio(t.answeredInTime, offered),
    abandonRate: ratio(t.abandoned, offered),
    level1Resolved: level1.rows[0].level1,
    qualified: level1.rows[0].qualified,
    level1ResolutionRate: ratio(level1.rows[0].level1, level1.rows[0].qualified),
    perAgent: perAgent.rows.map(withRates),
    perHour: perHour.rows.map(withRates),
    presence: presence.rows.map((p) => ({ ...p, label: PRESENCE_LABELS[p.status as Presence] })),
  };
}

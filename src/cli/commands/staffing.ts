// guichet staffing --calls-per-hour N --aht SECONDS --target 0.8 --within SECONDS [--shrinkage 0.3]
// Erlang C staffing for one interval; the last line is always `agents: N` (scripts read it).
// With --calls-per-day N (or --calls-per-month N) instead: the half-hour plan over 7:30–19:00.
import { parseArgs } from 'node:util';
import { checkStaffingInput, staffing } from '../../channels/phone/erlang.ts';
import { planDay, WORKING_DAYS_PER_MONTH } from '../../channels/phone/intraday.ts';

const USAGE = `Utilisation : guichet staffing --calls-per-hour N --aht SECONDES --target 0.8 --within SECONDES [--shrinkage 0.3]
             guichet staffing --calls-per-day N | --calls-per-month N --aht SECONDES [--target 0.8] [--within 20] [--shrinkage 0.3]`;

const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')} %`;

export async function staffingCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'calls-per-hour': { type: 'string' }, 'calls-per-day': { type: 'string' }, 'calls-per-month': { type: 'string' },
      aht: { type: 'string' }, target: { type: 'string' }, within: { type: 'string' }, shrinkage: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (v: string | undefined, fallback?: number) => (v === undefined ? fallback : Number(v.replace(',', '.')));
  const params = { ahtSeconds: num(values.aht)!, target: num(values.target, 0.8)!, withinSeconds: num(values.within, 20)!, shrinkage: num(values.shrinkage, 0)! };
  const perHour = num(values['calls-per-hour']);
  const perDay = num(values['calls-per-day']) ?? (values['calls-per-month'] !== undefined ? num(values['calls-per-month'])! / WORKING_DAYS_PER_MONTH : undefined);
  const errors = checkStaffingInput({ ...params, callsPerHour: perHour ?? 0 });
  if (values.aht === undefined) errors.aht = '--aht est obligatoire.';
  if (perHour === undefined && perDay === undefined) errors.calls = '--calls-per-hour, --calls-per-day ou --calls-per-month est obligatoire.';
  if (perDay !== undefined && !(perDay >= 0)) errors.calls = 'Volume invalide.';
  if (Object.keys(errors).length) {
    console.error(`${Object.values(errors).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  if (perDay !== undefined) {
    const plan = planDay(perDay, params);
    console.log(`Volume : ${perDay.toFixed(0)} appels par jour, DMT ${params.ahtSeconds} s, objectif ${pct(params.target)} en ${params.withinSeconds} s, indisponibilité ${pct(params.shrinkage)}`);
    for (const s of plan.slots) console.log(`${s.start}  ${String(s.calls).padStart(6)} appels  ${String(s.agents).padStart(3)} agents  occupation ${pct(s.occupancy)}  ASA ${s.asaSeconds} s`);
    console.log(`heures-agents : ${plan.agentHours}`);
    console.log(`agents: ${plan.peakAgents}`);
    return 0;
  }
  const r = staffing({ ...params, callsPerHour: perHour! });
  console.log(`Trafic : ${r.erlangs} erlangs`);
  console.log(`Agents au téléphone : ${r.agentsOnPhones} — niveau de service ${pct(r.serviceLevel)}, occupation ${pct(r.occupancy)}, ASA ${r.asaSeconds} s`);
  console.log(`agents: ${r.agents}`);
  return 0;
}

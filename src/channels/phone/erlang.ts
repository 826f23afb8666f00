// Staffing by Erlang C: how many agents a call volume needs to reach a service level ("80 % of calls
// answered within 20 s"), with the resulting occupancy and average speed of answer. Pure functions.

export interface StaffingInput {
  /** Calls offered per hour. */
  callsPerHour: number;
  /** Average handling time (talk + wrap-up), seconds. */
  ahtSeconds: number;
  /** Target share of calls answered within `withinSeconds` (0–1). */
  target: number;
  withinSeconds: number;
  /** Share of paid time not on the phones (breaks, training, absence), 0–<1. */
  shrinkage?: number;
  /** Highest occupancy accepted (e.g. 0.85); agents are added until it is met. */
  maxOccupancy?: number;
}

export interface StaffingResult {
  /** Traffic intensity in erlangs (calls per second × AHT). */
  erlangs: number;
  /** Agents needed on the phones at once. */
  agentsOnPhones: number;
  /** Agents to schedule once shrinkage is counted. */
  agents: number;
  serviceLevel: number;
  /** Probability that a call waits at all. */
  probabilityOfWaiting: number;
  /** Average speed of answer, seconds. */
  asaSeconds: number;
  occupancy: number;
}

/** Erlang C probability of waiting with `n` agents and `a` erlangs (iterative Erlang B, no factorials). */
export function erlangC(n: number, a: number): number {
  if (a <= 0) return 0;
  if (n <= a) return 1;
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return (n * b) / (n - a * (1 - b));
}

export function serviceLevel(n: number, a: number, ahtSeconds: number, withinSeconds: number): number {
  if (a <= 0) return 1;
  if (n <= a) return 0;
  return 1 - erlangC(n, a) * Math.exp((-(n - a) * withinSeconds) / ahtSeconds);
}

export function averageSpeedOfAnswer(n: number, a: number, ahtSeconds: number): number {
  if (a <= 0) return 0;
  if (n <= a) return Infinity;
  return (erlangC(n, a) * ahtSeconds) / (n - a);
}

export function checkStaffingInput(i: StaffingInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Number.isFinite(i.callsPerHour) || i.callsPerHour < 0 || i.callsPerHour > 100_000) errors.callsPerHour = 'Nombre d’appels par heure entre 0 et 100 000.';
  if (!Number.isFinite(i.ahtSeconds) || i.ahtSeconds <= 0 || i.ahtSeconds > 36_000) errors.aht = 'Durée moyenne de traitement en secondes (> 0).';
  if (!Number.isFinite(i.target) || i.target <= 0 || i.target >= 1) errors.target = 'Objectif de service entre 0 et 1 exclus (0,8 pour 80 %).';
  if (!Number.isFinite(i.withinSeconds) || i.withinSeconds < 0 || i.withinSeconds > 3600) errors.within = 'Délai de réponse visé en secondes (0 à 3 600).';
  const s = i.shrinkage ?? 0;
  if (!Number.isFinite(s) || s < 0 || s >= 1) errors.shrinkage = 'Taux d’indisponibilité entre 0 et 1 exclu (0,3 pour 30 %).';
  const o = i.maxOccupancy ?? 1;
  if (!Number.isFinite(o) || o <= 0 || o > 1) errors.maxOccupancy = 'Occupation maximale entre 0 et 1.';
  return errors;
}

/** The smallest number of agents meeting the target; then grossed up for shrinkage. */
export function staffing(i: StaffingInput): StaffingResult {
  const errors = checkStaffingInput(i);
  if (Object.keys(errors).length) throw new RangeError(Object.values(errors).join(' '));
  const a = (i.callsPerHour * i.ahtSeconds) / 3600;
  if (a === 0) return { erlangs: 0, agentsOnPhones: 0, agents: 0, serviceLevel: 1, probabilityOfWaiting: 0, asaSeconds: 0, occupancy: 0 };
  const maxOcc = i.maxOccupancy ?? 1;
  let n = Math.max(1, Math.floor(a) + 1);
  while (serviceLevel(n, a, i.ahtSeconds, i.withinSeconds) < i.target || a / n > maxOcc) n++;
  const shrink = i.shrinkage ?? 0;
  return {
    erlangs: round(a, 3),
    agentsOnPhones: n,
    // 14 / 0.7 is 20.000000000000004 in floating point: round away the noise before the ceiling
    agents: Math.ceil(round(n / (1 - shrink), 9)),
    serviceLevel: round(serviceLevel(n, a, i.ahtSeconds, i.withinSeconds), 4),
    probabilityOfWaiting: round(erlangC(n, a), 4),
    asaSeconds: round(averageSpeedOfAnswer(n, a, i.ahtSeconds), 1),
    occupancy: round(a / n, 4),
  };
}

function round(x: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// The shape of a day at the contact center (7:30–19:00, 23 half-hours): the share of the day's calls
// arriving in each half-hour — a morning peak around 9:00–11:00 and a smaller one after lunch, the
// curve French public-service contact centers usually show. Used by the staffing planner and the benchmark.
import { staffing, type StaffingInput, type StaffingResult } from './erlang.ts';

const WEIGHTS = [
  // 7:30 8:00 8:30 9:00 9:30 10:00 10:30 11:00 11:30 12:00 12:30 13:00
  2.0, 3.5, 5.0, 6.5, 7.0, 7.0, 6.5, 6.0, 5.0, 3.5, 3.0, 3.5,
  // 13:30 14:00 14:30 15:00 15:30 16:00 16:30 17:00 17:30 18:00 18:30
  5.0, 5.5, 5.5, 5.0, 4.5, 4.0, 3.5, 3.0, 2.5, 2.0, 1.5,
];
const TOTAL = WEIGHTS.reduce((s, w) => s + w, 0);

export interface Slot {
  /** 'HH:MM', Paris time. */
  start: string;
  share: number;
}

export const INTRADAY_PROFILE: readonly Slot[] = WEIGHTS.map((w, i) => {
  const minutes = 7 * 60 + 30 + i * 30;
  return { start: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, share: w / TOTAL };
});

/** Average number of working days in a month (Mon–Fri minus public holidays), for monthly volumes. */
export const WORKING_DAYS_PER_MONTH = 21;

export interface SlotPlan extends StaffingResult {
  start: string;
  calls: number;
}

export interface DayPlan {
  callsPerDay: number;
  slots: SlotPlan[];
  /** The busiest half-hour's schedule: how many agents to have at the peak. */
  peakAgents: number;
  /** Agent-hours over the day (sum of half-hours × agents / 2). */
  agentHours: number;
}

export function planDay(callsPerDay: number, params: Omit<StaffingInput, 'callsPerHour'>): DayPlan {
  const slots = INTRADAY_PROFILE.map((s) => {
    const calls = callsPerDay * s.share;
    return { start: s.start, calls: Math.round(calls * 10) / 10, ...staffing({ ...params, callsPerHour: calls * 2 }) };
  });
  return {
    callsPerDay,
    slots,
    peakAgents: Math.max(...slots.map((s) => s.agents)),
    agentHours: slots.reduce((sum, s) => sum + s.agents, 0) / 2,
  };
}

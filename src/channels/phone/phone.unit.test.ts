// Pure parts of the contact center: Erlang C worked examples, opening hours with holidays, the CTI body
// reader, and the call state machine with duplicated and reordered events.
import { describe, expect, it } from 'vitest';
import { staffing } from './erlang.ts';
import { planDay } from './intraday.ts';
import { DEFAULT_SCHEDULE, isOpenBySchedule } from './hours.ts';
import { parseCtiBody, type CtiEvent } from './cti.parse.ts';
import { applyCtiEvent, type CallState } from './call-state.ts';

describe('Erlang C staffing', () => {
  it('200 calls/h, AHT 180 s, 80 % in 20 s → 14 agents; 20 with 30 % shrinkage', () => {
    const r = staffing({ callsPerHour: 200, ahtSeconds: 180, target: 0.8, withinSeconds: 20 });
    expect(r.erlangs).toBe(10);
    expect(r.agents).toBe(14);
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(staffing({ callsPerHour: 200, ahtSeconds: 180, target: 0.8, withinSeconds: 20, shrinkage: 0.3 }).agents).toBe(20);
  });
  it('250 calls/h, AHT 330 s, 80 % in 30 s → 28 agents', () => {
    expect(staffing({ callsPerHour: 250, ahtSeconds: 330, target: 0.8, withinSeconds: 30 }).agents).toBe(28);
  });
  it('plans a day over the 7:30–19:00 profile', () => {
    const p = planDay(440, { ahtSeconds: 180, target: 0.8, withinSeconds: 20 });
    expect(p.slots).toHaveLength(23);
    expect(p.slots.reduce((s, x) => s + x.calls, 0)).toBeCloseTo(440, 0);
    expect(p.peakAgents).toBeGreaterThan(0);
  });
  it('refuses nonsense', () => {
    expect(() => staffing({ callsPerHour: -1, ahtSeconds: 180, target: 0.8, withinSeconds: 20 })).toThrow(RangeError);
  });
});

describe('opening hours', () => {
  const at = (iso: string) => new Date(iso);
  it('Mon–Fri 7:30–19:00 Paris time', () => {
    expect(isOpenBySchedule(at('2026-03-04T06:29:00Z'), DEFAULT_SCHEDULE)).toBe(false); // Wed 7:29 Paris (UTC+1)
    expect(isOpenBySchedule(at('2026-03-04T06:30:00Z'), DEFAULT_SCHEDULE)).toBe(true);
    expect(isOpenBySchedule(at('2026-03-04T17:59:00Z'), DEFAULT_SCHEDULE)).toBe(true);
    expect(isOpenBySchedule(at('2026-03-04T18:00:00Z'), DEFAULT_SCHEDULE)).toBe(false); // 19:00
    expect(isOpenBySchedule(at('2026-07-08T05:45:00Z'), DEFAULT_SCHEDULE)).toBe(true); // summer time: 7:45
    expect(isOpenBySchedule(at('2026-03-07T10:00:00Z'), DEFAULT_SCHEDULE)).toBe(false); // Saturday
  });
  it('closed on public holidays and exceptional closures', () => {
    expect(isOpenBySchedule(at('2026-07-14T10:00:00Z'), DEFAULT_SCHEDULE)).toBe(false); // Fête nationale, a Tuesday
    expect(isOpenBySchedule(at('2026-05-14T10:00:00Z'), DEFAULT_SCHEDULE)).toBe(false); // Ascension 2026
    expect(isOpenBySchedule(at('2026-07-14T10:00:00Z'), { ...DEFAULT_SCHEDULE, closedOnPublicHolidays: false })).toBe(true);
    expect(isOpenBySchedule(at('2026-03-04T10:00:00Z'), DEFAULT_SCHEDULE, new Set(['2026-03-04']))).toBe(false);
  });
});

describe('CTI body', () => {
  it('reads JSON and forms, with user lists', () => {
    const j = parseCtiBody(JSON.stringify({ event: 'newCall', from: '0612345678', to: '0238000000', direction: 'in', callId: 'c1', user: ['a', 'b'] }), 'application/json');
    expect(j.ok && j.event.users).toEqual(['a', 'b']);
    const f = parseCtiBody('event=hangup&callId=c1&cause=cancel&user%5B%5D=x&user%5B%5D=y', 'application/x-www-form-urlencoded');
    expect(f.ok && f.event).toMatchObject({ event: 'hangup', cause: 'cancel', users: ['x', 'y'] });
  });
  it('400 for unreadable bodies, 422 for invalid fields', () => {
    expect(parseCtiBody('{not json', 'application/json')).toMatchObject({ ok: false, status: 400 });
    expect(parseCtiBody('', 'application/json')).toMatchObject({ ok: false, status: 400 });
    expect(parseCtiBody('<xml/>', 'text/xml')).toMatchObject({ ok: false, status: 400 });
    const r = parseCtiBody(JSON.stringify({ event: 'ring', callId: 'c1', cause: 'boom' }), 'application/json');
    expect(r).toMatchObject({ ok: false, status: 422 });
    expect(Object.keys((r as any).fields).sort()).toEqual(['cause', 'event']);
    expect(parseCtiBody(JSON.stringify({ event: 'newCall', callId: 'c1' }), 'application/json')).toMatchObject({ status: 422, fields: { direction: expect.any(String) } });
  });
});

describe('call state machine', () => {
  const ev = (e: Partial<CtiEvent> & Pick<CtiEvent, 'event'>): CtiEvent => ({ callId: 'c', direction: 'in', from: '0612345678', to: '0238', users: [], queue: null, answeringNumber: null, cause: null, ...e });
  const facts = { agentId: 'agent-1', outOfHours: false, partyE164: '+33612345678' };
  const t = (s: number) => new Date(Date.UTC(2026, 2, 4, 9, 0, s));
  function run(events: Array<[CtiEvent, number]>) {
    let s: CallState | null = null;
    for (const [e, at] of events) s = applyCtiEvent(s, e, t(at), facts).next;
    return s!;
  }
  it('newCall → answer → hangup: answered, wait and talk', () => {
    const s = run([[ev({ event: 'newCall' }), 0], [ev({ event: 'answer', answeringNumber: '201' }), 12], [ev({ event: 'hangup', cause: 'normalClearing' }), 100]]);
    expect(s).toMatchObject({ outcome: 'answered', agentId: 'agent-1', startedAt: t(0), answeredAt: t(12), endedAt: t(100) });
  });
  it('a duplicated event changes nothing', () => {
    const s = run([[ev({ event: 'newCall' }), 0], [ev({ event: 'answer' }), 5]]);
    expect(applyCtiEvent(s, ev({ event: 'answer' }), t(9), facts).changed).toBe(false);
    expect(applyCtiEvent(s, ev({ event: 'newCall' }), t(9), facts).changed).toBe(false);
  });
  it('reordered: hangup before answer, answer before newCall, converge', () => {
    const s = run([[ev({ event: 'hangup', cause: 'normalClearing' }), 100], [ev({ event: 'answer' }), 12], [ev({ event: 'newCall' }), 0]]);
    expect(s).toMatchObject({ outcome: 'answered', startedAt: t(0), endedAt: t(100) });
  });
  it('times that cross (a very short call: received in one order, applied in another) stay in order', () => {
    // the answer (received at 5) is applied before the hangup received at 4, and the newCall received at 6 last
    const s = run([[ev({ event: 'answer', answeringNumber: '201' }), 5], [ev({ event: 'hangup', cause: 'normalClearing' }), 4], [ev({ event: 'newCall' }), 6]]);
    expect(s).toMatchObject({ outcome: 'answered', startedAt: t(5), answeredAt: t(5), endedAt: t(5) });
    const late = run([[ev({ event: 'newCall' }), 9], [ev({ event: 'hangup', cause: 'cancel' }), 8]]);
    expect(late).toMatchObject({ outcome: 'abandoned', startedAt: t(8), endedAt: t(8) });
  });
  it('abandoned before answer; out of hours; busy', () => {
    expect(run([[ev({ event: 'newCall' }), 0], [ev({ event: 'hangup', cause: 'cancel' }), 30]]).outcome).toBe('abandoned');
    let s = applyCtiEvent(null, ev({ event: 'newCall' }), t(0), { ...facts, outOfHours: true }).next;
    s = applyCtiEvent(s, ev({ event: 'hangup', cause: 'normalClearing' }), t(10), facts).next;
    expect(s.outcome).toBe('out_of_hours');
    expect(run([[ev({ event: 'newCall', direction: 'out' }), 0], [ev({ event: 'hangup', cause: 'busy' }), 3]]).outcome).toBe('busy');
  });
});

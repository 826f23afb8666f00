import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from '../db/database.ts';
import { systemActor, type Actor } from '../actor.ts';
import { verifyAuditChain } from './verify.ts';
import { sealPending } from './seal.ts';

const actor: Actor = { kind: 'agent', id: 'a1', label: 'Agnès Test', roles: ['admin'], unitIds: [], requestId: 'req-1', ip: '127.0.0.1' };

async function writeEvents(db: Database, n: number) {
  for (let i = 0; i < n; i++) {
    await db.tx(async (tx) => {
      await tx.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [`k${i}-${Math.random()}`, JSON.stringify({ i })]);
      tx.audit({ actor, action: 'setting.create', objectType: 'setting', objectId: `k${i}`, before: null, after: { i, note: 'élagage « test » | pipe' } });
    });
  }
}

describe('audit chain', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await writeEvents(db, 5);
  });
  afterAll(async () => db.close());

  it('is written in the transaction of the change, and not at all when it rolls back', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n;
    await expect(
      db.tx(async (tx) => {
        tx.audit({ actor: systemActor(), action: 'x', objectType: 'y' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n).toBe(before);
  });

  it('records actor, object, before/after, request id and ip', async () => {
    const { rows } = await db.query(`SELECT * FROM audit_events WHERE object_id = 'k0'`);
    expect(rows[0]).toMatchObject({ actor_type: 'agent', actor_id: 'a1', actor_label: 'Agnès Test', action: 'setting.create', request_id: 'req-1', ip: '127.0.0.1' });
    expect(rows[0].after).toEqual({ i: 0, note: 'élagage « test » | pipe' });
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
  });

  it('links events into the chain in commit order when sealed', async () => {
    expect(await sealPending(db)).toBe(5);
    const { rows } = await db.query('SELECT seq, event_id, prev_hash, hash FROM audit_chain ORDER BY seq');
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect((await db.query('SELECT count(*)::int AS n FROM audit_pending')).rows[0].n).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events and of the chain', async () => {
    await expect(db.query(`UPDATE audit_events SET action = 'forged' WHERE id = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events WHERE id = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_chain SET hash = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_chain WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('verifies a clean chain, sealing what is pending first', async () => {
    await writeEvents(db, 2);
    const r = await verifyAuditChain(db);
    expect(r).toEqual({ ok: true, checked: 7 });
  });

  it('stores any text exactly, quotes and backslashes included (values sent as escaped literals with the COMMIT)', async () => {
    const nasty = `O'Brien \\ "guillemets" \\' ; DROP TABLE audit_events; -- $1 $$ \u00e9\n\ttab`;
    const odd: Actor = { ...actor, label: nasty, requestId: `r'\\` };
    await db.tx(async (tx) => {
      tx.audit({ actor: odd, action: 'test.literal', objectType: 'setting', objectId: nasty, before: { s: nasty }, after: [nasty, null, 1] });
      tx.audit({ actor: odd, action: 'test.literal.second', objectType: 'setting', objectId: null });
    });
    const { rows } = await db.query(`SELECT actor_label, object_id, before, after, request_id, action FROM audit_events WHERE action LIKE 'test.literal%' ORDER BY id`);
    expect(rows).toEqual([
      { actor_label: nasty, object_id: nasty, before: { s: nasty }, after: [nasty, null, 1], request_id: `r'\\`, action: 'test.literal' },
      { actor_label: nasty, object_id: null, before: null, after: null, request_id: `r'\\`, action: 'test.literal.second' },
    ]);
  });
});

describe('audit verify finds tampering done with the trigger disabled', () => {
  async function tampered(sqls: string[]) {
    const db = await createTestDatabase();
    await writeEvents(db, 6);
    await sealPending(db);
    await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await db.query('ALTER TABLE audit_chain DISABLE TRIGGER USER');
    for (const s of sqls) await db.query(s);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    await db.query('ALTER TABLE audit_chain ENABLE TRIGGER USER');
    const r = await verifyAuditChain(db);
    await db.close();
    return r;
  }

  it('an edited event', async () => {
    const r = await tampered([`UPDATE audit_events SET after = '{"i": 99}' WHERE id = 3`]);
    expect(r.ok).toBe(false);
    expect(r.checked).toBe(2);
    expect(r.firstBad).toMatchObject({ seq: 3, eventId: 3 });
  });

  it('an edited actor', async () => {
    const r = await tampered([`UPDATE audit_events SET actor_label = 'Quelqu''un d''autre' WHERE id = 5`]);
    expect(r.firstBad?.seq).toBe(5);
  });

  it('a removed event', async () => {
    const r = await tampered([`DELETE FROM audit_events WHERE id = 4`]);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toMatchObject({ seq: 4, eventId: 4, reason: 'événement supprimé' });
  });

  it('two events swapped', async () => {
    const r = await tampered([
      `UPDATE audit_chain SET seq = -2 WHERE seq = 2`,
      `UPDATE audit_chain SET seq = 2 WHERE seq = 3`,
      `UPDATE audit_chain SET seq = 3 WHERE seq = -2`,
    ]);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.seq).toBe(2);
  });

  it('a rewritten hash', async () => {
    const r = await tampered([`UPDATE audit_chain SET hash = repeat('a', 64) WHERE seq = 6`]);
    expect(r.firstBad?.seq).toBe(6);
  });

  it('a link removed from the chain', async () => {
    const r = await tampered([`DELETE FROM audit_chain WHERE seq = 2`]);
    expect(r.firstBad?.seq).toBe(3);
  });

  it('an event slipped in without going through the chain', async () => {
    const r = await tampered([`INSERT INTO audit_events (actor_type, action, object_type) VALUES ('agent', 'case.close', 'case')`]);
    expect(r).toMatchObject({ ok: false, checked: 6, firstBad: { seq: null, eventId: 7, reason: 'événement hors chaîne' } });
  });
});

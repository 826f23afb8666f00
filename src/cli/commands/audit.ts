import type { CliContext } from '../main.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { verifyAuditChain } from '../../platform/audit/verify.ts';

export async function auditVerify({ config }: CliContext) {
  const db = await openDatabase(config);
  try {
    const r = await verifyAuditChain(db);
    if (r.ok) {
      console.log(`Chaîne d'audit intacte : ${r.checked} événement(s) vérifié(s).`);
      return 0;
    }
    const b = r.firstBad!;
    console.error(`Chaîne d'audit ALTÉRÉE : ${r.checked} événement(s) valides, puis l'événement n° ${b.eventId}${b.seq ? ` (maillon ${b.seq})` : ''} — ${b.reason}.`);
    return 1;
  } finally {
    await db.close();
  }
}

// Background jobs of the mail office: split a batch into letters, read a letter's text, send an
// acknowledgement of receipt. All are idempotent (status checks), so a retried job does no harm; when
// the last attempt fails, the batch (or the letter's unread pages) is marked failed with a French
// reason instead of waiting forever.
import type { Runtime } from '../../platform/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { splitBatch } from './split.job.ts';
import { extractLetterText } from './text.job.ts';
import { sendAcknowledgement } from './acknowledgement.ts';

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'mail.batch.split': { batchId: string };
    'mail.letter.text': { letterId: string };
    'mail.acknowledge': { letterId: string };
  }
}

const SPLIT_ATTEMPTS = 3;
const TEXT_ATTEMPTS = 3;

export function registerMailJobs(rt: Runtime) {
  rt.jobs
    .define(
      'mail.batch.split',
      async ({ batchId }, { attempt }) => {
        try {
          await splitBatch(rt, batchId);
        } catch (err) {
          if (attempt < SPLIT_ATTEMPTS) throw err;
          const reason = `Le découpage du lot a échoué (${(err as Error).message.slice(0, 300)}). Le fichier d’origine est conservé : déposez-le de nouveau ou contactez l’administrateur.`;
          await rt.db.tx(async (tx) => {
            await tx.query(`UPDATE mail_batches SET status = 'failed', reason = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status IN ('received', 'splitting')`, [batchId, reason]);
            tx.audit({ actor: systemActor('bureau du courrier'), action: 'mail.batch.fail', objectType: 'mail_batch', objectId: batchId, after: { reason } });
          });
        }
      },
      { timeoutSeconds: 1800, maxAttempts: SPLIT_ATTEMPTS },
    )
    .define(
      'mail.letter.text',
      async ({ letterId }, { attempt }) => {
        try {
          await extractLetterText(rt, letterId);
        } catch (err) {
          if (attempt < TEXT_ATTEMPTS) throw err;
          // give up on the pages still unread; the letter goes on to qualification with a warning
          await rt.db.query(
            `UPDATE mail_pages SET status = 'failed', source = 'none', reason = $2, done_at = now() WHERE letter_id = $1 AND status = 'pending'`,
            [letterId, `Lecture impossible : ${(err as Error).message.slice(0, 300)}`],
          );
          await extractLetterText(rt, letterId);
        }
      },
      { timeoutSeconds: 3600, maxAttempts: TEXT_ATTEMPTS },
    )
    .define('mail.acknowledge', async ({ letterId }) => sendAcknowledgement(rt, letterId), { maxAttempts: 5 });
}

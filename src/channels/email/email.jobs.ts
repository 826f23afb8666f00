// Registers the email jobs, and starts the intake (SMTP receiver, IMAP poller) in `serve`.
import type { Runtime } from '../../platform/runtime.ts';
import { processInboundEmail } from './filing.ts';
import { closeTransports, sendOutboundEmail } from './outbox.ts';
import { createSmtpReceiver, listen } from './smtp-receiver.ts';
import { ImapPoller, parseImapUrl } from './imap-poller.ts';
import { stopwatch } from './timings.ts';

const SEND_ATTEMPTS = 6;

export function registerEmailJobs(rt: Runtime) {
  // Filing and acknowledging mostly wait on the database and the SMTP server: they get worker slots
  // of their own, so a burst of mail neither waits behind nor starves the other jobs.
  const filing = rt.config.email.jobConcurrency;
  rt.jobs
    .define('email.process', async (job) => {
      const lap = stopwatch();
      await processInboundEmail(rt, job);
      lap('job: email.process handler (total)');
    }, { maxAttempts: 8, timeoutSeconds: 120, concurrency: filing })
    .define('email.send', async ({ outboundId }, ctx) => {
      const lap = stopwatch();
      await sendOutboundEmail(rt, outboundId, { attempt: ctx.attempt, maxAttempts: SEND_ATTEMPTS });
      lap('job: email.send handler (total)');
    }, { maxAttempts: SEND_ATTEMPTS, timeoutSeconds: 120, concurrency: Math.max(1, Math.ceil(filing / 2)) });
}

/** Starts what is configured (SMTP_RECEIVER_PORT / --smtp-port, IMAP_URL); returns a stop function. */
export async function startEmailIntake(rt: Runtime): Promise<{ smtpPort: number | null; stop: () => Promise<void> }> {
  const cfg = rt.config.email;
  const receiver = cfg.smtpReceiverPort !== null ? createSmtpReceiver(rt) : null;
  const smtpPort = receiver ? await listen(receiver, cfg.smtpReceiverPort!, rt.config.host) : null;
  if (smtpPort !== null) rt.log.info({ port: smtpPort }, 'SMTP receiver listening');
  const poller = cfg.imapUrl ? new ImapPoller(rt, parseImapUrl(cfg.imapUrl)) : null;
  if (poller) await poller.start().catch((err) => rt.log.error({ err }, 'IMAP intake could not start'));
  return {
    smtpPort,
    async stop() {
      await poller?.stop();
      if (receiver) await new Promise<void>((r) => receiver.close(() => r()));
      closeTransports();
    },
  };
}

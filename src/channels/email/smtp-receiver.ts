// The built-in SMTP receiver a mail relay forwards to (`guichet serve --smtp-port P`). It answers 250
// only once the raw message and its row are committed; a failure before that is a temporary 451, so
// the relay tries again and nothing acknowledged is ever lost.
import { SMTPServer } from 'smtp-server';
import type { Runtime } from '../../platform/runtime.ts';
import { receiveRawEmail } from './intake.ts';

export type Sink = (raw: Buffer, envelope: { from: string | null; to: string[] }) => Promise<unknown>;

export function createSmtpReceiver(rt: Runtime, sink?: Sink): SMTPServer {
  const maxBytes = rt.config.email.maxMessageBytes;
  const store: Sink = sink ?? ((raw, env) => receiveRawEmail(rt, raw, { source: 'smtp', envelopeFrom: env.from, envelopeTo: env.to }));
  return new SMTPServer({
    name: `guichet.${rt.config.email.domain}`,
    banner: 'Guichet',
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: maxBytes,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error(`Message trop volumineux (maximum ${maxBytes} octets)`), { responseCode: 552 }));
        }
        const mailFrom = session.envelope.mailFrom;
        const envelope = { from: mailFrom === false ? null : mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) };
        store(Buffer.concat(chunks), envelope).then(
          () => callback(),
          (err: Error) => {
            rt.log.error({ err }, 'email intake failed');
            callback(Object.assign(new Error('Erreur temporaire, réessayez plus tard'), { responseCode: 451 }));
          },
        );
      });
    },
  });
}

export async function listen(server: SMTPServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

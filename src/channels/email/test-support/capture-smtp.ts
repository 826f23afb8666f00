// A test SMTP server (smtp-server) that keeps every message Guichet sends, parsed, for assertions.
// `reject` makes it refuse recipients (a permanent 550) to exercise delivery failures.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Captured {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  mail: ParsedMail;
}

export interface CaptureServer {
  port: number;
  url: string;
  messages: Captured[];
  reject: Set<string>;
  waitFor(n: number, timeoutMs?: number): Promise<Captured[]>;
  close(): Promise<void>;
}

export async function startCaptureSmtp(): Promise<CaptureServer> {
  const messages: Captured[] = [];
  const reject = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (reject.has(address.address.toLowerCase())) return cb(Object.assign(new Error('5.1.1 Utilisateur inconnu'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        messages.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, mail: await simpleParser(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    reject,
    async waitFor(n, timeoutMs = 30_000) {
      const t0 = Date.now();
      while (messages.length < n) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`expected ${n} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

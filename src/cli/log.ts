// Commands print for people on stdout; the structured log only reports warnings and errors, on stderr.
import pino from 'pino';

export function quietLogger() {
  return pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

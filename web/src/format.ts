// French formats for dates, times and sizes (Intl, Europe/Paris): « 29 nov. 2026 », « 14 h 05 ».
const TZ = 'Europe/Paris';

const dateFmt = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: TZ });
const dateUtcFmt = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const longDateUtcFmt = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const timeFmt = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TZ });
const dayKeyFmt = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TZ });
const numberFmt = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(v: string | Date): Date {
  return v instanceof Date ? v : DATE_ONLY.test(v) ? new Date(`${v}T12:00:00Z`) : new Date(v);
}

/** « 29 nov. 2026 » — a calendar date (YYYY-MM-DD, kept as is) or an instant (shown in Paris time). */
export function formatDate(v: string | Date): string {
  return typeof v === 'string' && DATE_ONLY.test(v) ? dateUtcFmt.format(toDate(v)) : dateFmt.format(toDate(v));
}

/** « dimanche 29 novembre 2026 » for a calendar date (accessible long form). */
export function formatLongDate(day: string): string {
  return longDateUtcFmt.format(toDate(day));
}

/** « 14 h 05 » (Paris time). */
export function formatTime(v: string | Date): string {
  const parts = timeFmt.formatToParts(toDate(v));
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '';
  return `${hour} h ${minute}`;
}

/** « 29 nov. 2026 à 14 h 05 ». */
export function formatDateTime(v: string | Date): string {
  return `${formatDate(toDate(v))} à ${formatTime(v)}`;
}

/** Today's date in Paris, YYYY-MM-DD. */
export function parisToday(now = new Date()): string {
  return dayKeyFmt.format(now);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** How far a due date is, in words: « en retard de 3 jours », « aujourd’hui », « demain », « dans 5 jours ». */
export function dueInWords(dueDate: string, today = parisToday()): string {
  const d = daysBetween(today, dueDate);
  if (d < -1) return `en retard de ${-d} jours`;
  if (d === -1) return 'en retard d’un jour';
  if (d === 0) return 'aujourd’hui';
  if (d === 1) return 'demain';
  return `dans ${d} jours`;
}

/** « 1,2 Mo », « 340 ko », « 12 octets ». */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} octet${bytes > 1 ? 's' : ''}`;
  if (bytes < 1_000_000) return `${numberFmt.format(bytes / 1000)} ko`;
  return `${numberFmt.format(bytes / 1_000_000)} Mo`;
}

/** « 1 demande », « 3 demandes ». */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n > 1 ? many : one}`;
}

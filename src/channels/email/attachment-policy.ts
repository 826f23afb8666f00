// What we refuse to file: executables and scripts (by name and by content), oversized attachments.
import { fileTypeFromBuffer } from 'file-type';
import type { ParsedAttachment } from './parse.ts';

const REFUSED_EXTENSIONS = /\.(exe|com|bat|cmd|scr|pif|cpl|msi|msp|dll|js|jse|vbs|vbe|wsf|wsh|hta|ps1|psm1|jar|sh|lnk|reg|scf|app|apk|iso)$/i;
const REFUSED_TYPES = new Set([
  'application/x-msdownload', 'application/x-dosexec', 'application/x-executable', 'application/x-elf', 'application/x-sh',
  'application/x-msdos-program', 'application/javascript', 'text/javascript', 'application/x-ms-shortcut', 'application/java-archive',
  'application/vnd.microsoft.portable-executable', 'application/x-mach-binary', 'application/vnd.android.package-archive',
]);

/** The reason a message must be quarantined because of its attachments, or null. */
export async function refusedAttachment(attachments: ParsedAttachment[], maxBytes: number): Promise<string | null> {
  for (const a of attachments) {
    if (a.size > maxBytes) return `Pièce jointe trop volumineuse : « ${a.filename} » (${a.size} octets, maximum ${maxBytes}).`;
    if (REFUSED_EXTENSIONS.test(a.filename)) return `Type de pièce jointe refusé (exécutable ou script) : « ${a.filename} ».`;
    const sniffed = (await fileTypeFromBuffer(a.content.subarray(0, 4100)))?.mime;
    if (REFUSED_TYPES.has(a.contentType) || (sniffed && REFUSED_TYPES.has(sniffed))) {
      return `Type de pièce jointe refusé (exécutable ou script) : « ${a.filename} » (${sniffed ?? a.contentType}).`;
    }
  }
  return null;
}

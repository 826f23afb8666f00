import { describe, expect, it } from 'vitest';
import { ACCEPT, refusalOf, type Limits } from './upload-check.ts';

const limits: Limits = { types: ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'], maxBytes: 50 * 1048576, maxPages: 300 };

describe('mail deposit: checks before sending', () => {
  it('accepts scans by type, or by their ending when the browser gives no type', () => {
    expect(refusalOf({ name: 'lot.pdf', size: 1200, type: 'application/pdf' }, limits)).toBeNull();
    expect(refusalOf({ name: 'SCAN_0001.TIF', size: 1200, type: '' }, limits)).toBeNull();
    expect(refusalOf({ name: 'page.jpeg', size: 1200, type: 'application/octet-stream' }, limits)).toBeNull();
    expect(ACCEPT).toContain('.tiff');
    expect(ACCEPT).toContain('application/pdf');
  });

  it('refuses other types, empty files and files over the limit, in French', () => {
    expect(refusalOf({ name: 'notes.docx', size: 1200, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }, limits)).toBe(
      'Type de fichier non accepté : envoyez un PDF, un TIFF, un JPEG ou un PNG.',
    );
    expect(refusalOf({ name: 'sans-extension', size: 1200, type: '' }, limits)).toMatch(/Type de fichier non accepté/);
    expect(refusalOf({ name: 'vide.pdf', size: 0, type: 'application/pdf' }, limits)).toBe('Le fichier est vide (0 octet).');
    expect(refusalOf({ name: 'enorme.pdf', size: 60 * 1048576, type: 'application/pdf' }, limits)).toBe('Fichier trop volumineux (62,9 Mo) : au plus 50 Mo par fichier.');
    expect(refusalOf({ name: 'juste.pdf', size: 50 * 1048576, type: 'application/pdf' }, limits)).toBeNull();
  });
});

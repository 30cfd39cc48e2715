import { caseFold } from 'unicode-case-folding';
import type { Db } from './db.js';

/**
 * The forms in which free text (display names, organization names, search terms) is compared, so that
 * every TextQueryMethod is right in any script:
 *
 * - exact form: NFC, so a name typed with combining marks ("U" + U+0308) equals the precomposed "Ü".
 * - caseless form: NFC, then Unicode default full case folding (CaseFolding.txt, statuses C and F, without
 *   the Turkic T lines), then NFC again. Equal caseless forms are Unicode's canonical caseless match
 *   (Unicode 3.13, D145, with NFC in place of NFD). So "ß", "ẞ" and "ss" fold alike, "Σ", "σ" and a final "ς"
 *   all fold to "σ", "İ" folds to "i" + U+0307 and "ı" stays "ı" (Turkish needs a locale this rule lacks).
 *   The last NFC matters because folding can decompose: "ΐ" (U+0390) folds to three code points.
 *
 * Comparisons then run on these strings code point by code point (SQLite's =, substr and instr, and LIKE
 * only where its ASCII-only case-insensitivity cannot change the answer; see domain/text-query.ts), never
 * on raw names through COLLATE NOCASE.
 */
export const exactForm = (text: string): string => text.normalize('NFC');
export const caselessForm = (text: string): string => caseFold(text.normalize('NFC')).normalize('NFC');

/** SQLite's built-in lower() and LIKE fold ASCII letters only, as this build has no ICU (checked when registering). */
const sqliteLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** What is stored in <name>_nfc and <name>_fold beside a free-text name column. */
export interface StoredForms {
  nfc: string | null;
  fold: string | null;
}

/**
 * Each form is stored only where the name's own column can stand in for it: the NFC form where the name
 * is not NFC, the fold where it is not just the name's ASCII lowercase (which SQLite's lower() and LIKE
 * compute themselves; see domain/text-query.ts). ASCII and other already-composed names (nearly all) then
 * add one byte per form to a row and to the covering index the short searches scan.
 */
export function storedForms(name: string): StoredForms {
  const nfc = exactForm(name);
  const fold = caselessForm(name);
  return { nfc: nfc === name ? null : nfc, fold: fold === sqliteLower(name) ? null : fold };
}

/**
 * search_nfc(name) and search_fold(name) as SQL functions, for migrations that fill the stored forms of
 * rows written before them. The schema never calls them, so any SQLite client can still read and write
 * the database.
 */
export function registerSearchFormFunctions(db: Db): void {
  // A NULL fold stands for the ASCII lowercase: only right where lower() and LIKE leave other letters alone.
  if (db.prepare("SELECT lower('ÄΣ') = 'ÄΣ' AND NOT 'Ä' LIKE 'ä'").pluck().get() !== 1) {
    throw new Error('SQLite folds case beyond ASCII in this build; the stored search forms assume it does not');
  }
  const form = (pick: keyof StoredForms) => (name: unknown) => (typeof name === 'string' ? storedForms(name)[pick] : null);
  db.function('search_nfc', { deterministic: true }, form('nfc'));
  db.function('search_fold', { deterministic: true }, form('fold'));
}

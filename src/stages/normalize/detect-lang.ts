/**
 * Statistical language detection, the second opinion after the script tally
 * (lang.ts): which language of the script the text is in (Arabic, Persian
 * or Urdu; English or German). Wraps ELD (npm `eld`, Efficient Language
 * Detector: n-gram scores for 60 languages, pure JavaScript, no native code).
 * The "extrasmall" database loads fastest. Detection reads the first 500
 * characters: its cost grows with the text, and on the extraction-dev pages
 * 500 gave the same languages as ELD's own limit of 1000.
 *
 * ELD's database is packed (packed-ngrams.ts): ~4 MB of heap per thread
 * instead of ~28 MB; ELD's detection steps run on it directly
 * (packed-detect.ts), about three times faster than ELD's own code. The build writes the packed database
 * to a file read in ~25 ms; without it (tests run from src/) ELD's n-gram
 * module is imported (~0.25 s) and packed (~0.2 s) at start-up. Packing needs
 * two things ELD's public API does not give (see eldInternals), so that one
 * function reads ELD's private files, for the pinned release only;
 * tests/stages/normalize/detect-lang.test.ts checks every score against
 * ELD's detector on an unpacked copy.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NgramTable, type PackedDatabase, decodePacked, encodePacked, ngramView, packNgrams, packedBehind } from './packed-ngrams.js';
import { type DetectResult, type EldParts, packedDetector } from './packed-detect.js';

interface Eld {
  detect(text: string): DetectResult;
  info(): { Languages: Record<string, string> };
}
interface NgramsData { type: string; languages: Record<string, string>; ngrams: NgramTable }

/** The ELD release whose private files eldInternals was checked against (package.json pins it exactly). */
export const ELD_VERSION = '2.1.0';

interface EldInternals {
  /** What packed-detect.ts needs of ELD's detector: its separators, byte dictionary and result class. */
  parts: EldParts;
  /** ELD's "extrasmall" n-gram module (what `eld/extrasmall` preloads). */
  ngramsModule: URL;
  /** This build of the database (release and module size): a packed file from another build is ignored. */
  stamp: string;
}

/**
 * The one place newsclean reaches past ELD's public API into its files.
 * Why: ELD 2.1.0 exports only ready-made detectors ('eld' loads a database
 * by file name from its own src/ngrams/ folder, 'eld/extrasmall' comes
 * preloaded); none takes a database object or exposes the n-grams, and each
 * keeps the unpacked table (~28 MB per thread) for good. Packing needs the
 * table (src/ngrams/extrasmall.js); detecting on it needs the pieces of ELD's
 * detector packed-detect.ts uses (its separators, byte dictionary and result
 * class). They are read only when the
 * installed ELD is ELD_VERSION; for any other release this returns null and
 * detection falls back to the public 'eld/extrasmall' (same results, the
 * unpacked database's memory) until someone checks these files again.
 */
async function eldInternals(): Promise<EldInternals | null> {
  const entry = import.meta.resolve('eld'); // eld/src/entries/dynamic.js
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', entry), 'utf8')) as { version: string };
  if (version !== ELD_VERSION) {
    process.emitWarning(`eld ${version} is installed; detect-lang.ts was checked against ${ELD_VERSION}: using the unpacked database`, { code: 'NEWSCLEAN_ELD_VERSION' });
    return null;
  }
  const ngramsModule = new URL('../ngrams/extrasmall.js', entry);
  const file = (name: string): Promise<Record<string, unknown>> => import(new URL(`../${name}`, entry).href) as Promise<Record<string, unknown>>;
  const [{ separators }, { dictionary }, { LanguageResult }] = await Promise.all([file('regexPatterns.js'), file('dictionary.js'), file('LanguageResult.js')]);
  const parts = { separators, dictionary, LanguageResult } as EldParts;
  return { parts, ngramsModule, stamp: `eld ${version} extrasmall ${statSync(ngramsModule).size}` };
}

/** Written by `npm run build` (scripts/pack-language-model.mjs) beside the compiled module. */
export const PACKED_FILE = fileURLToPath(new URL('./eld-extrasmall.packed', import.meta.url));

/** The packed file when it matches this ELD; else ELD's own module, packed here (~0.45 s). */
async function loadDatabase({ ngramsModule, stamp }: EldInternals): Promise<PackedDatabase> {
  let bytes: Buffer | null = null;
  try {
    bytes = readFileSync(PACKED_FILE);
  } catch {
    // not built (tests run from src/): pack ELD's module
  }
  const fromFile = bytes && decodePacked(bytes, stamp);
  if (fromFile) return fromFile;
  const { ngramsData } = (await import(ngramsModule.href)) as { ngramsData: NgramsData };
  // ELD's module keeps ngramsData for good: the packed view replaces the
  // unpacked table there, so the table can be collected.
  const packed = packedBehind(ngramsData.ngrams) ?? packNgrams(ngramsData.ngrams);
  ngramsData.ngrams = ngramView(packed);
  return { type: ngramsData.type, languages: ngramsData.languages, packed };
}

const internals = await eldInternals();
const database = internals ? await loadDatabase(internals) : null;
interface Detector {
  detect(text: string): DetectResult;
  /** ISO 639-1 codes it can return. */
  languages: string[];
}

/** ELD's detect on the packed database (packed-detect.ts), or ELD's public detector when its files were not checked. */
const detector: Detector = internals && database
  ? { detect: packedDetector(database, internals.parts), languages: Object.values(database.languages) }
  : await publicDetector();

async function publicDetector(): Promise<Detector> {
  const eld = (await import('eld/extrasmall')).eld.newInstance() as Eld;
  return { detect: (text) => eld.detect(text), languages: Object.values(eld.info().Languages) };
}

/** Which ELD build a packed file comes from (empty when ELD is not the checked release and nothing is packed). */
export const PACKED_STAMP = internals?.stamp ?? '';

/** Write the packed file (the build does, once per install); false when ELD is not the checked release. */
export function writePackedDatabase(file: string = PACKED_FILE): boolean {
  if (!database) return false;
  writeFileSync(file, encodePacked(database, PACKED_STAMP));
  return true;
}

const MAX_CHARS = 500;

/** ISO 639-1 codes ELD can return. A declared language outside this set can't be contradicted. */
const KNOWN = new Set(detector.languages);

export interface Detection {
  /** ISO 639-1 code. */
  lang: string;
  /** ELD's own test: enough n-grams, a score near the language's usual, a gap to the runner-up. */
  reliable: boolean;
  /** How far the detected language's score (0..1) is ahead of `other`'s (0 if `other` never scored). */
  leadOver(other: string): number;
}

export const isDetectable = (lang: string): boolean => KNOWN.has(lang);

export function detectLanguage(text: string): Detection | null {
  const result = detector.detect(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  if (!result.language) return null;
  let scores: Record<string, number> | undefined;
  return {
    lang: result.language,
    reliable: result.isReliable(),
    leadOver(other) {
      scores ??= result.getScores();
      return (scores[result.language] ?? 0) - (scores[other] ?? 0);
    },
  };
}

// Build step (`npm run build`): write ELD's n-gram database, packed, beside
// the compiled detect-lang.js, so each thread reads ~0.75 MB in ~25 ms
// instead of importing and packing ELD's module (~0.45 s). Without the file
// (or with one from another ELD build) detection packs at start-up instead.
import { ELD_VERSION, PACKED_FILE, writePackedDatabase } from '../dist/stages/normalize/detect-lang.js';

if (writePackedDatabase()) console.log(`pack-language-model: wrote ${PACKED_FILE}`);
else console.warn(`pack-language-model: the installed eld is not ${ELD_VERSION}, the release detect-lang.ts reads the database of; nothing packed (detection uses the unpacked database)`);

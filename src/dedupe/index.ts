/**
 * Near-duplicate detection (issue 5), the public surface of src/dedupe/: what
 * the rest of newsclean imports. Versions of one story get one cluster id:
 * MinHash signatures of folded text (minhash.ts), looked up through LSH
 * banding (lsh-table.ts) and clustered online (near-dup.ts).
 *
 * Layer: dedupe/ may import stages/, config/ and shared/; run/ (the ledger)
 * and the layers above use it through this file (eslint.config.js).
 */
export {
  type ClusterMatch,
  type NearDupIndex,
  type NearDupOptions,
  type Signature,
  blendSimilarity,
  createNearDupIndex,
  signatureFromBytes,
  signatureOf,
  signatureTag,
  signatureToBytes,
  similarityOf,
} from './near-dup.js';

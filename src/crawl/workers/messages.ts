/** Posted once by each clean worker when its rule files and language model are loaded (src/crawl/clean-pool.ts waits for all of them). */
export const WORKER_READY = 'newsclean:clean-worker-ready';

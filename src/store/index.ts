export { prepareDataDir } from './data-dir.ts'
export { DATABASE_FILE, openStore } from './open.ts'
export type { OpenStoreOptions, Store, TaskProcessRecord } from './types.ts'

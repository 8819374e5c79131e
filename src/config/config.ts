/** Everything the command line and environment decide about one prunner run (SPEC §2.2). */
export interface Config {
  readonly verbose: boolean
  readonly disableAnsi: boolean
  /** `--config`: the file holding `jwt_secret` (§3). */
  readonly configFile: string
  /** Set only when the flag or env var is non-empty; checked later by `resolveSecret`. */
  readonly jwtSecret?: string
  readonly dataDir: string
  readonly pattern: string
  readonly path: string
  readonly address: string
  /** In load order; empty means no env file is read. */
  readonly envFiles: readonly string[]
  readonly watch: boolean
  readonly pollIntervalMs: number
  /** `--shell` as given; resolving it on PATH happens at server startup (§6.1). */
  readonly shell?: string
  readonly enableProfiling: boolean
  /** `--metrics-public`: `GET /metrics` without authentication. */
  readonly metricsPublic: boolean
}

/** The commands prunner understands; `serve` is what runs when no command word is given. */
export type CommandName = 'serve' | 'validate' | 'debug' | 'version' | 'help'

import { dlopen, type FFIFunction, type Library } from 'bun:ffi'

/** Sonames tried in order: glibc, then musl (Alpine) on x64 and arm64. */
const LIBC_NAMES = ['libc.so.6', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1']

export type LibcResult<T extends Record<string, FFIFunction>> =
  | { ok: true; symbols: Library<T>['symbols'] }
  | { ok: false; error: unknown }

/**
 * Opens the C library with `symbols` on Linux, for the few calls Bun has no API for (pipe2,
 * prctl, waitpid). Off Linux, or when no known libc loads, the caller falls back.
 */
export function openLibc<T extends Record<string, FFIFunction>>(symbols: T): LibcResult<T> {
  if (process.platform !== 'linux') {
    return { ok: false, error: new Error(`no libc bindings on ${process.platform}`) }
  }

  let lastError: unknown
  for (const name of LIBC_NAMES) {
    try {
      return { ok: true, symbols: dlopen(name, symbols).symbols }
    } catch (error) {
      lastError = error
    }
  }
  return { ok: false, error: lastError }
}

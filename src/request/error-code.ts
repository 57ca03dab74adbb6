/** True when `error` or one of its first causes carries `code` (a transport's marked error). */
export function hasErrorCode(error: unknown, code: string): boolean {
  for (let e = error, depth = 0; depth < 3 && typeof e === 'object' && e !== null; depth++) {
    if ((e as { code?: unknown }).code === code) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

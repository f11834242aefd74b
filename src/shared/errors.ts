/**
 * A mistake the user can fix (bad input, missing permission, a tag that already exists).
 * main reports its message as one line and no stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
}

/** Turns anything thrown into one readable line; non-Error values must not leave the step green. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** Keeps multi-line tool output to one line for an annotation. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

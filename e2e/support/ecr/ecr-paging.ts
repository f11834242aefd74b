// The paging of ECR's list operations (DescribeImages, DescribeImageScanFindings): maxResults 1..1000,
// 100 when absent, and an opaque nextToken while more results remain. Test infrastructure only.
import { ecrErrors } from './ecr-errors.js'

/** maxResults of a paginated operation, checked as AWS checks it. */
export function maxResultsOf(input: Readonly<Record<string, unknown>>): number {
  const value = input['maxResults']
  if (value === undefined) return 100
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value greater than or equal to 1'")
  }
  if (value > 1000) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'")
  }
  return value
}

/**
 * The page of `items` that the request's nextToken and maxResults name. The token is base64 of the offset
 * and the scope it pages through (a repository, a scan), so a token is refused anywhere else, as AWS
 * refuses an expired or foreign one.
 */
export function pageOf<T>(
  items: readonly T[],
  input: Readonly<Record<string, unknown>>,
  scope: string,
  maxResults = maxResultsOf(input)
): { readonly page: T[]; readonly offset: number; readonly nextToken: string | undefined } {
  const token = input['nextToken']
  const offset = typeof token === 'string' ? offsetOf(token, scope) : 0
  const end = offset + maxResults
  return {
    page: items.slice(offset, end),
    offset,
    nextToken: end < items.length ? Buffer.from(JSON.stringify({ o: end, k: scope })).toString('base64') : undefined
  }
}

function offsetOf(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; k?: unknown }
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.k === scope) return parsed.o
  } catch {
    // falls through to the error below
  }
  throw ecrErrors.invalidParameter("Invalid parameter at 'nextToken': the token is invalid or expired")
}

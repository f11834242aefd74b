// Written apart from src/shared/tag-policy.ts on purpose: the test endpoint models AWS independently of the code
// under test. Used for tag-mutability exclusion filters and scanning repository filters.

/** ECR WILDCARD filters: '*' matches any run of characters (also none), everything else literally. */
export function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(tag)
}

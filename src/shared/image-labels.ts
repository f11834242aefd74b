/**
 * The labels that tie an image to where it came from, as the action writes them into every image it
 * builds (buildx-args.ts) and reads them back from a config blob (tag addition, `skip`, the merge).
 */

/** The commit, as OCI's annotation spec names it. */
export const REVISION_LABEL = 'org.opencontainers.image.revision'

/**
 * The workflow run (GITHUB_RUN_ID, the same for every attempt) that built the image. OCI has no key for
 * it, so it lives under the project's own reverse-DNS prefix. Merge discovery takes only its own run's
 * legs by it; like every label it is written by whoever pushes, so it narrows, and does not authenticate.
 */
export const RUN_ID_LABEL = 'io.github.immutable-ecr-build.run-id'

/** A label of an image config blob; undefined when absent (Labels may be null) or not a string. */
export function configLabel(configBlob: Buffer, name: string): string | undefined {
  const config = JSON.parse(configBlob.toString('utf8')) as { config?: { Labels?: Record<string, unknown> | null } }
  const value = config.config?.Labels?.[name]
  return typeof value === 'string' ? value : undefined
}

import type { Ecr, StoredImage } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import { configPlatformOf, isAttestation, parseManifest, platformDigests } from '../shared/image-graph.js'
import { checkRevision, revisionOf, type RevisionCheck } from './tag-addition.js'
import { readAfterWrite, type LagWait } from '../shared/read-after-write.js'

/** One runnable image of a stored image (itself, or one platform of an index) with its config bytes. */
export interface RunnableConfig {
  readonly manifestDigest: string
  readonly config: Buffer
}

/**
 * The config of every runnable image behind a stored manifest, read through the registry API (configs
 * are blobs; BatchGetImage only returns manifests). Attestation manifests are skipped: they have no
 * runnable config and no revision label.
 */
export async function runnableConfigs(
  ecr: Pick<Ecr, 'getImages'>,
  registry: Pick<Registry, 'readBlob'>,
  repository: string,
  image: StoredImage,
  lag?: Omit<LagWait, 'what'>
): Promise<RunnableConfig[]> {
  const top = parseManifest(image.manifest, image.mediaType)
  if (top.kind === 'image') return top.config ? [{ manifestDigest: image.digest, config: await registry.readBlob(repository, top.config.digest) }] : []
  const children = top.manifests.filter((entry) => !isAttestation(entry)).map((entry) => entry.digest)
  if (children.length === 0) return []
  // Often the image this run just wrote: a child not found yet is ECR's read-after-write lag.
  const lookup = await readAfterWrite(
    () =>
      ecr.getImages(
        repository,
        children.map((digest) => ({ digest }))
      ),
    (found) => [...found.byDigest.values()].every((child) => child !== undefined),
    { what: `the platform images of ${repository}@${image.digest}`, ...(lag ?? {}) }
  )
  return Promise.all(
    children.map(async (digest) => {
      const child = lookup.byDigest.get(digest)
      if (!child) throw new Error(`${repository}@${image.digest} lists ${digest}, which the repository does not serve.`)
      const manifest = parseManifest(child.manifest, child.mediaType)
      if (!manifest.config) throw new Error(`${repository}@${digest} has no config.`)
      return { manifestDigest: digest, config: await registry.readBlob(repository, manifest.config.digest) }
    })
  )
}

/** `platform-digests` of a stored image; for a single image its config names the platform. */
export function storedPlatformDigests(image: StoredImage, configs: readonly RunnableConfig[]): Record<string, string> {
  const manifest = parseManifest(image.manifest, image.mediaType)
  const own = manifest.kind === 'image' ? configs.find((entry) => entry.manifestDigest === image.digest) : undefined
  return platformDigests({ digest: image.digest, manifest }, own ? configPlatformOf(own.config) : undefined)
}

/**
 * The configs of a stored image and whether they show it is commit `sha`'s build: what tag addition and
 * a `skip` reuse both read before they name or report an existing image (a short SHA tag may be another
 * commit's). Nothing is written here.
 */
export async function revisionCheckedConfigs(
  ecr: Pick<Ecr, 'getImages'>,
  registry: Pick<Registry, 'readBlob'>,
  repository: string,
  image: StoredImage,
  sha: string
): Promise<{ readonly configs: RunnableConfig[]; readonly check: RevisionCheck }> {
  const configs = await runnableConfigs(ecr, registry, repository, image)
  const check = checkRevision(
    image.digest,
    configs.map((entry) => ({ manifestDigest: entry.manifestDigest, revision: revisionOf(entry.config) })),
    sha
  )
  return { configs, check }
}

/**
 * Decides whether the image a tag points to is the one this run built. buildx's reported digest is
 * not enough on its own: with the docker driver it is learned from the registry after the push, so
 * under a race it can name another run's image. The config digest comes from the build itself.
 */

export interface BuildMetadata {
  readonly imageDigest: string | undefined
  readonly configDigest: string | undefined
}

export function readBuildMetadata(metadata: Record<string, unknown>): BuildMetadata {
  const text = (key: string): string | undefined => {
    const value = metadata[key]
    return typeof value === 'string' && value.startsWith('sha256:') ? value : undefined
  }
  return { imageDigest: text('containerimage.digest'), configDigest: text('containerimage.config.digest') }
}

export type ManifestShape =
  { readonly kind: 'image'; readonly configDigest: string } | { readonly kind: 'index'; readonly platformManifests: readonly string[] }

const ATTESTATION_REFERENCE_TYPE = 'attestation-manifest'

export function manifestShape(body: string): ManifestShape {
  const manifest = JSON.parse(body) as {
    config?: { digest?: unknown }
    manifests?: { digest?: unknown; annotations?: Record<string, string> }[]
  }
  if (Array.isArray(manifest.manifests)) {
    return {
      kind: 'index',
      platformManifests: manifest.manifests
        .filter((entry) => entry.annotations?.['vnd.docker.reference.type'] !== ATTESTATION_REFERENCE_TYPE)
        .map((entry) => String(entry.digest))
    }
  }
  if (typeof manifest.config?.digest === 'string') return { kind: 'image', configDigest: manifest.config.digest }
  throw new Error('The registry returned a manifest with neither a config nor a manifest list.')
}

export interface ProofInput {
  readonly build: BuildMetadata
  /** Digest the registry serves for the tag. */
  readonly servedDigest: string
  /** Config digests of the served image (one, or one per platform of an index). */
  readonly servedConfigDigests: readonly string[]
}

export type Proof = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export function proveOwnImage(input: ProofInput): Proof {
  const { build, servedDigest, servedConfigDigests } = input
  if (build.configDigest !== undefined) {
    return servedConfigDigests.includes(build.configDigest)
      ? { ok: true }
      : {
          ok: false,
          reason: `serves ${servedDigest} (config ${servedConfigDigests.join(', ') || 'none'}), not this build's config ${build.configDigest}`
        }
  }
  if (build.imageDigest !== undefined) {
    // Without a config digest the image digest must match: the docker driver's --load reports the local
    // image id (the config digest) there, multi-platform builds the index digest BuildKit computed itself.
    return build.imageDigest === servedDigest || servedConfigDigests.includes(build.imageDigest)
      ? { ok: true }
      : { ok: false, reason: `serves ${servedDigest} (config ${servedConfigDigests.join(', ') || 'none'}), not this build's ${build.imageDigest}` }
  }
  return { ok: false, reason: 'buildx reported neither an image nor a config digest in its metadata' }
}

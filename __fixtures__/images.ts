import { createHash } from 'node:crypto'
import type { StoredImage } from '../src/adapters/ecr.js'

/** Content-addressed helpers: every digest here is the real sha256 of the bytes it names. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json'
} as const

/** Every config blob made here, by digest: what a registry serves for it. */
export const CONFIG_BLOBS = new Map<string, string>()

/**
 * The config blob of a named build: JSON with the platform (the label's `os/arch` suffix, else
 * linux/amd64) and the label, so different builds have different config digests.
 */
export function configBlob(label: string): string {
  const platform = /(?:^|:)([a-z0-9]+)\/([a-z0-9]+)(?:\/([a-z0-9]+))?$/.exec(label)
  const blob = JSON.stringify({
    architecture: platform?.[2] ?? 'amd64',
    os: platform?.[1] ?? 'linux',
    ...(platform?.[3] ? { variant: platform[3] } : {}),
    config: { Labels: { build: label } },
    rootfs: { type: 'layers', diff_ids: [] }
  })
  CONFIG_BLOBS.set(sha256(blob), blob)
  return blob
}

/**
 * The config digest of what the action builds for `revision` (its org.opencontainers.image.revision label),
 * registered so the fake registry serves it.
 */
export function revisionConfig(revision: string, platform = 'linux/amd64'): string {
  const [os, architecture] = platform.split('/')
  const blob = JSON.stringify({
    os,
    architecture,
    config: { Labels: { 'org.opencontainers.image.revision': revision } },
    rootfs: { type: 'layers', diff_ids: [] }
  })
  CONFIG_BLOBS.set(sha256(blob), blob)
  return sha256(blob)
}

/** A config digest for a named build, e.g. configDigest('first-push'). */
export function configDigest(label: string): string {
  return sha256(configBlob(label))
}

/** A single-platform image manifest whose config is `config`. */
export function imageManifest(config: string): StoredImage {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: config, size: CONFIG_BLOBS.get(config)?.length ?? 1 },
    layers: []
  })
  return { digest: sha256(manifest), manifest, mediaType: MEDIA_TYPES.ociManifest }
}

export interface IndexEntry {
  readonly image: StoredImage
  readonly platform?: string
  /** Digest of the image this entry attests (BuildKit's attestation manifests). */
  readonly attests?: string
}

/** An OCI index over `entries`; attestation entries carry BuildKit's reference annotations. */
export function imageIndex(entries: readonly IndexEntry[]): StoredImage {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: entries.map((entry) => ({
      mediaType: entry.image.mediaType,
      digest: entry.image.digest,
      size: entry.image.manifest.length,
      ...(entry.attests
        ? {
            platform: { architecture: 'unknown', os: 'unknown' },
            annotations: {
              'vnd.docker.reference.digest': entry.attests,
              'vnd.docker.reference.type': 'attestation-manifest'
            }
          }
        : {
            platform: {
              os: entry.platform?.split('/')[0] ?? 'linux',
              architecture: entry.platform?.split('/')[1] ?? 'amd64'
            }
          })
    }))
  })
  return { digest: sha256(manifest), manifest, mediaType: MEDIA_TYPES.ociIndex }
}

/** A multi-platform image: one manifest per platform, one attestation manifest each, and the index. */
export function multiPlatformImage(
  label: string,
  platforms: readonly string[]
): {
  readonly index: StoredImage
  readonly children: readonly StoredImage[]
  readonly configs: readonly string[]
} {
  const platformImages = platforms.map((platform) => imageManifest(configDigest(`${label}:${platform}`)))
  const attestations = platformImages.map((image, i) => imageManifest(configDigest(`${label}:attestation:${i}`)))
  const index = imageIndex([
    ...platformImages.map((image, i) => ({ image, platform: platforms[i] as string })),
    ...attestations.map((image, i) => ({ image, attests: (platformImages[i] as StoredImage).digest }))
  ])
  return {
    index,
    children: [...platformImages, ...attestations],
    configs: platforms.map((platform) => configDigest(`${label}:${platform}`))
  }
}

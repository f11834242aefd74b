/**
 * The shape of an image as manifests and blobs, read from manifest bytes alone: what an upload or a
 * copy must send (blobs first, child manifests next, the top manifest last, so that the registry never
 * holds a manifest whose parts are missing), and which manifest is which platform.
 */

export interface Descriptor {
  readonly mediaType: string
  readonly digest: string
  readonly size: number
  readonly platform?: Platform
  readonly annotations?: Readonly<Record<string, string>>
}

export interface Platform {
  readonly os: string
  readonly architecture: string
  readonly variant?: string
}

export interface ParsedManifest {
  readonly kind: 'image' | 'index'
  readonly mediaType: string
  /** image: config then layers (blobs); index: the child manifests. */
  readonly config?: Descriptor
  readonly layers: readonly Descriptor[]
  readonly manifests: readonly Descriptor[]
}

export interface TransferPlan {
  /** Every distinct blob, in first-seen order. */
  readonly blobs: readonly Descriptor[]
  /** Manifests in an order that puts every child before its parent; the top manifest last. */
  readonly manifests: readonly Descriptor[]
}

export const INDEX_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
])
export const IMAGE_MANIFEST_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
])
const ATTESTATION_REFERENCE_TYPE = 'attestation-manifest'

export function parseManifest(bytes: Buffer | string, mediaTypeHint = ''): ParsedManifest {
  const body = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8')) as {
    mediaType?: string
    config?: unknown
    layers?: unknown
    manifests?: unknown
  }
  const mediaType = typeof body.mediaType === 'string' && body.mediaType ? body.mediaType : mediaTypeHint
  if (Array.isArray(body.manifests) || INDEX_TYPES.has(mediaType)) {
    return { kind: 'index', mediaType, layers: [], manifests: descriptors(body.manifests) }
  }
  const [config] = descriptors(body.config === undefined ? [] : [body.config])
  if (!config) throw new Error('The manifest has neither a config nor a list of manifests.')
  return { kind: 'image', mediaType, config, layers: descriptors(body.layers), manifests: [] }
}

/**
 * Walks from the top manifest; `manifestBytes` returns a child manifest's bytes (from a layout on
 * disk, or from the source registry of a copy).
 */
export async function planTransfer(top: Descriptor, manifestBytes: (descriptor: Descriptor) => Promise<Buffer>): Promise<TransferPlan> {
  const blobs = new Map<string, Descriptor>()
  const manifests: Descriptor[] = []
  const seen = new Set<string>()
  const visit = async (descriptor: Descriptor): Promise<void> => {
    if (seen.has(descriptor.digest)) return
    seen.add(descriptor.digest)
    const parsed = parseManifest(await manifestBytes(descriptor), descriptor.mediaType)
    if (parsed.kind === 'index') {
      for (const child of parsed.manifests) await visit(child)
    } else {
      for (const blob of [parsed.config as Descriptor, ...parsed.layers]) if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob)
    }
    manifests.push(descriptor)
  }
  await visit(top)
  return { blobs: [...blobs.values()], manifests }
}

/** Whether an index entry is BuildKit's attestation manifest (provenance, SBOM): not a runnable image. */
export function isAttestation(descriptor: Descriptor): boolean {
  return descriptor.annotations?.['vnd.docker.reference.type'] === ATTESTATION_REFERENCE_TYPE
}

/** An index's runnable images: neither BuildKit's attestation manifests nor anything else for platform unknown/unknown. */
export function runnableEntries(index: ParsedManifest): Descriptor[] {
  return index.manifests.filter((entry) => !isAttestation(entry) && entry.platform?.os !== 'unknown')
}

export function platformName(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/')
}

/**
 * A platform name in the form containerd compares platforms (platforms.Normalize): architecture aliases
 * folded (aarch64 → arm64, x86_64 → amd64, armhf → arm/v7), and each architecture's default variant
 * dropped (arm64/v8, amd64/v1) or added (arm → arm/v7). So `linux/arm64` in an input matches an image whose
 * config says arm64 with variant v8, as official base images' arm64 configs do.
 */
export function normalizedPlatform(name: string): string {
  const [os = '', rawArchitecture = '', rawVariant = ''] = name.toLowerCase().split('/')
  let architecture = rawArchitecture
  let variant = rawVariant
  switch (rawArchitecture) {
    case 'i386':
      architecture = '386'
      variant = ''
      break
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64'
      if (variant === 'v1') variant = ''
      break
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64'
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = ''
      break
    case 'armhf':
      architecture = 'arm'
      variant = 'v7'
      break
    case 'armel':
      architecture = 'arm'
      variant = 'v6'
      break
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7'
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`
      break
  }
  return [os, architecture, variant].filter((part) => part).join('/')
}

/** Whether two platform names name the same platform once normalised (see normalizedPlatform). */
export function samePlatform(a: string, b: string): boolean {
  return normalizedPlatform(a) === normalizedPlatform(b)
}

/**
 * `{"linux/amd64": "sha256:…"}` for the `platform-digests` output: the runnable images of an index, or
 * the one image of a single manifest (its platform read from its config). Attestations are left out.
 */
export function platformDigests(
  top: { readonly digest: string; readonly manifest: ParsedManifest },
  configPlatform: Platform | undefined
): Record<string, string> {
  if (top.manifest.kind === 'image') return configPlatform ? { [platformName(configPlatform)]: top.digest } : {}
  const entries = runnableEntries(top.manifest)
    .filter((entry) => entry.platform)
    .map((entry) => [platformName(entry.platform as Platform), entry.digest] as const)
  return Object.fromEntries(entries)
}

/** The platform an image config declares (`os`, `architecture`, `variant`). */
export function configPlatformOf(configBytes: Buffer | string): Platform | undefined {
  const config = JSON.parse(typeof configBytes === 'string' ? configBytes : configBytes.toString('utf8')) as Record<string, unknown>
  if (typeof config.os !== 'string' || typeof config.architecture !== 'string') return undefined
  return { os: config.os, architecture: config.architecture, ...(typeof config.variant === 'string' && config.variant ? { variant: config.variant } : {}) }
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) return []
  return value.map((entry: unknown) => {
    const item = entry as Record<string, unknown>
    if (typeof item.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(item.digest)) throw new Error('A manifest lists a descriptor without a sha256 digest.')
    const platform = item.platform as Record<string, unknown> | undefined
    return {
      mediaType: typeof item.mediaType === 'string' ? item.mediaType : '',
      digest: item.digest,
      size: typeof item.size === 'number' ? item.size : 0,
      ...(platform && typeof platform.os === 'string' && typeof platform.architecture === 'string'
        ? {
            platform: {
              os: platform.os,
              architecture: platform.architecture,
              ...(typeof platform.variant === 'string' && platform.variant ? { variant: platform.variant } : {})
            }
          }
        : {}),
      ...(item.annotations && typeof item.annotations === 'object' ? { annotations: item.annotations as Record<string, string> } : {})
    }
  })
}

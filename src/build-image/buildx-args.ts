import { REVISION_LABEL, RUN_ID_LABEL } from '../shared/image-labels.js'

/** Where the built image goes. */
export type BuildOutput =
  /** docker driver: into the engine's image store; the action pushes it afterwards. */
  | { readonly kind: 'load'; readonly references: readonly string[] }
  /** An OCI layout folder the action uploads by digest itself, so no tag is written until it has re-checked. */
  | { readonly kind: 'oci-layout'; readonly directory: string }
  /** BuildKit drivers: pushed by BuildKit by digest, no tag at all, until the action has re-checked. */
  | {
      readonly kind: 'push-by-digest'
      readonly imageName: string
      /** OCI media types whatever the attestations: what the containerd store's own exports use (the engine route). */
      readonly ociMediaTypes?: boolean
    }
  /** push: false — built and, on the docker driver, kept locally under its tags. */
  | { readonly kind: 'local'; readonly references: readonly string[] }

export interface BuildPlan {
  readonly builder: string | undefined
  readonly context: string
  readonly file: string
  readonly target: string | undefined
  readonly buildArgs: readonly string[]
  readonly labels: readonly string[]
  readonly platforms: readonly string[]
  readonly network: string | undefined
  readonly cacheFrom: readonly string[]
  readonly cacheTo: readonly string[]
  readonly noCache: boolean
  readonly pull: boolean
  /** Secrets BuildKit reads from the build process's environment: id and variable name, never the value. */
  readonly envSecrets: readonly { readonly id: string; readonly envVar: string }[]
  readonly secretFiles: readonly { readonly id: string; readonly path: string }[]
  readonly ssh: readonly string[]
  readonly buildContexts: readonly string[]
  readonly provenance: string | undefined
  readonly sbom: string | undefined
  readonly metadataFile: string
  readonly output: BuildOutput
}

/**
 * The `docker buildx build` argv. Every value travels as `--flag=value` in its own argv element, so
 * no value can be read as another flag and nothing passes through a shell.
 */
export function buildxArgs(plan: BuildPlan): string[] {
  const args = ['buildx', 'build', '--progress=plain']
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') args.push(`--${flag}=${value}`)
  }
  add('builder', plan.builder)
  add('file', plan.file)
  add('target', plan.target)
  for (const buildArg of plan.buildArgs) add('build-arg', buildArg)
  for (const label of plan.labels) add('label', label)
  if (plan.platforms.length) add('platform', plan.platforms.join(','))
  add('network', plan.network)
  for (const source of plan.cacheFrom) add('cache-from', source)
  for (const destination of plan.cacheTo) add('cache-to', destination)
  if (plan.noCache) args.push('--no-cache')
  if (plan.pull) args.push('--pull')
  for (const secret of plan.envSecrets) add('secret', csvFields([`id=${secret.id}`, `env=${secret.envVar}`]))
  for (const secret of plan.secretFiles) add('secret', csvFields([`id=${secret.id}`, `src=${secret.path}`]))
  for (const agent of plan.ssh) add('ssh', agent)
  for (const context of plan.buildContexts) add('build-context', context)
  add('provenance', plan.provenance)
  add('sbom', plan.sbom)
  add('metadata-file', plan.metadataFile)
  switch (plan.output.kind) {
    case 'load':
      for (const reference of plan.output.references) add('tag', reference)
      args.push('--load')
      break
    case 'local':
      for (const reference of plan.output.references) add('tag', reference)
      break
    case 'push-by-digest':
      add(
        'output',
        csvFields([
          'type=image',
          `name=${plan.output.imageName}`,
          'push-by-digest=true',
          'name-canonical=true',
          'push=true',
          // Not kept in the builder's own image store: nothing there needs it, and storing creates an image record
          // under this name, which two builds of one repository racing through one BuildKit (a matrix on a shared
          // builder) collide on ("image … already exists") before either reaches its tag check.
          'store=false',
          ...(plan.output.ociMediaTypes ? ['oci-mediatypes=true'] : [])
        ])
      )
      break
    case 'oci-layout':
      // tar=false: a folder the upload reads blob by blob, not a tarball to unpack first.
      add('output', csvFields(['type=oci', `dest=${plan.output.directory}`, 'tar=false']))
      break
  }
  args.push(plan.context)
  return args
}

/** buildx reads --secret as one CSV record: a field holding a comma or a quote must be quoted. */
export function csvFields(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')
}

/** Labels the user's `labels` input cannot replace: the image's links to its commit and to its workflow run. */
const PROTECTED_LABELS = new Set([REVISION_LABEL, RUN_ID_LABEL])

/**
 * OCI labels the action always sets, and the run id (outside GitHub Actions, none); the user's labels
 * come after and may add to them.
 */
export function imageLabels(options: {
  readonly sha: string
  readonly sourceUrl: string
  readonly created: Date
  readonly runId: string
  readonly userLabels: readonly string[]
}): string[] {
  const own = new Map<string, string>([
    [REVISION_LABEL, options.sha],
    ...(options.sourceUrl ? [['org.opencontainers.image.source', options.sourceUrl] as [string, string]] : []),
    ['org.opencontainers.image.created', options.created.toISOString()],
    ...(options.runId ? [[RUN_ID_LABEL, options.runId] as [string, string]] : [])
  ])
  for (const label of options.userLabels) {
    const separator = label.indexOf('=')
    const key = label.slice(0, separator)
    // Letting the revision or run label be overridden would break the link tag addition, skip and the merge check.
    if (!PROTECTED_LABELS.has(key)) own.set(key, label.slice(separator + 1))
  }
  return [...own].map(([key, value]) => `${key}=${value}`)
}

export interface RegistryCache {
  readonly reference: string
}

/** BuildKit registry cache in the layout ECR accepts (an image manifest, OCI media types). */
export function registryCacheArgs(cache: RegistryCache): { cacheFrom: string; cacheTo: string } {
  return {
    cacheFrom: `type=registry,ref=${cache.reference}`,
    cacheTo: `type=registry,ref=${cache.reference},mode=max,image-manifest=true,oci-mediatypes=true`
  }
}

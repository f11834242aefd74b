import { UserError } from '../shared/errors.js'

/** The builder buildx will use, as far as the upload path depends on it. */
export interface BuilderInfo {
  /** buildx driver: docker, docker-container, remote, kubernetes; undefined when buildx did not say. */
  readonly driver: string | undefined
  /** The engine's image store, asked only for the docker driver. */
  readonly imageStore: 'classic' | 'containerd' | undefined
  /** The docker driver's engine lets the action reach its own BuildKit (src/engine-route.ts); false when not asked. */
  readonly engineRoute?: boolean
}

/**
 * How the built image reaches ECR, untagged, before PutImage names it.
 * - `digest`: BuildKit drivers (docker-container, remote, kubernetes) push by digest themselves
 *   (`push-by-digest=true`): every manifest by digest, no tag. Fastest: no local copy of the image.
 * - `engine`: the docker driver on the containerd image store, whose engine's BuildKit the action reaches
 *   as a `remote` builder (src/engine-route.ts): that BuildKit pushes by digest itself, as on `digest`.
 *   buildx refuses push-by-digest for the docker driver, and the engine's own push PUTs every child of an
 *   index under the tag (moby/moby#49949, before Engine 28.2).
 * - `layout`: the same where the route is not there (a tcp, TLS or ssh endpoint, an engine that refuses the
 *   upgrade): buildx exports an OCI layout and the action uploads it by digest; every layer passes through
 *   the build session whether the registry has it or not, so it costs more than `engine`.
 * - `daemon`: the docker driver on the classic image store can export neither an OCI layout nor by
 *   digest; the engine pushes a single manifest under a one-off staging tag.
 * - `local`: push: false.
 */
export type UploadPath = 'digest' | 'engine' | 'layout' | 'daemon' | 'local'

export function chooseUploadPath(push: boolean, builder: BuilderInfo): UploadPath {
  if (!push) return 'local'
  if (builder.driver !== 'docker') return 'digest'
  if (builder.imageStore !== 'containerd') return 'daemon'
  return builder.engineRoute ? 'engine' : 'layout'
}

/** The log line that says which path ran, and for the layout fallback why the faster route was not taken. */
export function uploadPathNote(path: UploadPath, routeUnavailable: string | undefined): string {
  switch (path) {
    case 'digest':
      return 'Upload path: the BuildKit builder pushes by digest; no tag until the action writes it.'
    case 'engine':
      return "Upload path: the engine's own BuildKit pushes by digest (docker driver, containerd image store, reached through the engine API's POST /grpc); no tag until the action writes it."
    case 'layout':
      return `Upload path: buildx exports an OCI layout and the action uploads it by digest (the engine's BuildKit is not reachable as a builder: ${routeUnavailable ?? 'not tried'}).`
    case 'daemon':
      return 'Upload path: the engine pushes under a one-off staging tag (docker driver, classic image store); the action then writes the tags by digest.'
    case 'local':
      return 'Upload path: none (push: false).'
  }
}

/** The docker driver on the classic store builds one platform and exports no cache: say so before building. */
export function assertBuilderCan(builder: BuilderInfo, wants: { readonly platforms: number; readonly registryCache: boolean }): void {
  if (!isClassicDockerDriver(builder)) return
  if (wants.platforms > 1) {
    throw new UserError(
      `Input 'platforms' lists ${wants.platforms} platforms, but the active buildx builder uses the docker driver on the classic image store, which builds one: add docker/setup-buildx-action (and docker/setup-qemu-action) before this step, turn on the containerd image store, or list one platform.`
    )
  }
  if (wants.registryCache) {
    throw new UserError(
      "Input 'cache' 'ecr' needs a builder that can export a registry cache, but the active buildx builder uses the docker driver on the classic image store: add docker/setup-buildx-action before this step (it creates a docker-container builder), turn on the containerd image store, or set cache: none."
    )
  }
}

function isClassicDockerDriver(builder: BuilderInfo): boolean {
  return builder.driver === 'docker' && builder.imageStore !== 'containerd'
}

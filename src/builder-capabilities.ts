import { UserError } from './errors.js'

/** The builder buildx will use, as far as the upload path depends on it. */
export interface BuilderInfo {
  /** buildx driver: docker, docker-container, remote, kubernetes; undefined when buildx did not say. */
  readonly driver: string | undefined
  /** The engine's image store, asked only for the docker driver. */
  readonly imageStore: 'classic' | 'containerd' | undefined
}

/**
 * How the built image reaches ECR, untagged, before PutImage names it.
 * - `digest`: BuildKit drivers (docker-container, remote, kubernetes) push by digest themselves
 *   (`push-by-digest=true`): every manifest by digest, no tag. Fastest: no local copy of the image.
 * - `layout`: the docker driver on the containerd image store refuses push-by-digest, and its engine's
 *   own push PUTs every child of an index under the tag (moby/moby#49949, before Engine 28.2); buildx
 *   exports an OCI layout and the action uploads it by digest.
 * - `daemon`: the docker driver on the classic image store can export neither an OCI layout nor by
 *   digest; the engine pushes a single manifest under a one-off staging tag.
 * - `local`: push: false.
 */
export type UploadPath = 'digest' | 'layout' | 'daemon' | 'local'

export function chooseUploadPath(push: boolean, builder: BuilderInfo): UploadPath {
  if (!push) return 'local'
  if (builder.driver !== 'docker') return 'digest'
  return builder.imageStore === 'containerd' ? 'layout' : 'daemon'
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

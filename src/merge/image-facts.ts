import type { Registry } from '../adapters/registry.js'
import { configPlatformOf, platformName } from '../shared/image-graph.js'
import { configLabel, RUN_ID_LABEL } from '../shared/image-labels.js'
import { revisionOf } from '../publish/tag-addition.js'

/** What an image's config says about where it runs, which commit built it and in which workflow run. */
export interface ImageFacts {
  /** From the config's os/architecture/variant. */
  readonly platform: string | undefined
  /** Config label org.opencontainers.image.revision. */
  readonly revision: string | undefined
  /** Config label io.github.immutable-ecr-build.run-id. */
  readonly runId: string | undefined
}

/** Reads one image's config blob: the one read that both a given claim and a discovered candidate are judged by. */
export async function readImageFacts(store: Registry, repository: string, configDigest: string): Promise<ImageFacts> {
  const config = await store.readBlob(repository, configDigest)
  const platform = configPlatformOf(config)
  return { platform: platform ? platformName(platform) : undefined, revision: revisionOf(config), runId: configLabel(config, RUN_ID_LABEL) }
}

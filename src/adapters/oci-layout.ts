import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { UserError } from '../shared/errors.js'
import { parseManifest, type Descriptor, type ParsedManifest } from '../shared/image-graph.js'

/**
 * An OCI image layout folder as buildx writes it (`--output type=oci,dest=<dir>,tar=false`): index.json
 * names the built image, blobs/sha256/<hex> holds every manifest, config and layer.
 */
export interface OciLayout {
  /** The image buildx built: the one descriptor of index.json. */
  readonly top: Descriptor
  /** A manifest or config read whole, checked against its digest. */
  read(digest: string): Promise<Buffer>
  /** A layer as a stream, for the upload. */
  open(digest: string): Readable
}

export async function openOciLayout(directory: string): Promise<OciLayout> {
  const path = (digest: string): string => join(directory, 'blobs', ...digest.split(':'))
  let index: ParsedManifest
  try {
    index = parseManifest(await readFile(join(directory, 'index.json')), 'application/vnd.oci.image.index.v1+json')
  } catch (error) {
    throw new UserError(`buildx wrote no readable OCI layout at ${directory} (${error instanceof Error ? error.message : String(error)}); nothing was pushed.`)
  }
  const top = index.manifests[0]
  if (index.manifests.length !== 1 || !top) {
    throw new UserError(`The OCI layout buildx wrote names ${index.manifests.length} images, not one; nothing was pushed.`)
  }
  return {
    top,
    async read(digest) {
      const bytes = await readFile(path(digest))
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
      if (actual !== digest) throw new UserError(`The OCI layout's blob ${digest} has the content of ${actual}; nothing was pushed.`)
      return bytes
    },
    open: (digest) => createReadStream(path(digest))
  }
}

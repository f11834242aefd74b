// cosign (sigstore) as a real signing client for the end-to-end tests: Debian trixie's package (2.5),
// unpacked by scripts/setup-real-parts.sh. Everything stays offline: a key pair made here, no
// transparency log upload (--tlog-upload=false) and none checked (--insecure-ignore-tlog), the
// loopback registry over plain http (--allow-http-registry, --allow-insecure-registry).
import { access, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { constants } from 'node:fs'
import path from 'node:path'
import { runCommand, type CommandResult } from '../docker/real-parts.js'

/** Where setup-real-parts.sh unpacks trixie's cosign package. */
export const COSIGN_BIN = process.env['IEB_COSIGN'] ?? '/opt/immutable-ecr-build/trixie-cosign/usr/bin/cosign'
const PASSWORD = 'e2e-only-key-password'

/** Throws, with what to do, unless cosign is where setup-real-parts.sh puts it. */
export async function ensureCosign(): Promise<void> {
  try {
    await access(COSIGN_BIN, constants.X_OK)
  } catch {
    throw new Error(`cosign is missing at ${COSIGN_BIN}: run \`bash scripts/setup-real-parts.sh\` (it unpacks Debian trixie's cosign package there).`)
  }
}

export interface Cosign {
  /** The public key's path, for verify. */
  readonly publicKey: string
  /**
   * Signs `image` (host/repository@digest). mode 'referrers': an OCI 1.1 referrer with the image as its
   * subject (no tag); 'tag': cosign's legacy `sha256-<hex>.sig` tag.
   */
  sign(image: string, options?: { mode?: 'referrers' | 'tag'; recursive?: boolean }): Promise<CommandResult>
  /** Verifies `image`'s signatures with the key pair's public key; mode as for sign. */
  verify(image: string, options?: { mode?: 'referrers' | 'tag' }): Promise<CommandResult>
}

/**
 * A key pair in a new folder and a private DOCKER_CONFIG whose auths hold `registries` (host => password,
 * user AWS), as `aws ecr get-login-password | docker login` would leave them.
 */
export async function prepareCosign(root: string, registries: Record<string, string>): Promise<Cosign> {
  const dir = await mkdtemp(path.join(root, 'cosign-'))
  const dockerConfig = path.join(dir, 'docker')
  await mkdir(dockerConfig)
  const auths = Object.fromEntries(Object.entries(registries).map(([host, password]) => [host, { auth: Buffer.from(`AWS:${password}`).toString('base64') }]))
  await writeFile(path.join(dockerConfig, 'config.json'), `${JSON.stringify({ auths })}\n`, { mode: 0o600 })
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    DOCKER_CONFIG: dockerConfig,
    COSIGN_PASSWORD: PASSWORD,
    // Referrers mode (--registry-referrers-mode=oci-1-1) is experimental in cosign 2.5.
    COSIGN_EXPERIMENTAL: '1',
    TUF_ROOT: path.join(dir, 'tuf')
  }
  const run = (args: string[]): Promise<CommandResult> => runCommand(COSIGN_BIN, args, { env, cwd: dir, timeoutMs: 120_000 })
  const generated = await run(['generate-key-pair'])
  if (generated.code !== 0) throw new Error(`cosign generate-key-pair failed: ${generated.stderr}`)
  const registryFlags = ['--allow-http-registry', '--allow-insecure-registry']
  return {
    publicKey: path.join(dir, 'cosign.pub'),
    sign: (image, options = {}) =>
      run([
        'sign',
        '--key',
        path.join(dir, 'cosign.key'),
        '--tlog-upload=false',
        '--yes',
        ...registryFlags,
        ...((options.mode ?? 'referrers') === 'referrers' ? ['--registry-referrers-mode=oci-1-1'] : []),
        ...(options.recursive ? ['--recursive'] : []),
        image
      ]),
    verify: (image, options = {}) =>
      run([
        'verify',
        '--key',
        path.join(dir, 'cosign.pub'),
        '--insecure-ignore-tlog',
        ...registryFlags,
        ...((options.mode ?? 'referrers') === 'referrers' ? ['--experimental-oci11'] : []),
        image
      ])
  }
}

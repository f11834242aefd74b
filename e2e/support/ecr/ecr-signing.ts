// ECR managed signing in the fake ECR (user guide "Managed signing", November 2025): a registry
// signing configuration (rules, each a Signer profile with optional WILDCARD_MATCH repository filters)
// under which every image manifest or index pushed to a matching repository (by tag or by digest: the
// guide says images are signed "as they are pushed") is signed, once per matching profile. The status
// is IN_PROGRESS until the signing delay has passed, then COMPLETE, at which moment the signature is
// stored as a referrer of the image (a Notary Project signature manifest, as AWS Signer makes), or
// FAILED with a failureCode/failureReason when the test scripted it. Referrers (manifests with a
// subject) are not signed. Operations: GetSigningConfiguration, PutSigningConfiguration,
// DescribeImageSigningStatus (ecr-signing-api.ts). Test infrastructure only.
import { randomBytes } from 'node:crypto'
import { subjectOf, type ReferrersIndex } from './ecr-referrers.js'
import { sha256Digest, type UpstreamRegistry } from '../registry/upstream-registry.js'

/** What signing needs of the endpoint's state (ecr-state.ts holds a ManagedSigning, so this names no more of it). */
interface SigningState {
  readonly upstream: UpstreamRegistry
  readonly referrers: Pick<ReferrersIndex, 'record'>
}

export const NOTATION_SIGNATURE_TYPE = 'application/vnd.cncf.notary.signature'
const SIGNABLE = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
])

export interface SigningRule {
  signingProfileArn: string
  repositoryFilters: Array<{ filter: string; filterType: 'WILDCARD_MATCH' }>
}

/** What becomes of the signing of matching images: COMPLETE after delayMs (default), or FAILED. */
export interface SigningPlan {
  delayMs?: number
  outcome?: 'COMPLETE' | 'FAILED'
  failureCode?: string
  failureReason?: string
}

interface Signing {
  signingProfileArn: string
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED'
  failureCode?: string
  failureReason?: string
}

function wildcard(filter: string, name: string): boolean {
  return new RegExp(
    `^${filter
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`
  ).test(name)
}

/** One registry's managed signing: its configuration, scripted plans and every signing started. */
export class ManagedSigning {
  rules: SigningRule[] | undefined
  /** How long signing stays IN_PROGRESS unless a plan says otherwise. */
  delayMs = 150
  readonly plans: Array<{ repository: string; plan: SigningPlan }> = []
  private readonly signings = new Map<string, Signing[]>()

  profilesFor(repository: string): string[] {
    return (this.rules ?? [])
      .filter((rule) => rule.repositoryFilters.length === 0 || rule.repositoryFilters.some((filter) => wildcard(filter.filter, repository)))
      .map((rule) => rule.signingProfileArn)
  }

  statuses(repository: string, digest: string): Signing[] {
    return (this.signings.get(`${repository}@${digest}`) ?? []).map((signing) => ({ ...signing }))
  }

  /** Called for every manifest stored; starts the signing of an image under a matching rule. */
  manifestStored(state: SigningState, repository: string, digest: string, bytes: Buffer, mediaType: string): void {
    if (!SIGNABLE.has(mediaType) || subjectOf(bytes) !== undefined) return
    const key = `${repository}@${digest}`
    if (this.signings.has(key)) return
    const profiles = this.profilesFor(repository)
    if (profiles.length === 0) return
    const plan = [...this.plans].reverse().find((entry) => entry.repository === '*' || entry.repository === repository)?.plan ?? {}
    const signings: Signing[] = profiles.map((signingProfileArn) => ({ signingProfileArn, status: 'IN_PROGRESS' }))
    this.signings.set(key, signings)
    setTimeout(() => {
      void this.finish(state, repository, { digest, size: bytes.length, mediaType }, signings, plan).then(
        () => undefined,
        (error: unknown) => {
          for (const signing of signings) Object.assign(signing, { status: 'FAILED', failureCode: 'InternalError', failureReason: String(error) })
        }
      )
    }, plan.delayMs ?? this.delayMs).unref()
  }

  private async finish(
    state: SigningState,
    repository: string,
    subject: { digest: string; size: number; mediaType: string },
    signings: Signing[],
    plan: SigningPlan
  ): Promise<void> {
    if (plan.outcome === 'FAILED') {
      for (const signing of signings) {
        Object.assign(signing, {
          status: 'FAILED',
          failureCode: plan.failureCode ?? 'SigningFailed',
          failureReason: plan.failureReason ?? 'The signing failed.'
        })
      }
      return
    }
    // The signature first, then COMPLETE: a client that sees COMPLETE finds the referrer.
    for (const signing of signings) await storeSignature(state, repository, subject, signing.signingProfileArn)
    for (const signing of signings) signing.status = 'COMPLETE'
  }
}

/** A Notary Project signature manifest whose subject is the image (the envelope is random bytes: nothing verifies it here). */
async function storeSignature(
  state: SigningState,
  repository: string,
  subject: { digest: string; size: number; mediaType: string },
  profile: string
): Promise<void> {
  const { upstream } = state
  const config = Buffer.from('{}')
  const envelope = Buffer.from(JSON.stringify({ payload: randomBytes(32).toString('base64'), profile }))
  await uploadBlob(upstream, repository, config)
  await uploadBlob(upstream, repository, envelope)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: NOTATION_SIGNATURE_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest(config), size: config.length },
      layers: [{ mediaType: 'application/jose+json', digest: sha256Digest(envelope), size: envelope.length }],
      subject,
      annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '[]', 'com.amazonaws.signer.signingProfileArn': profile }
    })
  )
  const mediaType = 'application/vnd.oci.image.manifest.v1+json'
  await upstream.putManifest(repository, sha256Digest(manifest), manifest, mediaType)
  state.referrers.record(repository, sha256Digest(manifest), manifest, mediaType)
}

async function uploadBlob(upstream: UpstreamRegistry, repository: string, bytes: Buffer): Promise<void> {
  const digest = sha256Digest(bytes)
  if (await upstream.hasBlob(repository, digest)) return
  const start = await fetch(`${upstream.url}/v2/${upstream.upstreamName(repository)}/blobs/uploads/`, { method: 'POST' })
  const location = start.headers.get('location')
  if (start.status !== 202 || !location) throw new Error(`upstream refused a blob upload: HTTP ${start.status}`)
  const url = new URL(location, upstream.url)
  url.searchParams.set('digest', digest)
  const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes })
  if (put.status !== 201) throw new Error(`upstream refused blob ${digest}: HTTP ${put.status}`)
}

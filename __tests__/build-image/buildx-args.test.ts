import { describe, expect, it } from '@jest/globals'
import { buildxArgs, imageLabels, registryCacheArgs, type BuildPlan } from '../../src/build-image/buildx-args.js'

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api'

const plan = (overrides: Partial<BuildPlan> = {}): BuildPlan => ({
  builder: undefined,
  context: '.',
  file: './Dockerfile',
  target: undefined,
  buildArgs: [],
  labels: [],
  platforms: [],
  network: undefined,
  cacheFrom: [],
  cacheTo: [],
  noCache: false,
  pull: false,
  envSecrets: [],
  secretFiles: [],
  ssh: [],
  buildContexts: [],
  provenance: undefined,
  sbom: undefined,
  metadataFile: '/tmp/work/metadata.json',
  output: { kind: 'load', references: [`${IMAGE}:abc1234`] },
  ...overrides
})

describe('buildxArgs', () => {
  it('builds the minimal command line in a fixed order, context last', () => {
    expect(buildxArgs(plan())).toEqual([
      'buildx',
      'build',
      '--progress=plain',
      '--file=./Dockerfile',
      '--metadata-file=/tmp/work/metadata.json',
      `--tag=${IMAGE}:abc1234`,
      '--load',
      '.'
    ])
  })

  it.each([
    ['builder', { builder: 'ci' }, ['--builder=ci']],
    ['target', { target: 'runtime' }, ['--target=runtime']],
    ['build args, one element each', { buildArgs: ['A=1', 'B=x,y=z'] }, ['--build-arg=A=1', '--build-arg=B=x,y=z']],
    ['labels, one element each', { labels: ['a=1', 'b=2'] }, ['--label=a=1', '--label=b=2']],
    ['platforms, joined', { platforms: ['linux/amd64', 'linux/arm64'] }, ['--platform=linux/amd64,linux/arm64']],
    ['network', { network: 'none' }, ['--network=none']],
    ['cache-from', { cacheFrom: ['type=gha', 'type=registry,ref=r:c'] }, ['--cache-from=type=gha', '--cache-from=type=registry,ref=r:c']],
    ['cache-to', { cacheTo: ['type=gha,mode=max'] }, ['--cache-to=type=gha,mode=max']],
    ['no-cache', { noCache: true }, ['--no-cache']],
    ['pull', { pull: true }, ['--pull']],
    [
      'a secret from the environment: id and variable name, never the value',
      { envSecrets: [{ id: 'npm_token', envVar: 'IMMUTABLE_ECR_BUILD_SECRET_0' }] },
      ['--secret=id=npm_token,env=IMMUTABLE_ECR_BUILD_SECRET_0']
    ],
    ['a secret file', { secretFiles: [{ id: 'npmrc', path: '/home/runner/.npmrc' }] }, ['--secret=id=npmrc,src=/home/runner/.npmrc']],
    [
      'a secret file whose path has a comma and a quote: one CSV field',
      { secretFiles: [{ id: 'k', path: '/tmp/a,b"c' }] },
      ['--secret=id=k,"src=/tmp/a,b""c"']
    ],
    ['ssh agents, one element each', { ssh: ['default', 'github=/tmp/agent.sock'] }, ['--ssh=default', '--ssh=github=/tmp/agent.sock']],
    [
      'named build contexts',
      { buildContexts: ['base=docker-image://alpine:3.20', 'src=../shared'] },
      ['--build-context=base=docker-image://alpine:3.20', '--build-context=src=../shared']
    ],
    ['provenance', { provenance: 'mode=max' }, ['--provenance=mode=max']],
    ['provenance false', { provenance: 'false' }, ['--provenance=false']],
    ['sbom', { sbom: 'true' }, ['--sbom=true']]
  ] as [string, Partial<BuildPlan>, string[]][])('%s', (_name, overrides, expected) => {
    const base = buildxArgs(plan())
    const args = buildxArgs(plan(overrides))
    expect(args).toHaveLength(base.length + expected.length)
    for (const element of expected) expect(args).toContain(element)
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--progress=plain'])
    expect(args[args.length - 1]).toBe('.')
  })

  it('leaves out empty values instead of passing an empty flag', () => {
    const args = buildxArgs(plan({ builder: '', target: '', network: '', provenance: '', sbom: '', file: '' }))
    expect(args).toEqual(['buildx', 'build', '--progress=plain', '--metadata-file=/tmp/work/metadata.json', `--tag=${IMAGE}:abc1234`, '--load', '.'])
  })

  it('every flag together, in the documented order', () => {
    expect(
      buildxArgs(
        plan({
          builder: 'b',
          target: 't',
          buildArgs: ['A=1'],
          labels: ['l=1'],
          platforms: ['linux/amd64'],
          network: 'host',
          cacheFrom: ['cf'],
          cacheTo: ['ct'],
          provenance: 'p',
          sbom: 's',
          context: 'app'
        })
      )
    ).toEqual([
      'buildx',
      'build',
      '--progress=plain',
      '--builder=b',
      '--file=./Dockerfile',
      '--target=t',
      '--build-arg=A=1',
      '--label=l=1',
      '--platform=linux/amd64',
      '--network=host',
      '--cache-from=cf',
      '--cache-to=ct',
      '--provenance=p',
      '--sbom=s',
      '--metadata-file=/tmp/work/metadata.json',
      `--tag=${IMAGE}:abc1234`,
      '--load',
      'app'
    ])
  })

  it.each([
    ['load (docker driver)', { kind: 'load', references: [`${IMAGE}:abc1234`, `${IMAGE}:v1`] }, [`--tag=${IMAGE}:abc1234`, `--tag=${IMAGE}:v1`, '--load']],
    ['local (push: false)', { kind: 'local', references: [`${IMAGE}:abc1234`] }, [`--tag=${IMAGE}:abc1234`]],
    [
      'push-by-digest (BuildKit drivers): no tag at all',
      { kind: 'push-by-digest', imageName: IMAGE },
      [`--output=type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true,store=false`]
    ],
    [
      "push-by-digest through the engine's BuildKit: OCI media types as the containerd store's own exports",
      { kind: 'push-by-digest', imageName: IMAGE, ociMediaTypes: true },
      [`--output=type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true,store=false,oci-mediatypes=true`]
    ],
    [
      'oci-layout (uploaded by the action): no tag at all',
      { kind: 'oci-layout', directory: '/tmp/work/oci-layout' },
      ['--output=type=oci,dest=/tmp/work/oci-layout,tar=false']
    ],
    [
      'oci-layout in a folder with a comma: the dest field is CSV-quoted',
      { kind: 'oci-layout', directory: '/tmp/a,b' },
      ['--output=type=oci,"dest=/tmp/a,b",tar=false']
    ]
  ] as [string, BuildPlan['output'], string[]][])('output %s', (_name, output, tail) => {
    const args = buildxArgs(plan({ output }))
    expect(args.slice(-(tail.length + 1))).toEqual([...tail, '.'])
    if (output.kind !== 'load') expect(args).not.toContain('--load')
    if (output.kind === 'oci-layout' || output.kind === 'push-by-digest') expect(args.some((arg) => arg.startsWith('--tag'))).toBe(false)
  })

  const hostile = ['--output=type=local,dest=/', '-q', '$(touch /tmp/pwned)', '`id`', 'a; rm -rf /', 'x && y | z', 'it\'s "quoted"', 'a b\tc', '*']
  it.each((['builder', 'target', 'network', 'provenance', 'sbom', 'file'] as const).flatMap((field) => hostile.map((value) => [field, value] as const)))(
    '%s %j stays inside one --flag=value element',
    (field, value) => {
      const args = buildxArgs(plan({ [field]: value }))
      const flag = field === 'file' ? 'file' : field
      expect(args).toContain(`--${flag}=${value}`)
      expect(args).not.toContain(value)
      expect(args.filter((arg) => arg.includes(value))).toEqual([`--${flag}=${value}`])
    }
  )

  it.each((['buildArgs', 'labels', 'cacheFrom', 'cacheTo'] as const).flatMap((field) => hostile.map((value) => [field, value] as const)))(
    'list %s entry %j stays inside one element',
    (field, value) => {
      const flag = { buildArgs: 'build-arg', labels: 'label', cacheFrom: 'cache-from', cacheTo: 'cache-to' }[field]
      const args = buildxArgs(plan({ [field]: [`K=${value}`] }))
      expect(args.filter((arg) => arg.includes(value))).toEqual([`--${flag}=K=${value}`])
      expect(args).toHaveLength(buildxArgs(plan()).length + 1)
    }
  )
})

describe('imageLabels', () => {
  const created = new Date('2026-11-25T09:30:00.000Z')
  const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'

  it('sets revision, source, created and the workflow run id', () => {
    expect(imageLabels({ sha: SHA, sourceUrl: 'https://github.com/acme/web', created, runId: '16842214551', userLabels: [] })).toEqual([
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/acme/web',
      'org.opencontainers.image.created=2026-11-25T09:30:00.000Z',
      'io.github.immutable-ecr-build.run-id=16842214551'
    ])
  })

  it('adds user labels after its own, values with = kept, and lets them override source and created', () => {
    expect(
      imageLabels({
        sha: SHA,
        sourceUrl: 'https://github.com/acme/web',
        created,
        runId: '',
        userLabels: ['team=payments', 'org.opencontainers.image.source=https://example.com/mirror', 'expr=a=b=c', 'empty=']
      })
    ).toEqual([
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://example.com/mirror',
      'org.opencontainers.image.created=2026-11-25T09:30:00.000Z',
      'team=payments',
      'expr=a=b=c',
      'empty='
    ])
  })

  it('leaves the source and run labels out when the repository URL and run id are unknown (a run outside GitHub)', () => {
    expect(imageLabels({ sha: SHA, sourceUrl: '', created, runId: '', userLabels: [] })).toEqual([
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.created=2026-11-25T09:30:00.000Z'
    ])
  })

  it.each([
    'org.opencontainers.image.revision=0000000000000000000000000000000000000000',
    'org.opencontainers.image.revision=',
    'org.opencontainers.image.revision=main'
  ])('a user label %j cannot override the revision', (label) => {
    const labels = imageLabels({ sha: SHA, sourceUrl: '', created, runId: '', userLabels: [label] })
    expect(labels.filter((entry) => entry.startsWith('org.opencontainers.image.revision='))).toEqual([`org.opencontainers.image.revision=${SHA}`])
  })

  it.each([
    ['with a run id', '16842214551', ['io.github.immutable-ecr-build.run-id=16842214551']],
    ['outside GitHub Actions (no run id)', '', []]
  ])('a user label cannot set or override the run id, %s', (_name, runId, expected) => {
    const labels = imageLabels({ sha: SHA, sourceUrl: '', created, runId, userLabels: ['io.github.immutable-ecr-build.run-id=1', 'team=payments'] })
    expect(labels.filter((entry) => entry.startsWith('io.github.immutable-ecr-build.run-id='))).toEqual(expected)
    expect(labels).toContain('team=payments')
  })
})

describe('registryCacheArgs', () => {
  it('reads and writes the registry cache in the layout ECR accepts', () => {
    expect(registryCacheArgs({ reference: `${IMAGE}-buildcache:buildcache` })).toEqual({
      cacheFrom: `type=registry,ref=${IMAGE}-buildcache:buildcache`,
      cacheTo: `type=registry,ref=${IMAGE}-buildcache:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`
    })
  })
})

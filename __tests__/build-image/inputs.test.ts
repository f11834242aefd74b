import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { INPUT_DEFAULTS, isRemoteContext, parseInputs, type Inputs } from '../../src/build-image/inputs.js'
import { parseLines, parseList } from '../../src/shared/input-parsers.js'

const REGION_ENV: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1' }

function parse(values: Record<string, string>, env: NodeJS.ProcessEnv = REGION_ENV): Inputs {
  return parseInputs((name) => values[name] ?? '', env)
}

function failure(values: Record<string, string>, env: NodeJS.ProcessEnv = REGION_ENV): UserError {
  try {
    parse(values, env)
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error(`parseInputs accepted ${JSON.stringify(values)}`)
}

describe('parseInputs: defaults', () => {
  it('fills every optional input with the default action.yml declares', () => {
    expect(parse({ repository: 'team/api' })).toEqual({
      repository: 'team/api',
      registryId: undefined,
      awsRegion: 'us-east-1',
      context: '.',
      file: './Dockerfile',
      target: undefined,
      buildArgs: [],
      labels: [],
      platforms: [],
      network: undefined,
      cacheFrom: [],
      cacheTo: [],
      cache: 'none',
      noCache: false,
      pull: false,
      secrets: [],
      secretFiles: [],
      ssh: [],
      buildContexts: [],
      builder: undefined,
      provenance: undefined,
      sbom: undefined,
      sha: '',
      tagPrefix: '',
      shaLength: 40,
      extraTags: [],
      floatingTags: [],
      ifTagExists: 'fail',
      requireImmutableRepository: false,
      createRepository: false,
      push: true,
      untagged: false,
      scanGate: { threshold: undefined, timeoutSeconds: 600, onTimeout: 'fail' },
      signingGate: { requirement: 'off', timeoutSeconds: 600 }
    })
  })

  it('treats whitespace-only values as empty (a reusable workflow passing blanks through)', () => {
    const inputs = parse({ repository: '  team/api ', context: '  ', 'sha-length': ' ', push: '\t', cache: ' ', target: '  ' })
    expect(inputs.repository).toBe('team/api')
    expect(inputs.context).toBe(INPUT_DEFAULTS.context)
    expect(inputs.shaLength).toBe(40)
    expect(inputs.push).toBe(true)
    expect(inputs.cache).toBe('none')
    expect(inputs.target).toBeUndefined()
  })

  it('keeps optional strings that are set', () => {
    const inputs = parse({
      repository: 'team/api',
      target: 'runtime',
      builder: 'ci-builder',
      provenance: 'mode=max',
      sbom: 'true',
      'tag-prefix': 'sha-',
      sha: 'ABCDEF'
    })
    expect(inputs).toMatchObject({ target: 'runtime', builder: 'ci-builder', provenance: 'mode=max', sbom: 'true', tagPrefix: 'sha-', sha: 'ABCDEF' })
  })
})

describe('parseInputs: file default', () => {
  it.each([
    ['.', './Dockerfile'],
    ['app', 'app/Dockerfile'],
    ['app/', 'app/Dockerfile'],
    ['app///', 'app/Dockerfile'],
    ['/srv/build', '/srv/build/Dockerfile'],
    ['/', '/Dockerfile'],
    ['https://github.com/acme/web.git#main', ''],
    ['git://github.com/acme/web.git', ''],
    ['git@github.com:acme/web.git', '']
  ])('context %j defaults file to %j', (context, file) => {
    expect(parse({ repository: 'team/api', context }).file).toBe(file)
  })

  it('an explicit file wins over the default', () => {
    expect(parse({ repository: 'team/api', context: 'app', file: 'docker/prod.Dockerfile' }).file).toBe('docker/prod.Dockerfile')
  })
})

describe('parseInputs: booleans', () => {
  const booleanInputs = [
    ['push', 'push'],
    ['create-repository', 'createRepository'],
    ['require-immutable-repository', 'requireImmutableRepository']
  ] as const

  it.each(
    booleanInputs.flatMap(([name, key]) =>
      [
        ['true', true],
        ['True', true],
        ['TRUE', true],
        ['false', false],
        ['False', false],
        ['FALSE', false]
      ].map(([value, expected]) => [name, key, value, expected] as const)
    )
  )('%s %j parses to %s=%s', (name, key, value, expected) => {
    expect(parse({ repository: 'team/api', [name]: value as string })[key]).toBe(expected)
  })

  it.each(booleanInputs.flatMap(([name]) => ['yes', 'no', '1', '0', 'on', 'tRuE'].map((value) => [name, value] as const)))(
    '%s %j is refused with a one-line message naming input, value and true/false',
    (name, value) => {
      expect(failure({ repository: 'team/api', [name]: value }).message).toBe(`Input '${name}' '${value}' is not a boolean: use true or false.`)
    }
  )
})

describe('parseInputs: enums', () => {
  it.each([
    ['if-tag-exists', 'fail', 'ifTagExists', 'fail'],
    ['if-tag-exists', 'skip', 'ifTagExists', 'skip'],
    ['cache', 'none', 'cache', 'none'],
    ['cache', 'ecr', 'cache', 'ecr'],
    ['network', 'default', 'network', 'default'],
    ['network', 'none', 'network', 'none'],
    ['network', 'host', 'network', 'host'],
    ['network', '', 'network', undefined]
  ] as const)('%s %j → %s=%j', (name, value, key, expected) => {
    expect(parse({ repository: 'team/api', [name]: value })[key]).toBe(expected)
  })

  it.each([
    ['if-tag-exists', 'overwrite', 'fail, skip'],
    ['if-tag-exists', 'Skip', 'fail, skip'],
    ['cache', 'gha', 'none, ecr'],
    ['cache', 'registry', 'none, ecr'],
    ['network', 'bridge', 'default, none, host']
  ])('%s %j is refused, listing %s', (name, value, allowed) => {
    expect(failure({ repository: 'team/api', [name]: value }).message).toBe(`Input '${name}' '${value}' is not allowed: use ${allowed}.`)
  })
})

describe('parseInputs: sha-length', () => {
  it.each([
    ['7', 7],
    ['12', 12],
    ['40', 40],
    ['64', 64],
    [' 10 ', 10]
  ])('%j → %d', (value, expected) => {
    expect(parse({ repository: 'team/api', 'sha-length': value }).shaLength).toBe(expected)
  })

  it.each(['6', '0', '65', '100', 'abc', '7.5', '-8', '1e1', '0x10'])('%j is refused with the allowed range', (value) => {
    expect(failure({ repository: 'team/api', 'sha-length': value }).message).toBe(
      `Input 'sha-length' '${value}' is not allowed: use a whole number from 7 to 40 (64 for SHA-256 commits).`
    )
  })
})

describe('parseInputs: repository', () => {
  it.each(['team/api', 'ab', 'api', 'my.repo_name-x/sub/path', 'a1/b2/c3', 'x'.repeat(256)])('accepts %j', (value) => {
    expect(parse({ repository: value }).repository).toBe(value)
  })

  it('is required', () => {
    expect(failure({}).message).toBe("Input 'repository' is required: set it to the ECR repository name, e.g. team/api.")
  })

  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api', 'not a URI, tag or digest'],
    ['team/api:latest', 'not a URI, tag or digest'],
    ['team/api@sha256:abc', 'not a URI, tag or digest'],
    ['Team/Api', 'must be lowercase'],
    ['a', 'not a valid ECR repository name'],
    ['-api', 'not a valid ECR repository name'],
    ['api-', 'not a valid ECR repository name'],
    ['team//api', 'not a valid ECR repository name'],
    ['team/api/', 'not a valid ECR repository name'],
    ['team api', 'not a valid ECR repository name'],
    ['team/a..b', 'not a valid ECR repository name'],
    ['x'.repeat(257), 'not a valid ECR repository name']
  ])('refuses %j (%s)', (value, why) => {
    const { message } = failure({ repository: value })
    expect(message).toContain(`Input 'repository' '${value}'`)
    expect(message).toContain(why)
    expect(message).toMatch(/a-z|team\/api/)
    expect(message).not.toContain('\n')
  })
})

describe('parseInputs: untagged', () => {
  it.each([
    [
      'floating-tags',
      { 'floating-tags': 'latest' },
      "Input 'floating-tags' 'latest' would name one platform's image, and 'untagged' 'true' writes no tag: give floating-tags to the merge action instead."
    ],
    // Under skip the tag addition would write them onto the SHA tag's image: a leg must never write a tag.
    ...['fail', 'skip'].map((ifTagExists): [string, Record<string, string>, string] => [
      `extra-tags (if-tag-exists: ${ifTagExists})`,
      { 'extra-tags': 'v1.2.3, stable', 'if-tag-exists': ifTagExists },
      "Input 'extra-tags' 'v1.2.3, stable' would name one platform's image, and 'untagged' 'true' writes no tag: give extra-tags to the merge action instead."
    ]),
    [
      'push: false',
      { push: 'false' },
      "Input 'untagged' 'true' uploads the image, and 'push' is 'false': set push: true, or untagged: false for a build-only run."
    ]
  ])('refuses %s: an untagged leg names nothing', (_name, extra, message) => {
    expect(failure({ repository: 'team/api', untagged: 'true', ...extra }).message).toBe(message)
  })

  it.each([
    ['untagged alone', { untagged: 'true' }],
    [
      'with skip, a tag-prefix and a short SHA (the re-run check reads them)',
      { untagged: 'true', 'if-tag-exists': 'skip', 'tag-prefix': 'sha-', 'sha-length': '7' }
    ],
    ['extra-tags without untagged', { 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' }]
  ])('accepts %s', (_name, extra) => {
    expect(() => parse({ repository: 'team/api', ...extra })).not.toThrow()
  })
})

describe('parseInputs: builder', () => {
  it.each(['ci-builder', 'default', 'builder_1', 'b.2', 'x'.repeat(128)])('accepts %j', (value) => {
    expect(parse({ repository: 'team/api', builder: value }).builder).toBe(value)
  })

  it.each(['-q', '--builder=x', 'a b', 'a/b', '$(id)', '.hidden', 'x'.repeat(129)])('refuses %j, naming the input and what is allowed', (value) => {
    expect(failure({ repository: 'team/api', builder: value }).message).toBe(
      `Input 'builder' '${value}' is not a buildx builder name: letters, digits, '.', '_' and '-', starting with a letter or digit (as \`docker buildx ls\` lists them), or empty for the current builder.`
    )
  })
})

describe('parseInputs: registry-id', () => {
  it('is undefined when empty and kept when 12 digits', () => {
    expect(parse({ repository: 'team/api' }).registryId).toBeUndefined()
    expect(parse({ repository: 'team/api', 'registry-id': '210987654321' }).registryId).toBe('210987654321')
  })

  it.each(['12345', '1234567890123', 'abcdefghijkl', '12345678901a'])('refuses %j', (value) => {
    expect(failure({ repository: 'team/api', 'registry-id': value }).message).toBe(
      `Input 'registry-id' '${value}' is not an AWS account id: expected 12 digits.`
    )
  })
})

describe('parseInputs: aws-region', () => {
  it.each([
    ['the input', { 'aws-region': 'eu-central-1' }, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'eu-central-1'],
    ['AWS_REGION', {}, { AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'us-west-2' }, 'ap-southeast-2'],
    ['AWS_DEFAULT_REGION', {}, { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    ['AWS_DEFAULT_REGION when AWS_REGION is blank', {}, { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    ['a GovCloud region', { 'aws-region': 'us-gov-west-1' }, {}, 'us-gov-west-1'],
    ['a China region', { 'aws-region': 'cn-north-1' }, {}, 'cn-north-1'],
    ['an ISO region', { 'aws-region': 'us-iso-east-1' }, {}, 'us-iso-east-1'],
    ['an ISO-B region', { 'aws-region': 'us-isob-east-1' }, {}, 'us-isob-east-1'],
    ['an ISO-E region', { 'aws-region': 'eu-isoe-west-1' }, {}, 'eu-isoe-west-1'],
    ['an ISO-F region', { 'aws-region': 'us-isof-south-1' }, {}, 'us-isof-south-1'],
    ['the European Sovereign Cloud', {}, { AWS_REGION: 'eusc-de-east-1' }, 'eusc-de-east-1']
  ])('comes from %s', (_source, values, env, expected) => {
    expect(parse({ repository: 'team/api', ...values }, env).awsRegion).toBe(expected)
  })

  it('is required from somewhere', () => {
    expect(failure({ repository: 'team/api' }, {}).message).toBe(
      "No AWS region: set the 'aws-region' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)."
    )
  })

  it.each([
    [{ 'aws-region': 'US-EAST-1' }, {}, "Input 'aws-region' 'US-EAST-1'"],
    [{ 'aws-region': 'useast1' }, { AWS_REGION: 'us-east-1' }, "Input 'aws-region' 'useast1'"],
    [{}, { AWS_REGION: 'Frankfurt' }, "AWS_REGION 'Frankfurt'"],
    [{}, { AWS_DEFAULT_REGION: 'eu_west_1' }, "AWS_DEFAULT_REGION 'eu_west_1'"]
  ])('a malformed region names where it came from: %j %j', (values, env, named) => {
    expect(failure({ repository: 'team/api', ...values }, env).message).toBe(`${named} is not an AWS region name such as us-east-1 or eu-central-1.`)
  })
})

describe('parseInputs: lists', () => {
  it('platforms are comma- or newline-separated', () => {
    expect(parse({ repository: 'team/api', platforms: 'linux/amd64, linux/arm64\nlinux/arm64/v8\n\n' }).platforms).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm64/v8'
    ])
  })

  it.each(['amd64', 'linux/AMD64', 'linux amd64', 'linux/arm64/v8/x', '--platform'])('refuses the platform %j', (platform) => {
    expect(failure({ repository: 'team/api', platforms: `linux/amd64,${platform}` }).message).toBe(
      `Input 'platforms' has '${platform}', which is not a platform such as linux/amd64 or linux/arm64/v8.`
    )
  })

  it.each(['build-args', 'labels'] as const)('%s keep commas and = inside values, one entry per line', (name) => {
    const key = name === 'build-args' ? 'buildArgs' : 'labels'
    expect(parse({ repository: 'team/api', [name]: '  A=1,2,3\r\nB=x=y\n\nC=\n' })[key]).toEqual(['A=1,2,3', 'B=x=y', 'C='])
  })

  it.each([
    ['build-args', 'NOEQUALS'],
    ['build-args', '=value'],
    ['labels', 'KEY WITH SPACE=x'],
    ['labels', 'org.example=ok\nbroken']
  ])('%s refuses %j', (name, value) => {
    const bad = value.split('\n').find((line) => !/^[^\s=]+=/.test(line)) as string
    expect(failure({ repository: 'team/api', [name]: value }).message).toBe(`Input '${name}' has '${bad}', which is not KEY=VALUE: put one KEY=VALUE per line.`)
  })

  it('cache-from and cache-to are one entry per line, commas kept', () => {
    const inputs = parse({
      repository: 'team/api',
      'cache-from': 'type=registry,ref=a/b:c\ntype=gha',
      'cache-to': 'type=registry,ref=a/b:c,mode=max'
    })
    expect(inputs.cacheFrom).toEqual(['type=registry,ref=a/b:c', 'type=gha'])
    expect(inputs.cacheTo).toEqual(['type=registry,ref=a/b:c,mode=max'])
  })

  it('extra-tags are comma- or newline-separated', () => {
    expect(parse({ repository: 'team/api', 'extra-tags': 'v1.4.2, stable\nlatest-build\n' }).extraTags).toEqual(['v1.4.2', 'stable', 'latest-build'])
  })
})

describe('every validation error is one line and names the input and the value', () => {
  it.each([
    [{}, "'repository'"],
    [{ repository: 'Team' }, "'repository' 'Team'"],
    [{ repository: 'team/api', 'registry-id': '1' }, "'registry-id' '1'"],
    [{ repository: 'team/api', 'aws-region': 'moon' }, "'aws-region' 'moon'"],
    [{ repository: 'team/api', 'sha-length': '3' }, "'sha-length' '3'"],
    [{ repository: 'team/api', push: 'maybe' }, "'push' 'maybe'"],
    [{ repository: 'team/api', 'if-tag-exists': 'replace' }, "'if-tag-exists' 'replace'"],
    [{ repository: 'team/api', network: 'bridge' }, "'network' 'bridge'"],
    [{ repository: 'team/api', cache: 's3' }, "'cache' 's3'"],
    [{ repository: 'team/api', platforms: 'windows' }, "'platforms' has 'windows'"],
    [{ repository: 'team/api', 'build-args': 'oops' }, "'build-args' has 'oops'"],
    [{ repository: 'team/api', labels: 'oops' }, "'labels' has 'oops'"]
  ])('%j', (values, named) => {
    const { message } = failure(values)
    expect(message).toContain(named)
    expect(message.split('\n')).toHaveLength(1)
  })
})

describe('helpers', () => {
  it.each([
    ['https://example.com/context.tar.gz', true],
    ['git://github.com/acme/web.git', true],
    ['GIT+SSH://github.com/acme/web.git', true],
    ['git@github.com:acme/web.git', true],
    ['.', false],
    ['./app', false],
    ['/abs/path', false],
    ['app:with-colon', false]
  ])('isRemoteContext(%j) = %s', (context, remote) => {
    expect(isRemoteContext(context)).toBe(remote)
  })

  it('parseLines keeps commas and drops blank lines', () => {
    expect(parseLines(' a,b \r\n\n c ')).toEqual(['a,b', 'c'])
  })

  it('parseList splits on commas and newlines', () => {
    expect(parseList(' a,b \r\n\n c ,')).toEqual(['a', 'b', 'c'])
  })
})

describe('parseInputs: build secrets, ssh, named contexts, no-cache, pull', () => {
  it('reads secrets as ID=VALUE lines; the value keeps every = and comma', () => {
    const inputs = parse({ repository: 'team/api', secrets: 'NPM_TOKEN=npm_abc=def,ghi\n\n  github.token=ghp_x\n' })
    expect(inputs.secrets).toEqual([
      { id: 'NPM_TOKEN', value: 'npm_abc=def,ghi' },
      { id: 'github.token', value: 'ghp_x' }
    ])
  })

  it('passes each secret value exactly as given: leading and trailing spaces and tabs are part of it', () => {
    const inputs = parse({ repository: 'team/api', secrets: '  PASSPHRASE= two words \t\r\nEMPTY=\n   \nLAST=  end  ' })
    expect(inputs.secrets).toEqual([
      { id: 'PASSPHRASE', value: ' two words \t' },
      { id: 'EMPTY', value: '' },
      { id: 'LAST', value: '  end  ' }
    ])
  })

  it.each([
    ['no = at all (a bare token)', 'ghp_THE_SECRET_ITSELF'],
    ['an empty id', '=ghp_THE_SECRET_ITSELF'],
    ['an id with a space', 'MY TOKEN=ghp_THE_SECRET_ITSELF'],
    ['an id starting with -', '-x=ghp_THE_SECRET_ITSELF']
  ])('a secrets line with %s names the line and never shows its text', (_label, line) => {
    const error = failure({ repository: 'team/api', secrets: `OK=fine\n${line}` })
    expect(error.message).toBe(
      "Input 'secrets' line 2 is not ID=VALUE with an id of letters, digits, '_', '.' and '-' (the line is not shown: it may hold the secret)."
    )
    expect(error.message).not.toContain('THE_SECRET_ITSELF')
  })

  it('reads secret-files as ID=PATH lines', () => {
    expect(parse({ repository: 'team/api', 'secret-files': 'npmrc=/home/runner/.npmrc\naws=./creds,with,commas' }).secretFiles).toEqual([
      { id: 'npmrc', path: '/home/runner/.npmrc' },
      { id: 'aws', path: './creds,with,commas' }
    ])
  })

  it.each(['npmrc', 'npmrc=', '=/tmp/x'])('secret-files %j is refused, naming the line', (line) => {
    expect(failure({ repository: 'team/api', 'secret-files': line }).message).toBe(
      `Input 'secret-files' has '${line}', which is not ID=PATH: put one id=path per line, e.g. npmrc=/home/runner/.npmrc.`
    )
  })

  it.each([
    [{ secrets: 'a=1\na=2' }, "Input 'secrets' names the secret id 'a' twice: give each secret its own id."],
    [{ 'secret-files': 'a=/x\na=/y' }, "Input 'secret-files' names the secret id 'a' twice: give each secret its own id."],
    [{ secrets: 'a=1', 'secret-files': 'a=/x' }, "Input 'secrets' and 'secret-files' names the secret id 'a' twice: give each secret its own id."]
  ])('a secret id given twice is refused: %j', (values, message) => {
    expect(failure({ repository: 'team/api', ...values }).message).toBe(message)
  })

  it('reads ssh and build-contexts line by line; build-contexts must be NAME=VALUE', () => {
    const inputs = parse({ repository: 'team/api', ssh: 'default\ngithub=/tmp/agent.sock', 'build-contexts': 'base=docker-image://alpine:3.20\nsrc=../shared' })
    expect(inputs.ssh).toEqual(['default', 'github=/tmp/agent.sock'])
    expect(inputs.buildContexts).toEqual(['base=docker-image://alpine:3.20', 'src=../shared'])
    expect(failure({ repository: 'team/api', 'build-contexts': 'alpine:3.20' }).message).toBe(
      "Input 'build-contexts' has 'alpine:3.20', which is not KEY=VALUE: put one KEY=VALUE per line."
    )
  })

  it.each([
    ['no-cache', 'noCache'],
    ['pull', 'pull']
  ] as const)('%s is a boolean', (name, key) => {
    expect(parse({ repository: 'team/api', [name]: 'true' })[key]).toBe(true)
    expect(failure({ repository: 'team/api', [name]: 'yes' }).message).toBe(`Input '${name}' 'yes' is not a boolean: use true or false.`)
  })

  it('reports a bad input before a missing region (the region is the runner set-up, not the input)', () => {
    expect(failure({ repository: 'team/api', 'if-tag-exists': 'overwrite' }, {}).message).toBe(
      "Input 'if-tag-exists' 'overwrite' is not allowed: use fail, skip."
    )
  })
})

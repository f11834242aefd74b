import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { createDocker, parseBuilderDriver, parsePushedDigest } from '../../src/adapters/docker.js'

// The real adapter runs a real program: node stands in for docker, so argv, stdin, env and exit codes are real.
const node = createDocker(process.execPath)
const script = (code: string): string[] => ['-e', code]

afterEach(() => {
  jest.restoreAllMocks()
})

describe('createDocker', () => {
  it('returns exit code, stdout and stderr instead of throwing on failure', async () => {
    const result = await node.run(script('process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'), { quiet: true })
    expect(result).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' })
  })

  it('passes every argument as one argv element, with no shell in between', async () => {
    const hostile = ['$(id)', '`id`', 'a b', '; ls /', '--load', '*', "it's"]
    const result = await node.run([...script('process.stdout.write(JSON.stringify(process.argv.slice(1)))'), ...hostile], { quiet: true })
    expect(JSON.parse(result.stdout)).toEqual(hostile)
  })

  it('writes stdin to the program (passwords never travel as arguments)', async () => {
    const result = await node.run(
      script('let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => process.stdout.write(d.toUpperCase()))'),
      { stdin: 'secret-password', quiet: true }
    )
    expect(result.stdout).toBe('SECRET-PASSWORD')
  })

  it('runs with the environment it is given', async () => {
    const result = await node.run(script('process.stdout.write(String(process.env.DOCKER_CONFIG) + "|" + String(process.env.NOT_PASSED))'), {
      env: { PATH: process.env.PATH, DOCKER_CONFIG: '/tmp/private' },
      quiet: true
    })
    expect(result.stdout).toBe('/tmp/private|undefined')
  })

  it('quiet keeps the output out of the log but still returns it; otherwise it is logged', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const quiet = await node.run(script('process.stdout.write("quiet-output")'), { quiet: true })
    expect(quiet.stdout).toBe('quiet-output')
    expect(write.mock.calls.some(([chunk]) => String(chunk).includes('quiet-output'))).toBe(false)
    const loud = await node.run(script('process.stdout.write("loud-output")'))
    expect(loud.stdout).toBe('loud-output')
    expect(write.mock.calls.some(([chunk]) => String(chunk).includes('loud-output'))).toBe(true)
  })

  it('defaults to the docker binary', () => {
    expect(typeof createDocker().run).toBe('function')
  })
})

describe('parseBuilderDriver', () => {
  it.each([
    ['Name:          default\nDriver:        docker\n\nNodes:\nName: default\n', 'docker'],
    ['Name:   builder-1\nDriver: docker-container\nLast Activity: 2026-11-25\n', 'docker-container'],
    ['Name: k8s\nDriver:kubernetes\n', 'kubernetes'],
    ['Name: default\nNodes:\n', undefined],
    ['  Driver: indented-is-not-a-header\n', undefined],
    ['', undefined]
  ])('%j → %j', (output, driver) => {
    expect(parseBuilderDriver(output)).toBe(driver)
  })
})

describe('parsePushedDigest', () => {
  const digest = `sha256:${'ab'.repeat(32)}`
  it.each([
    [`The push refers to repository [host/team/api]\n5f70bf18a086: Pushed\nabc1234: digest: ${digest} size: 528\n`, digest],
    [`latest: digest: ${digest} size: 1`, digest],
    ['abc1234: digest: sha256:short size: 1', undefined],
    ['Pushed\n', undefined]
  ])('%j → %j', (output, expected) => {
    expect(parsePushedDigest(output)).toBe(expected)
  })
})

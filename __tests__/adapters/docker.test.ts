import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { createDocker } from '../../src/adapters/docker.js'

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

  it('a program that outruns its deadline is stopped and says so; one that finishes in time returns as usual', async () => {
    const started = Date.now()
    const stuck = await node.run(script('process.stdout.write("started"); setInterval(() => undefined, 1000)'), { quiet: true, timeoutMs: 300 })
    expect(stuck).toMatchObject({ timedOut: true, stdout: 'started' })
    expect(stuck.exitCode).not.toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    const quick = await node.run(script('process.stdout.write("done"); process.exit(2)'), { quiet: true, timeoutMs: 10_000 })
    expect(quick).toEqual({ exitCode: 2, stdout: 'done', stderr: '' })
    const fed = await node.run(script('let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => process.stdout.write(d))'), {
      quiet: true,
      stdin: 'in',
      timeoutMs: 10_000
    })
    expect(fed.stdout).toBe('in')
  })

  it('passes every argument as one argv element, with no shell in between', async () => {
    const hostile = ['$(id)', '`id`', 'a b', '; ls /', '--load', '*', "it's"]
    const result = await node.run([...script('process.stdout.write(JSON.stringify(process.argv.slice(1)))'), ...hostile], { quiet: true })
    expect(JSON.parse(result.stdout)).toEqual(hostile)
  })

  it('writes stdin to the program (passwords never travel as arguments)', async () => {
    const result = await node.run(script('let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => process.stdout.write(d.toUpperCase()))'), {
      stdin: 'secret-password',
      quiet: true
    })
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

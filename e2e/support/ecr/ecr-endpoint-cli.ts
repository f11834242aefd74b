// Runs the fake ECR endpoint as a process for shell scripts (demo, benchmark, workflows):
//   npx tsx e2e/support/ecr/ecr-endpoint-cli.ts [--port N] [--upstream URL] [--env-file PATH]
//     [--create-repository NAME[:MUTABILITY[:FILTER,FILTER...]]]... [--log-file PATH]
//     [--account-id ID] [--region R] [--pid-file PATH] [--parent-pid PID]
// Stop it with SIGTERM to the pid in the ready line (or --pid-file): `npx` does not pass signals
// on, so `kill $!` after `npx tsx ... &` leaves the endpoint running. --parent-pid $$ makes it
// exit by itself when the calling script is gone.
// (--write-env PATH is the same as --env-file PATH; see the note in parseArgs.)
// Writes KEY=VALUE lines (safe for `source` and for $GITHUB_ENV), prints one ready line, and
// runs until SIGTERM or SIGINT.
import { appendFile, writeFile } from 'node:fs/promises'
import { startEcrEndpoint, type EcrEndpointOptions, type TagMutability } from './ecr-endpoint.js'
import { TAG_MUTABILITIES } from './ecr-state.js'

interface CliOptions {
  endpoint: EcrEndpointOptions
  envFile?: string
  pidFile?: string
  parentPid?: number
  repositories: Array<{ name: string; mutability: TagMutability; exclusionFilters: string[] }>
}

const USAGE =
  'usage: ecr-endpoint-cli [--port N] [--upstream URL] [--env-file PATH | --write-env PATH] ' +
  '[--create-repository NAME[:MUTABILITY[:FILTER,...]]]... [--log-file PATH] [--account-id ID] [--region R] ' +
  '[--pid-file PATH] [--parent-pid PID]'

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { endpoint: {}, repositories: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string => {
      const next = inline ?? argv[++i]
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`)
      return next
    }
    switch (flag) {
      case '--port': {
        const port = Number(value())
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number\n${USAGE}`)
        options.endpoint.port = port
        break
      }
      case '--upstream':
        options.endpoint.upstream = value()
        break
      // Node 20 itself claims any `--env-file X` in argv, even after the script, and exits when X
      // does not exist yet: create the file first (mktemp, $GITHUB_ENV) or use --write-env.
      case '--env-file':
      case '--write-env':
        options.envFile = value()
        break
      case '--pid-file':
        options.pidFile = value()
        break
      case '--parent-pid': {
        const pid = Number(value())
        if (!Number.isInteger(pid) || pid <= 0) throw new Error(`--parent-pid: not a process id\n${USAGE}`)
        options.parentPid = pid
        break
      }
      case '--log-file':
        options.endpoint.logFile = value()
        break
      case '--account-id':
        options.endpoint.accountId = value()
        break
      case '--region':
        options.endpoint.region = value()
        break
      case '--create-repository': {
        const [name = '', mutability = 'IMMUTABLE', filters = ''] = value().split(':')
        if (!(TAG_MUTABILITIES as readonly string[]).includes(mutability)) {
          throw new Error(`--create-repository ${name}: mutability must be one of ${TAG_MUTABILITIES.join(', ')}`)
        }
        options.repositories.push({
          name,
          mutability: mutability as TagMutability,
          exclusionFilters: filters.split(',').filter((f) => f !== '')
        })
        break
      }
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`)
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`)
    }
  }
  return options
}

/** KEY=VALUE with nothing a shell would expand or split, and nothing $GITHUB_ENV would misread. */
function envLine(key: string, value: string): string {
  if (!/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) throw new Error(`cannot write ${key} safely to an env file: ${value}`)
  return `${key}=${value}\n`
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const endpoint = await startEcrEndpoint(options.endpoint)
  let stopping = false
  const stop = async (code: number): Promise<void> => {
    if (stopping) return
    stopping = true
    await endpoint.stop().catch((error: unknown) => process.stderr.write(`ecr-endpoint: stop failed: ${String(error)}\n`))
    process.exit(code)
  }
  process.on('SIGTERM', () => void stop(0))
  process.on('SIGINT', () => void stop(0))
  void endpoint.registryExited?.then((code) => {
    if (stopping) return
    process.stderr.write(`ecr-endpoint: docker-registry exited unexpectedly (code ${code})\n`)
    void stop(1)
  })

  if (options.parentPid !== undefined) {
    const parentPid = options.parentPid
    setInterval(() => {
      if (!isAlive(parentPid)) {
        process.stderr.write(`ecr-endpoint: parent process ${parentPid} is gone, stopping\n`)
        void stop(0)
      }
    }, 1_000).unref()
  }

  try {
    if (options.pidFile) await writeFile(options.pidFile, `${process.pid}\n`)
    for (const repository of options.repositories) {
      endpoint.createRepository(repository.name, {
        mutability: repository.mutability,
        exclusionFilters: repository.exclusionFilters
      })
    }
    if (options.envFile) {
      const lines = Object.entries({ ...endpoint.env(), ECR_REGISTRY_HOST: endpoint.registryHost })
        .map(([key, value]) => envLine(key, value))
        .join('')
      // Appending keeps whatever $GITHUB_ENV already holds; a fresh file starts empty.
      if (options.envFile === process.env['GITHUB_ENV']) await appendFile(options.envFile, lines)
      else await writeFile(options.envFile, lines)
    }
  } catch (error) {
    process.stderr.write(`ecr-endpoint: ${error instanceof Error ? error.message : String(error)}\n`)
    await stop(2)
    return
  }
  const repos = options.repositories.map((r) => `${r.name}:${r.mutability}`).join(',')
  process.stdout.write(
    `ecr-endpoint ready api=${endpoint.apiUrl} registry=${endpoint.registryHost} account=${endpoint.accountId} ` +
      `region=${endpoint.region} upstream=${endpoint.upstreamUrl} pid=${process.pid}${repos ? ` repositories=${repos}` : ''}\n`
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive but not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ecr-endpoint: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(2)
})

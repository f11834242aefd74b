import * as exec from '@actions/exec'
import { spawn } from 'node:child_process'

export interface CommandResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  /** The program was stopped because it outran options.timeoutMs. */
  readonly timedOut?: boolean
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv
  /** Written to the program's standard input (for passwords: never an argument). */
  readonly stdin?: string
  /** true: keep the output out of the log (it is still returned). */
  readonly quiet?: boolean
  /** Stop the program (SIGTERM, then SIGKILL) if it has not finished by then. */
  readonly timeoutMs?: number
}

/** Docker and buildx: the only module that starts programs, always with an argv array and no shell. */
export interface Docker {
  run(args: readonly string[], options?: CommandOptions): Promise<CommandResult>
}

export function createDocker(binary = 'docker'): Docker {
  return {
    async run(args, options = {}) {
      if (options.timeoutMs !== undefined) return runWithDeadline(binary, args, options, options.timeoutMs)
      const result = await exec.getExecOutput(binary, [...args], {
        ignoreReturnCode: true,
        silent: options.quiet ?? false,
        env: options.env as Record<string, string> | undefined,
        input: options.stdin === undefined ? undefined : Buffer.from(options.stdin)
      })
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
    }
  }
}

/**
 * @actions/exec cannot stop a program, so a run with a deadline is spawned here, logged the same way
 * ([command] line, output streamed unless quiet). Stopping the CLI closes its connection to the engine,
 * which cancels the engine's work for it (a push).
 */
function runWithDeadline(binary: string, args: readonly string[], options: CommandOptions, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (!options.quiet) process.stdout.write(`[command]${binary} ${args.join(' ')}\n`)
    const child = spawn(binary, [...args], { env: options.env ?? process.env, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      if (!options.quiet) process.stdout.write(chunk)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk)
      if (!options.quiet) process.stderr.write(chunk)
    })
    if (options.stdin !== undefined) child.stdin?.end(options.stdin)
    let timedOut = false
    const kill = setTimeout(() => {
      timedOut = true
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(kill)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(kill)
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ...(timedOut ? { timedOut } : {})
      })
    })
  })
}

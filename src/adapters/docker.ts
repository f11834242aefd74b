import * as exec from '@actions/exec'

export interface CommandResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv
  /** Written to the program's standard input (for passwords: never an argument). */
  readonly stdin?: string
  /** true: keep the output out of the log (it is still returned). */
  readonly quiet?: boolean
}

/** Docker and buildx: the only module that starts programs, always with an argv array and no shell. */
export interface Docker {
  run(args: readonly string[], options?: CommandOptions): Promise<CommandResult>
}

export function createDocker(binary = 'docker'): Docker {
  return {
    async run(args, options = {}) {
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

import type { Runner } from '../src/adapters/runner.js'

export type RunnerEvent =
  | { readonly kind: 'info' | 'debug' | 'warning' | 'setFailed' | 'setSecret' | 'summary' | 'group'; readonly value: string }
  | { readonly kind: 'output' | 'state'; readonly name: string; readonly value: string }

/**
 * The runner as a recorder. Every method is an own arrow-function property, so it keeps working when
 * passed around unbound (main hands `runner.input` and `runner.setSecret` to other modules).
 */
export class FakeRunner implements Runner {
  /** Everything that happened, in order. */
  readonly events: RunnerEvent[] = []
  readonly inputsRead: string[] = []
  readonly outputs = new Map<string, string>()
  readonly state = new Map<string, string>()
  readonly secrets: string[] = []
  readonly failures: string[] = []
  readonly summaries: string[] = []
  /** Set to make writeSummary reject with this value. */
  summaryError: unknown = undefined
  readonly inputs: Record<string, string>

  constructor(inputs: Record<string, string> = {}, state: Record<string, string> = {}) {
    this.inputs = { ...inputs }
    for (const [name, value] of Object.entries(state)) this.state.set(name, value)
  }

  readonly input = (name: string): string => {
    this.inputsRead.push(name)
    return this.inputs[name] ?? ''
  }

  readonly setOutput = (name: string, value: string): void => {
    this.events.push({ kind: 'output', name, value })
    this.outputs.set(name, value)
  }

  readonly saveState = (name: string, value: string): void => {
    this.events.push({ kind: 'state', name, value })
    this.state.set(name, value)
  }

  readonly getState = (name: string): string => this.state.get(name) ?? ''

  readonly setSecret = (value: string): void => {
    this.events.push({ kind: 'setSecret', value })
    this.secrets.push(value)
  }

  readonly info = (message: string): void => {
    this.events.push({ kind: 'info', value: message })
  }

  readonly warning = (message: string): void => {
    this.events.push({ kind: 'warning', value: message })
  }

  readonly debug = (message: string): void => {
    this.events.push({ kind: 'debug', value: message })
  }

  readonly setFailed = (message: string): void => {
    this.events.push({ kind: 'setFailed', value: message })
    this.failures.push(message)
  }

  readonly group = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    this.events.push({ kind: 'group', value: name })
    return work()
  }

  readonly writeSummary = (markdown: string): Promise<void> => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- whatever a test set: main must cope with any rejection
    if (this.summaryError !== undefined) return Promise.reject(this.summaryError)
    this.events.push({ kind: 'summary', value: markdown })
    this.summaries.push(markdown)
    return Promise.resolve()
  }

  /** Messages of one kind, in order. */
  messages(kind: 'info' | 'debug' | 'warning' | 'setFailed' | 'setSecret' | 'summary' | 'group'): string[] {
    return this.events.flatMap((event) => (event.kind === kind ? [event.value] : []))
  }

  /** Every text a person could read: log lines, failures, outputs, summaries, group titles. */
  visibleText(): string[] {
    return this.events.flatMap((event) => (event.kind === 'setSecret' || event.kind === 'state' ? [] : [event.value]))
  }
}

// What the runner reads back from a step: file commands ($GITHUB_OUTPUT, $GITHUB_STATE,
// $GITHUB_ENV, $GITHUB_PATH) and workflow commands on stdout/stderr (::add-mask::, ::error::,
// legacy ::set-output::/::save-state::), parsed with the runner's rules.

export interface FileCommandResult {
  values: Record<string, string>
  errors: string[]
}

/**
 * `name=value` lines and `name<<DELIMITER` heredocs, as the runner reads them: whichever of
 * '=' and '<<' comes first decides; empty lines are skipped; a heredoc without its closing
 * delimiter is an error.
 */
export function parseFileCommand(content: string): FileCommandResult {
  const values: Record<string, string> = {}
  const errors: string[] = []
  const lines = content.split('\n').map((line) => line.replace(/\r$/, ''))
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals)
      if (name === '') errors.push(`line ${i + 1}: empty name`)
      else values[name] = line.slice(equals + 1)
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (name === '' || delimiter === '') {
        errors.push(`line ${i + 1}: invalid heredoc "${line}"`)
        continue
      }
      const body: string[] = []
      let closed = false
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true
          break
        }
        body.push(lines[i] ?? '')
      }
      if (!closed) errors.push(`matching delimiter not found '${delimiter}' for ${name}`)
      else values[name] = body.join('\n')
    } else {
      errors.push(`line ${i + 1}: invalid format "${line}"`)
    }
  }
  return { values, errors }
}

export function parsePathFile(content: string): string[] {
  return content
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '')
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
  /** The raw line, for leak detection that must skip ::add-mask:: lines themselves. */
  line: string
}

export interface StdoutCommands {
  commands: WorkflowCommand[]
  masks: string[]
  errors: string[]
  warnings: string[]
  notices: string[]
  /** Legacy ::set-output name=x::v */
  outputs: Record<string, string>
  /** Legacy ::save-state name=x::v */
  state: Record<string, string>
}

// The runner's escaping: message data first, then properties also escape ':' and ','.
export function unescapeData(value: string): string {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
}

export function unescapeProperty(value: string): string {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%25/g, '%')
}

const COMMAND = /^::([A-Za-z][A-Za-z0-9_-]*)(?: ([^]*?))?::([^]*)$/

export function parseCommandLine(line: string): WorkflowCommand | undefined {
  const trimmed = line.trim()
  const match = COMMAND.exec(trimmed)
  if (!match) return undefined
  const properties: Record<string, string> = {}
  for (const pair of (match[2] ?? '').split(',')) {
    const eq = pair.indexOf('=')
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1))
  }
  return { command: (match[1] ?? '').toLowerCase(), properties, message: unescapeData(match[3] ?? ''), line }
}

/** All workflow commands in a step's output, honouring ::stop-commands::TOKEN ... ::TOKEN::. */
export function parseStdoutCommands(text: string): StdoutCommands {
  const result: StdoutCommands = { commands: [], masks: [], errors: [], warnings: [], notices: [], outputs: {}, state: {} }
  let stopToken: string | undefined
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined
      continue
    }
    const command = parseCommandLine(line)
    if (!command) continue
    result.commands.push(command)
    switch (command.command) {
      case 'stop-commands':
        stopToken = command.message
        break
      case 'add-mask':
        if (command.message.trim() !== '') result.masks.push(command.message)
        break
      case 'error':
        result.errors.push(command.message)
        break
      case 'warning':
        result.warnings.push(command.message)
        break
      case 'notice':
        result.notices.push(command.message)
        break
      case 'set-output':
        if (command.properties['name']) result.outputs[command.properties['name']] = command.message
        break
      case 'save-state':
        if (command.properties['name']) result.state[command.properties['name']] = command.message
        break
    }
  }
  return result
}

/**
 * Masked values that appear in plain text anywhere but on the ::add-mask:: lines that register
 * them. Values under 4 characters are left out: they match ordinary text by accident.
 */
export function findLeaks(masks: string[], outputs: string[]): string[] {
  const visible = outputs
    .join('\n')
    .split('\n')
    .filter((line) => parseCommandLine(line)?.command !== 'add-mask')
    .join('\n')
  return [...new Set(masks)].filter((mask) => mask.length >= 4 && visible.includes(mask))
}

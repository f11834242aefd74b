// Reads action.yml the way the runner needs it (inputs with defaults, runs.main/post) with a
// small block-YAML reader, so the e2e suite needs no YAML dependency. Supports what action
// metadata uses: nested block mappings, plain/single/double-quoted scalars, | and > block
// scalars, and simple block sequences. Flow collections and anchors are not supported.

export type YamlNode = string | YamlNode[] | { [key: string]: YamlNode }

export interface ActionInput {
  description?: string
  required: boolean
  /** Undefined when action.yml declares no default. */
  default?: string
}

export interface ActionMetadata {
  name?: string
  inputs: Record<string, ActionInput>
  outputs: string[]
  runs: { using?: string; main?: string; pre?: string; post?: string; postIf?: string }
}

interface Line {
  indent: number
  text: string
  number: number
}

export function parseYaml(source: string): YamlNode {
  const lines: Line[] = source.split(/\r?\n/).map((raw, i) => {
    const indent = raw.length - raw.trimStart().length
    return { indent, text: raw.slice(indent), number: i + 1 }
  })
  const reader = { lines, index: 0 }
  skipBlank(reader)
  if (reader.index >= lines.length) return {}
  return parseBlock(reader, lines[reader.index]?.indent ?? 0)
}

interface Reader {
  lines: Line[]
  index: number
}

function isBlank(line: Line): boolean {
  return line.text === '' || line.text.startsWith('#')
}

function skipBlank(reader: Reader): void {
  while (reader.index < reader.lines.length && isBlank(reader.lines[reader.index] as Line)) reader.index++
}

function parseBlock(reader: Reader, indent: number): YamlNode {
  const first = reader.lines[reader.index] as Line
  return first.text === '-' || first.text.startsWith('- ') ? parseSequence(reader, indent) : parseMapping(reader, indent)
}

function parseMapping(reader: Reader, indent: number): Record<string, YamlNode> {
  const result: Record<string, YamlNode> = {}
  for (skipBlank(reader); reader.index < reader.lines.length; skipBlank(reader)) {
    const line = reader.lines[reader.index] as Line
    if (line.indent < indent) break
    if (line.indent > indent) throw new Error(`action.yml line ${line.number}: unexpected indentation`)
    const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#][^:]*?)\s*:(?:\s+(.*))?$/.exec(line.text)
    if (!match) throw new Error(`action.yml line ${line.number}: expected "key: value"`)
    const key = unquote(match[1] ?? '')
    const rest = stripComment(match[2] ?? '')
    reader.index++
    result[key] = parseValue(reader, indent, rest, line)
  }
  return result
}

function parseSequence(reader: Reader, indent: number): YamlNode[] {
  const result: YamlNode[] = []
  for (skipBlank(reader); reader.index < reader.lines.length; skipBlank(reader)) {
    const line = reader.lines[reader.index] as Line
    if (line.indent < indent || !(line.text === '-' || line.text.startsWith('- '))) break
    const rest = line.text.slice(1).trimStart()
    if (/^[^'"#][^:]*:(\s|$)/.test(rest) || /^["'][^"']*["']\s*:(\s|$)/.test(rest)) {
      // "- key: value": the item is a mapping whose first line sits where the text starts.
      const itemIndent = line.indent + (line.text.length - rest.length)
      reader.lines[reader.index] = { indent: itemIndent, text: rest, number: line.number }
      result.push(parseMapping(reader, itemIndent))
    } else {
      reader.index++
      result.push(parseValue(reader, indent, stripComment(rest), line))
    }
  }
  return result
}

function parseValue(reader: Reader, indent: number, rest: string, line: Line): YamlNode {
  if (rest === '') {
    skipBlank(reader)
    const next = reader.lines[reader.index]
    if (next && next.indent > indent) return parseBlock(reader, next.indent)
    if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return parseSequence(reader, indent)
    return ''
  }
  if (/^[|>][+-]?$/.test(rest)) return parseBlockScalar(reader, indent, rest)
  if (rest.startsWith('[') || rest.startsWith('{') || rest.startsWith('&') || rest.startsWith('*')) {
    throw new Error(`action.yml line ${line.number}: flow collections and anchors are not supported`)
  }
  return unquote(rest)
}

function parseBlockScalar(reader: Reader, indent: number, header: string): string {
  const collected: string[] = []
  let blockIndent: number | undefined
  while (reader.index < reader.lines.length) {
    const line = reader.lines[reader.index] as Line
    if (line.text !== '') {
      if (line.indent <= indent) break
      blockIndent ??= line.indent
      if (line.indent < blockIndent) break
    }
    collected.push(line.text === '' ? '' : ' '.repeat(line.indent - (blockIndent ?? line.indent)) + line.text)
    reader.index++
  }
  let text: string
  if (header.startsWith('|')) {
    text = collected.join('\n')
  } else {
    // Folded: single newlines become spaces, blank lines stay newlines.
    text = collected.reduce((acc, current, i) => {
      if (i === 0) return current
      if (current === '') return `${acc}\n`
      return acc.endsWith('\n') || acc === '' ? acc + current : `${acc} ${current}`
    }, '')
  }
  const body = text.replace(/\n+$/, '')
  if (header.endsWith('-')) return body
  if (header.endsWith('+')) return `${text}\n`
  return `${body}\n`
}

function stripComment(value: string): string {
  if (value.startsWith('"') || value.startsWith("'")) {
    const quote = value[0]
    const end = quote === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(value) : /^'(?:[^']|'')*'/.exec(value)
    return end ? end[0] : value
  }
  const hash = value.search(/\s#/)
  return (hash >= 0 ? value.slice(0, hash) : value).trim()
}

function unquote(value: string): string {
  const text = value.trim()
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replace(/''/g, "'")
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
    return text.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ' }
      if (escape.length > 1) return String.fromCharCode(parseInt(escape.slice(1), 16))
      return simple[escape] ?? escape
    })
  }
  return text
}

function asMapping(node: YamlNode | undefined): Record<string, YamlNode> {
  return node !== undefined && typeof node === 'object' && !Array.isArray(node) ? node : {}
}

function asString(node: YamlNode | undefined): string | undefined {
  return typeof node === 'string' ? node : undefined
}

export function parseActionMetadata(source: string): ActionMetadata {
  const root = asMapping(parseYaml(source))
  const inputs: Record<string, ActionInput> = {}
  for (const [name, node] of Object.entries(asMapping(root['inputs']))) {
    const input = asMapping(node)
    const description = asString(input['description'])
    const defaultValue = asString(input['default'])
    inputs[name] = {
      required: asString(input['required']) === 'true',
      ...(description !== undefined ? { description } : {}),
      ...('default' in input && defaultValue !== undefined ? { default: defaultValue } : {})
    }
  }
  const runs = asMapping(root['runs'])
  const name = asString(root['name'])
  return {
    ...(name !== undefined ? { name } : {}),
    inputs,
    outputs: Object.keys(asMapping(root['outputs'])),
    runs: {
      using: asString(runs['using']),
      main: asString(runs['main']),
      pre: asString(runs['pre']),
      post: asString(runs['post']),
      postIf: asString(runs['post-if'])
    }
  }
}

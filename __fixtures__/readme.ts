/**
 * Rows "| `name` | … |" of the markdown table under the `## <heading>` (or `### <heading>`) section, up to
 * the next heading of any level: what the README tells users, compared with action.yml by the tests.
 */
export function readmeTable(readme: string, heading: string): { columns: string[]; rows: Map<string, string[]> } | undefined {
  const lines = readme.split('\n')
  const start = lines.findIndex((line) => /^#{2,3} /.test(line) && line.replace(/^#+ /, '').trim().toLowerCase() === heading.toLowerCase())
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && /^#{1,3} /.test(line))
  const section = lines.slice(start + 1, end < 0 ? undefined : end)
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim())
  const header = section.find((line) => line.trim().startsWith('|') && !line.includes('`'))
  const rows = new Map<string, string[]>()
  for (const line of section) {
    const match = /^\|\s*`([^`]+)`\s*\|/.exec(line.trim())
    if (match) rows.set(match[1] as string, cells(line))
  }
  if (rows.size === 0) return undefined
  return { columns: header ? cells(header).map((cell) => cell.toLowerCase()) : [], rows }
}

import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// scripts/bundles.txt is the one list of bundles: build-bundles.sh, check-dist.sh, .ci/run and the check-dist
// workflow all read it. Each action.yml must run a listed bundle, resolved from its own folder as the runner does
// (Path.Combine(actionDirectory, runs.main)), and every listed bundle must be run by an action.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bundles = readFileSync(join(root, 'scripts', 'bundles.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => line.split(/\s+/))
const actionFiles = ['action.yml', 'merge/action.yml', 'promote/action.yml']
const runs = actionFiles.map((file) => {
  const action = parse(readFileSync(join(root, file), 'utf8')) as { runs: { main: string; post?: string } }
  const scripts = [action.runs.main, action.runs.post].filter((script): script is string => script !== undefined)
  return { file, bundles: scripts.map((script) => relative(root, resolve(root, dirname(file), script))) }
})

describe('scripts/bundles.txt', () => {
  it('lists `<action> <entry>` lines whose entries exist, one line per action', () => {
    expect(bundles.length).toBeGreaterThan(0)
    for (const [action, entry, ...rest] of bundles) {
      expect([action, entry !== undefined && existsSync(join(root, entry)), rest]).toEqual([action, true, []])
    }
    expect(new Set(bundles.map(([action]) => action)).size).toBe(bundles.length)
  })

  it('bundles into dist/<action>/index.js exactly what the action.yml files run', () => {
    const listed = bundles.map(([action]) => `dist/${action}/index.js`).sort()
    expect([...new Set(runs.flatMap((run) => run.bundles))].sort()).toEqual(listed)
    for (const bundle of listed) expect([bundle, existsSync(join(root, bundle))]).toEqual([bundle, true])
  })
})

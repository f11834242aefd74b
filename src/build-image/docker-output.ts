import { oneLine } from '../shared/errors.js'

/** Readers of what docker and buildx print: pure, so each format is a row in a unit test. */

/** The buildx driver of a builder, from `docker buildx inspect` ("Driver: docker-container"). */
export function parseBuilderDriver(inspectOutput: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1]
}

/** The manifest digest `docker push` reports ("<tag>: digest: sha256:… size: N"). */
export function parsePushedDigest(pushOutput: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(pushOutput)?.[1]
}

/**
 * The engine's image store from `docker info --format '{{json .DriverStatus}}'`: the containerd store
 * reports the snapshotter as its driver type ([["driver-type","io.containerd.snapshotter.v1"]]).
 */
export function parseImageStore(driverStatusJson: string): 'classic' | 'containerd' {
  try {
    const status = JSON.parse(driverStatusJson) as unknown
    if (
      Array.isArray(status) &&
      status.some((pair) => Array.isArray(pair) && pair[0] === 'driver-type' && String(pair[1]).startsWith('io.containerd.snapshotter'))
    ) {
      return 'containerd'
    }
  } catch {
    // not JSON: an older engine, which has only the classic store
  }
  return 'classic'
}

/** The line of a failed command's output that says why: the last one mentioning an error, else the last. */
export function lastErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const error = [...lines].reverse().find((line) => /^(?:ERROR|error)\b/.test(line) || /\berror\b/i.test(line))
  return oneLine(error ?? lines[lines.length - 1] ?? 'no output')
}

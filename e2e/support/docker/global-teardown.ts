// Stops the test builder's proxy and removes its folder (e2e/support/docker/global-setup.ts, which left them on globalThis).
import { rm } from 'node:fs/promises'

export default async function globalTeardown(): Promise<void> {
  const builder = (globalThis as { iebBuilder?: { proxy: { close(): Promise<void> } | undefined; dir: string } }).iebBuilder
  if (!builder) return
  await builder.proxy?.close()
  await rm(builder.dir, { recursive: true, force: true })
}

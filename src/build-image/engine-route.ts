import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createPrivateBuildxConfig } from '../adapters/buildx-config.js'
import { readDockerContextFiles, userBuildxConfigDir } from '../adapters/docker-config.js'
import { probeEngineGrpc, startEngineGrpcProxy } from '../adapters/engine-grpc-proxy.js'
import { lastErrorLine } from './docker-output.js'
import { resolveEngineEndpoint } from './engine-endpoint.js'
import { errorMessage } from '../shared/errors.js'
import type { RunContext } from './run-context.js'

/**
 * The `docker` driver on the containerd image store, pushed by digest through the engine's own BuildKit:
 * buildx refuses push-by-digest for the docker driver (its own guard, not the engine's), so the action
 * reaches the same BuildKit as a `remote` builder through the engine API's `POST /grpc` upgrade. The builder
 * exists only in a private BUILDX_CONFIG in the work folder and its socket beside it, so the user's buildx
 * state is never touched and removing the work folder removes both (also after a cancelled main: post step).
 */
export interface EngineRoute {
  /** The `remote` builder's name, for `--builder`. */
  readonly builder: string
  /** The private BUILDX_CONFIG that holds the builder: the build's BUILDX_CONFIG, beside its private DOCKER_CONFIG. */
  readonly buildxConfig: string
  /** Stops the proxy (once; later calls wait for the same close); the files go with the work folder. */
  close(): Promise<void>
}

export type EngineRouteResult = { readonly route: EngineRoute } | { readonly unavailable: string }

/** `off` keeps the OCI-layout upload (for comparison, or for an engine that misbehaves behind the route). */
export const ENGINE_ROUTE_SWITCH = 'IMMUTABLE_ECR_BUILD_ENGINE_ROUTE'

/** sockaddr_un holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107

/**
 * Opens the route, or says in one clause why it is not there (the caller then uploads an OCI layout). It needs
 * nothing from ECR (the builder is defined with the user's own environment; the build brings the private
 * DOCKER_CONFIG with the ECR login), so the caller starts it beside the ECR look-ups, off the critical path.
 */
export async function openEngineRoute(ctx: Pick<RunContext, 'inputs' | 'workDir' | 'docker' | 'env'>): Promise<EngineRouteResult> {
  if (ctx.env[ENGINE_ROUTE_SWITCH] === 'off') return { unavailable: `${ENGINE_ROUTE_SWITCH} is off` }
  const endpoint = resolveEngineEndpoint(ctx.inputs.builder, ctx.env, readDockerContextFiles(ctx.env))
  if (!endpoint) return { unavailable: "the builder's docker context could not be read" }
  if (endpoint.kind !== 'unix') return { unavailable: `the engine endpoint ${endpoint.endpoint} is not a unix socket` }
  const directory = join(ctx.workDir, 'buildkit')
  const socketPath = join(directory, 'engine.sock')
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    return {
      unavailable: `the socket path ${socketPath} is longer than a unix socket allows (${MAX_SOCKET_PATH_BYTES} bytes); a shorter RUNNER_TEMP enables it`
    }
  }
  try {
    await probeEngineGrpc(endpoint.socketPath)
  } catch (error) {
    return { unavailable: errorMessage(error) }
  }
  // Only this user may enter the folder, so only this user can reach the engine through the proxy.
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  let proxy
  try {
    proxy = await startEngineGrpcProxy(endpoint.socketPath, socketPath)
  } catch (error) {
    return { unavailable: `the proxy could not listen on ${socketPath}: ${errorMessage(error)}` }
  }
  const builder = `immutable-ecr-build-${randomBytes(4).toString('hex')}`
  const buildxConfig = join(ctx.workDir, 'buildx')
  let created
  try {
    createPrivateBuildxConfig(userBuildxConfigDir(ctx.env), buildxConfig)
    created = await ctx.docker.run(['buildx', 'create', '--name', builder, '--driver', 'remote', `unix://${socketPath}`], {
      quiet: true,
      env: { ...ctx.env, BUILDX_CONFIG: buildxConfig }
    })
  } catch (error) {
    await proxy.close()
    throw error
  }
  if (created.exitCode !== 0) {
    await proxy.close()
    return { unavailable: `docker buildx create --driver remote failed: ${lastErrorLine(created.stderr || created.stdout)}` }
  }
  let closing: Promise<void> | undefined
  return { route: { builder, buildxConfig, close: () => (closing ??= proxy.close()) } }
}

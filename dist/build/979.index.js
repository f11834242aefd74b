export const id = 979;
export const ids = [979];
export const modules = {

/***/ 8145:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ removeWorkDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);



/** Removes the folder holding the private docker config (the ECR login); warns, never fails. */
function removeWorkDir(runner, workDir) {
    const existed = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(workDir);
    // A run that failed before the login (no credentials, say) has no docker config to speak of.
    const heldLogin = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(workDir, 'docker-config'));
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(workDir, { recursive: true, force: true });
        if (existed)
            runner.info(`Removed ${workDir} (${heldLogin ? 'the private docker config with the ECR login' : "the action's work folder; it held no login"}).`);
    }
    catch (error) {
        runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}. Delete it by hand.`);
    }
}


/***/ }),

/***/ 9979:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultAdapters: () => (/* binding */ defaultAdapters),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 5 modules
var exec = __webpack_require__(2876);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/adapters/docker.ts


function createDocker(binary = 'docker') {
    return {
        async run(args, options = {}) {
            if (options.timeoutMs !== undefined)
                return runWithDeadline(binary, args, options, options.timeoutMs);
            const result = await exec/* getExecOutput */.H(binary, [...args], {
                ignoreReturnCode: true,
                silent: options.quiet ?? false,
                env: options.env,
                input: options.stdin === undefined ? undefined : Buffer.from(options.stdin)
            });
            return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
        }
    };
}
/**
 * @actions/exec cannot stop a program, so a run with a deadline is spawned here, logged the same way
 * ([command] line, output streamed unless quiet). Stopping the CLI closes its connection to the engine,
 * which cancels the engine's work for it (a push).
 */
function runWithDeadline(binary, args, options, timeoutMs) {
    return new Promise((resolve, reject) => {
        if (!options.quiet)
            process.stdout.write(`[command]${binary} ${args.join(' ')}\n`);
        const child = (0,external_node_child_process_.spawn)(binary, [...args], { env: options.env ?? process.env, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
        const stdout = [];
        const stderr = [];
        child.stdout?.on('data', (chunk) => {
            stdout.push(chunk);
            if (!options.quiet)
                process.stdout.write(chunk);
        });
        child.stderr?.on('data', (chunk) => {
            stderr.push(chunk);
            if (!options.quiet)
                process.stderr.write(chunk);
        });
        if (options.stdin !== undefined)
            child.stdin?.end(options.stdin);
        let timedOut = false;
        const kill = setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }, timeoutMs);
        child.on('error', (error) => {
            clearTimeout(kill);
            reject(error);
        });
        child.on('close', (code) => {
            clearTimeout(kill);
            resolve({
                exitCode: code ?? 1,
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8'),
                ...(timedOut ? { timedOut } : {})
            });
        });
    });
}

// EXTERNAL MODULE: ./src/adapters/ecr.ts
var ecr = __webpack_require__(8514);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/shared/network-limits.ts
var network_limits = __webpack_require__(6648);
;// CONCATENATED MODULE: ./src/shared/registry-permissions.ts
/**
 * The IAM action ECR authorizes each kind of registry request with (AWS: "Amazon ECR identity-based
 * policy examples"; the registry API is authorized as the ECR API operation that does the same).
 * The registry adapter names the action a refused request needs; the README test holds every kind
 * against README's IAM section.
 */
const REGISTRY_REQUEST_ACTIONS = {
    /** GET or HEAD of a manifest. */
    'manifest-read': ['ecr:BatchGetImage'],
    /** GET of the OCI referrers API (promote copies signatures): ECR names no action of its own; ListImageReferrers is BatchGetImage. */
    'referrers-read': ['ecr:BatchGetImage'],
    /** PUT of a manifest (by digest here; a tag is written with the PutImage API call). */
    'manifest-write': ['ecr:PutImage'],
    /** HEAD of a blob: is it already there. */
    'blob-check': ['ecr:BatchCheckLayerAvailability'],
    /** GET of a blob (configs, and layers when copying). */
    'blob-read': ['ecr:GetDownloadUrlForLayer'],
    /** POST that opens an upload session. */
    'upload-start': ['ecr:InitiateLayerUpload'],
    /** PATCH with the bytes. */
    'upload-part': ['ecr:UploadLayerPart'],
    /** PUT that closes the session with the digest. */
    'upload-complete': ['ecr:CompleteLayerUpload'],
    /** POST ?mount=&from=: an upload on the target that reads the blob from the source ("Blob mounting in Amazon ECR"). */
    'blob-mount': ['ecr:InitiateLayerUpload', 'ecr:GetDownloadUrlForLayer']
};
/** "ecr:InitiateLayerUpload on <target> and ecr:GetDownloadUrlForLayer on <source>", or the one action on the repository. */
function neededPermission(kind, repository, source) {
    if (kind === 'blob-mount' && source !== undefined)
        return `ecr:InitiateLayerUpload on ${repository} and ecr:GetDownloadUrlForLayer on ${source}`;
    return `${REGISTRY_REQUEST_ACTIONS[kind].join(' and ')} on ${repository}`;
}

// EXTERNAL MODULE: ./src/shared/read-after-write.ts
var read_after_write = __webpack_require__(1348);
;// CONCATENATED MODULE: ./src/adapters/registry.ts







const DEFAULT_ATTEMPTS = 4;
/**
 * Configs are read whole, and merge discovery reads the config of any untagged image anyone pushed:
 * real image configs are kilobytes, so 4 MiB leaves room while a hostile one cannot exhaust memory.
 */
const MAX_BLOB_READ = 4 * 1024 * 1024;
/** A request that moved no byte within the idle limit, or could not connect: retried like a reset. */
class RequestTimeout extends Error {
    name = 'RequestTimeout';
}
/** The registry answered an index PUT with one of these when a child manifest is not (yet) visible. */
const MISSING_CHILD_CODES = new Set(['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN']);
const INDEX_MEDIA_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
class RegistryError extends errors/* UserError */.yo {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
async function createRegistry(options) {
    const base = new URL(options.endpoint);
    const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    // Loaded only behind a proxy, as for the ECR API client.
    const agentFor = agentChooser(options.proxyFor, options.proxyFor ? (await __webpack_require__.e(/* import() */ 669).then(__webpack_require__.t.bind(__webpack_require__, 3669, 23))).HttpsProxyAgent : undefined);
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    const limits = options.limits ?? { idleMs: network_limits/* DEFAULT_IDLE_MS */.q9, connectMs: network_limits/* DEFAULT_CONNECT_MS */.wz };
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const at = (path) => new URL(path, base);
    const credentialFor = (url) => (sendsCredential(base, url) ? authorization : undefined);
    const send = (request) => new Promise((resolve, reject) => {
        const { url } = request;
        const transport = url.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
        const headers = { 'User-Agent': 'immutable-ecr-build/1', ...(request.headers ?? {}) };
        const credential = request.authorize === false ? undefined : credentialFor(url);
        if (credential)
            headers.Authorization = credential;
        if (Buffer.isBuffer(request.body))
            headers['Content-Length'] = request.body.length;
        const req = transport.request(url, { method: request.method, headers, agent: agentFor(url) }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (request.maxBody !== undefined && size > request.maxBody) {
                    req.destroy(new errors/* UserError */.yo(`The registry sent more than ${request.maxBody} bytes for ${url.pathname}; refused (no image config is that large).`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        });
        watchTimeouts(req, limits);
        req.on('error', reject);
        if (request.body === undefined || Buffer.isBuffer(request.body)) {
            req.end(request.body);
        }
        else {
            request.body.on('error', (error) => req.destroy(error));
            request.body.pipe(req);
        }
    });
    /**
     * Retries what can succeed on a second try: network errors, resets, timeouts, 5xx and 429 (S3's
     * SlowDown is a 503), with backoff and jitter. Anything else is an answer. Each retry is logged.
     */
    const retrying = async (what, attempt, describe) => {
        for (let tried = 1;; tried++) {
            let failure;
            try {
                const response = await attempt();
                if (response.status < 500 && response.status !== 429)
                    return response;
                failure = `HTTP ${response.status}${describe(response)}`;
            }
            catch (error) {
                // An answer that cannot improve on a second try (401, 404, a digest the registry rejects) ends it.
                if (error instanceof errors/* UserError */.yo)
                    throw error;
                failure = error instanceof Error ? error.message : String(error);
            }
            if (tried >= attempts)
                throw new errors/* UserError */.yo(`The registry failed ${what} ${attempts} times (last: ${(0,errors/* oneLine */.TN)(failure)}); nothing was tagged: re-run the job.`);
            options.log?.(`Retrying ${what} (retry ${tried} of ${attempts - 1}) after: ${(0,errors/* oneLine */.TN)(failure, 200)}`);
            await sleep((0,network_limits/* backoffMs */.jo)(tried, options.random));
        }
    };
    const retryingSend = (what, attempt) => retrying(what, attempt, registryErrorText);
    /** `permission`: what IAM must allow for this request (registry-permissions.ts), named when it is refused. */
    const expect = (response, what, permission, ...ok) => {
        if (ok.includes(response.status))
            return response;
        if (response.status === 401) {
            throw new RegistryError(`The registry refused the ECR login for ${what} (HTTP 401${registryErrorText(response)}): the token from GetAuthorizationToken was not accepted or has expired (12 hours); re-run the job.`, response.status);
        }
        if (response.status === 403) {
            throw new RegistryError(`The registry denied ${what} (HTTP 403${registryErrorText(response)}): the role needs ${permission} (README: IAM policy).`, response.status);
        }
        throw new RegistryError(`The registry answered ${what} with HTTP ${response.status}${registryErrorText(response)}.`, response.status);
    };
    const location = (response, from) => {
        const value = response.headers.location;
        if (!value)
            throw new errors/* UserError */.yo(`The registry answered ${response.status} without a Location header.`);
        return new URL(value, from);
    };
    /** GET that follows the redirects ECR answers layer downloads with (to S3), without our credentials. */
    const get = async (url, what, permission, maxBody) => {
        let target = url;
        for (let hops = 0; hops < 5; hops++) {
            const response = await retryingSend(what, () => send({ method: 'GET', url: target, ...(maxBody !== undefined ? { maxBody } : {}) }));
            if (![301, 302, 303, 307, 308].includes(response.status))
                return expect(response, what, permission, 200);
            target = location(response, target);
        }
        throw new errors/* UserError */.yo(`The registry redirected ${what} more than five times.`);
    };
    return {
        async hasBlob(repository, digest) {
            const what = `the check of blob ${digest} in ${repository}`;
            const response = await retryingSend(what, () => send({ method: 'HEAD', url: at(`/v2/${repository}/blobs/${digest}`) }));
            if (response.status === 404)
                return false;
            if ([200, 307].includes(response.status))
                return true;
            expect(response, what, neededPermission('blob-check', repository), 200);
            return false;
        },
        async uploadBlob(repository, blob) {
            const what = `the upload of blob ${blob.digest} (${blob.size} bytes) to ${repository}`;
            // One attempt is the whole protocol from a fresh upload session, so a broken PATCH is re-sent whole.
            await retryingSend(what, async () => {
                const start = await send({ method: 'POST', url: at(`/v2/${repository}/blobs/uploads/`), headers: { 'Content-Length': 0 } });
                if (start.status !== 202)
                    return start.status >= 500 || start.status === 429 ? start : expect(start, what, neededPermission('upload-start', repository), 202);
                const session = location(start, at('/'));
                // A streamed PATCH, then a PUT with the digest: the sequence docker and go-containerregistry use.
                const patch = await send({
                    method: 'PATCH',
                    url: session,
                    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.size },
                    body: await blob.open()
                });
                if (patch.status !== 202)
                    return patch.status >= 500 || patch.status === 429 ? patch : expect(patch, what, neededPermission('upload-part', repository), 202);
                const done = location(patch, session);
                done.searchParams.set('digest', blob.digest);
                const put = await send({ method: 'PUT', url: done, headers: { 'Content-Length': 0 } });
                return put.status >= 500 || put.status === 429 ? put : expect(put, what, neededPermission('upload-complete', repository), 201);
            });
        },
        async mountBlob(repository, digest, fromRepository) {
            const url = at(`/v2/${repository}/blobs/uploads/`);
            url.searchParams.set('mount', digest);
            url.searchParams.set('from', fromRepository);
            const what = `the mount of blob ${digest} from ${fromRepository} into ${repository}`;
            const response = expect(await retryingSend(what, () => send({ method: 'POST', url, headers: { 'Content-Length': 0 } })), what, neededPermission('blob-mount', repository, fromRepository), 201, 202);
            // 202: the registry declined to mount and opened an upload session instead; it expires unused.
            return response.status === 201;
        },
        async putManifest(repository, manifest) {
            const what = `the manifest ${manifest.digest} for ${repository}`;
            const put = () => retryingSend(what, () => send({
                method: 'PUT',
                url: at(`/v2/${repository}/manifests/${manifest.digest}`),
                headers: { 'Content-Type': manifest.mediaType },
                body: manifest.bytes
            }));
            // An index PUT right after its children can be refused for a child ECR does not show yet: waited for, within a bound.
            const lagging = (response) => INDEX_MEDIA_TYPES.has(manifest.mediaType) && missingChild(response);
            const answer = await (0,read_after_write/* readAfterWrite */.c9)(put, (response) => !lagging(response), {
                what: `the children of index ${manifest.digest} in ${repository}`,
                sleep,
                log: options.log
            });
            if (lagging(answer)) {
                throw new errors/* UserError */.yo(`The registry refused the index ${manifest.digest} for ${repository} for ${read_after_write/* LAG_BOUND_SECONDS */.iV} s because a child manifest is missing (HTTP ${answer.status}${registryErrorText(answer)}); nothing was tagged: re-run the job.`);
            }
            const response = expect(answer, what, neededPermission('manifest-write', repository), 201);
            const stored = response.headers['docker-content-digest'];
            if (typeof stored === 'string' && stored !== manifest.digest) {
                throw new errors/* UserError */.yo(`The registry stored ${what} as ${stored}; nothing was tagged.`);
            }
        },
        async readBlob(repository, digest) {
            const response = await get(at(`/v2/${repository}/blobs/${digest}`), `blob ${digest} of ${repository}`, neededPermission('blob-read', repository), MAX_BLOB_READ);
            const actual = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(response.body).digest('hex')}`;
            if (actual !== digest)
                throw new errors/* UserError */.yo(`The registry served blob ${digest} of ${repository} with the content of ${actual}.`);
            return response.body;
        },
        async openBlob(repository, digest) {
            const what = `the download of blob ${digest} of ${repository}`;
            let target = at(`/v2/${repository}/blobs/${digest}`);
            for (let hops = 0; hops < 5; hops++) {
                const url = target;
                // The source side of a copy retries as the destination does: 5xx, 429 (S3 SlowDown), resets, timeouts.
                const response = await retrying(what, () => openStream(url, credentialFor(url), agentFor(url), limits), streamStatus);
                if (response.status === 200)
                    return response.stream;
                response.stream.resume();
                if (response.status === 403) {
                    throw new RegistryError(`The registry denied ${what} (HTTP 403): the role needs ${neededPermission('blob-read', repository)} (README: IAM policy).`, 403);
                }
                const location = response.stream.headers.location;
                if (![301, 302, 303, 307, 308].includes(response.status) || !location) {
                    throw new RegistryError(`The registry answered ${what} with HTTP ${response.status}.`, response.status);
                }
                target = new URL(location, target);
            }
            throw new errors/* UserError */.yo(`The registry redirected ${what} more than five times.`);
        },
        async listReferrers(repository, digest) {
            const what = `the referrers of ${repository}@${digest}`;
            const response = await retryingSend(what, () => send({ method: 'GET', url: at(`/v2/${repository}/referrers/${digest}`) }));
            if (response.status === 404)
                return { kind: 'unsupported' };
            return { kind: 'listed', body: expect(response, what, neededPermission('referrers-read', repository), 200).body };
        }
    };
}
/**
 * The registry credential goes to the registry's origin only (scheme, host and port): never to a
 * redirect target elsewhere (S3), nor to the same host over another scheme or port.
 */
function sendsCredential(registry, target) {
    return registry.origin === target.origin;
}
function streamStatus(response) {
    // A retried answer is not read: its body is drained so the connection can be reused.
    response.stream.resume();
    return '';
}
/**
 * A GET whose body is handed on as a stream (a layer being copied). The idle limit stays on while it
 * is piped: a source that stops sending mid-layer errors the stream, and the upload it feeds is retried.
 */
function openStream(url, authorization, agent, limits) {
    return new Promise((resolve, reject) => {
        const transport = url.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
        const headers = { 'User-Agent': 'immutable-ecr-build/1' };
        if (authorization)
            headers.Authorization = authorization;
        const req = transport.request(url, { method: 'GET', headers, agent }, (stream) => resolve({ status: stream.statusCode ?? 0, stream }));
        watchTimeouts(req, limits);
        req.on('error', reject);
        req.end();
    });
}
/**
 * Connect and idle limits on one request. Node's own socket timeout covers only an established
 * connection, so the connect phase has its own timer; the idle one lasts while the response streams.
 */
function watchTimeouts(req, limits) {
    req.setTimeout(limits.idleMs, () => {
        req.destroy(new RequestTimeout(`no byte moved for ${duration(limits.idleMs)} (idle timeout)`));
    });
    req.on('socket', (socket) => {
        if (!socket.connecting)
            return;
        const timer = setTimeout(() => req.destroy(new RequestTimeout(`no connection within ${duration(limits.connectMs)}`)), limits.connectMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
    });
}
function duration(ms) {
    return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
/** One keep-alive agent per proxy (or none), chosen for each URL: no_proxy is decided per host. */
function agentChooser(proxyFor, ProxyAgent) {
    const direct = { http: new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 8 }), https: new (external_node_https_default()).Agent({ keepAlive: true, maxSockets: 8 }) };
    const proxied = new Map();
    return (url) => {
        const proxy = proxyFor?.(url);
        if (!proxy || !ProxyAgent)
            return url.protocol === 'http:' ? direct.http : direct.https;
        let agent = proxied.get(proxy.url);
        if (!agent) {
            agent = new ProxyAgent(proxy.url, { keepAlive: true });
            proxied.set(proxy.url, agent);
        }
        return agent;
    };
}
function missingChild(response) {
    if (response.status !== 400 && response.status !== 404)
        return false;
    try {
        const parsed = JSON.parse(response.body.toString('utf8'));
        return (parsed.errors ?? []).some((error) => MISSING_CHILD_CODES.has(error.code ?? ''));
    }
    catch {
        return false;
    }
}
/** The first error of an OCI error body ({"errors":[{"code","message"}]}), for messages. */
function registryErrorText(response) {
    try {
        const parsed = JSON.parse(response.body.toString('utf8'));
        const first = parsed.errors?.[0];
        if (first)
            return `: ${(0,errors/* oneLine */.TN)([first.code, first.message].filter(Boolean).join(' '))}`;
    }
    catch {
        // not JSON: no detail
    }
    return '';
}

;// CONCATENATED MODULE: ./src/adapters/github-context.ts


const EVENT_FILE_HINT = 'the runner writes it before the job starts; check that no earlier step changes GITHUB_EVENT_PATH or that file.';
/**
 * The workflow's context from @actions/github. Imported here, when it is first needed, because the package
 * reads and parses GITHUB_EVENT_PATH while it loads: a static import would turn a broken event file into a
 * bare "Unexpected token" thrown before main's catch, and a missing one into a stray log line and no payload.
 * Its package exports map offers no entry for the Context class alone, so Octokit loads with it (measured in
 * docs/performance.md).
 */
async function readGitHubContext() {
    const eventPath = process.env.GITHUB_EVENT_PATH;
    if (eventPath && !(0,external_node_fs_.existsSync)(eventPath)) {
        throw new errors/* UserError */.yo(`The event file '${eventPath}' named by GITHUB_EVENT_PATH does not exist: ${EVENT_FILE_HINT}`);
    }
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413)).catch((error) => {
        if (eventPath && isEventFileError(error)) {
            throw new errors/* UserError */.yo(`The event file '${eventPath}' named by GITHUB_EVENT_PATH cannot be read as JSON (${(0,errors/* errorMessage */.gJ)(error)}): ${EVENT_FILE_HINT}`);
        }
        throw error;
    });
    return toGitHubContext({
        eventName: context.eventName,
        sha: context.sha,
        payload: context.payload,
        serverUrl: context.serverUrl,
        repository: repositoryOf(context),
        runId: context.runId
    });
}
/** Pure: what the action takes from the event. */
function toGitHubContext(event) {
    const serverUrl = (event.serverUrl || 'https://github.com').replace(/\/+$/, '');
    return {
        eventName: event.eventName ?? '',
        githubSha: event.sha ?? '',
        pullRequestHeadSha: headShaOf(event.payload),
        repositoryUrl: event.repository ? `${serverUrl}/${event.repository}` : '',
        runId: event.runId !== undefined && Number.isSafeInteger(event.runId) && event.runId > 0 ? String(event.runId) : ''
    };
}
function headShaOf(payload) {
    const sha = payload?.pull_request?.head?.sha;
    return typeof sha === 'string' ? sha : undefined;
}
function repositoryOf(context) {
    try {
        const { owner, repo } = context.repo;
        return `${owner}/${repo}`;
    }
    catch {
        // context.repo throws when neither GITHUB_REPOSITORY nor the payload names one (a run outside GitHub).
        return undefined;
    }
}
/** JSON.parse's SyntaxError, or readFileSync's system error (EACCES, EISDIR): not a fault of the bundle itself. */
function isEventFileError(error) {
    const { name, message, syscall } = (error ?? {});
    return (name === 'SyntaxError' && typeof message === 'string' && message.includes('JSON')) || typeof syscall === 'string';
}

// EXTERNAL MODULE: ./src/adapters/runner.ts + 12 modules
var runner = __webpack_require__(8793);
;// CONCATENATED MODULE: ./src/shared/commit.ts

const SHA_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/**
 * The commit the image is tagged with. Pull requests use the head commit, because GITHUB_SHA is a
 * merge commit that exists only on GitHub and would name an image nobody can trace back to a push.
 */
function resolveCommitSha(explicitSha, source) {
    if (explicitSha !== '')
        return validateSha(explicitSha, "Input 'sha'");
    if (PULL_REQUEST_EVENTS.has(source.eventName)) {
        if (!source.pullRequestHeadSha) {
            throw new errors/* UserError */.yo(`The ${source.eventName} event payload has no pull_request.head.sha; set the 'sha' input to the commit to tag.`);
        }
        return validateSha(source.pullRequestHeadSha, 'The pull request head SHA');
    }
    if (!source.githubSha) {
        throw new errors/* UserError */.yo("GITHUB_SHA is not set; set the 'sha' input to the commit to tag (40 or 64 hex characters).");
    }
    return validateSha(source.githubSha, 'GITHUB_SHA');
}
function validateSha(value, what) {
    const sha = value.trim().toLowerCase();
    if (!SHA_PATTERN.test(sha)) {
        throw new errors/* UserError */.yo(`${what} '${value}' is not a commit SHA: expected 40 or 64 hexadecimal characters.`);
    }
    return sha;
}

// EXTERNAL MODULE: ./src/shared/proxy.ts
var proxy = __webpack_require__(2297);
;// CONCATENATED MODULE: ./src/publish/clients.ts


/** An ECR client: each credential it meets masked before anything can print it, its proxy notes in the log. */
function openEcr(adapters, env, target) {
    return adapters.createEcr({
        ...target,
        mask: (secret) => adapters.runner.setSecret(secret),
        env,
        log: (message) => adapters.runner.info(message),
        ...(adapters.sleep ? { sleep: adapters.sleep } : {})
    });
}
/**
 * One registry client per registry endpoint, made on first use with the credentials GetAuthorizationToken
 * returned (a promotion talks to two registries; a build or a merge to one).
 */
function registryOpener(adapters, env) {
    const opened = new Map();
    return (credentials) => {
        let registry = opened.get(credentials.endpoint);
        if (!registry) {
            // The proxy is chosen per request host: the registry and the S3 hosts its downloads redirect to
            // may differ in no_proxy, and the registry may sit behind another variable than the API (http_proxy).
            const proxies = (0,proxy/* configuredProxies */.Zj)(env);
            for (const secret of proxies.flatMap((proxy) => proxy.credentials))
                adapters.runner.setSecret(secret);
            registry = adapters.createRegistry({
                endpoint: credentials.endpoint,
                username: credentials.username,
                password: credentials.password,
                ...(proxies.length ? { proxyFor: (url) => (0,proxy/* proxyFor */.iJ)(env, url.href) } : {}),
                limits: (0,network_limits/* networkLimits */.pG)(env),
                log: (message) => adapters.runner.info(message),
                ...(adapters.sleep ? { sleep: adapters.sleep } : {})
            });
            opened.set(credentials.endpoint, registry);
        }
        return registry;
    };
}

;// CONCATENATED MODULE: ./src/shared/input-parsers.ts

// ECR's repository grammar (CreateRepository API reference).
const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/;
// The shape every partition's region names share (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
// eusc-de-east-1): a typo is caught, and a partition AWS adds later is not refused.
const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z]+)+-[0-9]+$/;
const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);
function parseRepository(value) {
    if (value === '') {
        throw new errors/* UserError */.yo("Input 'repository' is required: set it to the ECR repository name, e.g. team/api.");
    }
    if (value.includes('.amazonaws.com') || value.includes(':') || value.includes('@')) {
        throw new errors/* UserError */.yo(`Input 'repository' '${value}' must be the repository name only (e.g. team/api), not a URI, tag or digest.`);
    }
    if (value !== value.toLowerCase()) {
        throw new errors/* UserError */.yo(`Input 'repository' '${value}' must be lowercase: ECR repository names allow a-z, 0-9, '.', '_', '-' and '/'.`);
    }
    if (value.length < 2 || value.length > 256 || !REPOSITORY_PATTERN.test(value)) {
        throw new errors/* UserError */.yo(`Input 'repository' '${value}' is not a valid ECR repository name: 2-256 characters of a-z, 0-9, '.', '_', '-' and '/', each part starting and ending with a letter or digit.`);
    }
    return value;
}
function parseRegistryId(value) {
    if (value === '')
        return undefined;
    if (!REGISTRY_ID_PATTERN.test(value)) {
        throw new errors/* UserError */.yo(`Input 'registry-id' '${value}' is not an AWS account id: expected 12 digits.`);
    }
    return value;
}
function parseRegion(value, env) {
    const region = value || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
    if (region === '') {
        throw new errors/* UserError */.yo("No AWS region: set the 'aws-region' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).");
    }
    if (!REGION_PATTERN.test(region)) {
        const source = value ? "Input 'aws-region'" : env.AWS_REGION?.trim() ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
        throw new errors/* UserError */.yo(`${source} '${region}' is not an AWS region name such as us-east-1 or eu-central-1.`);
    }
    return region;
}
function parseBoolean(name, value) {
    if (TRUE_VALUES.has(value))
        return true;
    if (FALSE_VALUES.has(value))
        return false;
    throw new errors/* UserError */.yo(`Input '${name}' '${value}' is not a boolean: use true or false.`);
}
function parseEnum(name, value, allowed, optionalValue = false) {
    if (optionalValue && value === '')
        return undefined;
    if (allowed.includes(value))
        return value;
    throw new errors/* UserError */.yo(`Input '${name}' '${value}' is not allowed: use ${allowed.join(', ')}.`);
}
/** One entry per non-empty line; entries keep commas (cache specs and build args use them). */
function parseLines(value) {
    return value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
}
/** Newline- or comma-separated, as docker/metadata-action reads tag lists. */
function parseList(value) {
    return value
        .split(/[\r\n,]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
function parsePlatforms(value) {
    const platforms = parseList(value);
    for (const platform of platforms) {
        if (!PLATFORM_PATTERN.test(platform)) {
            throw new errors/* UserError */.yo(`Input 'platforms' has '${platform}', which is not a platform such as linux/amd64 or linux/arm64/v8.`);
        }
    }
    return platforms;
}

// EXTERNAL MODULE: ./src/shared/tag-policy.ts
var tag_policy = __webpack_require__(7320);
;// CONCATENATED MODULE: ./src/publish/tags.ts

/** Docker's tag grammar, which ECR enforces too. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const TAG_PREFIX_PATTERN = /^[A-Za-z0-9_.-]*$/;
const MIN_SHA_LENGTH = 7;
function isValidTag(tag) {
    return TAG_PATTERN.test(tag);
}
function deriveTags(spec) {
    if (!TAG_PREFIX_PATTERN.test(spec.tagPrefix)) {
        throw new errors/* UserError */.yo(`Input 'tag-prefix' '${spec.tagPrefix}' is not allowed: use only letters, digits, '_', '.' and '-'.`);
    }
    if (spec.shaLength > spec.sha.length) {
        throw new errors/* UserError */.yo(`Input 'sha-length' ${spec.shaLength} is longer than the ${spec.sha.length}-character SHA: use ${MIN_SHA_LENGTH} to ${spec.sha.length}.`);
    }
    const shaTag = `${spec.tagPrefix}${spec.sha.slice(0, spec.shaLength)}`;
    if (!isValidTag(shaTag)) {
        throw new errors/* UserError */.yo(`Input 'tag-prefix' '${spec.tagPrefix}' makes the tag '${shaTag}' invalid: a tag starts with a letter, digit or '_' and has at most 128 characters.`);
    }
    for (const extra of spec.extraTags) {
        if (!isValidTag(extra)) {
            throw new errors/* UserError */.yo(`Input 'extra-tags' has an invalid tag '${extra}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`);
        }
    }
    return { shaTag, all: [...new Set([shaTag, ...spec.extraTags])] };
}

;// CONCATENATED MODULE: ./src/publish/floating-tags.ts



/**
 * Floating tags (`latest`, `staging`) are meant to move, so they sit apart from the tags this action
 * never changes: they never count for if-tag-exists, they are written last (after every immutable tag
 * is proven), and only where ECR lets them move. One ECR keeps immutable could be written once only.
 */
/** Validates `floating-tags` like `extra-tags`, and keeps them apart from the immutable tags. */
function parseFloatingTags(list) {
    for (const tag of list) {
        if (!isValidTag(tag)) {
            throw new errors/* UserError */.yo(`Input 'floating-tags' has an invalid tag '${tag}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`);
        }
    }
    return [...new Set(list)];
}
function assertFloatingApart(floating, immutable) {
    const both = floating.filter((tag) => immutable.includes(tag));
    if (both.length) {
        throw new errors/* UserError */.yo(`Input 'floating-tags' repeats ${both.join(', ')}, which ${both.length === 1 ? 'is' : 'are'} also the SHA tag or in extra-tags: a tag either moves or never changes; remove it from one of them.`);
    }
}
/**
 * The refusal, before anything is built, when ECR would keep a floating tag immutable. The message
 * names the exclusion filter to add; undefined when every floating tag can move.
 */
function floatingTagRefusal(repository, floating) {
    const stuck = floating.filter((tag) => (0,tag_policy/* isTagImmutable */.j1)(repository, tag));
    if (stuck.length === 0)
        return undefined;
    const fix = repository.mutability === 'MUTABLE_WITH_EXCLUSION'
        ? `remove the exclusion filter that matches ${stuck.join(', ')}`
        : `set the repository to IMMUTABLE_WITH_EXCLUSION with the exclusion filter${stuck.length === 1 ? '' : 's'} ${stuck.map((tag) => `'${tag}'`).join(', ')} (aws ecr put-image-tag-mutability --repository-name ${repository.name} --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters ${stuck.map((tag) => `filterType=WILDCARD,filter=${tag}`).join(' ')})`;
    return `Input 'floating-tags': ECR keeps ${stuck.join(', ')} immutable in ${repository.name} (${(0,tag_policy/* describeMutability */.yk)(repository)}), so ${stuck.length === 1 ? 'it' : 'they'} could be written once only. Nothing was built; ${fix}, or drop ${stuck.length === 1 ? 'it' : 'them'} from floating-tags.`;
}
/** create-repository makes an IMMUTABLE repository, where no floating tag can move: refuse before creating it. */
function newRepositoryFloatingRefusal(repository, floating) {
    if (floating.length === 0)
        return undefined;
    return `Input 'floating-tags': create-repository would create ${repository} IMMUTABLE, where ${floating.join(', ')} could be written once only. Nothing was created or built; create the repository as IMMUTABLE_WITH_EXCLUSION with the exclusion filter${floating.length === 1 ? '' : 's'} ${floating.map((tag) => `'${tag}'`).join(', ')} first, or drop floating-tags.`;
}

;// CONCATENATED MODULE: ./src/publish/gate-wait.ts
/**
 * The waiting shared by the gates that hold the tags until ECR has finished something about the
 * uploaded images (the scan gate, the signing gate): look at every image still unsettled, sleep, look
 * again, and once past the deadline look one last time, when each look must settle or throw.
 */
/** Seconds before the next look: quick at first (basic scans and signatures of small images take seconds), then every 10 s. */
function pollDelaySeconds(attempt, secondsLeft) {
    return Math.max(0, Math.min(attempt + 1, 10, secondsLeft));
}
/**
 * Calls `look(item, timedOut)` for each item until every look has returned true (settled). Once
 * timedOut is true, a look must settle or throw soon (the passes then follow without a pause): they
 * decide what a timeout means for the item.
 * `waiting` hears the items still unsettled and the seconds elapsed before each sleep.
 */
async function pollEach(items, options, look, waiting) {
    const clock = options.clock ?? Date.now;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const startedAt = clock();
    const deadline = startedAt + options.timeoutSeconds * 1000;
    let unsettled = [...items];
    for (let attempt = 0;; attempt++) {
        const timedOut = clock() >= deadline;
        const next = [];
        for (const item of unsettled)
            if (!(await look(item, timedOut)))
                next.push(item);
        unsettled = next;
        if (unsettled.length === 0)
            return;
        waiting(unsettled, Math.round((clock() - startedAt) / 1000));
        // One more look after the deadline decides what the timeout means.
        await sleep(pollDelaySeconds(attempt, Math.max(Math.ceil((deadline - clock()) / 1000), 0)) * 1000);
    }
}

;// CONCATENATED MODULE: ./src/shared/image-graph.ts
/**
 * The shape of an image as manifests and blobs, read from manifest bytes alone: what an upload or a
 * copy must send (blobs first, child manifests next, the top manifest last, so that the registry never
 * holds a manifest whose parts are missing), and which manifest is which platform.
 */
const INDEX_TYPES = new Set([
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json'
]);
const IMAGE_MANIFEST_TYPES = new Set([
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json'
]);
const ATTESTATION_REFERENCE_TYPE = 'attestation-manifest';
function parseManifest(bytes, mediaTypeHint = '') {
    const body = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
    const mediaType = typeof body.mediaType === 'string' && body.mediaType ? body.mediaType : mediaTypeHint;
    if (Array.isArray(body.manifests) || INDEX_TYPES.has(mediaType)) {
        return { kind: 'index', mediaType, layers: [], manifests: descriptors(body.manifests) };
    }
    const [config] = descriptors(body.config === undefined ? [] : [body.config]);
    if (!config)
        throw new Error('The manifest has neither a config nor a list of manifests.');
    return { kind: 'image', mediaType, config, layers: descriptors(body.layers), manifests: [] };
}
/**
 * Walks from the top manifest; `manifestBytes` returns a child manifest's bytes (from a layout on
 * disk, or from the source registry of a copy).
 */
async function planTransfer(top, manifestBytes) {
    const blobs = new Map();
    const manifests = [];
    const seen = new Set();
    const visit = async (descriptor) => {
        if (seen.has(descriptor.digest))
            return;
        seen.add(descriptor.digest);
        const parsed = parseManifest(await manifestBytes(descriptor), descriptor.mediaType);
        if (parsed.kind === 'index') {
            for (const child of parsed.manifests)
                await visit(child);
        }
        else {
            for (const blob of [parsed.config, ...parsed.layers])
                if (!blobs.has(blob.digest))
                    blobs.set(blob.digest, blob);
        }
        manifests.push(descriptor);
    };
    await visit(top);
    return { blobs: [...blobs.values()], manifests };
}
/** Whether an index entry is BuildKit's attestation manifest (provenance, SBOM): not a runnable image. */
function isAttestation(descriptor) {
    return descriptor.annotations?.['vnd.docker.reference.type'] === ATTESTATION_REFERENCE_TYPE;
}
/** An index's runnable images: neither BuildKit's attestation manifests nor anything else for platform unknown/unknown. */
function runnableEntries(index) {
    return index.manifests.filter((entry) => !isAttestation(entry) && entry.platform?.os !== 'unknown');
}
function platformName(platform) {
    return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}
/**
 * A platform name in the form containerd compares platforms (platforms.Normalize): architecture aliases
 * folded (aarch64 → arm64, x86_64 → amd64, armhf → arm/v7), and each architecture's default variant
 * dropped (arm64/v8, amd64/v1) or added (arm → arm/v7). So `linux/arm64` in an input matches an image whose
 * config says arm64 with variant v8, as official base images' arm64 configs do.
 */
function normalizedPlatform(name) {
    const [os = '', rawArchitecture = '', rawVariant = ''] = name.toLowerCase().split('/');
    let architecture = rawArchitecture;
    let variant = rawVariant;
    switch (rawArchitecture) {
        case 'i386':
            architecture = '386';
            variant = '';
            break;
        case 'x86_64':
        case 'x86-64':
        case 'amd64':
            architecture = 'amd64';
            if (variant === 'v1')
                variant = '';
            break;
        case 'aarch64':
        case 'arm64':
            architecture = 'arm64';
            if (variant === '8' || variant === 'v8' || variant === 'v8.0')
                variant = '';
            break;
        case 'armhf':
            architecture = 'arm';
            variant = 'v7';
            break;
        case 'armel':
            architecture = 'arm';
            variant = 'v6';
            break;
        case 'arm':
            if (variant === '' || variant === '7')
                variant = 'v7';
            else if (/^[5-8]$/.test(variant))
                variant = `v${variant}`;
            break;
    }
    return [os, architecture, variant].filter((part) => part).join('/');
}
/** Whether two platform names name the same platform once normalised (see normalizedPlatform). */
function samePlatform(a, b) {
    return normalizedPlatform(a) === normalizedPlatform(b);
}
/**
 * `{"linux/amd64": "sha256:…"}` for the `platform-digests` output: the runnable images of an index, or
 * the one image of a single manifest (its platform read from its config). Attestations are left out.
 */
function platformDigests(top, configPlatform) {
    if (top.manifest.kind === 'image')
        return configPlatform ? { [platformName(configPlatform)]: top.digest } : {};
    const entries = runnableEntries(top.manifest)
        .filter((entry) => entry.platform)
        .map((entry) => [platformName(entry.platform), entry.digest]);
    return Object.fromEntries(entries);
}
/** The platform an image config declares (`os`, `architecture`, `variant`). */
function configPlatformOf(configBytes) {
    const config = JSON.parse(typeof configBytes === 'string' ? configBytes : configBytes.toString('utf8'));
    if (typeof config.os !== 'string' || typeof config.architecture !== 'string')
        return undefined;
    return { os: config.os, architecture: config.architecture, ...(typeof config.variant === 'string' && config.variant ? { variant: config.variant } : {}) };
}
function descriptors(value) {
    if (!Array.isArray(value))
        return [];
    return value.map((entry) => {
        const item = entry;
        if (typeof item.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(item.digest))
            throw new Error('A manifest lists a descriptor without a sha256 digest.');
        const platform = item.platform;
        return {
            mediaType: typeof item.mediaType === 'string' ? item.mediaType : '',
            digest: item.digest,
            size: typeof item.size === 'number' ? item.size : 0,
            ...(platform && typeof platform.os === 'string' && typeof platform.architecture === 'string'
                ? {
                    platform: {
                        os: platform.os,
                        architecture: platform.architecture,
                        ...(typeof platform.variant === 'string' && platform.variant ? { variant: platform.variant } : {})
                    }
                }
                : {}),
            ...(item.annotations && typeof item.annotations === 'object' ? { annotations: item.annotations } : {})
        };
    });
}

;// CONCATENATED MODULE: ./src/publish/signing-gate.ts



/**
 * The signing gate, the scan gate's twin: with `require-signature: managed`, no tag is written until
 * ECR's managed signing reports every image of this run COMPLETE. AWS documents managed signing as
 * signing "images as they are pushed" under a registry signing configuration whose rules' repository
 * filters match (user guide "Managed signing"; API_SigningRule: "which repositories have their images
 * signed on push"), with no tag required, and DescribeImageSigningStatus takes an image digest; so the
 * images this action uploads by digest, untagged, are signed before it names them, and the gate waits
 * for the top manifest and each platform image manifest (each is pushed, so each is signed; BuildKit's
 * attestation manifests are not waited for, as the scan gate does not).
 */
const UNTAGGED = 'the image stays untagged';
const SIGNING_GATE_DEFAULTS = { 'require-signature': 'off', 'signature-timeout': '600' };
/** The gate's two inputs, shared by the build, merge and promote actions; errors name the input and what is allowed. */
function parseSigningGateInputs(get) {
    const value = (name) => get(name).trim() || SIGNING_GATE_DEFAULTS[name];
    const requirement = value('require-signature');
    if (requirement !== 'off' && requirement !== 'managed') {
        throw new errors/* UserError */.yo(`Input 'require-signature' '${requirement}' is not allowed: use off, or managed (ECR managed signing).`);
    }
    const timeout = value('signature-timeout');
    if (!/^[0-9]+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
        throw new errors/* UserError */.yo(`Input 'signature-timeout' '${timeout}' is not allowed: use a whole number of seconds from 1 to 3600.`);
    }
    return { requirement, timeoutSeconds: Number(timeout) };
}
/** ECR's WILDCARD_MATCH: `*` matches any run of characters, everything else itself. */
function wildcardMatch(filter, repository) {
    const pattern = filter
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${pattern}$`).test(repository);
}
/** The Signer profiles whose rules sign the repository's images (a rule without filters signs every repository). */
function profilesFor(rules, repository) {
    return rules
        .filter((rule) => rule.repositoryFilters.length === 0 || rule.repositoryFilters.some((filter) => wildcardMatch(filter, repository)))
        .map((rule) => rule.signingProfileArn);
}
/** Why a registry cannot sign the repository's images, or undefined when a rule covers it. */
function signingConfigurationRefusal(rules, repository) {
    const fix = `or set require-signature: off. (aws ecr put-signing-configuration; README: Signing gate)`;
    if (rules === undefined)
        return `require-signature: managed, but the registry has no signing configuration (ECR managed signing), so nothing pushed to ${repository} would be signed: create one with a rule for ${repository}, ${fix}`;
    if (profilesFor(rules, repository).length === 0)
        return `require-signature: managed, but no rule of the registry's signing configuration covers ${repository} (its repository filters: ${rules.flatMap((rule) => rule.repositoryFilters).join(', ') || 'none'}): add a rule or a filter that matches it, ${fix}`;
    return undefined;
}
/**
 * One look at an image's statuses (one per signing profile): every one COMPLETE passes; any FAILED
 * refuses with ECR's reason; none yet, or IN_PROGRESS, waits until the deadline and then refuses.
 */
function signingStep(label, statuses, timedOut, timeoutSeconds) {
    const failed = statuses.find((status) => status.status === 'FAILED');
    if (failed) {
        const reason = (0,errors/* oneLine */.TN)([failed.failureCode, failed.failureReason].filter(Boolean).join(': ') || 'no reason given');
        return {
            action: 'fail',
            message: `ECR managed signing FAILED for ${label}${failed.signingProfileArn ? ` (profile ${failed.signingProfileArn})` : ''}: ${reason}. No tag was written; ${UNTAGGED}. Fix the cause (the pusher needs signer:SignPayload on the profile) and re-run.`
        };
    }
    if (statuses.length > 0 && statuses.every((status) => status.status === 'COMPLETE'))
        return { action: 'signed', profiles: statuses.map((status) => status.signingProfileArn ?? '?') };
    if (!timedOut)
        return { action: 'wait' };
    const state = statuses.length === 0 ? 'ECR reported no signing of it' : `still ${statuses.map((status) => status.status ?? '?').join(', ')}`;
    return {
        action: 'fail',
        message: `ECR managed signing did not complete for ${label} within ${timeoutSeconds} s (${state}). No tag was written; ${UNTAGGED}. Re-run, or raise signature-timeout.`
    };
}
/** The top manifest and, for an index, each platform image manifest (attestation manifests left out). */
function signableImages(digest, manifest, mediaType) {
    const parsed = parseManifest(manifest, mediaType);
    const children = parsed.kind === 'index' ? runnableEntries(parsed) : [];
    return [
        { label: parsed.kind === 'index' ? `the index ${digest}` : digest, digest },
        ...children.map((entry) => ({ label: entry.platform ? `${platformName(entry.platform)} ${entry.digest}` : entry.digest, digest: entry.digest }))
    ];
}
/**
 * Before the build: refuses when managed signing would not sign the repository's images. With
 * registry-id naming another account GetSigningConfiguration (which reads the caller's own registry)
 * cannot tell, so the gate alone decides, from that registry's signing statuses.
 */
async function assertSigningConfigured(deps, repository, options, otherAccount) {
    if (options.requirement === 'off')
        return;
    if (otherAccount) {
        deps.runner.info(`Signing gate: registry-id names another account, whose signing configuration this role cannot read; the gate waits for its signing statuses.`);
        return;
    }
    const refusal = signingConfigurationRefusal(await deps.ecr.signingRules(), repository);
    if (refusal)
        throw new errors/* UserError */.yo(refusal);
}
/** Waits until ECR reports every image signed; throws one line on FAILED or at the timeout. No tag has been written when this runs. */
async function passSigningGate(deps, repository, images, options, 
/** What becomes of a refused image, for the failure line (the classic store's upload removes it). */
leftBehind = UNTAGGED) {
    if (options.requirement === 'off' || images.length === 0)
        return;
    deps.runner.info(`Signing gate (require-signature: managed): waiting up to ${options.timeoutSeconds} s for ECR to sign ${images.length} manifest(s).`);
    await pollEach(images, { timeoutSeconds: options.timeoutSeconds, sleep: deps.sleep, clock: deps.clock }, async (image, timedOut) => {
        const step = signingStep(image.label, await deps.ecr.signingStatuses(repository, image.digest), timedOut, options.timeoutSeconds);
        if (step.action === 'fail')
            throw new errors/* UserError */.yo(step.message.replace(UNTAGGED, leftBehind));
        if (step.action === 'wait')
            return false;
        deps.runner.info(`Signing gate: ${image.label} signed (${step.profiles.join(', ')}).`);
        return true;
    }, (waiting, elapsed) => deps.runner.info(`Signing gate: waiting for ${waiting.map((image) => image.label).join(', ')} (${elapsed} s of ${options.timeoutSeconds} s).`));
    deps.runner.info('Signing gate passed: ECR reports every manifest signed.');
}

// EXTERNAL MODULE: ./src/publish/run-step.ts
var run_step = __webpack_require__(9209);
// EXTERNAL MODULE: ./src/shared/scan-findings.ts
var scan_findings = __webpack_require__(5775);
;// CONCATENATED MODULE: ./src/publish/scan-gate.ts






const SCAN_GATE_DEFAULTS = { 'fail-on-severity': 'off', 'scan-timeout': '600', 'on-scan-timeout': 'fail' };
/** The gate's three inputs, shared by the main and the merge action; errors name the input and what is allowed. */
function parseScanGateInputs(get) {
    const value = (name) => get(name).trim() || SCAN_GATE_DEFAULTS[name];
    let threshold;
    let onTimeout;
    try {
        threshold = (0,scan_findings/* parseSeverityThreshold */.Ot)(value('fail-on-severity'));
    }
    catch {
        throw new errors/* UserError */.yo(`Input 'fail-on-severity' '${value('fail-on-severity')}' is not allowed: use off, critical, high, medium, low or informational.`);
    }
    try {
        onTimeout = (0,scan_findings/* parseOnScanTimeout */.NN)(value('on-scan-timeout'));
    }
    catch {
        throw new errors/* UserError */.yo(`Input 'on-scan-timeout' '${value('on-scan-timeout')}' is not allowed: use fail or continue.`);
    }
    const timeout = value('scan-timeout');
    if (!/^[0-9]+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
        throw new errors/* UserError */.yo(`Input 'scan-timeout' '${timeout}' is not allowed: use a whole number of seconds from 1 to 3600.`);
    }
    return { threshold, timeoutSeconds: Number(timeout), onTimeout };
}
/**
 * The manifests ECR scans: a single image itself, or an index's platform entries (attestations and
 * `unknown/unknown` entries left out). The index itself is never scanned.
 */
function scannableImages(digest, manifest, mediaType, platform) {
    const parsed = parseManifest(manifest, mediaType);
    if (parsed.kind === 'image')
        return [{ label: platform ? `${platformName(platform)} ${digest}` : digest, digest }];
    return runnableEntries(parsed).map((entry) => ({
        label: entry.platform ? `${platformName(entry.platform)} ${entry.digest}` : entry.digest,
        digest: entry.digest
    }));
}

const scan_gate_UNTAGGED = 'the image stays untagged';
/**
 * Waits for every image's scan, then passes or throws a one-line UserError. No tag has been written
 * when this runs, so a failure leaves the image untagged for lifecycle rules. The findings table goes
 * to the job summary whether the gate passes or fails.
 */
async function passScanGate(deps, repository, images, options, 
/** What becomes of a refused image, for the failure line (the classic store's upload removes it). */
leftBehind = scan_gate_UNTAGGED) {
    const { threshold } = options;
    if (threshold === undefined || images.length === 0)
        return;
    let scanType;
    const states = new Map(images.map((image) => [image.digest, { kind: 'waiting', started: false }]));
    deps.runner.info(`Scan gate (fail-on-severity: ${threshold.toLowerCase()}): waiting up to ${options.timeoutSeconds} s for the scan of ${images.length} image manifest(s).`);
    const look = async (image, timedOut) => {
        const state = states.get(image.digest);
        const scan = await deps.ecr.describeScanFindings(repository, image.digest);
        if (!scan.found) {
            scanType ??= deps.ecr.registryScanType();
            const type = await scanType;
            if (type === 'BASIC' && state.kind === 'waiting' && !state.started) {
                const start = await deps.ecr.startImageScan(repository, image.digest);
                if (start.outcome === 'unsupported')
                    throw new errors/* UserError */.yo((0,scan_findings/* unsupportedImageMessage */.GU)(image.label, start.message));
                deps.runner.info(`Scan gate: started the basic scan of ${image.label} (scan-on-push is off for ${repository}; turn it on to skip this call: aws ecr put-image-scanning-configuration --repository-name ${repository} --image-scanning-configuration scanOnPush=true).`);
                states.set(image.digest, { kind: 'waiting', started: true });
                return;
            }
            if (!timedOut)
                return;
            const step = (0,scan_findings/* scanStep */.IY)(image.label, undefined, { timedOut, onTimeout: options.onTimeout });
            const hint = type === 'ENHANCED'
                ? ` Amazon Inspector never picked it up: add a rule for ${repository} to the registry's enhanced scanning configuration (aws ecr put-registry-scanning-configuration).`
                : '';
            settleTimeout(deps, states, image, step, hint);
            return;
        }
        const step = (0,scan_findings/* scanStep */.IY)(image.label, scan.status, { timedOut, onTimeout: options.onTimeout, description: scan.description });
        if (step.action === 'evaluate') {
            states.set(image.digest, { kind: 'done', findings: scan.findings });
            deps.runner.info(`Scan gate: ${image.label} scanned (${scan.status}): ${(0,scan_findings/* formatCounts */.gM)(countsOf(scan.findings))}.`);
        }
        else if (step.action !== 'wait') {
            settleTimeout(deps, states, image, step, '');
        }
    };
    await pollEach(images, { timeoutSeconds: options.timeoutSeconds, sleep: deps.sleep, clock: deps.clock }, async (image, timedOut) => {
        await look(image, timedOut);
        return states.get(image.digest)?.kind !== 'waiting';
    }, (waiting, elapsed) => deps.runner.info(`Scan gate: waiting for ${waiting.map((image) => image.label).join(', ')} (${elapsed} s of ${options.timeoutSeconds} s).`));
    const perImage = images.flatMap((image) => {
        const state = states.get(image.digest);
        return state?.kind === 'done' ? [{ image: image.label, findings: state.findings }] : [];
    });
    const decision = (0,scan_findings/* gateDecision */.eU)(perImage, threshold);
    await summarise(deps, perImage, decision.verdict === 'pass' ? 'passed' : 'failed');
    if (decision.verdict === 'fail')
        throw new errors/* UserError */.yo((0,scan_findings/* failureMessage */.oh)(decision).replace(scan_gate_UNTAGGED, leftBehind));
    deps.runner.info(`Scan gate passed: nothing at or above ${threshold} (${(0,scan_findings/* formatCounts */.gM)(decision.counts)}).`);
}
function settleTimeout(deps, states, image, step, hint) {
    if (step.action === 'fail')
        throw new errors/* UserError */.yo(`${step.message}${hint}`);
    if (step.action === 'continue') {
        deps.runner.warning(`${step.message}${hint}`);
        states.set(image.digest, { kind: 'skipped' });
    }
}
function countsOf(findings) {
    const counts = {};
    for (const finding of findings)
        counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    return counts;
}
async function summarise(deps, perImage, verdict) {
    const sections = perImage.map((image) => `#### ${image.image}\n\n${(0,scan_findings/* findingsTable */.f9)(image.findings)}`);
    await (0,run_step/* writeSummary */.Sy)(deps.runner, `### Image scan: ${verdict}\n\n${sections.join('\n\n')}\n`, 'the findings to the job summary');
}
/**
 * The gates for an image just uploaded (by digest, or under the classic store's staging tag): reads
 * what the registry holds there, waits for the scan of each platform manifest in it, then for ECR's
 * managed signing of it (signing-gate.ts). Both off: no call.
 */
async function gateUploadedImage(ctx, ref, options = {}) {
    const signing = ctx.inputs.signingGate?.requirement === 'managed' ? ctx.inputs.signingGate : undefined;
    if (ctx.inputs.scanGate.threshold === undefined && !signing)
        return;
    const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [ref]);
    const image = 'tag' in ref ? lookup.byTag.get(ref.tag) : lookup.byDigest.get(ref.digest);
    if (!image)
        throw new errors/* UserError */.yo(`The registry does not serve ${'tag' in ref ? ref.tag : ref.digest} right after it was uploaded; re-run the job.`);
    if (ctx.inputs.scanGate.threshold !== undefined) {
        const platform = await singleImagePlatform(image.manifest, image.mediaType, options.readBlob);
        await passScanGate(ctx, ctx.inputs.repository, scannableImages(image.digest, image.manifest, image.mediaType, platform), ctx.inputs.scanGate, options.leftBehind);
    }
    if (signing)
        await passSigningGate(ctx, ctx.inputs.repository, signableImages(image.digest, image.manifest, image.mediaType), signing, options.leftBehind);
}
/** A single image's platform, from its config; none for an index (its entries name theirs) or when the config cannot be read. */
async function singleImagePlatform(manifest, mediaType, readBlob) {
    const parsed = parseManifest(manifest, mediaType);
    if (parsed.kind !== 'image' || !parsed.config || !readBlob)
        return undefined;
    try {
        return configPlatformOf(await readBlob(parsed.config.digest));
    }
    catch {
        // Only a label: the gate itself does not depend on it.
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/publish/naming-inputs.ts






/** Defaults for naming inputs the runner may hand over empty; they equal both action.yml files' (tested). */
const NAMING_INPUT_DEFAULTS = {
    'sha-length': '40',
    'if-tag-exists': 'fail',
    'require-immutable-repository': 'false',
    ...SCAN_GATE_DEFAULTS,
    ...SIGNING_GATE_DEFAULTS
};
/** The value, trimmed, or the default when the runner handed over an empty one. */
function withDefaults(read, defaults) {
    return (name) => {
        const value = read(name).trim();
        return value === '' ? (defaults[name] ?? '') : value;
    };
}
function parseNamingInputs(read) {
    const get = withDefaults(read, NAMING_INPUT_DEFAULTS);
    return {
        repository: parseRepository(get('repository')),
        registryId: parseRegistryId(get('registry-id')),
        sha: get('sha'),
        tagPrefix: get('tag-prefix'),
        shaLength: parseShaLength(get('sha-length')),
        extraTags: parseList(read('extra-tags')),
        floatingTags: parseFloatingTags(parseList(read('floating-tags'))),
        ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip']),
        requireImmutableRepository: parseBoolean('require-immutable-repository', get('require-immutable-repository')),
        scanGate: parseScanGateInputs(read),
        signingGate: parseSigningGateInputs(read)
    };
}
function parseShaLength(value) {
    const length = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(length) || length < MIN_SHA_LENGTH || length > 64) {
        throw new errors/* UserError */.yo(`Input 'sha-length' '${value}' is not allowed: use a whole number from ${MIN_SHA_LENGTH} to 40 (64 for SHA-256 commits).`);
    }
    return length;
}

;// CONCATENATED MODULE: ./src/build-image/inputs.ts



/**
 * Defaults for inputs the runner may hand over empty (a reusable workflow passing '' through, or a
 * run outside GitHub). They must equal action.yml's defaults; a unit test keeps them in step.
 */
const INPUT_DEFAULTS = {
    context: '.',
    cache: 'none',
    'no-cache': 'false',
    pull: 'false',
    'create-repository': 'false',
    push: 'true',
    untagged: 'false',
    ...NAMING_INPUT_DEFAULTS
};
const KEY_VALUE_KEY_PATTERN = /^[^\s=]+$/;
function parseInputs(read, env) {
    const get = withDefaults(read, INPUT_DEFAULTS);
    const optional = (name) => get(name) || undefined;
    // The shared inputs first: a missing repository is the first thing a new user hears of.
    const naming = parseNamingInputs(read);
    const context = get('context');
    const inputs = {
        ...naming,
        context,
        file: get('file') || defaultDockerfile(context),
        target: optional('target'),
        buildArgs: parseKeyValueList('build-args', read('build-args')),
        labels: parseKeyValueList('labels', read('labels')),
        platforms: parsePlatforms(read('platforms')),
        network: parseEnum('network', get('network'), ['default', 'none', 'host'], true),
        cacheFrom: parseLines(read('cache-from')),
        cacheTo: parseLines(read('cache-to')),
        cache: parseEnum('cache', get('cache'), ['none', 'ecr']),
        noCache: parseBoolean('no-cache', get('no-cache')),
        pull: parseBoolean('pull', get('pull')),
        secrets: parseSecrets(read('secrets')),
        secretFiles: parseSecretFiles(read('secret-files')),
        ssh: parseLines(read('ssh')),
        buildContexts: parseKeyValueList('build-contexts', read('build-contexts')),
        builder: parseBuilder(get('builder')),
        provenance: optional('provenance'),
        sbom: optional('sbom'),
        createRepository: parseBoolean('create-repository', get('create-repository')),
        push: parseBoolean('push', get('push')),
        untagged: parseBoolean('untagged', get('untagged')),
        // Last: a missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
        awsRegion: parseRegion(get('aws-region'), env)
    };
    assertUniqueIds("secrets' and 'secret-files", [...inputs.secrets, ...inputs.secretFiles]);
    assertUntaggedFits(inputs);
    return inputs;
}
/**
 * A buildx builder name as `docker buildx create` allows it. It reaches every docker command as
 * `--builder=<name>`; refusing anything else also keeps a value like `-x` from ever looking like a flag.
 */
function parseBuilder(value) {
    if (value === '')
        return undefined;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(value)) {
        throw new errors/* UserError */.yo(`Input 'builder' '${value}' is not a buildx builder name: letters, digits, '.', '_' and '-', starting with a letter or digit (as \`docker buildx ls\` lists them), or empty for the current builder.`);
    }
    return value;
}
function defaultDockerfile(context) {
    if (isRemoteContext(context))
        return '';
    return context === '/' ? '/Dockerfile' : `${context.replace(/\/+$/, '')}/Dockerfile`;
}
/** Git URLs and tarball URLs are resolved by BuildKit, not from the runner's disk. */
function isRemoteContext(context) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@');
}
function parseKeyValueList(name, value) {
    const entries = parseLines(value);
    for (const entry of entries) {
        const separator = entry.indexOf('=');
        if (separator <= 0 || !KEY_VALUE_KEY_PATTERN.test(entry.slice(0, separator))) {
            throw new errors/* UserError */.yo(`Input '${name}' has '${entry}', which is not KEY=VALUE: put one KEY=VALUE per line.`);
        }
    }
    return entries;
}
// BuildKit accepts any id; this keeps ids to names that read the same in a Dockerfile and in the log.
const SECRET_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/**
 * `ID=VALUE` lines. The value is kept exactly as given, spaces included: a secret is not ours to trim.
 * Errors name the line, never its text: the text may be the secret itself.
 */
function parseSecrets(value) {
    const lines = value.split(/\r?\n/).filter((line) => line.trim() !== '');
    const secrets = lines.map((line, index) => {
        const secret = splitSecretLine(line.trimStart());
        if (!secret) {
            throw new errors/* UserError */.yo(`Input 'secrets' line ${index + 1} is not ID=VALUE with an id of letters, digits, '_', '.' and '-' (the line is not shown: it may hold the secret).`);
        }
        return { id: secret.id, value: secret.rest };
    });
    assertUniqueIds('secrets', secrets);
    return secrets;
}
function parseSecretFiles(value) {
    const files = parseLines(value).map((line) => {
        const secret = splitSecretLine(line);
        if (!secret || secret.rest === '') {
            throw new errors/* UserError */.yo(`Input 'secret-files' has '${line}', which is not ID=PATH: put one id=path per line, e.g. npmrc=/home/runner/.npmrc.`);
        }
        return { id: secret.id, path: secret.rest };
    });
    assertUniqueIds('secret-files', files);
    return files;
}
/** `id=rest` with a valid id, or undefined. */
function splitSecretLine(line) {
    const separator = line.indexOf('=');
    const id = line.slice(0, separator);
    return separator > 0 && SECRET_ID_PATTERN.test(id) ? { id, rest: line.slice(separator + 1) } : undefined;
}
function assertUniqueIds(name, entries) {
    const seen = new Set();
    for (const { id } of entries) {
        if (seen.has(id))
            throw new errors/* UserError */.yo(`Input '${name}' names the secret id '${id}' twice: give each secret its own id.`);
        seen.add(id);
    }
}
/** untagged uploads one platform for the merge action to name; nothing else fits that step. */
function assertUntaggedFits(inputs) {
    if (!inputs.untagged)
        return;
    if (!inputs.push)
        throw new errors/* UserError */.yo("Input 'untagged' 'true' uploads the image, and 'push' is 'false': set push: true, or untagged: false for a build-only run.");
    if (inputs.platforms.length > 1) {
        throw new errors/* UserError */.yo(`Input 'untagged' 'true' builds one platform per step, and 'platforms' has ${inputs.platforms.length} (${inputs.platforms.join(', ')}): give one platform per matrix job, or set untagged: false.`);
    }
    if (inputs.floatingTags.length > 0) {
        throw new errors/* UserError */.yo(`Input 'floating-tags' '${inputs.floatingTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give floating-tags to the merge action instead.`);
    }
    // With if-tag-exists: skip they would be added to the SHA tag's image (tag addition): a leg never writes a tag.
    if (inputs.extraTags.length > 0) {
        throw new errors/* UserError */.yo(`Input 'extra-tags' '${inputs.extraTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give extra-tags to the merge action instead.`);
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/adapters/oci-layout.ts






async function openOciLayout(directory) {
    const path = (digest) => (0,external_node_path_.join)(directory, 'blobs', ...digest.split(':'));
    let index;
    try {
        index = parseManifest(await (0,promises_.readFile)((0,external_node_path_.join)(directory, 'index.json')), 'application/vnd.oci.image.index.v1+json');
    }
    catch (error) {
        throw new errors/* UserError */.yo(`buildx wrote no readable OCI layout at ${directory} (${error instanceof Error ? error.message : String(error)}); nothing was pushed.`);
    }
    const top = index.manifests[0];
    if (index.manifests.length !== 1 || !top) {
        throw new errors/* UserError */.yo(`The OCI layout buildx wrote names ${index.manifests.length} images, not one; nothing was pushed.`);
    }
    return {
        top,
        async read(digest) {
            const bytes = await (0,promises_.readFile)(path(digest));
            const actual = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
            if (actual !== digest)
                throw new errors/* UserError */.yo(`The OCI layout's blob ${digest} has the content of ${actual}; nothing was pushed.`);
            return bytes;
        },
        open: (digest) => (0,external_node_fs_.createReadStream)(path(digest))
    };
}

;// CONCATENATED MODULE: ./src/shared/image-labels.ts
/**
 * The labels that tie an image to where it came from, as the action writes them into every image it
 * builds (buildx-args.ts) and reads them back from a config blob (tag addition, `skip`, the merge).
 */
/** The commit, as OCI's annotation spec names it. */
const REVISION_LABEL = 'org.opencontainers.image.revision';
/**
 * The workflow run (GITHUB_RUN_ID, the same for every attempt) that built the image. OCI has no key for
 * it, so it lives under the project's own reverse-DNS prefix. Merge discovery takes only its own run's
 * legs by it; like every label it is written by whoever pushes, so it narrows, and does not authenticate.
 */
const RUN_ID_LABEL = 'io.github.immutable-ecr-build.run-id';
/** A label of an image config blob; undefined when absent (Labels may be null) or not a string. */
function configLabel(configBlob, name) {
    const config = JSON.parse(configBlob.toString('utf8'));
    const value = config.config?.Labels?.[name];
    return typeof value === 'string' ? value : undefined;
}

;// CONCATENATED MODULE: ./src/build-image/buildx-args.ts

/**
 * The `docker buildx build` argv. Every value travels as `--flag=value` in its own argv element, so
 * no value can be read as another flag and nothing passes through a shell.
 */
function buildxArgs(plan) {
    const args = ['buildx', 'build', '--progress=plain'];
    const add = (flag, value) => {
        if (value !== undefined && value !== '')
            args.push(`--${flag}=${value}`);
    };
    add('builder', plan.builder);
    add('file', plan.file);
    add('target', plan.target);
    for (const buildArg of plan.buildArgs)
        add('build-arg', buildArg);
    for (const label of plan.labels)
        add('label', label);
    if (plan.platforms.length)
        add('platform', plan.platforms.join(','));
    add('network', plan.network);
    for (const source of plan.cacheFrom)
        add('cache-from', source);
    for (const destination of plan.cacheTo)
        add('cache-to', destination);
    if (plan.noCache)
        args.push('--no-cache');
    if (plan.pull)
        args.push('--pull');
    for (const secret of plan.envSecrets)
        add('secret', csvFields([`id=${secret.id}`, `env=${secret.envVar}`]));
    for (const secret of plan.secretFiles)
        add('secret', csvFields([`id=${secret.id}`, `src=${secret.path}`]));
    for (const agent of plan.ssh)
        add('ssh', agent);
    for (const context of plan.buildContexts)
        add('build-context', context);
    add('provenance', plan.provenance);
    add('sbom', plan.sbom);
    add('metadata-file', plan.metadataFile);
    switch (plan.output.kind) {
        case 'load':
            for (const reference of plan.output.references)
                add('tag', reference);
            args.push('--load');
            break;
        case 'local':
            for (const reference of plan.output.references)
                add('tag', reference);
            break;
        case 'push-by-digest':
            add('output', csvFields([
                'type=image',
                `name=${plan.output.imageName}`,
                'push-by-digest=true',
                'name-canonical=true',
                'push=true',
                // Not kept in the builder's own image store: nothing there needs it, and storing creates an image record
                // under this name, which two builds of one repository racing through one BuildKit (a matrix on a shared
                // builder) collide on ("image … already exists") before either reaches its tag check.
                'store=false',
                ...(plan.output.ociMediaTypes ? ['oci-mediatypes=true'] : [])
            ]));
            break;
        case 'oci-layout':
            // tar=false: a folder the upload reads blob by blob, not a tarball to unpack first.
            add('output', csvFields(['type=oci', `dest=${plan.output.directory}`, 'tar=false']));
            break;
    }
    args.push(plan.context);
    return args;
}
/** buildx reads --secret as one CSV record: a field holding a comma or a quote must be quoted. */
function csvFields(fields) {
    return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}
/** Labels the user's `labels` input cannot replace: the image's links to its commit and to its workflow run. */
const PROTECTED_LABELS = new Set([REVISION_LABEL, RUN_ID_LABEL]);
/**
 * OCI labels the action always sets, and the run id (outside GitHub Actions, none); the user's labels
 * come after and may add to them.
 */
function imageLabels(options) {
    const own = new Map([
        [REVISION_LABEL, options.sha],
        ...(options.sourceUrl ? [['org.opencontainers.image.source', options.sourceUrl]] : []),
        ['org.opencontainers.image.created', options.created.toISOString()],
        ...(options.runId ? [[RUN_ID_LABEL, options.runId]] : [])
    ]);
    for (const label of options.userLabels) {
        const separator = label.indexOf('=');
        const key = label.slice(0, separator);
        // Letting the revision or run label be overridden would break the link tag addition, skip and the merge check.
        if (!PROTECTED_LABELS.has(key))
            own.set(key, label.slice(separator + 1));
    }
    return [...own].map(([key, value]) => `${key}=${value}`);
}
/** BuildKit registry cache in the layout ECR accepts (an image manifest, OCI media types). */
function registryCacheArgs(cache) {
    return {
        cacheFrom: `type=registry,ref=${cache.reference}`,
        cacheTo: `type=registry,ref=${cache.reference},mode=max,image-manifest=true,oci-mediatypes=true`
    };
}

;// CONCATENATED MODULE: ./src/build-image/build-cache.ts



const CACHE_TAG = 'buildcache';
function companionCacheRepository(repository) {
    return `${repository}-${CACHE_TAG}`;
}
/** Where `cache: ecr` keeps the cache without weakening the image tags. */
function chooseCacheLocation(repository) {
    return (0,tag_policy/* isTagImmutable */.j1)(repository, CACHE_TAG)
        ? { kind: 'companion-repository', repository: companionCacheRepository(repository.name) }
        : { kind: 'same-repository', repository: repository.name };
}
function describeCacheLocation(location, tag = CACHE_TAG) {
    return location.kind === 'same-repository'
        ? `build cache: ${location.repository}:${tag} (a tag this repository lets be rewritten)`
        : `build cache: companion repository ${location.repository}:${tag} (the image repository keeps every tag immutable)`;
}
function companionNotRewritable(repository) {
    return new errors/* UserError */.yo(`The cache repository ${repository} keeps the tag ${CACHE_TAG} immutable, so the cache could be written only once: make ${repository} MUTABLE (it holds only cache), or set cache: none.`);
}
/**
 * Asked before create-repository makes the image repository, whose IMMUTABLE tags send the cache to the
 * companion: a companion that keeps `buildcache` immutable is refused first, so the refusal leaves nothing behind.
 */
async function refuseImmutableCompanion(ecr, repository) {
    const companion = await ecr.describeRepository(companionCacheRepository(repository));
    if (!('absent' in companion) && (0,tag_policy/* isTagImmutable */.j1)(companion, CACHE_TAG))
        throw companionNotRewritable(companion.name);
}
/**
 * Where `cache: ecr` reads and writes, created when allowed: the image repository's own `buildcache`
 * tag when that tag is rewritable there, else a MUTABLE companion repository. With push: false only
 * read (see importOnlyCache). `repository` is undefined only when push: false found none.
 */
async function prepareRegistryCache(ctx, repository, registryHost) {
    if (!ctx.inputs.push || !repository)
        return importOnlyCache(ctx, repository, registryHost);
    const location = chooseCacheLocation(repository);
    if (location.kind === 'companion-repository') {
        const companion = await ctx.ecr.describeRepository(location.repository);
        if ('absent' in companion) {
            if (!ctx.inputs.createRepository) {
                throw new errors/* UserError */.yo(`cache: ecr keeps the cache in ${location.repository}, which does not exist: create it with MUTABLE tags, add an IMMUTABLE_WITH_EXCLUSION filter for '${CACHE_TAG}' on ${repository.name}, or set create-repository: true.`);
            }
            ctx.runner.info(`Creating cache repository ${location.repository} with MUTABLE tags (it holds only build cache).`);
            await ctx.ecr.createRepository(location.repository, 'MUTABLE');
        }
        else if ((0,tag_policy/* isTagImmutable */.j1)(companion, CACHE_TAG)) {
            throw companionNotRewritable(location.repository);
        }
    }
    ctx.runner.info(describeCacheLocation(location));
    return registryCacheArgs({ reference: `${registryHost}/${location.repository}:${CACHE_TAG}` });
}
/**
 * push: false writes nothing to AWS: the cache is read where a push would keep it, if it is there, and
 * neither exported nor given a repository. A first build simply has nothing to import.
 */
async function importOnlyCache(ctx, repository, registryHost) {
    const nothing = (where) => {
        ctx.runner.info(`cache: ecr: ${where} does not exist, so there is no build cache to import; push: false exports none and creates nothing.`);
        return undefined;
    };
    if (!repository)
        return nothing(ctx.inputs.repository);
    const location = chooseCacheLocation(repository);
    if (location.kind === 'companion-repository' && 'absent' in (await ctx.ecr.describeRepository(location.repository)))
        return nothing(location.repository);
    ctx.runner.info(`${describeCacheLocation(location)}: imported only; push: false exports no cache and writes nothing to AWS.`);
    return { cacheFrom: registryCacheArgs({ reference: `${registryHost}/${location.repository}:${CACHE_TAG}` }).cacheFrom, cacheTo: undefined };
}

;// CONCATENATED MODULE: ./src/build-image/docker-output.ts

/** Readers of what docker and buildx print: pure, so each format is a row in a unit test. */
/** The buildx driver of a builder, from `docker buildx inspect` ("Driver: docker-container"). */
function parseBuilderDriver(inspectOutput) {
    return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1];
}
/** The manifest digest `docker push` reports ("<tag>: digest: sha256:… size: N"). */
function parsePushedDigest(pushOutput) {
    return /digest: (sha256:[0-9a-f]{64})/.exec(pushOutput)?.[1];
}
/**
 * The engine's image store from `docker info --format '{{json .DriverStatus}}'`: the containerd store
 * reports the snapshotter as its driver type ([["driver-type","io.containerd.snapshotter.v1"]]).
 */
function parseImageStore(driverStatusJson) {
    try {
        const status = JSON.parse(driverStatusJson);
        if (Array.isArray(status) &&
            status.some((pair) => Array.isArray(pair) && pair[0] === 'driver-type' && String(pair[1]).startsWith('io.containerd.snapshotter'))) {
            return 'containerd';
        }
    }
    catch {
        // not JSON: an older engine, which has only the classic store
    }
    return 'classic';
}
/** The line of a failed command's output that says why: the last one mentioning an error, else the last. */
function lastErrorLine(output) {
    const lines = output
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    const error = [...lines].reverse().find((line) => /^(?:ERROR|error)\b/.test(line) || /\berror\b/i.test(line));
    return (0,errors/* oneLine */.TN)(error ?? lines[lines.length - 1] ?? 'no output');
}

// EXTERNAL MODULE: ./src/publish/image-proof.ts
var image_proof = __webpack_require__(4489);
;// CONCATENATED MODULE: ./src/build-image/build.ts






/** Runs `docker buildx build` once, with the private docker config's environment. */
async function runBuild(ctx, env, output, cache, 
/** A builder of the action's own instead of the `builder` input (the engine route). */
builder = undefined) {
    const { inputs } = ctx;
    const metadataFile = (0,external_node_path_.join)(ctx.workDir, 'metadata.json');
    // Secret values reach BuildKit through the build process's environment only: nothing on disk to clean up.
    const secrets = inputs.secrets.map((secret, index) => ({ ...secret, envVar: `IMMUTABLE_ECR_BUILD_SECRET_${index}` }));
    const buildEnv = { ...env, ...Object.fromEntries(secrets.map(({ envVar, value }) => [envVar, value])) };
    const args = buildxArgs({
        builder: builder ?? inputs.builder,
        context: inputs.context,
        file: inputs.file,
        target: inputs.target,
        buildArgs: inputs.buildArgs,
        labels: imageLabels({ sha: ctx.sha, sourceUrl: ctx.sourceUrl, created: ctx.now(), runId: ctx.runId, userLabels: inputs.labels }),
        platforms: inputs.platforms,
        network: inputs.network,
        cacheFrom: cache ? [...inputs.cacheFrom, cache.cacheFrom] : inputs.cacheFrom,
        cacheTo: cache?.cacheTo ? [...inputs.cacheTo, cache.cacheTo] : inputs.cacheTo,
        noCache: inputs.noCache,
        pull: inputs.pull,
        envSecrets: secrets.map(({ id, envVar }) => ({ id, envVar })),
        secretFiles: inputs.secretFiles,
        ssh: inputs.ssh,
        buildContexts: inputs.buildContexts,
        provenance: inputs.provenance,
        sbom: inputs.sbom,
        metadataFile,
        output
    });
    const started = Date.now();
    const result = await ctx.runner.group('docker buildx build', () => ctx.docker.run(args, { env: buildEnv }));
    const seconds = (Date.now() - started) / 1000;
    if (result.exitCode !== 0) {
        throw new errors/* UserError */.yo(`docker buildx build failed (exit ${result.exitCode}): ${lastErrorLine(result.stderr || result.stdout)}`);
    }
    const metadataJson = await (0,promises_.readFile)(metadataFile, 'utf8').catch(() => '{}');
    return { metadata: (0,image_proof/* readBuildMetadata */.q3)(JSON.parse(metadataJson)), metadataJson, seconds };
}
/**
 * buildx's metadata with `containerimage.digest` (and its descriptor) set to what ECR serves, so that
 * `fromJSON(outputs.metadata)['containerimage.digest']`, as build-push-action users read it, equals
 * `digest` on every path: the docker driver reports the local image id there, not the pushed manifest.
 */
function metadataForOutput(metadataJson, served) {
    let metadata;
    try {
        metadata = JSON.parse(metadataJson);
    }
    catch {
        return metadataJson;
    }
    const descriptor = metadata['containerimage.descriptor'];
    return JSON.stringify({
        ...metadata,
        'containerimage.digest': served.digest,
        ...(descriptor && typeof descriptor === 'object'
            ? { 'containerimage.descriptor': { ...descriptor, mediaType: served.mediaType, digest: served.digest, size: served.size } }
            : {})
    });
}

;// CONCATENATED MODULE: ./src/build-image/builder-capabilities.ts

function chooseUploadPath(push, builder) {
    if (!push)
        return 'local';
    if (builder.driver !== 'docker')
        return 'digest';
    if (builder.imageStore !== 'containerd')
        return 'daemon';
    return builder.engineRoute ? 'engine' : 'layout';
}
/** The log line that says which path ran, and for the layout fallback why the faster route was not taken. */
function uploadPathNote(path, routeUnavailable) {
    switch (path) {
        case 'digest':
            return 'Upload path: the BuildKit builder pushes by digest; no tag until the action writes it.';
        case 'engine':
            return "Upload path: the engine's own BuildKit pushes by digest (docker driver, containerd image store, reached through the engine API's POST /grpc); no tag until the action writes it.";
        case 'layout':
            return `Upload path: buildx exports an OCI layout and the action uploads it by digest (the engine's BuildKit is not reachable as a builder: ${routeUnavailable ?? 'not tried'}).`;
        case 'daemon':
            return 'Upload path: the engine pushes under a one-off staging tag (docker driver, classic image store); the action then writes the tags by digest.';
        case 'local':
            return 'Upload path: none (push: false).';
    }
}
/** The docker driver on the classic store builds one platform and exports no cache: say so before building. */
function assertBuilderCan(builder, wants) {
    if (!isClassicDockerDriver(builder))
        return;
    if (wants.platforms > 1) {
        throw new errors/* UserError */.yo(`Input 'platforms' lists ${wants.platforms} platforms, but the active buildx builder uses the docker driver on the classic image store, which builds one: add docker/setup-buildx-action (and docker/setup-qemu-action) before this step, turn on the containerd image store, or list one platform.`);
    }
    if (wants.registryCache) {
        throw new errors/* UserError */.yo("Input 'cache' 'ecr' needs a builder that can export a registry cache, but the active buildx builder uses the docker driver on the classic image store: add docker/setup-buildx-action before this step (it creates a docker-container builder), turn on the containerd image store, or set cache: none.");
    }
}
function isClassicDockerDriver(builder) {
    return builder.driver === 'docker' && builder.imageStore !== 'containerd';
}

;// CONCATENATED MODULE: ./src/adapters/docker-config.ts




/**
 * The private config: the user's settings and other registries' logins (private base images keep
 * working), plus the ECR login. credsStore is dropped because a credential store would carry the
 * ECR password out of the job's temporary folder and keep it after the job.
 */
function privateDockerConfig(userConfig, credentials) {
    const { credsStore: _store, credHelpers, auths, ...rest } = userConfig;
    const helpers = { ...(credHelpers ?? {}) };
    delete helpers[credentials.registryHost];
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    return {
        ...rest,
        ...(Object.keys(helpers).length ? { credHelpers: helpers } : {}),
        auths: { ...(auths ?? {}), [credentials.registryHost]: { auth } }
    };
}
function userDockerConfigDir(env) {
    return env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker');
}
/** buildx's own config folder (its builders, its build node id): BUILDX_CONFIG, or `buildx` in the docker config folder. */
function userBuildxConfigDir(env) {
    return env.BUILDX_CONFIG || (0,external_node_path_.join)(userDockerConfigDir(env), 'buildx');
}
/**
 * Writes the private DOCKER_CONFIG under the action's work folder and returns the environment every
 * docker call must use. The user's own config is read, never written.
 *
 * docker login is not used on purpose: when docker-credential-pass or -secretservice is on PATH it
 * hands the password to that store, where it would outlive the job on a shared self-hosted runner.
 */
function writePrivateDockerConfig(options) {
    const userDir = userDockerConfigDir(options.env);
    const userConfig = readUserConfig((0,external_node_path_.join)(userDir, 'config.json'));
    (0,external_node_fs_.mkdirSync)(options.directory, { recursive: true, mode: 0o700 });
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(options.directory, 'config.json'), JSON.stringify(privateDockerConfig(userConfig, options.credentials), null, 2), { mode: 0o600 });
    // Plugins installed per user (docker/setup-buildx-action puts buildx there) and named contexts must still resolve.
    for (const shared of ['cli-plugins', 'contexts']) {
        const source = (0,external_node_path_.join)(userDir, shared);
        const target = (0,external_node_path_.join)(options.directory, shared);
        if ((0,external_node_fs_.existsSync)(source) && !(0,external_node_fs_.existsSync)(target))
            (0,external_node_fs_.symlinkSync)(source, target);
    }
    return {
        env: {
            ...options.env,
            DOCKER_CONFIG: options.directory,
            // Builders are stored under the config folder; keep resolving the user's, e.g. from setup-buildx-action.
            BUILDX_CONFIG: userBuildxConfigDir(options.env)
        },
        droppedCredsStore: userConfig.credsStore
    };
}
function readUserConfig(path) {
    try {
        const parsed = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
        return parsed !== null && typeof parsed === 'object' ? parsed : {};
    }
    catch {
        return {};
    }
}
/** What resolveEngineEndpoint needs from the user's docker config folder: config.json and the contexts' endpoints. */
function readDockerContextFiles(env) {
    const userDir = userDockerConfigDir(env);
    return {
        dockerConfig: readOptional((0,external_node_path_.join)(userDir, 'config.json')),
        contextHost: (name) => {
            // The CLI keeps each context under the SHA-256 of its name.
            const meta = readOptional((0,external_node_path_.join)(userDir, 'contexts', 'meta', (0,external_node_crypto_.createHash)('sha256').update(name).digest('hex'), 'meta.json'));
            try {
                const host = JSON.parse(meta ?? 'null')?.Endpoints?.docker?.Host;
                return typeof host === 'string' && host !== '' ? host : undefined;
            }
            catch {
                return undefined;
            }
        }
    };
}
function readOptional(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/adapters/buildx-config.ts



const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';
/**
 * The driver of the builder buildx will use, read from buildx's config folder, or undefined when the
 * files leave any doubt (a docker context, an unknown builder, a per-endpoint default): then the caller
 * asks `docker buildx inspect`. Reading two small files is much cheaper than starting docker and the
 * buildx plugin (about 100 ms), which every run would otherwise pay (docs/performance.md).
 *
 * buildx keeps `current` per engine endpoint (its Key: DOCKER_HOST, or the default socket): it applies
 * when its Key is this endpoint or it is Global; otherwise buildx takes the endpoint's `use --default`
 * choice from `defaults/`, and failing that the engine's own builder, whose driver is docker.
 */
function driverFromBuildxConfig(builder, env, files) {
    const engineFromEnvironment = !env.DOCKER_CONTEXT && !nonDefaultContext(files.dockerConfig);
    // buildx's own precedence: the --builder flag (the input), then BUILDX_BUILDER.
    const name = builder || env.BUILDX_BUILDER;
    if (name) {
        const driver = instanceDriver(files.instance(name));
        if (driver)
            return driver;
        return name === 'default' && engineFromEnvironment ? 'docker' : undefined;
    }
    if (!engineFromEnvironment)
        return undefined;
    const current = files.current === undefined ? undefined : parseObject(files.current);
    if (files.current !== undefined && current === undefined)
        return undefined;
    if (current && (current.Key === (env.DOCKER_HOST || DEFAULT_ENDPOINT) || current.Global === true)) {
        if (current.Name === '' || current.Name === undefined)
            return 'docker';
        return typeof current.Name === 'string' ? instanceDriver(files.instance(current.Name)) : undefined;
    }
    return files.hasDefaults ? undefined : 'docker';
}
function readBuildxConfigFiles(env) {
    const userDir = userDockerConfigDir(env);
    const buildxDir = env.BUILDX_CONFIG || (0,external_node_path_.join)(userDir, 'buildx');
    return {
        current: buildx_config_readOptional((0,external_node_path_.join)(buildxDir, 'current')),
        instance: (name) => (/^[A-Za-z0-9_.-]+$/.test(name) ? buildx_config_readOptional((0,external_node_path_.join)(buildxDir, 'instances', name)) : undefined),
        dockerConfig: buildx_config_readOptional((0,external_node_path_.join)(userDir, 'config.json')),
        hasDefaults: hasFiles((0,external_node_path_.join)(buildxDir, 'defaults'))
    };
}
function instanceDriver(text) {
    const driver = text === undefined ? undefined : parseObject(text)?.Driver;
    return typeof driver === 'string' && driver !== '' ? driver : undefined;
}
function nonDefaultContext(dockerConfig) {
    const context = dockerConfig === undefined ? undefined : parseObject(dockerConfig)?.currentContext;
    return typeof context === 'string' && context !== '' && context !== 'default';
}
function parseObject(text) {
    try {
        const value = JSON.parse(text);
        return value !== null && typeof value === 'object' ? value : undefined;
    }
    catch {
        return undefined;
    }
}
function hasFiles(folder) {
    try {
        return (0,external_node_fs_.readdirSync)(folder).length > 0;
    }
    catch {
        return false;
    }
}
function buildx_config_readOptional(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/**
 * A private buildx config folder for a builder of the action's own, with the user's build node id in it:
 * buildx derives the key under which BuildKit keeps a build context between builds from that id and the
 * context's path, so with a fresh id every run would send the whole context again (64 MiB of unchanged
 * files cost about 2 s here). The user's folder is only read.
 */
function createPrivateBuildxConfig(userBuildxDir, directory) {
    (0,external_node_fs_.mkdirSync)(directory, { recursive: true, mode: 0o700 });
    const nodeId = userBuildxDir === undefined ? undefined : buildx_config_readOptional((0,external_node_path_.join)(userBuildxDir, '.buildNodeID'));
    if (nodeId !== undefined)
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(directory, '.buildNodeID'), nodeId, { mode: 0o600 });
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/adapters/engine-grpc-proxy.ts



/** How long the engine has to answer the upgrade before the connection counts as refused. */
const UPGRADE_TIMEOUT_MS = 10_000;
/**
 * Opens one upgraded connection to the engine's BuildKit. Resolves with the socket (and any bytes the
 * engine sent after the 101), rejects with a reason a person can read when the engine answers anything else.
 */
function upgradeToGrpc(engineSocket, timeoutMs = UPGRADE_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
        const req = (0,external_node_http_.request)({
            socketPath: engineSocket,
            method: 'POST',
            path: '/grpc',
            // The engine matches the h2c upgrade on these two headers, as the docker CLI's DialHijack sends them.
            headers: { Connection: 'Upgrade', Upgrade: 'h2c', Host: 'docker' }
        });
        const timer = setTimeout(() => req.destroy(new Error(`no answer to POST /grpc within ${timeoutMs} ms`)), timeoutMs);
        req.on('upgrade', (response, socket, head) => {
            clearTimeout(timer);
            if (response.statusCode !== 101) {
                socket.destroy();
                reject(new Error(`the engine answered POST /grpc with HTTP ${response.statusCode}`));
                return;
            }
            resolve({ socket, head });
        });
        req.on('response', (response) => {
            clearTimeout(timer);
            response.resume();
            reject(new Error(`the engine answered POST /grpc with HTTP ${response.statusCode ?? '?'} instead of 101 Switching Protocols`));
        });
        req.on('error', (error) => {
            clearTimeout(timer);
            reject(new Error(`POST /grpc on ${engineSocket} failed: ${(0,errors/* errorMessage */.gJ)(error)}`));
        });
        req.end();
    });
}
/** Listens on `socketPath` and pipes every connection to the engine's BuildKit. */
async function startEngineGrpcProxy(engineSocket, socketPath) {
    const open = new Set();
    const track = (socket) => {
        open.add(socket);
        socket.on('close', () => open.delete(socket));
    };
    const server = (0,external_node_net_.createServer)((client) => {
        track(client);
        client.pause();
        upgradeToGrpc(engineSocket).then(({ socket: engine, head }) => {
            // The client left (or close() ran) while the engine was answering: nothing to pipe to.
            if (client.destroyed) {
                engine.destroy();
                return;
            }
            track(engine);
            if (head.length)
                client.write(head);
            // Either side ending ends the other: buildx sees a closed stream, never a half-open one.
            engine.on('error', () => client.destroy());
            client.on('error', () => engine.destroy());
            engine.on('close', () => client.destroy());
            client.on('close', () => engine.destroy());
            client.pipe(engine);
            engine.pipe(client);
            client.resume();
        }, () => client.destroy());
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
            server.off('error', reject);
            resolve();
        });
    });
    return {
        socketPath,
        close: () => new Promise((resolve) => {
            for (const socket of open)
                socket.destroy();
            server.close(() => resolve());
        })
    };
}
/** Whether the engine grants the upgrade at all (some socket proxies and engines refuse `/grpc`); throws why not. */
async function probeEngineGrpc(engineSocket) {
    const { socket } = await upgradeToGrpc(engineSocket);
    socket.destroy();
}
/** How long `GET /info` may take before the caller asks `docker info` instead. */
const INFO_TIMEOUT_MS = 5_000;
/**
 * The engine's `DriverStatus` as JSON, what `docker info --format '{{json .DriverStatus}}'` prints, read from
 * the engine's socket with one `GET /info`: no docker CLI to start (about 70–100 ms on a 2-core runner, on the
 * critical path of every docker-driver run). Rejects on anything but a 200 with a JSON body; the caller then
 * asks the CLI, whose errors are the ones people know.
 */
function readEngineDriverStatus(engineSocket, timeoutMs = INFO_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
        const req = (0,external_node_http_.request)({ socketPath: engineSocket, method: 'GET', path: '/info', headers: { Host: 'docker' } }, (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
                clearTimeout(timer);
                if (response.statusCode !== 200) {
                    reject(new Error(`the engine answered GET /info with HTTP ${response.statusCode ?? '?'}`));
                    return;
                }
                try {
                    const info = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                    resolve(JSON.stringify(info?.DriverStatus ?? null));
                }
                catch (error) {
                    reject(new Error(`the engine's GET /info answer is not JSON: ${(0,errors/* errorMessage */.gJ)(error)}`));
                }
            });
        });
        const timer = setTimeout(() => req.destroy(new Error(`no answer to GET /info within ${timeoutMs} ms`)), timeoutMs);
        req.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
        });
        req.end();
    });
}

;// CONCATENATED MODULE: ./src/build-image/engine-endpoint.ts
/**
 * Which Docker engine the `docker` driver builds on, resolved the way the docker CLI resolves it, so that
 * the action can reach that engine's own BuildKit itself (docs/performance.md). Pure: the caller reads
 * the files.
 */
const engine_endpoint_DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';
/**
 * The endpoint in the docker CLI's order: a docker-driver builder named after a context uses that context;
 * then DOCKER_HOST, DOCKER_CONTEXT, config.json's currentContext, the default socket. Undefined when a
 * named context cannot be read (the caller then keeps the path that needs no endpoint).
 */
function resolveEngineEndpoint(builder, env, files) {
    const name = builder || env.BUILDX_BUILDER;
    if (name && name !== 'default')
        return fromContext(name, files);
    if (env.DOCKER_HOST)
        return classify(env.DOCKER_HOST);
    const context = env.DOCKER_CONTEXT || currentContext(files.dockerConfig);
    if (context && context !== 'default')
        return fromContext(context, files);
    return classify(engine_endpoint_DEFAULT_ENDPOINT);
}
function fromContext(name, files) {
    const host = files.contextHost(name);
    return host ? classify(host) : undefined;
}
function classify(endpoint) {
    const socketPath = endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : '';
    return socketPath.startsWith('/') ? { kind: 'unix', socketPath } : { kind: 'other', endpoint };
}
function currentContext(dockerConfig) {
    if (dockerConfig === undefined)
        return undefined;
    try {
        const parsed = JSON.parse(dockerConfig);
        return typeof parsed?.currentContext === 'string' ? parsed.currentContext : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/build-image/engine-route.ts









/** `off` keeps the OCI-layout upload (for comparison, or for an engine that misbehaves behind the route). */
const ENGINE_ROUTE_SWITCH = 'IMMUTABLE_ECR_BUILD_ENGINE_ROUTE';
/** sockaddr_un holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;
/**
 * Opens the route, or says in one clause why it is not there (the caller then uploads an OCI layout). It needs
 * nothing from ECR (the builder is defined with the user's own environment; the build brings the private
 * DOCKER_CONFIG with the ECR login), so the caller starts it beside the ECR look-ups, off the critical path.
 */
async function openEngineRoute(ctx) {
    if (ctx.env[ENGINE_ROUTE_SWITCH] === 'off')
        return { unavailable: `${ENGINE_ROUTE_SWITCH} is off` };
    const endpoint = resolveEngineEndpoint(ctx.inputs.builder, ctx.env, readDockerContextFiles(ctx.env));
    if (!endpoint)
        return { unavailable: "the builder's docker context could not be read" };
    if (endpoint.kind !== 'unix')
        return { unavailable: `the engine endpoint ${endpoint.endpoint} is not a unix socket` };
    const directory = (0,external_node_path_.join)(ctx.workDir, 'buildkit');
    const socketPath = (0,external_node_path_.join)(directory, 'engine.sock');
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
        return {
            unavailable: `the socket path ${socketPath} is longer than a unix socket allows (${MAX_SOCKET_PATH_BYTES} bytes); a shorter RUNNER_TEMP enables it`
        };
    }
    try {
        await probeEngineGrpc(endpoint.socketPath);
    }
    catch (error) {
        return { unavailable: (0,errors/* errorMessage */.gJ)(error) };
    }
    // Only this user may enter the folder, so only this user can reach the engine through the proxy.
    (0,external_node_fs_.mkdirSync)(directory, { recursive: true, mode: 0o700 });
    let proxy;
    try {
        proxy = await startEngineGrpcProxy(endpoint.socketPath, socketPath);
    }
    catch (error) {
        return { unavailable: `the proxy could not listen on ${socketPath}: ${(0,errors/* errorMessage */.gJ)(error)}` };
    }
    const builder = `immutable-ecr-build-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    const buildxConfig = (0,external_node_path_.join)(ctx.workDir, 'buildx');
    let created;
    try {
        createPrivateBuildxConfig(userBuildxConfigDir(ctx.env), buildxConfig);
        created = await ctx.docker.run(['buildx', 'create', '--name', builder, '--driver', 'remote', `unix://${socketPath}`], {
            quiet: true,
            env: { ...ctx.env, BUILDX_CONFIG: buildxConfig }
        });
    }
    catch (error) {
        await proxy.close();
        throw error;
    }
    if (created.exitCode !== 0) {
        await proxy.close();
        return { unavailable: `docker buildx create --driver remote failed: ${lastErrorLine(created.stderr || created.stdout)}` };
    }
    let closing;
    return { route: { builder, buildxConfig, close: () => (closing ??= proxy.close()) } };
}

;// CONCATENATED MODULE: ./src/shared/deferred.ts

/** The value of a settled promise, or its failure thrown. */
function unwrap(result) {
    if (result.status === 'rejected')
        throw result.reason;
    return result.value;
}
/**
 * Starts work now and surfaces its failure only when (and if) its value is needed, so a look-up that
 * a refusal makes pointless cannot fail the run, and no rejection goes unhandled meanwhile.
 */
function deferred(promise) {
    const settled = promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
    return {
        value: async () => {
            const outcome = await settled;
            if (!outcome.ok)
                throw outcome.error instanceof Error ? outcome.error : new Error((0,errors/* errorMessage */.gJ)(outcome.error));
            return outcome.value;
        }
    };
}

;// CONCATENATED MODULE: ./node_modules/yocto-queue/index.js
/*
How it works:
`this.#head` is an instance of `Node` which keeps track of its current value and nests another instance of `Node` that keeps the value that comes after it. When a value is provided to `.enqueue()`, the code needs to iterate through `this.#head`, going deeper and deeper to find the last value. However, iterating through every single item is slow. This problem is solved by saving a reference to the last value as `this.#tail` so that it can reference it to add a new value.
*/

class Node {
	value;
	next;

	constructor(value) {
		this.value = value;
	}
}

class Queue {
	#head;
	#tail;
	#size;

	constructor() {
		this.clear();
	}

	enqueue(value) {
		const node = new Node(value);

		if (this.#head) {
			this.#tail.next = node;
			this.#tail = node;
		} else {
			this.#head = node;
			this.#tail = node;
		}

		this.#size++;
	}

	dequeue() {
		const current = this.#head;
		if (!current) {
			return;
		}

		this.#head = this.#head.next;
		this.#size--;

		// Clean up tail reference when queue becomes empty
		if (!this.#head) {
			this.#tail = undefined;
		}

		return current.value;
	}

	peek() {
		if (!this.#head) {
			return;
		}

		return this.#head.value;

		// TODO: Node.js 18.
		// return this.#head?.value;
	}

	clear() {
		this.#head = undefined;
		this.#tail = undefined;
		this.#size = 0;
	}

	get size() {
		return this.#size;
	}

	* [Symbol.iterator]() {
		let current = this.#head;

		while (current) {
			yield current.value;
			current = current.next;
		}
	}

	* drain() {
		while (this.#head) {
			yield this.dequeue();
		}
	}
}

;// CONCATENATED MODULE: ./node_modules/p-limit/index.js


function pLimit(concurrency) {
	let rejectOnClear = false;

	if (typeof concurrency === 'object') {
		({concurrency, rejectOnClear = false} = concurrency);
	}

	validateConcurrency(concurrency);

	if (typeof rejectOnClear !== 'boolean') {
		throw new TypeError('Expected `rejectOnClear` to be a boolean');
	}

	const queue = new Queue();
	let activeCount = 0;

	const resumeNext = () => {
		// Process the next queued function if we're under the concurrency limit
		if (activeCount < concurrency && queue.size > 0) {
			activeCount++;
			queue.dequeue().run();
		}
	};

	const next = () => {
		activeCount--;
		resumeNext();
	};

	const run = async (function_, resolve, arguments_) => {
		// Execute the function and capture the result promise
		const result = (async () => function_(...arguments_))();

		// Resolve immediately with the promise (don't wait for completion)
		resolve(result);

		// Wait for the function to complete (success or failure)
		// We catch errors here to prevent unhandled rejections,
		// but the original promise rejection is preserved for the caller
		try {
			await result;
		} catch {}

		// Decrement active count and process next queued function
		next();
	};

	const enqueue = (function_, resolve, reject, arguments_) => {
		const queueItem = {reject};

		// Queue the internal resolve function instead of the run function
		// to preserve the asynchronous execution context.
		new Promise(internalResolve => { // eslint-disable-line promise/param-names
			queueItem.run = internalResolve;
			queue.enqueue(queueItem);
		}).then(run.bind(undefined, function_, resolve, arguments_)); // eslint-disable-line promise/prefer-await-to-then

		// Start processing immediately if we haven't reached the concurrency limit
		if (activeCount < concurrency) {
			resumeNext();
		}
	};

	const generator = (function_, ...arguments_) => new Promise((resolve, reject) => {
		enqueue(function_, resolve, reject, arguments_);
	});

	Object.defineProperties(generator, {
		activeCount: {
			get: () => activeCount,
		},
		pendingCount: {
			get: () => queue.size,
		},
		clearQueue: {
			value() {
				if (!rejectOnClear) {
					queue.clear();
					return;
				}

				const abortError = AbortSignal.abort().reason;

				while (queue.size > 0) {
					queue.dequeue().reject(abortError);
				}
			},
		},
		concurrency: {
			get: () => concurrency,

			set(newConcurrency) {
				validateConcurrency(newConcurrency);
				concurrency = newConcurrency;

				queueMicrotask(() => {
					// eslint-disable-next-line no-unmodified-loop-condition
					while (activeCount < concurrency && queue.size > 0) {
						resumeNext();
					}
				});
			},
		},
		map: {
			async value(iterable, function_) {
				const promises = [];

				try {
					Array.from(iterable, (value, index) => {
						const promise = generator(function_, value, index);
						promises.push(promise);
						return promise;
					});
				} catch (error) {
					// The iterable threw, so `Promise.all` never observes the already scheduled promises. Observe them here to avoid unhandled rejections.
					for (const promise of promises) {
						promise.catch(() => {}); // eslint-disable-line promise/prefer-await-to-then
					}

					throw error;
				}

				return Promise.all(promises);
			},
		},
	});

	return generator;
}

function limitFunction(function_, options) {
	const limit = pLimit(options);

	const limitedFunction = (...arguments_) => limit(() => function_(...arguments_));
	Object.defineProperty(limitedFunction, 'clearQueue', {
		value: limit.clearQueue,
	});

	return limitedFunction;
}

function validateConcurrency(concurrency) {
	if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
		throw new TypeError('Expected `concurrency` to be a number from 1 and up');
	}
}

;// CONCATENATED MODULE: ./src/publish/image-transfer.ts


/** Parallel blob uploads: the gain flattens past a few streams, and ECR throttles per repository. */
const BLOB_CONCURRENCY = 4;
/**
 * Puts the whole image into the repository untagged: blobs the repository lacks, then every child
 * manifest by digest, then the top manifest by digest. Nothing is named; a failure part-way leaves
 * only unreferenced blobs and untagged manifests, which ECR's lifecycle rules clear and a re-run reuses.
 */
async function transferImage(registry, repository, source) {
    const manifestBytes = new Map();
    const plan = await planTransfer(source.top, async (descriptor) => {
        const bytes = await source.read(descriptor.digest);
        manifestBytes.set(descriptor.digest, bytes);
        return bytes;
    });
    let blobsSent = 0;
    let bytesSent = 0;
    let blobsReused = 0;
    const limit = pLimit(BLOB_CONCURRENCY);
    // The first blob that fails (after its own retries) ends the copy: no further blob is started, since
    // the image cannot be completed and every byte more is wasted (those running finish or fail on their own).
    let failed = false;
    await Promise.all(plan.blobs.map((blob) => limit(async () => {
        if (failed)
            return;
        try {
            await sendBlob(blob);
        }
        catch (error) {
            failed = true;
            limit.clearQueue();
            throw error;
        }
    })));
    async function sendBlob(blob) {
        if (await registry.hasBlob(repository, blob.digest)) {
            blobsReused++;
            return;
        }
        if (source.mountFrom && (await registry.mountBlob(repository, blob.digest, source.mountFrom))) {
            blobsReused++;
            return;
        }
        await registry.uploadBlob(repository, { digest: blob.digest, size: blob.size, open: () => source.open(blob.digest) });
        blobsSent++;
        bytesSent += blob.size;
    }
    for (const manifest of plan.manifests) {
        await registry.putManifest(repository, {
            digest: manifest.digest,
            mediaType: manifest.mediaType,
            bytes: manifestBytes.get(manifest.digest)
        });
    }
    return { blobsSent, bytesSent, blobsReused, manifests: plan.manifests.length };
}

;// CONCATENATED MODULE: ./src/publish/tag-addition.ts

/**
 * Release tags on the image already built: the SHA tag exists (the push to main built it) and the tag
 * push asks for more tags on the same commit. Rebuilding would make a new digest for the same source,
 * so the missing tags are written onto the stored image instead, after checking it is this commit's.
 */

/**
 * Only under if-tag-exists: skip, only when the SHA tag exists, every present tag names its digest and
 * at least one requested tag is absent. With fail an existing SHA tag still refuses the run: a team
 * that chose fail asked never to touch an existing commit's image. Any other mix is left to
 * decideOnExistingTags, which refuses it.
 */
function planTagAddition(tags, shaTag, existing, ifTagExists) {
    if (ifTagExists !== 'skip')
        return { kind: 'none' };
    const digest = existing.get(shaTag);
    if (digest === undefined)
        return { kind: 'none' };
    const present = tags.filter((tag) => existing.get(tag) !== undefined);
    if (present.some((tag) => existing.get(tag) !== digest))
        return { kind: 'none' };
    const missing = tags.filter((tag) => existing.get(tag) === undefined);
    return missing.length === 0 ? { kind: 'none' } : { kind: 'add', digest, missing };
}
/**
 * The stored image is this commit's build when every platform's config carries the revision label the
 * action sets (buildx-args.ts) and it equals the commit. One platform built from another commit (a
 * hand-pushed index) is enough to refuse.
 */
function checkRevision(imageDigest, configs, sha) {
    if (configs.length === 0)
        return { ok: false, reason: `${imageDigest} has no runnable image whose config could be read` };
    for (const config of configs) {
        const where = config.manifestDigest === imageDigest ? imageDigest : `${imageDigest} (platform ${config.manifestDigest})`;
        if (config.revision === undefined)
            return { ok: false, reason: `${where} has no ${REVISION_LABEL} label, so it cannot be shown to be commit ${sha}'s build` };
        if (config.revision !== sha)
            return { ok: false, reason: `${where} was built from ${config.revision} (label ${REVISION_LABEL}), not ${sha}` };
    }
    return { ok: true };
}
/** The refusal of an if-tag-exists: skip reuse whose tags name an image that is not shown to be this commit's. */
function reuseRefusal(repository, tags, shaTag, reason) {
    return `Cannot reuse ${tags.join(', ')} in ${repository} (if-tag-exists: skip): ${shaTag} names ${reason}. Nothing was written; build this commit under a new tag-prefix or a longer sha-length.`;
}
/** The revision label of an image config blob; undefined when absent or not a string. */
function revisionOf(configBlob) {
    return configLabel(configBlob, REVISION_LABEL);
}

;// CONCATENATED MODULE: ./src/publish/stored-image.ts



/**
 * The config of every runnable image behind a stored manifest, read through the registry API (configs
 * are blobs; BatchGetImage only returns manifests). Attestation manifests are skipped: they have no
 * runnable config and no revision label.
 */
async function runnableConfigs(ecr, registry, repository, image, lag) {
    const top = parseManifest(image.manifest, image.mediaType);
    if (top.kind === 'image')
        return top.config ? [{ manifestDigest: image.digest, config: await registry.readBlob(repository, top.config.digest) }] : [];
    const children = top.manifests.filter((entry) => !isAttestation(entry)).map((entry) => entry.digest);
    if (children.length === 0)
        return [];
    // Often the image this run just wrote: a child not found yet is ECR's read-after-write lag.
    const lookup = await (0,read_after_write/* readAfterWrite */.c9)(() => ecr.getImages(repository, children.map((digest) => ({ digest }))), (found) => [...found.byDigest.values()].every((child) => child !== undefined), { what: `the platform images of ${repository}@${image.digest}`, ...(lag ?? {}) });
    return Promise.all(children.map(async (digest) => {
        const child = lookup.byDigest.get(digest);
        if (!child)
            throw new Error(`${repository}@${image.digest} lists ${digest}, which the repository does not serve.`);
        const manifest = parseManifest(child.manifest, child.mediaType);
        if (!manifest.config)
            throw new Error(`${repository}@${digest} has no config.`);
        return { manifestDigest: digest, config: await registry.readBlob(repository, manifest.config.digest) };
    }));
}
/** `platform-digests` of a stored image; for a single image its config names the platform. */
function storedPlatformDigests(image, configs) {
    const manifest = parseManifest(image.manifest, image.mediaType);
    const own = manifest.kind === 'image' ? configs.find((entry) => entry.manifestDigest === image.digest) : undefined;
    return platformDigests({ digest: image.digest, manifest }, own ? configPlatformOf(own.config) : undefined);
}
/**
 * The configs of a stored image and whether they show it is commit `sha`'s build: what tag addition and
 * a `skip` reuse both read before they name or report an existing image (a short SHA tag may be another
 * commit's). Nothing is written here.
 */
async function revisionCheckedConfigs(ecr, registry, repository, image, sha) {
    const configs = await runnableConfigs(ecr, registry, repository, image);
    const check = checkRevision(image.digest, configs.map((entry) => ({ manifestDigest: entry.manifestDigest, revision: revisionOf(entry.config) })), sha);
    return { configs, check };
}

// EXTERNAL MODULE: ./src/publish/commit-tags.ts
var commit_tags = __webpack_require__(806);
;// CONCATENATED MODULE: ./src/build-image/add-tags.ts




/**
 * Writes the missing tags onto the image the SHA tag names, once its configs show it is this commit's
 * build. Nothing is built; the registry is untouched when the check fails.
 */
async function addTagsToBuiltImage(ctx, target, base, image, plan) {
    const { repository } = ctx.inputs;
    const registry = await ctx.openRegistry(target.registry);
    const { configs, check } = await revisionCheckedConfigs(ctx.ecr, registry, repository, image, ctx.sha);
    if (!check.ok) {
        throw new errors/* UserError */.yo(`Cannot add ${plan.missing.join(', ')} to ${repository}: ${ctx.tags.shaTag} names ${check.reason}. Nothing was written; build this commit under a new tag-prefix, or fix the SHA tag by hand.`);
    }
    ctx.runner.info(`${ctx.tags.shaTag} names ${image.digest}, built from ${ctx.sha}; adding ${plan.missing.join(', ')} without building (if-tag-exists: skip).`);
    // A release tag names what the SHA tag names: with the signing gate on, only once ECR reports it signed.
    await passSigningGate(ctx, repository, signableImages(image.digest, image.manifest, image.mediaType), ctx.inputs.signingGate);
    const committed = await (0,commit_tags/* commitTags */.BE)(target, { kind: 'stored', digest: image.digest, justWritten: false }, { tags: ctx.tags.all, ifTagExists: 'skip' });
    return {
        ...base,
        result: 'reused',
        digest: image.digest,
        platformDigests: storedPlatformDigests(image, configs),
        metadata: '',
        buildSeconds: undefined,
        tagsAdded: committed.kind === 'written' ? committed.added : []
    };
}

// EXTERNAL MODULE: ./src/publish/outcome.ts
var publish_outcome = __webpack_require__(3631);
;// CONCATENATED MODULE: ./src/build-image/upload-through-engine.ts






/** Unique per run, so it can never collide with a real tag or another run's staging tag. */
const STAGING_TAG_PREFIX = 'immutable-ecr-build-staging-';
function newStagingTag() {
    return `${STAGING_TAG_PREFIX}${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`;
}
async function uploadThroughEngine(ctx, staged, naming) {
    const { imageName, stagingTag, env, build } = staged;
    const { target, base, platformsOf } = naming;
    // Without either digest nothing can be proven; do not upload anything.
    if (!build.imageDigest && !build.configDigest) {
        throw new errors/* UserError */.yo('buildx built the image but reported neither containerimage.digest nor containerimage.config.digest in its metadata; nothing was pushed.');
    }
    const reference = `${imageName}:${stagingTag}`;
    const timeoutMs = (0,network_limits/* enginePushLimitMs */.Ov)(await localImageSize(ctx, env, reference), (0,network_limits/* networkLimits */.pG)(ctx.env));
    const push = await ctx.runner.group(`docker push ${reference}`, () => ctx.docker.run(['push', reference], { env, timeoutMs }));
    const untagLocally = ctx.docker.run(['image', 'rm', reference], { env, quiet: true });
    let removalTried = false;
    try {
        if (push.timedOut) {
            throw new errors/* UserError */.yo(`docker push ${reference} did not finish within ${Math.round(timeoutMs / 1000)} s (the engine's push has no idle timeout; the limit allows its size at ${network_limits/* SLOWEST_PUSH_BYTES_PER_SECOND */.oy / 1024} KiB/s), so it was stopped. No tag was written: check the network between the runner and ECR, then re-run the job.`);
        }
        if (push.exitCode !== 0) {
            throw new errors/* UserError */.yo(`docker push failed (exit ${push.exitCode}): ${lastErrorLine(push.stderr.trim() ? push.stderr : push.stdout)}. No tag was written: the tags are written only after the whole image is in the registry; re-run the job.`);
        }
        const reported = parsePushedDigest(push.stdout);
        if (ctx.inputs.scanGate.threshold !== undefined) {
            ctx.runner.info(`Scan gate: until it passes, the image sits under the one-off staging tag ${stagingTag}; if this job is cancelled meanwhile, remove it with ${removalCommand(ctx, stagingTag)}.`);
        }
        try {
            await gateUploadedImage(ctx, { tag: stagingTag }, { leftBehind: WAITING_UNDER_STAGING_TAG });
        }
        catch (error) {
            removalTried = true;
            const fate = await stagingFate(ctx, stagingTag);
            // A bug keeps its stack (failStep logs it); a gate's own line gets what became of the image.
            throw error instanceof errors/* UserError */.yo ? new errors/* UserError */.yo(withStagingFate(error.message, fate)) : error;
        }
        return await (0,commit_tags/* commitTags */.BE)(target, {
            kind: 'uploaded',
            ref: { tag: stagingTag },
            build,
            check: (image) => {
                if (reported && reported !== image.digest)
                    throw (0,commit_tags/* anotherWriter */.XK)(stagingTag, `the registry serves ${image.digest}, docker push reported ${reported}`);
            },
            platformsOf
        }, { tags: ctx.tags.all, ifTagExists: ctx.inputs.ifTagExists, base });
    }
    finally {
        await untagLocally;
        // A push stopped part-way may have written its manifest under the staging tag just before.
        if ((push.exitCode === 0 || push.timedOut) && !removalTried)
            await removeStagingTag(ctx, stagingTag);
    }
}
/** What the gate's failure line says of the refused image until its staging tag's fate is known. */
const WAITING_UNDER_STAGING_TAG = 'the image waits under its one-off staging tag';
/** The aws CLI line that removes a staging tag (and with it the image, when it has no other tag). */
function removalCommand(ctx, stagingTag) {
    const registry = ctx.inputs.registryId ? ` --registry-id ${ctx.inputs.registryId}` : '';
    return `\`aws ecr batch-delete-image${registry} --repository-name ${ctx.inputs.repository} --image-ids imageTag=${stagingTag}\``;
}
/** Removes the staging tag of an image the gate refused, and says where that image is now. */
async function stagingFate(ctx, stagingTag) {
    try {
        await ctx.ecr.deleteTag(ctx.inputs.repository, stagingTag);
        return `the refused image was removed with its one-off staging tag ${stagingTag} (ECR deletes an image with its last tag)`;
    }
    catch (error) {
        return `the refused image still sits under the staging tag ${stagingTag}, whose removal failed (${(0,errors/* errorMessage */.gJ)(error).replace(/\.$/, '')}): remove it with ${removalCommand(ctx, stagingTag)}`;
    }
}
/** The gate's line with what really became of the image (a gate that failed otherwise gets it appended). */
function withStagingFate(message, fate) {
    if (message.includes(WAITING_UNDER_STAGING_TAG))
        return message.replace(WAITING_UNDER_STAGING_TAG, fate);
    if (message.endsWith(' No tag was written.'))
        return `${message.slice(0, -1)}; ${fate}.`;
    return `${message.replace(/\.?$/, '.')} No tag was written; ${fate}.`;
}
/** The local image's size in bytes (docker image inspect), or undefined when the engine does not say. */
async function localImageSize(ctx, env, reference) {
    const inspected = await ctx.docker.run(['image', 'inspect', '--format', '{{.Size}}', reference], { env, quiet: true });
    const size = Number(inspected.stdout.trim());
    return inspected.exitCode === 0 && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}
async function removeStagingTag(ctx, stagingTag) {
    try {
        await ctx.ecr.deleteTag(ctx.inputs.repository, stagingTag);
    }
    catch (error) {
        ctx.runner.warning(`Could not remove the staging tag ${stagingTag} from ${ctx.inputs.repository} (${(0,errors/* errorMessage */.gJ)(error)}); grant ecr:BatchDeleteImage or remove it with ${removalCommand(ctx, stagingTag)}. It never names a deployable image.`);
    }
}

// EXTERNAL MODULE: ./src/shared/aws-errors.ts
var aws_errors = __webpack_require__(9870);
;// CONCATENATED MODULE: ./src/publish/create-repository.ts
/**
 * create-repository: true, in the build and the promote action alike. A concurrent run that created the
 * repository first wins: its repository is used, and only a failure that left no repository is thrown.
 */
async function createImmutableRepository(ecr, runner, repository) {
    runner.info(`Creating repository ${repository} with IMMUTABLE tags and scan-on-push (create-repository: true).`);
    try {
        return await ecr.createRepository(repository, 'IMMUTABLE');
    }
    catch (error) {
        const again = await ecr.describeRepository(repository);
        if ('absent' in again)
            throw error;
        return again;
    }
}

;// CONCATENATED MODULE: ./src/publish/target.ts






/** The look-ups every action starts with, sent together: credentials, the repository, the tags (and a digest). */
async function lookUpTarget(ecr, repository, tags, digest) {
    const [registry, found, existing] = await Promise.allSettled([
        ecr.authorize(),
        ecr.describeRepository(repository),
        ecr.getImages(repository, [...(digest ? [{ digest }] : []), ...tags.map((tag) => ({ tag }))])
    ]);
    return { registry, repository: found, existing };
}
async function openTarget(deps, lookup, policy) {
    const registry = unwrap(lookup.registry);
    const found = unwrap(lookup.repository);
    let info;
    let existing = { byTag: new Map(), byDigest: new Map() };
    if ('absent' in found) {
        if (policy.whenAbsent.kind === 'continue') {
            deps.runner.info(policy.whenAbsent.note);
        }
        else if (policy.whenAbsent.kind === 'refuse') {
            throw new errors/* UserError */.yo((0,aws_errors/* repositoryMissing */.l)({ repository: policy.repository, region: policy.region, registryId: found.registryId }));
        }
        else {
            const refusal = newRepositoryFloatingRefusal(policy.repository, policy.floatingTags);
            if (refusal)
                throw new errors/* UserError */.yo(refusal);
            await policy.whenAbsent.beforeCreate?.();
            info = await createImmutableRepository(deps.ecr, deps.runner, policy.repository);
        }
    }
    else {
        info = found;
        existing = unwrap(lookup.existing);
    }
    if (info)
        applyMutabilityPolicy(deps.runner, info, policy);
    const floatingRefusal = info && floatingTagRefusal(info, policy.floatingTags);
    if (floatingRefusal)
        throw new errors/* UserError */.yo(floatingRefusal);
    return {
        ecr: deps.ecr,
        runner: deps.runner,
        sleep: deps.sleep,
        registry,
        registryHost: registry.registryHost,
        repository: policy.repository,
        info,
        existing,
        existingTags: new Map(policy.tags.map((tag) => [tag, (0,tag_policy/* digestsByTag */.LL)(existing.byTag).get(tag)])),
        anyMutable: info !== undefined && (0,tag_policy/* mutableTags */.uK)(info, policy.tags).length > 0
    };
}
/**
 * require-immutable-repository, and what the log says of tags ECR would let be overwritten: commitTags
 * waits for a MUTABLE tag to settle before it proves it.
 */
function applyMutabilityPolicy(runner, repository, policy) {
    runner.info(`Repository ${repository.name}: tag mutability ${(0,tag_policy/* describeMutability */.yk)(repository)}.`);
    const mutable = (0,tag_policy/* mutableTags */.uK)(repository, policy.tags);
    if (mutable.length === 0)
        return;
    if (policy.requireImmutableRepository) {
        throw new errors/* UserError */.yo(`Repository ${repository.name} is ${(0,tag_policy/* describeMutability */.yk)(repository)}, so ECR would let these tags be overwritten: ${mutable.join(', ')}. Set the repository's tag mutability to IMMUTABLE (or exclude none of these tags), or set require-immutable-repository: false.`);
    }
    runner.info(`ECR does not protect ${mutable.join(', ')} from being overwritten; this action re-checks right before writing each tag, but only IMMUTABLE makes that atomic.`);
}

;// CONCATENATED MODULE: ./src/build-image/untagged-upload.ts




/**
 * untagged: true, the per-platform step of a matrix build: the image goes into the repository by
 * digest and no tag is written, so the merge action can later name one index of every platform
 * with the same rules as a push.
 */
/** Only the uploads by digest put an image in the repository without any tag, even for a moment. */
function assertUntaggedPath(path) {
    if (path === 'layout' || path === 'digest' || path === 'engine')
        return;
    throw new errors/* UserError */.yo("Input 'untagged' 'true' needs a BuildKit builder (docker/setup-buildx-action) or the docker engine's containerd image store: the classic store can only upload under a tag.");
}
/** After the upload (and the scan gate): the registry must serve the digest before it is reported. */
async function untaggedOutcome(ctx, base, uploaded, built) {
    const digest = uploaded.digest;
    const served = (await (0,read_after_write/* readAfterWrite */.c9)(() => ctx.ecr.getImages(ctx.inputs.repository, [{ digest }]), (found) => found.byDigest.get(digest) !== undefined, (0,read_after_write/* lagWait */.ut)(ctx, `${ctx.inputs.repository}@${digest}`))).byDigest.get(digest);
    if (!served)
        throw new errors/* UserError */.yo(`The registry did not serve ${digest} within ${read_after_write/* LAG_BOUND_SECONDS */.iV} s after it was uploaded; re-run the job.`);
    const manifest = parseManifest(served.manifest, served.mediaType);
    const platform = manifest.kind === 'image' && manifest.config ? configPlatformOf(await uploaded.readBlob(manifest.config.digest)) : undefined;
    const platforms = platformDigests({ digest, manifest }, platform);
    ctx.runner.info(`Left ${digest} untagged (untagged: true): give this step's digest output to the merge action, which writes the tags.`);
    return {
        ...base,
        tags: [],
        result: 'uploaded',
        digest,
        platformDigests: platforms,
        metadata: metadataForOutput(built.metadataJson, { digest, mediaType: served.mediaType, size: Buffer.byteLength(served.manifest) }),
        buildSeconds: built.seconds
    };
}

;// CONCATENATED MODULE: ./src/build-image/pipeline.ts


























/**
 * The whole run after input validation: look, decide, build, upload untagged, write tags, prove. No
 * tag is written before the last existence check, and no digest is reported before the registry has
 * shown it.
 */
async function publishImage(ctx) {
    // Independent look-ups go out together; the builder is awaited only if something is built.
    const builder = deferred(inspectBuilder(ctx));
    // The engine route's set-up (probe, proxy, `buildx create`) runs beside the ECR look-ups, off the critical path;
    // every way out that does not build (reuse, tags added, a refusal, an error) closes it here.
    const route = startEngineRoute(ctx, builder);
    try {
        return await publishWith(ctx, builder, route);
    }
    finally {
        await route.close();
    }
}
async function publishWith(ctx, builder, early) {
    const { inputs, tags, ecr } = ctx;
    const target = await openTarget(ctx, await lookUpTarget(ecr, inputs.repository, tags.all), {
        repository: inputs.repository,
        region: inputs.awsRegion,
        registryId: inputs.registryId,
        tags: tags.all,
        floatingTags: inputs.floatingTags,
        requireImmutableRepository: inputs.requireImmutableRepository,
        whenAbsent: !inputs.push
            ? // Build-only runs write nothing to AWS, not even a repository; with no repository no tag can exist.
                {
                    kind: 'continue',
                    note: `Repository ${inputs.repository} does not exist yet, so none of the tags exists; building only (push: false creates nothing).`
                }
            : inputs.createRepository
                ? {
                    kind: 'create',
                    // What the builder cannot do is an input error too: refused before the repository exists.
                    beforeCreate: async () => {
                        await checkedBuilder(ctx, builder);
                        if (inputs.cache === 'ecr')
                            await refuseImmutableCompanion(ctx.ecr, inputs.repository);
                    }
                }
                : { kind: 'refuse' }
    });
    const registry = target.registry;
    const base = { registryHost: target.registryHost, repository: inputs.repository, shaTag: tags.shaTag, tags: tags.all };
    const existing = target.existingTags;
    // require-signature: managed with nothing to sign this repository's images is refused before the build.
    if (inputs.push)
        await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined);
    // Release tags on the image this commit already built (issue 8): nothing is built.
    const addition = planTagAddition(tags.all, tags.shaTag, existing, inputs.ifTagExists);
    if (addition.kind === 'add')
        return addTagsToBuiltImage(ctx, target, base, target.existing.byTag.get(tags.shaTag), addition);
    const decision = (0,tag_policy/* decideOnExistingTags */.Wo)(tags.all, existing, inputs.ifTagExists, inputs.repository);
    if (decision.kind === 'refuse')
        throw new publish_outcome/* RefusedError */.f(decision.reason, base);
    if (decision.kind === 'reuse') {
        const image = target.existing.byTag.get(tags.shaTag);
        // The tag alone does not prove the image is this commit's: a short sha-length may name another commit's build.
        const configs = await reusableConfigs(ctx, registry, image);
        ctx.runner.info(`Every tag already names ${decision.digest}; reusing it without building (if-tag-exists: skip).`);
        return {
            ...base,
            result: 'reused',
            digest: decision.digest,
            platformDigests: storedPlatformDigests(image, configs),
            metadata: '',
            buildSeconds: undefined
        };
    }
    const builderInfo = await checkedBuilder(ctx, builder);
    const cacheRefs = inputs.cache === 'ecr' ? await prepareRegistryCache(ctx, target.info, registry.registryHost) : undefined;
    const { env } = prepareDockerConfig(ctx, registry);
    const routed = await early.result();
    const route = routed && 'route' in routed ? routed.route : undefined;
    const path = chooseUploadPath(inputs.push, { ...builderInfo, engineRoute: route !== undefined });
    ctx.runner.info(uploadPathNote(path, routed && 'unavailable' in routed ? routed.unavailable : undefined));
    const imageName = `${registry.registryHost}/${inputs.repository}`;
    const stagingTag = newStagingTag();
    const layoutDir = (0,external_node_path_.join)(ctx.workDir, 'oci-layout');
    const output = path === 'layout'
        ? { kind: 'oci-layout', directory: layoutDir }
        : path === 'digest' || path === 'engine'
            ? { kind: 'push-by-digest', imageName, ociMediaTypes: path === 'engine' }
            : {
                kind: path === 'daemon' ? 'load' : 'local',
                references: (path === 'daemon' ? [...tags.all, stagingTag] : tags.all).map((tag) => `${imageName}:${tag}`)
            };
    let built;
    try {
        built = await runBuild(ctx, route ? { ...env, BUILDX_CONFIG: route.buildxConfig } : env, output, cacheRefs, route?.builder);
    }
    finally {
        // BuildKit pushed (and exported any cache) during the build: the route is needed no longer.
        await route?.close();
    }
    if (path === 'local') {
        return { ...base, result: 'built', metadata: built.metadataJson, buildSeconds: built.seconds, note: 'push: false' };
    }
    const store = await ctx.openRegistry(registry);
    let naming;
    let uploaded;
    if (path === 'layout') {
        const layout = await openOciLayout(layoutDir);
        await uploadLayout(ctx, store, layout);
        uploaded = { digest: layout.top.digest, readBlob: (digest) => layout.read(digest) };
    }
    else if (path === 'digest' || path === 'engine') {
        if (!built.metadata.imageDigest)
            throw new errors/* UserError */.yo('buildx pushed the image by digest but reported no containerimage.digest in its metadata; nothing was tagged.');
        uploaded = { digest: built.metadata.imageDigest, readBlob: (digest) => store.readBlob(inputs.repository, digest) };
    }
    if (uploaded) {
        // The scan gate, then the name: a failed gate leaves the image untagged.
        await gateUploadedImage(ctx, { digest: uploaded.digest }, { readBlob: uploaded.readBlob });
        if (inputs.untagged)
            return untaggedOutcome(ctx, base, uploaded, built);
        // What was uploaded is named by its digest; buildx's metadata still supplies the config digest for the proof.
        const readBlob = uploaded.readBlob;
        naming = await (0,commit_tags/* commitTags */.BE)(target, {
            kind: 'uploaded',
            ref: { digest: uploaded.digest },
            build: { ...built.metadata, imageDigest: uploaded.digest },
            platformsOf: (image) => servedPlatforms(ctx, registry, image, readBlob)
        }, { tags: tags.all, ifTagExists: inputs.ifTagExists, base });
    }
    else {
        naming = await uploadThroughEngine(ctx, { imageName, stagingTag, env, build: built.metadata }, { target, base, platformsOf: (image) => servedPlatforms(ctx, registry, image) });
    }
    if (naming.kind === 'reused') {
        return {
            ...base,
            result: 'reused',
            digest: naming.digest,
            platformDigests: {},
            metadata: built.metadataJson,
            buildSeconds: built.seconds,
            note: naming.note
        };
    }
    const { image } = naming;
    return {
        ...base,
        result: 'pushed',
        digest: image.digest,
        platformDigests: naming.platformDigests,
        metadata: metadataForOutput(built.metadataJson, { digest: image.digest, mediaType: image.mediaType, size: Buffer.byteLength(image.manifest) }),
        buildSeconds: built.seconds
    };
}
/** The configs of the image every tag names, once they show it is this commit's build; refused otherwise, nothing written. */
async function reusableConfigs(ctx, credentials, image) {
    const registry = await ctx.openRegistry(credentials);
    const { configs, check } = await revisionCheckedConfigs(ctx.ecr, registry, ctx.inputs.repository, image, ctx.sha);
    if (!check.ok)
        throw new errors/* UserError */.yo(reuseRefusal(ctx.inputs.repository, ctx.tags.all, ctx.tags.shaTag, check.reason));
    return configs;
}
/** The docker driver on the containerd store: buildx exported an OCI layout, uploaded untagged, by digest. */
async function uploadLayout(ctx, store, layout) {
    const started = Date.now();
    const report = await ctx.runner.group(`upload ${ctx.inputs.repository}@${layout.top.digest}`, () => transferImage(store, ctx.inputs.repository, layout));
    ctx.runner.info(`Uploaded ${layout.top.digest} untagged in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.blobsSent} blobs sent (${report.bytesSent} bytes), ${report.blobsReused} already there, ${report.manifests} manifests by digest.`);
}
/**
 * `platform-digests` from what the registry serves: an index lists its platforms; a single image's config names
 * its own (read with ecr:GetDownloadUrlForLayer, before any tag is written when the image is new).
 */
async function servedPlatforms(ctx, credentials, image, readBlob) {
    const manifest = parseManifest(image.manifest, image.mediaType);
    if (manifest.kind === 'index' || !manifest.config)
        return platformDigests({ digest: image.digest, manifest }, undefined);
    const config = readBlob
        ? await readBlob(manifest.config.digest)
        : await (await ctx.openRegistry(credentials)).readBlob(ctx.inputs.repository, manifest.config.digest);
    return platformDigests({ digest: image.digest, manifest }, configPlatformOf(config));
}
function prepareDockerConfig(ctx, registry) {
    const prepared = writePrivateDockerConfig({
        directory: (0,external_node_path_.join)(ctx.workDir, 'docker-config'),
        credentials: registry,
        env: ctx.env
    });
    if (prepared.droppedCredsStore) {
        ctx.runner.warning(`The docker credential store '${prepared.droppedCredsStore}' is not used during this build, so the ECR password never reaches it; logins kept only in that store are not available to the build.`);
    }
    return prepared;
}
/** The builder, once every refusal that depends on it has passed: each comes before anything is created or built. */
async function checkedBuilder(ctx, builder) {
    const info = await builder.value();
    assertBuilderFits(ctx, info);
    return info;
}
function assertBuilderFits(ctx, info) {
    assertBuilderCan(info, { platforms: ctx.inputs.platforms.length, registryCache: ctx.inputs.cache === 'ecr' });
    if (ctx.inputs.untagged)
        assertUntaggedPath(chooseUploadPath(ctx.inputs.push, info));
}
/**
 * The docker driver on the containerd store pushes through the engine's own BuildKit when the action can reach
 * it. Started as soon as the builder inspection says so and the builder passes its refusals, so nothing is
 * set up for a builder that is refused; the route holds no credentials and writes only in the work folder.
 */
function startEngineRoute(ctx, builder) {
    const opening = builder.value().then((info) => {
        if (!ctx.inputs.push || info.driver !== 'docker' || info.imageStore !== 'containerd')
            return undefined;
        try {
            assertBuilderFits(ctx, info);
        }
        catch {
            return undefined;
        }
        return openEngineRoute(ctx);
    }, 
    // The inspection's failure is the step's, reported where the builder is awaited.
    () => undefined);
    const result = deferred(opening);
    return {
        result: result.value,
        close: () => opening.then((routed) => (routed && 'route' in routed ? routed.route.close() : undefined)).catch(() => undefined)
    };
}
/** The builder's driver, and for the docker driver the engine's image store, which decides the upload path. */
async function inspectBuilder(ctx) {
    const builderFlag = ctx.inputs.builder ? [`--builder=${ctx.inputs.builder}`] : [];
    let driver = driverFromBuildxConfig(ctx.inputs.builder, ctx.env, readBuildxConfigFiles(ctx.env));
    if (!driver) {
        const result = await ctx.docker.run(['buildx', 'inspect', ...builderFlag], { quiet: true, env: ctx.env });
        if (result.exitCode !== 0) {
            throw new errors/* UserError */.yo(`docker buildx is not usable${ctx.inputs.builder ? ` with builder '${ctx.inputs.builder}'` : ''}: ${lastErrorLine(result.stderr || result.stdout)}. Install buildx (docker/setup-buildx-action) or fix the builder input.`);
        }
        driver = parseBuilderDriver(result.stdout);
    }
    // The store also decides whether the docker driver can read a registry cache, which push: false still imports.
    if (driver !== 'docker' || (!ctx.inputs.push && ctx.inputs.cache !== 'ecr'))
        return { driver, imageStore: undefined };
    const fromSocket = await imageStoreFromSocket(ctx);
    if (fromSocket)
        return { driver, imageStore: fromSocket };
    const info = await ctx.docker.run(['info', '--format', '{{json .DriverStatus}}'], { quiet: true, env: ctx.env });
    if (info.exitCode !== 0)
        throw new errors/* UserError */.yo(`docker info failed (exit ${info.exitCode}): ${lastErrorLine(info.stderr || info.stdout)}. The docker driver needs a running Docker engine.`);
    return { driver, imageStore: parseImageStore(info.stdout) };
}
/**
 * The image store asked on the engine's own socket (the one the engine route opens), which spares starting the
 * docker CLI; undefined where that socket is not there or does not answer, and the caller asks `docker info`.
 */
async function imageStoreFromSocket(ctx) {
    const endpoint = resolveEngineEndpoint(ctx.inputs.builder, ctx.env, readDockerContextFiles(ctx.env));
    if (endpoint?.kind !== 'unix')
        return undefined;
    try {
        return parseImageStore(await readEngineDriverStatus(endpoint.socketPath));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/publish/report.ts

/** The action's outputs, by the names action.yml declares. */
function actionOutputs(outcome) {
    const imageName = `${outcome.registryHost}/${outcome.repository}`;
    const digest = (0,publish_outcome/* storedDigest */.i)(outcome);
    const platformDigests = 'platformDigests' in outcome ? outcome.platformDigests : {};
    return {
        digest,
        image: digest ? `${imageName}@${digest}` : '',
        'image-name': imageName,
        // Only where a tag names the image: an untagged upload or a build that was not pushed has no such name.
        'image-uri': digest && outcome.tags.includes(outcome.shaTag) ? `${imageName}:${outcome.shaTag}` : '',
        tag: outcome.shaTag,
        tags: outcome.tags.join(','),
        registry: outcome.registryHost,
        repository: outcome.repository,
        pushed: String(outcome.result === 'pushed' || outcome.result === 'uploaded'),
        'platform-digests': Object.keys(platformDigests).length ? JSON.stringify(platformDigests) : '',
        metadata: 'metadata' in outcome ? outcome.metadata : '',
        'tags-added': (outcome.result === 'reused' ? (outcome.tagsAdded ?? []) : []).join(','),
        platform: onlyPlatform(platformDigests)
    };
}
const RESULT_TEXT = {
    pushed: 'pushed',
    reused: 'reused (every tag already existed)',
    built: 'built, not pushed (push: false)',
    refused: 'refused (a tag already exists)',
    uploaded: 'uploaded untagged, for the merge action to name (untagged: true)'
};
/** The platform of a one-platform image (the per-platform step of a matrix); empty otherwise. */
function onlyPlatform(platformDigests) {
    const platforms = Object.keys(platformDigests);
    return platforms.length === 1 ? platforms[0] : '';
}
/**
 * The job summary. It names the repository, never the registry host, which carries the AWS account id.
 */
function summaryMarkdown(outcome) {
    const cell = (text) => text.replace(/\|/g, '\\|');
    const digest = (0,publish_outcome/* storedDigest */.i)(outcome);
    const buildSeconds = 'buildSeconds' in outcome ? outcome.buildSeconds : undefined;
    const note = 'note' in outcome ? outcome.note : undefined;
    const lines = [
        '### Immutable ECR build',
        '',
        '| Repository | Tags | Digest | Result | Build seconds |',
        '| --- | --- | --- | --- | --- |',
        `| ${cell(outcome.repository)} | ${outcome.tags.map((tag) => `\`${tag}\``).join(', ')} | ${digest ? `\`${digest}\`` : '—'} | ${resultText(outcome)} | ${buildSeconds === undefined ? '—' : buildSeconds.toFixed(1)} |`
    ];
    if (note)
        lines.push('', `Note: ${cell(note)}`);
    return `${lines.join('\n')}\n`;
}
/** "reused; tags added: v1.2.3" when a reused image got new tags, so the summary shows the release happened. */
function resultText(outcome) {
    if (outcome.result === 'reused' && outcome.tagsAdded?.length)
        return `reused; tags added: ${outcome.tagsAdded.join(', ')}`;
    return RESULT_TEXT[outcome.result];
}
/** The summary of a run refused before it wrote anything; none when the refusal came before the registry was asked. */
function refusedSummary(error) {
    return error.outcome ? summaryMarkdown({ ...error.outcome, result: 'refused', note: error.message }) : undefined;
}

// EXTERNAL MODULE: ./src/build-image/state.ts
var state = __webpack_require__(7169);
// EXTERNAL MODULE: ./src/adapters/work-dir.ts
var work_dir = __webpack_require__(8145);
;// CONCATENATED MODULE: ./src/build-image/main.ts





















function defaultAdapters() {
    return { runner: (0,runner/* createRunner */.j)(), env: process.env, createEcr: ecr/* createEcr */.vX, github: readGitHubContext, docker: createDocker(), now: () => new Date(), createRegistry: createRegistry };
}
/** The main step: inputs, then the publishing run; runStep turns anything thrown into the step's failure. */
async function run(adapters = defaultAdapters()) {
    const { runner, env } = adapters;
    runner.saveState(state/* STATE */.c.isPost, 'true');
    await (0,run_step/* runStep */.eg)(runner, async () => {
        // Everything the user can get wrong is checked here, before any network call or build.
        const inputs = parseInputs((name) => runner.input(name), env);
        // A blank value (a secret a fork's pull request cannot read) has nothing to hide, and a mask of spaces would hide every space.
        for (const secret of inputs.secrets)
            if (secret.value.trim() !== '')
                runner.setSecret(secret.value);
        assertLocalFilesExist(inputs);
        const github = await adapters.github();
        const sha = resolveCommitSha(inputs.sha, github);
        const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags });
        assertFloatingApart(inputs.floatingTags, tags.all);
        runner.info(`Commit ${sha}; tags: ${tags.all.join(', ')}.`);
        const workDir = (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), `immutable-ecr-build-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
        runner.saveState(state/* STATE */.c.workDir, workDir);
        (0,external_node_fs_.mkdirSync)(workDir, { recursive: true, mode: 0o700 });
        const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId });
        const context = {
            inputs,
            sha,
            tags,
            sourceUrl: github.repositoryUrl,
            runId: github.runId,
            workDir,
            runner,
            ecr,
            docker: adapters.docker,
            env,
            now: adapters.now,
            openRegistry: registryOpener(adapters, env),
            ...(adapters.sleep ? { sleep: adapters.sleep } : {})
        };
        try {
            const outcome = await publishImage(context);
            const digest = (0,publish_outcome/* storedDigest */.i)(outcome);
            await (0,run_step/* reportPublished */.tn)(runner, {
                outputs: actionOutputs(outcome),
                named: digest && outcome.tags.length ? { ...outcome, digest } : undefined,
                floating: {
                    target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
                    tags: inputs.floatingTags
                },
                imageLine: digest ? `Image: ${outcome.registryHost}/${outcome.repository}@${digest}` : 'Nothing was pushed (push: false).',
                summary: summaryMarkdown(outcome)
            });
        }
        finally {
            // The ECR login goes as soon as it is no longer needed; the post step only covers a killed main.
            (0,work_dir/* removeWorkDir */.x)(runner, workDir);
        }
    }, { refusedSummary: refusedSummary });
}
function assertLocalFilesExist(inputs) {
    for (const secret of inputs.secretFiles) {
        if (!(0,external_node_fs_.existsSync)(secret.path)) {
            throw new errors/* UserError */.yo(`Input 'secret-files': the file '${secret.path}' for secret '${secret.id}' does not exist: write it in an earlier step, or fix the path.`);
        }
    }
    if (isRemoteContext(inputs.context))
        return;
    if (inputs.context.startsWith('-')) {
        throw new errors/* UserError */.yo(`Input 'context' '${inputs.context}' must be a folder path or a Git URL, and must not start with '-'.`);
    }
    if (!(0,external_node_fs_.existsSync)(inputs.context)) {
        throw new errors/* UserError */.yo(`Input 'context' '${inputs.context}' does not exist: set it to the folder to build, relative to the workspace.`);
    }
    if (!(0,external_node_fs_.existsSync)(inputs.file)) {
        throw new errors/* UserError */.yo(`Input 'file': the Dockerfile '${inputs.file}' does not exist: set file to the Dockerfile's path, or context to the folder that holds it.`);
    }
}


/***/ }),

/***/ 7169:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ STATE)
/* harmony export */ });
/* harmony import */ var _publish_run_step_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9209);

/** Names of the values main hands to the post step through GITHUB_STATE. */
const STATE = {
    isPost: _publish_run_step_js__WEBPACK_IMPORTED_MODULE_0__/* .POST_STATE */ .j9,
    workDir: 'workDir'
};


/***/ })

};

//# sourceMappingURL=979.index.js.map
export const id = 232;
export const ids = [232];
export const modules = {

/***/ 8232:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MERGE_INPUTS: () => (/* reexport */ MERGE_INPUTS),
  MERGE_ONLY_DEFAULTS: () => (/* reexport */ MERGE_ONLY_DEFAULTS),
  MERGE_OUTPUTS: () => (/* binding */ MERGE_OUTPUTS),
  defaultMergeAdapters: () => (/* binding */ defaultMergeAdapters),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/adapters/ecr.ts
var ecr = __webpack_require__(8514);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
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

// EXTERNAL MODULE: ./src/adapters/runner.ts + 19 modules
var runner = __webpack_require__(2566);
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

// EXTERNAL MODULE: ./src/publish/outcome.ts
var publish_outcome = __webpack_require__(3631);
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

// EXTERNAL MODULE: ./src/publish/run-step.ts
var run_step = __webpack_require__(9209);
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

// EXTERNAL MODULE: ./src/publish/commit-tags.ts + 1 modules
var commit_tags = __webpack_require__(9295);
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
function image_graph_parseManifest(bytes, mediaTypeHint = '') {
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
        const parsed = image_graph_parseManifest(await manifestBytes(descriptor), descriptor.mediaType);
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
function image_graph_runnableEntries(index) {
    return index.manifests.filter((entry) => !isAttestation(entry) && entry.platform?.os !== 'unknown');
}
function image_graph_platformName(platform) {
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
        return configPlatform ? { [image_graph_platformName(configPlatform)]: top.digest } : {};
    const entries = image_graph_runnableEntries(top.manifest)
        .filter((entry) => entry.platform)
        .map((entry) => [image_graph_platformName(entry.platform), entry.digest]);
    return Object.fromEntries(entries);
}
/** The platform an image config declares (`os`, `architecture`, `variant`). */
function image_graph_configPlatformOf(configBytes) {
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
function signing_gate_signableImages(digest, manifest, mediaType) {
    const parsed = image_graph_parseManifest(manifest, mediaType);
    const children = parsed.kind === 'index' ? image_graph_runnableEntries(parsed) : [];
    return [
        { label: parsed.kind === 'index' ? `the index ${digest}` : digest, digest },
        ...children.map((entry) => ({ label: entry.platform ? `${image_graph_platformName(entry.platform)} ${entry.digest}` : entry.digest, digest: entry.digest }))
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
async function signing_gate_passSigningGate(deps, repository, images, options, 
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
        throw new UserError(`The registry does not serve ${'tag' in ref ? ref.tag : ref.digest} right after it was uploaded; re-run the job.`);
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
    const top = image_graph_parseManifest(image.manifest, image.mediaType);
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
        const manifest = image_graph_parseManifest(child.manifest, child.mediaType);
        if (!manifest.config)
            throw new Error(`${repository}@${digest} has no config.`);
        return { manifestDigest: digest, config: await registry.readBlob(repository, manifest.config.digest) };
    }));
}
/** `platform-digests` of a stored image; for a single image its config names the platform. */
function storedPlatformDigests(image, configs) {
    const manifest = image_graph_parseManifest(image.manifest, image.mediaType);
    const own = manifest.kind === 'image' ? configs.find((entry) => entry.manifestDigest === image.digest) : undefined;
    return platformDigests({ digest: image.digest, manifest }, own ? image_graph_configPlatformOf(own.config) : undefined);
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

// EXTERNAL MODULE: ./src/shared/aws-errors.ts
var aws_errors = __webpack_require__(9870);
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
                throw outcome.error instanceof Error ? outcome.error : new Error(errorMessage(outcome.error));
            return outcome.value;
        }
    };
}

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

;// CONCATENATED MODULE: ./src/merge/discovery-plan.ts

/**
 * The merge action's discovery decisions, pure: with `digests` empty, which untagged images in the
 * repository are this commit's per-platform builds, and which claims they become. The claims then go
 * through the same checks as given digests (planMerge), so nothing here has to be trusted alone.
 */
/** The newest untagged image manifests examined at most: a bound on the config reads of one merge. */
const DISCOVERY_LIMIT = 100;
const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);
const IN_TOTO = 'application/vnd.in-toto+json';
/** Splits DescribeImages' untagged list (in no useful order) into image manifests and indexes, newest first. */
function untaggedCandidates(images, limit = DISCOVERY_LIMIT) {
    const newestFirst = [...images].sort((a, b) => {
        const byTime = (b.pushedAt?.getTime() ?? 0) - (a.pushedAt?.getTime() ?? 0);
        return byTime !== 0 ? byTime : a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
    });
    return {
        manifests: newestFirst.filter((image) => IMAGE_MANIFEST_TYPES.has(image.mediaType)).slice(0, limit),
        indexes: newestFirst.filter((image) => INDEX_TYPES.has(image.mediaType))
    };
}
/**
 * Only a runnable image's config can name a platform and a revision: an artifact (another config type,
 * e.g. a Helm chart) or an attestation manifest (only in-toto layers) is not worth a read.
 */
function worthReading(manifest) {
    if (manifest.kind !== 'image' || !manifest.config || !IMAGE_CONFIG_TYPES.has(manifest.config.mediaType))
        return false;
    return !(manifest.layers.length > 0 && manifest.layers.every((layer) => layer.mediaType === IN_TOTO));
}
/**
 * `examined` newest first: the first image of this commit for a wanted platform wins it. With `runId`
 * (require-same-run, the default) only an image labelled with this workflow run's id can win: any attempt
 * of the run, since a re-run keeps GITHUB_RUN_ID; an image another run (or anyone) pushed is left out.
 */
function choosePerPlatform(examined, platforms, sha, runId) {
    const chosen = new Map();
    const ignored = [];
    const otherRuns = [];
    for (const image of examined) {
        if (image.revision !== sha || image.platform === undefined)
            continue;
        // Keyed by the platform as the input names it: linux/arm64 wins an image whose config says arm64/v8.
        const found = image.platform;
        const wanted = platforms.find((platform) => samePlatform(platform, found));
        if (wanted === undefined)
            continue;
        if (runId !== undefined && image.runId !== runId)
            otherRuns.push({ platform: wanted, digest: image.digest, runId: image.runId });
        else if (chosen.has(wanted))
            ignored.push({ platform: wanted, digest: image.digest });
        else
            chosen.set(wanted, image.digest);
    }
    return { chosen, ignored, otherRuns, missing: platforms.filter((platform) => !chosen.has(platform)) };
}
/** The log line for an image of this commit that another workflow run uploaded. */
function otherRunLine(image, runId) {
    const by = image.runId === undefined ? 'has no run-id label (not uploaded by this action in a workflow run)' : `was uploaded by workflow run ${image.runId}`;
    return `not taken: ${image.platform} ${image.digest} of this commit ${by}, not this run ${runId} (require-same-run).`;
}
/** Indexes pushed no earlier than the oldest chosen image: only those can wrap it (an index goes up after its children). */
function possibleWrappers(indexes, chosen, limit = DISCOVERY_LIMIT) {
    const times = chosen.map((image) => image.pushedAt?.getTime());
    const oldest = times.some((time) => time === undefined) ? undefined : Math.min(...times);
    return indexes.filter((index) => oldest === undefined || (index.pushedAt?.getTime() ?? Number.POSITIVE_INFINITY) >= oldest).slice(0, limit);
}
/**
 * The claims for the chosen images, in the order of `platforms`. An image that an untagged
 * one-platform index wraps (image + provenance) is claimed as that index, the newest such: the leg's
 * `digest` output, so its attestation goes into the merged index as when the digests are given.
 */
function discoveredClaims(chosen, platforms, indexes) {
    return platforms.flatMap((platform) => {
        const digest = chosen.get(platform);
        if (digest === undefined)
            return [];
        const wrapper = indexes.find(({ manifest }) => {
            const runnable = image_graph_runnableEntries(manifest);
            return manifest.kind === 'index' && runnable.length === 1 && runnable[0]?.digest === digest;
        });
        return [{ digest: wrapper?.digest ?? digest, platform }];
    });
}
/** The refusal when a wanted platform has no image of this commit (and run, when bound) among those examined. */
function missingPlatformsMessage(args) {
    const { missing, platforms, sha, repository, examined, limit, runId } = args;
    const others = (args.otherRuns ?? []).filter((image) => missing.includes(image.platform));
    const notTaken = others.length
        ? ` Not taken, from another workflow run (require-same-run: false would take them): ${others.map((image) => `${image.platform} ${image.digest} (run ${image.runId ?? 'unknown'})`).join(', ')}.`
        : '';
    return (`No untagged image of ${missing.join(', ')} built from commit ${sha}${runId !== undefined ? ` by this workflow run (${runId})` : ''} among the ${examined} newest untagged image manifests of ${repository} ` +
        `(platforms expects ${platforms.join(', ')}; at most ${limit} are examined): did a per-platform job fail? ` +
        `Or give the per-platform steps' digest outputs in 'digests' instead.${notTaken} Nothing was written.`);
}

;// CONCATENATED MODULE: ./src/merge/image-facts.ts



/** Reads one image's config blob: the one read that both a given claim and a discovered candidate are judged by. */
async function readImageFacts(store, repository, configDigest) {
    const config = await store.readBlob(repository, configDigest);
    const platform = image_graph_configPlatformOf(config);
    return { platform: platform ? image_graph_platformName(platform) : undefined, revision: revisionOf(config), runId: configLabel(config, RUN_ID_LABEL) };
}

;// CONCATENATED MODULE: ./src/merge/discovery.ts




/** Manifests read per BatchGetImage: a matrix's legs are usually among the newest few, so most merges need one. */
const BATCH = 10;
/**
 * `digests` empty: this commit's per-platform images, found among the repository's untagged image
 * manifests (DescribeImages), newest first, until every platform of inputs.platforms has one. With
 * `boundRunId` (require-same-run) only images labelled with that workflow run count.
 */
async function discoverClaims(ctx, store) {
    // A leg that finished a moment ago may not be listed yet (ECR's read-after-write lag): the search is
    // repeated within the bound before a missing platform is refused.
    return (0,read_after_write/* readAfterWrite */.c9)(() => discoverOnce(ctx, store), (found) => found.kind === 'found', (0,read_after_write/* lagWait */.ut)(ctx, `this commit's images of ${ctx.inputs.platforms.join(', ')} in ${ctx.inputs.repository}`));
}
async function discoverOnce(ctx, store) {
    const { inputs, sha, ecr, runner, boundRunId } = ctx;
    const repository = inputs.repository;
    const platforms = inputs.platforms;
    const untagged = await ecr.listUntagged(repository);
    const { manifests, indexes } = untaggedCandidates(untagged);
    const examined = [];
    let choice = choosePerPlatform(examined, platforms, sha, boundRunId);
    for (let start = 0; start < manifests.length && choice.missing.length > 0; start += BATCH) {
        const batch = manifests.slice(start, start + BATCH);
        const lookup = (await ecr.getImages(repository, batch.map((image) => ({ digest: image.digest })))).byDigest;
        const read = await Promise.all(batch.map(async (image) => {
            const stored = lookup.get(image.digest);
            // Gone since the listing (a lifecycle rule), or no image to judge: neither platform nor revision.
            const manifest = stored ? image_graph_parseManifest(stored.manifest, stored.mediaType) : undefined;
            if (!manifest?.config || !worthReading(manifest))
                return { digest: image.digest, platform: undefined, revision: undefined, runId: undefined };
            return { digest: image.digest, ...(await readImageFacts(store, repository, manifest.config.digest)) };
        }));
        examined.push(...read);
        choice = choosePerPlatform(examined, platforms, sha, boundRunId);
    }
    for (const { platform, digest } of choice.ignored)
        runner.info(`ignored older build of ${platform} for this commit: ${digest}`);
    if (boundRunId !== undefined)
        for (const image of choice.otherRuns)
            runner.info(otherRunLine(image, boundRunId));
    if (choice.missing.length > 0) {
        return {
            kind: 'refuse',
            reason: missingPlatformsMessage({
                missing: choice.missing,
                platforms,
                sha,
                repository,
                examined: examined.length,
                limit: DISCOVERY_LIMIT,
                runId: boundRunId,
                otherRuns: choice.otherRuns
            })
        };
    }
    const chosen = manifests.filter((image) => [...choice.chosen.values()].includes(image.digest));
    const wrappers = possibleWrappers(indexes, chosen);
    const wrapperLookup = wrappers.length
        ? (await ecr.getImages(repository, wrappers.map((index) => ({ digest: index.digest })))).byDigest
        : new Map();
    const parsed = wrappers.flatMap((index) => {
        const stored = wrapperLookup.get(index.digest);
        return stored ? [{ digest: index.digest, manifest: image_graph_parseManifest(stored.manifest, stored.mediaType) }] : [];
    });
    const claims = discoveredClaims(choice.chosen, platforms, parsed);
    runner.info(`Found this commit's images in ${repository} (examined ${examined.length} untagged image manifests): ${claims.map((claim) => `${claim.platform} ${claim.digest}`).join(', ')}.`);
    return { kind: 'found', claims };
}

;// CONCATENATED MODULE: ./src/merge/merge-plan.ts



const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
/**
 * `digests`: digests separated by newlines or commas (the per-platform steps' `digest` outputs), and/or
 * JSON objects `{"linux/arm64":"sha256:…"}` (their `platform-digests` outputs), in any mix. The same
 * claim twice (both outputs of one step) counts once.
 */
function parseDigestsInput(value) {
    const claims = [];
    const rest = value.replace(/\{[^{}]*\}/g, (json) => {
        let parsed;
        try {
            parsed = JSON.parse(json);
        }
        catch {
            throw new errors/* UserError */.yo(`Input 'digests' has '${json}', which is not a JSON object: pass platform-digests outputs as they are, e.g. {"linux/amd64":"sha256:…"}.`);
        }
        for (const [platform, digest] of Object.entries(parsed)) {
            if (!PLATFORM.test(platform) || typeof digest !== 'string' || !DIGEST.test(digest)) {
                throw new errors/* UserError */.yo(`Input 'digests' has '${platform}: ${String(digest)}', which is not a platform such as linux/arm64 with a sha256:<64 hex> digest.`);
            }
            claims.push({ digest, platform });
        }
        return ' ';
    });
    for (const item of rest.split(/[\s,]+/).filter((entry) => entry !== '')) {
        if (!DIGEST.test(item))
            throw new errors/* UserError */.yo(`Input 'digests' has '${item}', which is not a digest: use sha256:<64 hex> digests or platform-digests JSON objects, one per line.`);
        claims.push({ digest: item, platform: undefined });
    }
    if (claims.length === 0)
        throw new errors/* UserError */.yo("Input 'digests' is required: give the digest output of every per-platform step (untagged: true), one per line.");
    const seen = new Set();
    return claims.filter((claim) => {
        const key = `${claim.digest} ${claim.platform ?? ''}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/**
 * Every claim must be in the repository, one platform, built from `sha`, for the platform it claims;
 * each platform once; exactly the expected platforms when they are given. The first problem refuses
 * the whole merge before anything is written.
 */
function planMerge(resolved, expected, sha, repository) {
    const refuse = (reason) => ({ kind: 'refuse', reason: `${reason} Nothing was written.` });
    const entries = [];
    for (const item of resolved) {
        const { claim } = item;
        if (item.kind === 'missing')
            return refuse(`${claim.digest} is not in ${repository}: pass the digest output of a per-platform step (untagged: true) that pushed to this repository.`);
        if (item.kind === 'not-one-platform') {
            return refuse(`${claim.digest} is ${item.platforms === 0 ? 'not a runnable image' : `an index of ${item.platforms} platforms`}: pass one digest per platform, from steps with untagged: true.`);
        }
        if (item.revision !== sha) {
            return refuse(`${claim.digest} was built from commit ${item.revision ?? '(no org.opencontainers.image.revision label)'}, not ${sha}: every platform must come from this commit's per-platform steps.`);
        }
        const platform = item.platform;
        if (!platform)
            return refuse(`${claim.digest} has no platform in its config: it cannot take a place in a multi-platform index.`);
        // Compared as containerd compares platforms: linux/arm64 is linux/arm64/v8.
        if (claim.platform !== undefined && !samePlatform(claim.platform, platform)) {
            return refuse(`${claim.digest} is claimed as ${claim.platform} but its config says ${platform}.`);
        }
        const twice = entries.find((entry) => samePlatform(entry.platform, platform));
        if (twice && twice.image.digest !== item.image.digest) {
            return refuse(`${platform} is given twice (${twice.image.digest} and ${item.image.digest}): pass one digest per platform.`);
        }
        if (!twice)
            entries.push({ platform, image: item.image, attestations: item.attestations });
    }
    if (expected.length > 0) {
        const missing = expected.filter((platform) => !entries.some((entry) => samePlatform(entry.platform, platform)));
        if (missing.length)
            return refuse(`No digest for ${missing.join(', ')} (platforms expects ${expected.join(', ')}): did a per-platform job fail or not pass its digest?`);
        const extra = entries.filter((entry) => !expected.some((platform) => samePlatform(platform, entry.platform))).map((entry) => entry.platform);
        if (extra.length)
            return refuse(`${extra.join(', ')} is not in platforms (${expected.join(', ')}): add it to platforms or leave its digest out.`);
    }
    return { kind: 'merge', entries: [...entries].sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0)) };
}
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/**
 * The merged OCI index. Its bytes depend only on the entries (sorted by platform, attestations after
 * the images in the same order, fixed key order, no timestamps), so two merges of the same digests
 * write the same index and race only on its tags.
 */
function mergedIndex(entries) {
    const descriptor = (d, platform) => ({
        mediaType: d.mediaType,
        digest: d.digest,
        size: d.size,
        ...(d.annotations ? { annotations: d.annotations } : {}),
        ...(platform ? { platform } : {})
    });
    const platformOf = (name) => {
        const [os = '', architecture = '', variant] = name.split('/');
        return { architecture, os, ...(variant ? { variant } : {}) };
    };
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
            ...entries.map((entry) => descriptor(entry.image, platformOf(entry.platform))),
            ...entries.flatMap((entry) => entry.attestations.map((attestation) => descriptor(attestation, attestation.platform ? { architecture: attestation.platform.architecture, os: attestation.platform.os } : undefined)))
        ]
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    return { digest: `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`, mediaType: OCI_INDEX, bytes };
}

;// CONCATENATED MODULE: ./src/merge/merge.ts














/**
 * The merge action: the per-platform images a matrix uploaded untagged become one OCI index, written
 * by digest, then named with the same protocol as a push (existence check first, scan gate, last
 * check, proof, PutImage of each tag, read-back). Every claim is checked before anything is written.
 */
async function mergeImages(ctx) {
    const { inputs, tags, ecr } = ctx;
    const target = await openTarget(ctx, await lookUpTarget(ecr, inputs.repository, tags.all), {
        repository: inputs.repository,
        region: inputs.awsRegion,
        registryId: inputs.registryId,
        tags: tags.all,
        floatingTags: inputs.floatingTags,
        requireImmutableRepository: inputs.requireImmutableRepository,
        whenAbsent: { kind: 'refuse' }
    });
    const base = { registryHost: target.registryHost, repository: inputs.repository, shaTag: tags.shaTag, tags: tags.all };
    await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined);
    const decision = (0,tag_policy/* decideOnExistingTags */.Wo)(tags.all, target.existingTags, inputs.ifTagExists, inputs.repository);
    if (decision.kind === 'refuse')
        throw new publish_outcome/* RefusedError */.f(decision.reason, base);
    const store = await ctx.openRegistry(target.registry);
    if (decision.kind === 'reuse') {
        const image = target.existing.byTag.get(tags.shaTag);
        // As in the build action: the tags alone do not show the index is this commit's (a short sha-length).
        const { configs, check } = await revisionCheckedConfigs(ecr, store, inputs.repository, image, ctx.sha);
        if (!check.ok)
            throw new errors/* UserError */.yo(reuseRefusal(inputs.repository, tags.all, tags.shaTag, check.reason));
        ctx.runner.info(`Every tag already names ${decision.digest}; nothing to merge (if-tag-exists: skip).`);
        return { ...base, result: 'reused', digest: decision.digest, platformDigests: storedPlatformDigests(image, configs), metadata: '', buildSeconds: undefined };
    }
    // Discovered claims take the same path as given ones: verified, planned and written alike.
    const found = inputs.claims === 'discover' ? await discoverClaims(ctx, store) : { kind: 'found', claims: inputs.claims };
    if (found.kind === 'refuse')
        throw new publish_outcome/* RefusedError */.f(found.reason, base);
    const { claims } = found;
    const plan = planMerge(await resolveClaims(ctx, store, claims), inputs.platforms, ctx.sha, inputs.repository);
    if (plan.kind === 'refuse')
        throw new publish_outcome/* RefusedError */.f(plan.reason, base);
    const index = mergedIndex(plan.entries);
    await store.putManifest(inputs.repository, index);
    ctx.runner.info(`Wrote the index ${index.digest} of ${plan.entries.map((entry) => `${entry.platform} ${entry.image.digest}`).join(', ')} by digest, untagged.`);
    await passScanGate(ctx, inputs.repository, plan.entries.map(scannable), inputs.scanGate);
    await signing_gate_passSigningGate(ctx, inputs.repository, signing_gate_signableImages(index.digest, index.bytes.toString('utf8'), index.mediaType), inputs.signingGate);
    const platforms = Object.fromEntries(plan.entries.map((entry) => [entry.platform, entry.image.digest]));
    const committed = await (0,commit_tags/* commitTags */.BE)(target, {
        kind: 'uploaded',
        ref: { digest: index.digest },
        build: { imageDigest: index.digest, configDigest: undefined },
        platformsOf: () => Promise.resolve(platforms)
    }, { tags: tags.all, ifTagExists: inputs.ifTagExists, base });
    if (committed.kind === 'reused')
        return { ...base, result: 'reused', digest: committed.digest, platformDigests: platforms, metadata: '', buildSeconds: undefined, note: committed.note };
    return { ...base, result: 'pushed', digest: index.digest, platformDigests: platforms, metadata: '', buildSeconds: undefined };
}
function scannable(entry) {
    return { label: `${entry.platform} ${entry.image.digest}`, digest: entry.image.digest };
}
/**
 * Reads what the registry holds for every claim: the manifest (two BatchGetImage calls at most: the
 * claims, then the platform image of any claimed one-platform index) and each image's config blob.
 */
async function resolveClaims(ctx, store, claims) {
    const repository = ctx.inputs.repository;
    const digests = [...new Set(claims.map((claim) => claim.digest))];
    // The legs finished a moment ago: a claim not found yet is ECR's read-after-write lag, waited for
    // (within the bound); one still missing after it is refused by the plan as before.
    const top = (await (0,read_after_write/* readAfterWrite */.c9)(() => ctx.ecr.getImages(repository, digests.map((digest) => ({ digest }))), (found) => [...found.byDigest.values()].every((image) => image !== undefined), (0,read_after_write/* lagWait */.ut)(ctx, `the claimed images in ${repository}`))).byDigest;
    const picked = claims.map((claim) => {
        const stored = top.get(claim.digest);
        if (!stored)
            return { claim, attestations: [] };
        const manifest = image_graph_parseManifest(stored.manifest, stored.mediaType);
        if (manifest.kind === 'image') {
            return {
                claim,
                image: { mediaType: manifest.mediaType || stored.mediaType, digest: stored.digest, size: Buffer.byteLength(stored.manifest) },
                attestations: []
            };
        }
        const runnable = image_graph_runnableEntries(manifest);
        const [only] = runnable;
        if (runnable.length !== 1 || !only)
            return { claim, attestations: [], platforms: runnable.length };
        const attestations = manifest.manifests.filter((entry) => isAttestation(entry) && entry.annotations?.['vnd.docker.reference.digest'] === only.digest);
        return { claim, image: { mediaType: only.mediaType, digest: only.digest, size: only.size }, attestations };
    });
    const children = picked.filter((item) => item.image && item.image.digest !== item.claim.digest).map((item) => item.image.digest);
    const childLookup = children.length
        ? (await (0,read_after_write/* readAfterWrite */.c9)(() => ctx.ecr.getImages(repository, [...new Set(children)].map((digest) => ({ digest }))), (found) => [...found.byDigest.values()].every((image) => image !== undefined), (0,read_after_write/* lagWait */.ut)(ctx, `the platform images of the claims in ${repository}`))).byDigest
        : new Map();
    return Promise.all(picked.map(async (item) => {
        if (item.platforms !== undefined)
            return { kind: 'not-one-platform', claim: item.claim, platforms: item.platforms };
        if (!item.image)
            return { kind: 'missing', claim: item.claim };
        const stored = item.image.digest === item.claim.digest ? top.get(item.claim.digest) : childLookup.get(item.image.digest);
        if (!stored)
            return { kind: 'missing', claim: item.claim };
        const manifest = image_graph_parseManifest(stored.manifest, stored.mediaType);
        if (manifest.kind !== 'image' || !manifest.config)
            return { kind: 'not-one-platform', claim: item.claim, platforms: 0 };
        const facts = await readImageFacts(store, repository, manifest.config.digest);
        return { kind: 'image', claim: item.claim, image: item.image, ...facts, attestations: item.attestations };
    }));
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

;// CONCATENATED MODULE: ./src/merge/merge-inputs.ts




/** The inputs merge/action.yml declares (a test holds them against it). */
const MERGE_INPUTS = [
    'repository',
    'registry-id',
    'aws-region',
    'digests',
    'require-same-run',
    'platforms',
    'sha',
    'tag-prefix',
    'sha-length',
    'extra-tags',
    'floating-tags',
    'if-tag-exists',
    'require-immutable-repository',
    'fail-on-severity',
    'scan-timeout',
    'on-scan-timeout',
    'require-signature',
    'signature-timeout'
];
/** Inputs only the merge action has, and their defaults as merge/action.yml declares them. */
const MERGE_ONLY_DEFAULTS = { digests: '', 'require-same-run': 'true' };
function parseMergeInputs(read, env) {
    const get = withDefaults(read, { ...NAMING_INPUT_DEFAULTS, ...MERGE_ONLY_DEFAULTS });
    const naming = parseNamingInputs(read);
    const platforms = parsePlatforms(read('platforms'));
    // A missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
    const awsRegion = parseRegion(get('aws-region'), env);
    return {
        ...naming,
        awsRegion,
        platforms,
        claims: claimsToMerge(read('digests'), platforms),
        requireSameRun: parseBoolean('require-same-run', get('require-same-run'))
    };
}
/** The digests given, or with none, the platforms to find in the repository (discovery needs to know what it looks for). */
function claimsToMerge(digests, platforms) {
    if (digests.trim() !== '')
        return parseDigestsInput(digests);
    if (platforms.length === 0) {
        throw new errors/* UserError */.yo("Input 'digests' is empty and 'platforms' is not set: give the per-platform steps' digest outputs, or the platforms to find in the repository, e.g. linux/amd64,linux/arm64.");
    }
    return 'discover';
}
/**
 * The workflow run whose legs discovery may take: this run's id under require-same-run (the default),
 * undefined when it is off or when digests are given (the user named the images).
 */
function discoveryRunBinding(claims, requireSameRun, runId) {
    if (claims !== 'discover' || !requireSameRun)
        return undefined;
    if (runId === '') {
        throw new errors/* UserError */.yo("Input 'require-same-run' 'true' takes only legs of this workflow run, and GITHUB_RUN_ID is not set (a run outside GitHub Actions): give the legs' digests, or set require-same-run: false.");
    }
    return runId;
}

;// CONCATENATED MODULE: ./src/merge/main.ts













/** The outputs merge/action.yml declares: the main action's, less what only a build has. */
const MERGE_OUTPUTS = ['digest', 'image', 'image-name', 'image-uri', 'tag', 'tags', 'registry', 'repository', 'pushed', 'platform-digests'];
function defaultMergeAdapters() {
    return { runner: (0,runner/* createRunner */.j)(), env: process.env, createEcr: ecr/* createEcr */.vX, createRegistry: createRegistry, github: readGitHubContext };
}
/** The merge step: inputs, then the merge; runStep turns anything thrown into the step's failure. */
async function run(adapters = defaultMergeAdapters()) {
    const { runner, env } = adapters;
    await (0,run_step/* runStep */.eg)(runner, async () => {
        const inputs = parseMergeInputs((name) => runner.input(name), env);
        const github = await adapters.github();
        const boundRunId = discoveryRunBinding(inputs.claims, inputs.requireSameRun, github.runId);
        const sha = resolveCommitSha(inputs.sha, github);
        const tags = deriveTags({ sha, tagPrefix: inputs.tagPrefix, shaLength: inputs.shaLength, extraTags: inputs.extraTags });
        assertFloatingApart(inputs.floatingTags, tags.all);
        const what = inputs.claims === 'discover'
            ? `finding ${inputs.platforms.join(', ')} in ${inputs.repository}${boundRunId ? ` uploaded by this workflow run (${boundRunId})` : ''}`
            : `merging ${inputs.claims.length} digest(s)`;
        runner.info(`Commit ${sha}; ${what}; tags: ${tags.all.join(', ')}.`);
        const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId });
        const outcome = await mergeImages({
            inputs,
            sha,
            tags,
            runner,
            ecr,
            boundRunId,
            openRegistry: registryOpener(adapters, env),
            ...(adapters.sleep ? { sleep: adapters.sleep } : {})
        });
        const outputs = actionOutputs(outcome);
        await (0,run_step/* reportPublished */.tn)(runner, {
            outputs: Object.fromEntries(MERGE_OUTPUTS.map((name) => [name, outputs[name] ?? ''])),
            named: outcome,
            // Floating tags move last, after every immutable tag is proven, as in the build action.
            floating: {
                target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
                tags: inputs.floatingTags
            },
            imageLine: `Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
            summary: summaryMarkdown(outcome)
        });
    }, { refusedSummary: refusedSummary });
}


/***/ })

};

//# sourceMappingURL=232.index.js.map
export const id = 640;
export const ids = [640];
export const modules = {

/***/ 2640:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultPromoteAdapters: () => (/* binding */ defaultPromoteAdapters),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/adapters/ecr.ts + 1 modules
var ecr = __webpack_require__(3574);
// EXTERNAL MODULE: ./src/shared/network-limits.ts
var network_limits = __webpack_require__(6648);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
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

// EXTERNAL MODULE: ./src/adapters/runner.ts + 20 modules
var runner = __webpack_require__(4119);
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
        throw new UserError(`Input 'tag-prefix' '${spec.tagPrefix}' is not allowed: use only letters, digits, '_', '.' and '-'.`);
    }
    if (spec.shaLength > spec.sha.length) {
        throw new UserError(`Input 'sha-length' ${spec.shaLength} is longer than the ${spec.sha.length}-character SHA: use ${MIN_SHA_LENGTH} to ${spec.sha.length}.`);
    }
    const shaTag = `${spec.tagPrefix}${spec.sha.slice(0, spec.shaLength)}`;
    if (!isValidTag(shaTag)) {
        throw new UserError(`Input 'tag-prefix' '${spec.tagPrefix}' makes the tag '${shaTag}' invalid: a tag starts with a letter, digit or '_' and has at most 128 characters.`);
    }
    for (const extra of spec.extraTags) {
        if (!isValidTag(extra)) {
            throw new UserError(`Input 'extra-tags' has an invalid tag '${extra}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`);
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
        throw new UserError(`Input 'floating-tags' repeats ${both.join(', ')}, which ${both.length === 1 ? 'is' : 'are'} also the SHA tag or in extra-tags: a tag either moves or never changes; remove it from one of them.`);
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
            throw new UserError(`Input 'platforms' has '${platform}', which is not a platform such as linux/amd64 or linux/arm64/v8.`);
        }
    }
    return platforms;
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

;// CONCATENATED MODULE: ./src/promote/promote-inputs.ts





/** Must equal promote/action.yml's defaults; a unit test keeps them in step. */
const PROMOTE_INPUT_DEFAULTS = {
    'if-tag-exists': 'skip',
    'create-repository': 'false',
    ...SIGNING_GATE_DEFAULTS
};
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
function parsePromoteInputs(read, env) {
    const get = (name) => {
        const value = read(name).trim();
        return value === '' ? (PROMOTE_INPUT_DEFAULTS[name] ?? '') : value;
    };
    const tags = parseList(read('tags'));
    for (const tag of tags) {
        if (!isValidTag(tag))
            throw new errors/* UserError */.yo(`Input 'tags' has an invalid tag '${tag}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`);
    }
    if (tags.length === 0)
        throw new errors/* UserError */.yo("Input 'tags' is required: the immutable tags to give the promoted image, e.g. the SHA tag and v1.2.3.");
    const floatingTags = renamed('floating-tags', 'floating-tags', () => parseFloatingTags(parseList(read('floating-tags'))));
    const both = floatingTags.filter((tag) => tags.includes(tag));
    if (both.length)
        throw new errors/* UserError */.yo(`Input 'floating-tags' repeats ${both.join(', ')}, which ${both.length === 1 ? 'is' : 'are'} also in tags: a tag either moves or never changes; remove it from one of them.`);
    const digest = get('digest');
    if (!DIGEST_PATTERN.test(digest)) {
        throw new errors/* UserError */.yo(`Input 'digest' '${digest}' is not an image digest: expected sha256: and 64 lowercase hex digits (the digest output of the build step).`);
    }
    const awsRegion = parseRegion(get('aws-region'), env);
    return {
        sourceRepository: renamed('repository', 'source-repository', () => parseRepository(get('source-repository'))),
        sourceRegistryId: renamed('registry-id', 'source-registry-id', () => parseRegistryId(get('source-registry-id'))),
        sourceRegion: get('source-region') ? renamed('aws-region', 'source-region', () => parseRegion(get('source-region'), {})) : awsRegion,
        digest,
        repository: parseRepository(get('repository')),
        registryId: parseRegistryId(get('registry-id')),
        awsRegion,
        tags: [...new Set(tags)],
        floatingTags,
        ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip']),
        createRepository: parseBoolean('create-repository', get('create-repository')),
        signingGate: parseSigningGateInputs(get)
    };
}
/** The shared parsers name the build action's input; the promote action names its own. */
function renamed(from, to, parse) {
    try {
        return parse();
    }
    catch (error) {
        if (error instanceof errors/* UserError */.yo)
            throw new errors/* UserError */.yo(error.message.replace(`Input '${from}'`, `Input '${to}'`));
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/promote/referrers.ts


const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** The descriptors of a referrers API answer (an image index), checked enough to copy them by digest. */
function parseReferrers(body, subject) {
    let parsed;
    try {
        parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    }
    catch {
        throw new errors/* UserError */.yo(`The registry answered the referrers of ${subject} with something that is not JSON; nothing was tagged. Re-run the job.`);
    }
    if (!Array.isArray(parsed.manifests))
        return [];
    return parsed.manifests.map((entry) => {
        const descriptor = (entry ?? {});
        if (typeof descriptor.digest !== 'string' || !DIGEST.test(descriptor.digest) || typeof descriptor.mediaType !== 'string') {
            throw new errors/* UserError */.yo(`The registry listed a referrer of ${subject} without a sha256 digest or media type; nothing was tagged.`);
        }
        return {
            digest: descriptor.digest,
            mediaType: descriptor.mediaType,
            size: typeof descriptor.size === 'number' ? descriptor.size : 0,
            artifactType: typeof descriptor.artifactType === 'string' ? descriptor.artifactType : undefined,
            subject
        };
    });
}
/** The manifests whose referrers travel: the top manifest and, for an index, each of its child manifests. */
function referrerSubjects(digest, manifest, mediaType) {
    const parsed = parseManifest(manifest, mediaType);
    return [digest, ...parsed.manifests.map((child) => child.digest)];
}
/**
 * Every referrer of the subjects, and the referrers of those (a signature on an SBOM), breadth first:
 * a referrer always comes after its subject, the order a copy must follow.
 */
async function findReferrers(list, subjects, where) {
    const found = [];
    const seen = new Set(subjects);
    let level = [...subjects];
    while (level.length) {
        const next = [];
        for (const subject of level) {
            const answer = await list(subject);
            if (answer.kind === 'unsupported') {
                throw new errors/* UserError */.yo(`${where} does not serve the OCI referrers API (GET /v2/<name>/referrers/<digest> answered 404), so the signatures and attestations of ${subject} cannot be found and would be left behind; nothing was tagged.`);
            }
            for (const referrer of parseReferrers(answer.body, subject)) {
                if (seen.has(referrer.digest))
                    continue;
                seen.add(referrer.digest);
                found.push(referrer);
                next.push(referrer.digest);
            }
        }
        level = next;
    }
    return found;
}
/** How the summary names a referrer: its artifact type, or its media type when it has none. */
function referrerKind(referrer) {
    return referrer.artifactType ?? referrer.mediaType;
}

;// CONCATENATED MODULE: ./src/promote/promote-report.ts

/** The promote action's outputs, by the names promote/action.yml declares. */
function promoteOutputs(outcome) {
    return {
        digest: outcome.digest,
        image: `${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
        'image-name': `${outcome.registryHost}/${outcome.repository}`,
        'tags-added': outcome.tagsAdded.join(','),
        'platform-digests': Object.keys(outcome.platformDigests).length ? JSON.stringify(outcome.platformDigests) : '',
        pushed: String(outcome.pushed)
    };
}
/** The job summary; it names the repository, never the registry host (which carries the account id). */
function promoteSummary(outcome, source) {
    const cell = (text) => text.replace(/\|/g, '\\|');
    const result = outcome.pushed
        ? outcome.transfer
            ? 'promoted'
            : `tags added: ${outcome.tagsAdded.join(', ')}`
        : 'already promoted (every tag on this digest)';
    return [
        '### Immutable ECR promote',
        '',
        '| From | To | Tags | Digest | Result |',
        '| --- | --- | --- | --- | --- |',
        `| ${cell(source)} | ${cell(outcome.repository)} | ${outcome.tags.map((tag) => `\`${tag}\``).join(', ')} | \`${outcome.digest}\` | ${result} |`,
        '',
        ...referrersSection(outcome)
    ].join('\n');
}
/** The referrers that travelled with the image (signatures, SBOMs, attestations), one row each. */
function referrersSection(outcome) {
    if (outcome.referrers.length === 0)
        return ['No referrers (signatures, SBOMs, attestations) to copy.', ''];
    return [
        `#### Referrers (${outcome.referrers.length})`,
        '',
        '| Referrer | Type | Subject | Result |',
        '| --- | --- | --- | --- |',
        ...outcome.referrers.map((referrer) => `| \`${referrer.digest}\` | ${referrerKind(referrer).replace(/\|/g, '\\|')} | \`${referrer.subject}\` | ${referrer.copied ? 'copied' : 'already there'} |`),
        ''
    ];
}

// EXTERNAL MODULE: ./src/publish/commit-tags.ts + 1 modules
var commit_tags = __webpack_require__(9295);
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

;// CONCATENATED MODULE: ./src/promote/promotion.ts











/**
 * A tag on another digest is refused in either mode (tags never move); with fail any existing tag
 * refuses; with skip tags already on the digest are kept and the rest written.
 */
function decidePromotion(tags, existing, digest, imagePresent, ifTagExists, repository) {
    const plan = (0,commit_tags/* planCommit */.bI)('stored', tags, existing, digest, ifTagExists);
    if (plan.kind !== 'write') {
        return {
            kind: 'refuse',
            reason: `${repository}:${plan.kind === 'refuse' ? `${plan.tag} already names ${plan.other}` : `a tag names ${plan.digest}`}, not ${digest}; tags are never moved. Nothing was copied or tagged; promote under another tag.`
        };
    }
    const present = tags.filter((tag) => existing.get(tag) !== undefined);
    if (present.length && ifTagExists === 'fail') {
        return {
            kind: 'refuse',
            reason: `${present.length === 1 ? 'Tag already exists' : 'Tags already exist'} in ${repository}: ${present.map((tag) => `${tag} (${digest})`).join(', ')}. Nothing was copied or tagged; set if-tag-exists: skip to accept tags already on this digest.`
        };
    }
    return { kind: 'promote', missing: plan.tags, copy: !imagePresent };
}
async function promoteImage(ctx) {
    const { inputs, sourceEcr, ecr } = ctx;
    const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion;
    const [[sourceCredentials, sourceLookup], lookup] = await Promise.all([
        Promise.allSettled([
            sameRegistry ? Promise.resolve(undefined) : sourceEcr.authorize(),
            // Archived images fail here with the adapter's one line (how to restore them), unchanged. The build
            // step just before may have written it a moment ago: "not found" is waited for (read-after-write lag).
            (0,read_after_write/* readAfterWrite */.c9)(() => sourceEcr.getImages(inputs.sourceRepository, [{ digest: inputs.digest }]), (found) => found.byDigest.get(inputs.digest) !== undefined, (0,read_after_write/* lagWait */.ut)(ctx, `${inputs.sourceRepository}@${inputs.digest}`))
        ]),
        lookUpTarget(ecr, inputs.repository, inputs.tags, inputs.digest)
    ]);
    const destination = unwrap(lookup.registry);
    const source = unwrap(sourceCredentials) ?? destination;
    const image = unwrap(sourceLookup).byDigest.get(inputs.digest);
    if (!image) {
        throw new errors/* UserError */.yo(`${inputs.sourceRepository}@${inputs.digest} is not in the source repository (waited ${read_after_write/* LAG_BOUND_SECONDS */.iV} s for it): check the digest input (the digest output of the build) and source-repository, source-registry-id, source-region.`);
    }
    const target = await openTarget(ctx, lookup, {
        repository: inputs.repository,
        region: inputs.awsRegion,
        registryId: inputs.registryId,
        tags: inputs.tags,
        floatingTags: inputs.floatingTags,
        requireImmutableRepository: false,
        whenAbsent: inputs.createRepository ? { kind: 'create' } : { kind: 'refuse' }
    });
    const imagePresent = target.existing.byDigest.get(inputs.digest) !== undefined;
    const decision = decidePromotion(inputs.tags, target.existingTags, inputs.digest, imagePresent, inputs.ifTagExists, inputs.repository);
    if (decision.kind === 'refuse')
        throw new errors/* UserError */.yo(decision.reason);
    await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined);
    let transfer;
    const store = await ctx.openRegistry(destination);
    const sourceRegistry = sameRegistry ? store : await ctx.openRegistry(source);
    // Read from the source, before the copy and the first tag: a read that fails leaves no tag behind.
    const platforms = await sourcePlatforms(ctx, sourceRegistry, image);
    const sameHost = source.registryHost === destination.registryHost;
    if (decision.copy) {
        const started = Date.now();
        transfer = await ctx.runner.group(`copy ${inputs.sourceRepository}@${inputs.digest} to ${inputs.repository}`, () => transferImage(store, inputs.repository, sourceOf(ctx, imageDescriptor(image), image, sourceRegistry, sameHost)));
        ctx.runner.info(`Copied ${inputs.digest} untagged in ${((Date.now() - started) / 1000).toFixed(1)} s: ${transfer.blobsSent} blobs sent (${transfer.bytesSent} bytes), ${transfer.blobsReused} already there or mounted, ${transfer.manifests} manifests by digest.`);
    }
    else {
        ctx.runner.info(`${inputs.repository} already holds ${inputs.digest}; nothing to copy.`);
    }
    // Signatures and attestations before any tag: a tag never names an image whose referrers are still missing.
    const referrers = await copyReferrers(ctx, image, store, sourceRegistry, sameHost);
    await passSigningGate(ctx, inputs.repository, signableImages(image.digest, image.manifest, image.mediaType), inputs.signingGate);
    const committed = await (0,commit_tags/* commitTags */.BE)(target, { kind: 'stored', digest: inputs.digest, justWritten: decision.copy }, { tags: inputs.tags, ifTagExists: inputs.ifTagExists });
    const added = committed.kind === 'written' ? committed.added : [];
    return {
        registryHost: destination.registryHost,
        repository: inputs.repository,
        digest: inputs.digest,
        tags: inputs.tags,
        tagsAdded: added,
        platformDigests: platforms,
        pushed: decision.copy || added.length > 0,
        transfer,
        referrers
    };
}
function imageDescriptor(image) {
    return { digest: image.digest, mediaType: image.mediaType, size: Buffer.byteLength(image.manifest) };
}
/**
 * Copies the referrers of the image and of each child manifest (found through the source registry's
 * referrers API) by digest, each after its subject; one that cannot be copied fails the promotion
 * before any tag is written.
 */
async function copyReferrers(ctx, image, store, sourceRegistry, sameHost) {
    const { inputs } = ctx;
    const found = await findReferrers((digest) => sourceRegistry.listReferrers(inputs.sourceRepository, digest), referrerSubjects(image.digest, image.manifest, image.mediaType), `The source registry (${inputs.sourceRepository})`);
    if (found.length === 0)
        return [];
    const present = (await ctx.ecr.getImages(inputs.repository, found.map((referrer) => ({ digest: referrer.digest })))).byDigest;
    const copies = [];
    for (const referrer of found) {
        if (present.get(referrer.digest) !== undefined) {
            copies.push({ ...referrer, copied: false });
            continue;
        }
        try {
            await transferImage(store, inputs.repository, sourceOf(ctx, referrer, undefined, sourceRegistry, sameHost));
        }
        catch (error) {
            throw new errors/* UserError */.yo(`The referrer ${referrer.digest} (${referrerKind(referrer)}) of ${referrer.subject} could not be copied to ${inputs.repository}: ${(0,errors/* errorMessage */.gJ)(error).replace(/\.?$/, '.')} No tag was written; re-run the promotion.`);
        }
        copies.push({ ...referrer, copied: true });
    }
    ctx.runner.info(`Referrers: ${copies.filter((copy) => copy.copied).length} copied, ${copies.filter((copy) => !copy.copied).length} already in ${inputs.repository} (${copies.map((copy) => `${referrerKind(copy)} ${copy.digest}`).join(', ')}).`);
    return copies;
}
/** Reads a source manifest and what it references: manifests through BatchGetImage (checked against their digests), blobs through the registry API. */
function sourceOf(ctx, top, stored, registry, sameHost) {
    const { inputs } = ctx;
    const manifests = new Map(stored ? [[stored.digest, Buffer.from(stored.manifest)]] : []);
    return {
        top,
        async read(digest) {
            let bytes = manifests.get(digest);
            if (!bytes) {
                const child = (await ctx.sourceEcr.getImages(inputs.sourceRepository, [{ digest }])).byDigest.get(digest);
                if (!child)
                    throw new errors/* UserError */.yo(`${inputs.sourceRepository}@${top.digest} lists ${digest}, which the source repository does not serve; nothing was tagged.`);
                bytes = Buffer.from(child.manifest);
            }
            const actual = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
            // A manifest re-serialised anywhere on the way would change the digest the promotion promises.
            if (actual !== digest)
                throw new errors/* UserError */.yo(`The source registry served ${inputs.sourceRepository}@${digest} as bytes whose digest is ${actual}; nothing was tagged. Re-run; if it persists, the source image cannot be copied byte for byte.`);
            return bytes;
        },
        open: (digest) => registry.openBlob(inputs.sourceRepository, digest),
        ...(sameHost ? { mountFrom: inputs.sourceRepository } : {})
    };
}
/** `platform-digests` of the source image (the copy has the same bytes): an index lists them; a single image's config names its own. */
async function sourcePlatforms(ctx, sourceRegistry, image) {
    const manifest = parseManifest(image.manifest, image.mediaType);
    if (manifest.kind === 'index')
        return platformDigests({ digest: image.digest, manifest }, undefined);
    return storedPlatformDigests(image, await runnableConfigs(ctx.sourceEcr, sourceRegistry, ctx.inputs.sourceRepository, image));
}

// EXTERNAL MODULE: ./src/publish/run-step.ts
var run_step = __webpack_require__(9209);
;// CONCATENATED MODULE: ./src/promote/main.ts








/** promote/action.yml has no `tags` output: a failure after tags still sets these two. */
const PROMOTE_WRITTEN_OUTPUTS = ['digest', 'image'];
function defaultPromoteAdapters() {
    return { runner: (0,runner/* createRunner */.j)(), env: process.env, createEcr: ecr/* createEcr */.vX, createRegistry: createRegistry };
}
/** The promote step: inputs, then the promotion; runStep turns anything thrown into the step's failure. */
async function run(adapters = defaultPromoteAdapters()) {
    const { runner, env } = adapters;
    await (0,run_step/* runStep */.eg)(runner, async () => {
        // Every input is checked before the first network call.
        const inputs = parsePromoteInputs((name) => runner.input(name), env);
        const ecr = openEcr(adapters, env, { region: inputs.awsRegion, registryId: inputs.registryId });
        const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion;
        const sourceEcr = sameRegistry ? ecr : openEcr(adapters, env, { region: inputs.sourceRegion, registryId: inputs.sourceRegistryId });
        const source = `${inputs.sourceRepository}@${inputs.digest}`;
        runner.info(`Promoting ${source} to ${inputs.repository}; tags: ${inputs.tags.join(', ')}${inputs.floatingTags.length ? `; floating: ${inputs.floatingTags.join(', ')}` : ''}.`);
        const outcome = await promoteImage({
            inputs,
            sourceEcr,
            ecr,
            runner,
            openRegistry: registryOpener(adapters, env),
            ...(adapters.sleep ? { sleep: adapters.sleep } : {})
        });
        await (0,run_step/* reportPublished */.tn)(runner, {
            outputs: promoteOutputs(outcome),
            named: outcome,
            // Floating tags move last, after every immutable tag is proven; the outputs already name the image.
            floating: {
                target: { ecr, registryHost: outcome.registryHost, repository: outcome.repository, anyMutable: false, runner, sleep: adapters.sleep },
                tags: inputs.floatingTags
            },
            imageLine: `Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`,
            summary: promoteSummary(outcome, inputs.sourceRepository)
        });
    }, { writtenOutputs: PROMOTE_WRITTEN_OUTPUTS });
}


/***/ })

};

//# sourceMappingURL=640.index.js.map
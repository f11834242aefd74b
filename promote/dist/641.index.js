export const id = 641;
export const ids = [641];
export const modules = {

/***/ 5641:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultPromoteAdapters: () => (/* binding */ defaultPromoteAdapters),
  runPromote: () => (/* binding */ runPromote)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js
var submodules_client = __webpack_require__(5152);
// EXTERNAL MODULE: ./node_modules/@smithy/node-http-handler/dist-cjs/index.js
var node_http_handler_dist_cjs = __webpack_require__(1279);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
;// CONCATENATED MODULE: ./src/shared/aws-errors.ts

const CREDENTIAL_ERRORS = new Set([
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'SignatureDoesNotMatch'
]);
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
/** Turns an AWS SDK error into one line that says what to do about it. */
function describeAwsError(error, context) {
    const err = (error ?? {});
    const name = err.name ?? 'Error';
    const message = (0,errors/* oneLine */.TN)(err.message ?? '');
    const action = `ecr:${context.operation}`;
    const where = context.repository ? ` on ${context.repository}` : '';
    if (name === 'AccessDeniedException' || name === 'AccessDenied') {
        const resource = context.repository
            ? `arn:${context.partition}:ecr:${context.region}:${context.registryId ?? '<account>'}:repository/${context.repository}`
            : '*';
        return new errors/* UserError */.yo(`AWS denied ${action}${where}: add "${action}" on ${resource} to the role's policy (README: IAM policy). AWS said: ${message}`);
    }
    if (err.$metadata?.httpStatusCode === 407) {
        // The proxy's own answer: ECR never saw the call, so AWS's error fields say nothing useful.
        return new errors/* UserError */.yo(`The proxy between the runner and ECR refused ${action} with HTTP 407 Proxy Authentication Required: check the user name and password in the runner's https_proxy / HTTPS_PROXY (http_proxy for an http:// endpoint).`);
    }
    if (name === 'RepositoryNotFoundException') {
        return new errors/* UserError */.yo(`${repositoryMissing(context)} AWS said: ${message}`);
    }
    if (THROTTLING_ERRORS.has(name)) {
        const attempts = err.$metadata?.attempts;
        return new errors/* UserError */.yo(`ECR throttled ${action}${where}${attempts ? ` after ${attempts} attempts` : ''}: re-run the job, or run fewer builds against this registry at once.`);
    }
    if (CREDENTIAL_ERRORS.has(name)) {
        return new errors/* UserError */.yo(`AWS rejected the credentials for ${action} (${name}: ${message}): check the aws-actions/configure-aws-credentials step (role, region, session duration).`);
    }
    if (name === 'CredentialsProviderError') {
        return new errors/* UserError */.yo('No AWS credentials found: add aws-actions/configure-aws-credentials before this step (OIDC role), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
    }
    if ((err.code && NETWORK_CODES.has(err.code)) || name === 'TimeoutError') {
        return new errors/* UserError */.yo(`Could not reach ECR in ${context.region} for ${action} (${err.code ?? name}): check the runner's network and proxy settings, the region, and AWS_ENDPOINT_URL_ECR if set.`);
    }
    // AWS support asks for the request id first when a call fails in a way nobody expected.
    const requestId = err.$metadata?.requestId ? ` (AWS request id ${err.$metadata.requestId})` : '';
    return new errors/* UserError */.yo(`${action}${where} failed: ${name}: ${message || 'no message'}${requestId}`);
}
function repositoryMissing(context) {
    const account = context.registryId ? `account ${context.registryId}` : "the credentials' account";
    return `Repository ${context.repository} does not exist in ${account}, region ${context.region}: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.`;
}

;// CONCATENATED MODULE: ./src/shared/network-limits.ts

const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_CONNECT_MS = 10_000;
/**
 * IEB_IDLE_TIMEOUT_MS is for the project's own tests (a stalled request then costs seconds, not a
 * minute); it is not an input and not documented for users.
 */
function networkLimits(env) {
    const value = env.IEB_IDLE_TIMEOUT_MS?.trim();
    if (!value)
        return { idleMs: DEFAULT_IDLE_MS, connectMs: DEFAULT_CONNECT_MS };
    if (!/^[0-9]+$/.test(value) || Number(value) < 100) {
        throw new errors/* UserError */.yo(`IEB_IDLE_TIMEOUT_MS '${value}' is not a number of milliseconds of 100 or more (a test-only setting): unset it.`);
    }
    const idleMs = Number(value);
    return { idleMs, connectMs: Math.min(DEFAULT_CONNECT_MS, idleMs) };
}
/**
 * The slowest upload an engine push (`docker push`, classic image store) is allowed. The engine's own
 * registry client has no response timeout and its CLI prints no progress without a terminal, so a
 * stalled push cannot be seen idle: it is bounded as a whole, by the image's size at this rate.
 */
const SLOWEST_PUSH_BYTES_PER_SECOND = (/* unused pure expression or super */ null && (256 * 1024));
/** docker retries a failed layer upload 5 times, waiting 5, 10, 15 and 20 s between tries (moby distribution/xfer): its own retries are left their time. */
const ENGINE_PUSH_RETRIES_MS = 50_000;
/**
 * How long `docker push` may run: the idle limit, the engine's own retry waits, and the image at the
 * slowest rate (unknown size: 60 idle limits, an hour by default).
 */
function enginePushLimitMs(imageBytes, limits) {
    if (imageBytes === undefined)
        return limits.idleMs * 60;
    return limits.idleMs + ENGINE_PUSH_RETRIES_MS + Math.ceil((imageBytes / SLOWEST_PUSH_BYTES_PER_SECOND) * 1000);
}
/** Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): retries of many runners do not line up. */
function backoffMs(retry, random = Math.random, baseMs = 250, capMs = 4000) {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

;// CONCATENATED MODULE: ./src/shared/proxy.ts

/** The proxy for one URL: decided per host, so an S3 or ECR host in no_proxy bypasses it while the others do not. */
function proxyFor(env, target) {
    let url;
    try {
        url = new URL(target);
    }
    catch {
        return undefined;
    }
    if (bypassesProxy(url, env.no_proxy ?? env.NO_PROXY ?? ''))
        return undefined;
    return proxyVariable(env, url.protocol === 'http:' ? ['http_proxy', 'HTTP_PROXY'] : ['https_proxy', 'HTTPS_PROXY']);
}
/**
 * Every proxy the variables name (https and http), whatever the host: read once at start, so a
 * malformed variable fails before any call and every proxy password is masked before any log line.
 */
function configuredProxies(env) {
    return [proxyVariable(env, ['https_proxy', 'HTTPS_PROXY']), proxyVariable(env, ['http_proxy', 'HTTP_PROXY'])].filter((choice) => choice !== undefined);
}
function proxyVariable(env, names) {
    const variable = names.find((name) => env[name]?.trim());
    if (!variable)
        return undefined;
    const raw = env[variable].trim();
    let proxy;
    try {
        // A bare host:port is what many runners are configured with; it means an http:// proxy.
        proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    }
    catch {
        throw new errors/* UserError */.yo(`${variable} is not a proxy URL such as http://proxy.example.com:3128: fix it in the runner's environment, or unset it.`);
    }
    const credentials = [proxy.password, decodeURIComponent(proxy.password)].filter((secret) => secret !== '');
    const display = new URL(proxy.href);
    display.username = '';
    display.password = '';
    return { url: proxy.href, display: display.href.replace(/\/$/, ''), credentials: [...new Set(credentials)], variable };
}
/** no_proxy entries: `*`, a host or address, a domain (with or without a leading dot or `*.`) matching its subdomains, any of them with :port. */
function bypassesProxy(target, noProxy) {
    const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = target.port || (target.protocol === 'http:' ? '80' : '443');
    return noProxy
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== '')
        .some((entry) => {
        if (entry === '*')
            return true;
        const { name, port: entryPort } = parseNoProxyEntry(entry);
        if (entryPort !== undefined && entryPort !== port)
            return false;
        const domain = name.replace(/^\*?\./, '');
        return host === domain || host.endsWith(`.${domain}`);
    });
}
function parseNoProxyEntry(entry) {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed)
        return { name: bracketed[1], port: bracketed[2] };
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (withPort)
        return { name: withPort[1], port: withPort[2] };
    return { name: entry, port: undefined };
}

;// CONCATENATED MODULE: ./src/shared/read-after-write.ts
/**
 * ECR is eventually consistent for a moment after a write: a manifest or tag written a second ago can
 * answer "not found" (docker/github-builder#30), and an index PUT right after its children can be
 * refused for a missing child. A read that proves or references what this run (or the step before it)
 * just wrote therefore waits for it, within a bound. Only "not found" is waited for: an answer naming
 * another digest is a race with another writer, which the callers' rules decide at once.
 */
/** Pauses between reads: about 30 s in all, short at first because the lag is usually well under a second. */
const LAG_DELAYS_MS = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000];
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Reads until `served` accepts the value or the pauses run out, and returns the last value read: the
 * caller turns a value still not served into its own one-line error.
 */
async function read_after_write_readAfterWrite(read, served, wait) {
    let value = await read();
    let waited = 0;
    for (const delay of LAG_DELAYS_MS) {
        if (served(value))
            break;
        await (wait.sleep ?? realSleep)(delay);
        waited += delay;
        value = await read();
    }
    if (waited > 0) {
        const outcome = served(value) ? 'served' : 'still did not serve';
        wait.log?.(`ECR ${outcome} ${wait.what} after waiting ${(waited / 1000).toFixed(2)} s for it (read-after-write lag).`);
    }
    return value;
}
/** The total bound, for messages. */
const read_after_write_LAG_BOUND_SECONDS = Math.round(LAG_DELAYS_MS.reduce((sum, ms) => sum + ms, 0) / 1000);

;// CONCATENATED MODULE: ./src/shared/scan-findings.ts
/** Worst first. Basic scanning's FindingSeverity ends in UNDEFINED; Inspector also reports UNTRIAGED. */
const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED', 'UNTRIAGED'];
/** The values the fail-on-severity input takes (besides off / empty). */
const THRESHOLDS = (/* unused pure expression or super */ null && (['critical', 'high', 'medium', 'low', 'informational']));
/** Lower is worse; unknown severities rank with UNDEFINED. */
function severityRank(severity) {
    const index = SEVERITY_ORDER.indexOf((severity ?? '').toUpperCase());
    return index === -1 ? SEVERITY_ORDER.indexOf('UNDEFINED') : index;
}
function toSeverity(value) {
    return SEVERITY_ORDER[severityRank(value)] ?? 'UNDEFINED';
}
function attribute(finding, key) {
    return finding.attributes?.find((a) => a.key === key)?.value;
}
function fromBasic(finding) {
    return {
        severity: toSeverity(finding.severity),
        id: finding.name ?? '(unnamed)',
        packageName: attribute(finding, 'package_name'),
        packageVersion: attribute(finding, 'package_version'),
        fixedIn: undefined,
        uri: finding.uri
    };
}
function fromEnhanced(finding) {
    const details = finding.packageVulnerabilityDetails;
    const id = details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? '(unnamed)';
    const uri = details?.sourceUrl ?? details?.referenceUrls?.[0] ?? finding.remediation?.recommendation?.url;
    const packages = details?.vulnerablePackages?.length ? details.vulnerablePackages : [undefined];
    return packages.map((pkg) => ({
        severity: toSeverity(finding.severity),
        id,
        packageName: pkg?.name,
        packageVersion: pkg?.version,
        fixedIn: pkg?.fixedInVersion,
        uri
    }));
}
/** One list from the pages of one image's DescribeImageScanFindings (basic or enhanced), worst first. */
function normaliseFindings(pages) {
    const findings = [];
    for (const page of pages) {
        for (const finding of page.imageScanFindings?.findings ?? [])
            findings.push(fromBasic(finding));
        for (const finding of page.imageScanFindings?.enhancedFindings ?? []) {
            // Inspector keeps closed findings (status CLOSED / SUPPRESSED); only ACTIVE ones count.
            if (finding.status !== undefined && finding.status !== 'ACTIVE')
                continue;
            findings.push(...fromEnhanced(finding));
        }
    }
    return sortFindings(findings);
}
function sortFindings(findings) {
    return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id));
}
/** fail-on-severity: critical|high|medium|low|informational, or off / empty (no gate). */
function scan_findings_parseSeverityThreshold(input) {
    const value = input.trim().toLowerCase();
    if (value === '' || value === 'off')
        return undefined;
    if (THRESHOLDS.includes(value))
        return value.toUpperCase();
    throw new Error(`Input fail-on-severity must be one of ${THRESHOLDS.join(', ')} or off; got "${input.trim()}".`);
}
/**
 * Whether a finding blocks at the threshold. A severity nobody has rated yet (UNDEFINED, Inspector's
 * UNTRIAGED) ranks as INFORMATIONAL here, so `informational`, the strictest threshold, blocks on every
 * finding; the higher thresholds wait for a rating.
 */
function atOrAbove(finding, threshold) {
    const rank = Math.min(severityRank(finding.severity), severityRank('INFORMATIONAL'));
    return rank <= severityRank(threshold);
}
const WORST_IDS = 5;
function countBySeverity(findings) {
    const counts = {};
    for (const finding of findings)
        counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    return counts;
}
/** Pass unless some image has a finding at or above the threshold (no threshold: always pass). */
function scan_findings_gateDecision(perImage, threshold) {
    const all = sortFindings(perImage.flatMap((image) => image.findings));
    const blocking = threshold === undefined ? [] : all.filter((finding) => atOrAbove(finding, threshold));
    if (threshold === undefined || blocking.length === 0)
        return { verdict: 'pass', counts: countBySeverity(all) };
    const worst = [];
    for (const finding of blocking) {
        if (worst.length >= WORST_IDS)
            break;
        if (!worst.includes(finding.id))
            worst.push(finding.id);
    }
    return { verdict: 'fail', counts: countBySeverity(blocking), worst, threshold };
}
function scan_findings_formatCounts(counts) {
    const parts = SEVERITY_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
    return parts.length > 0 ? parts.join(', ') : 'no findings';
}
/** The one-line failure: counts per severity and the worst ids. */
function scan_findings_failureMessage(decision) {
    return (`The image scan found vulnerabilities at or above ${decision.threshold} (fail-on-severity): ` +
        `${scan_findings_formatCounts(decision.counts)}; worst: ${decision.worst.join(', ')}. No tag was written; the image stays untagged.`);
}
const TABLE_ROWS = 50;
function cell(text) {
    return (text ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
/** Markdown table for the job summary (severity, id, package, fixed in), at most maxRows rows. */
function scan_findings_findingsTable(findings, maxRows = TABLE_ROWS) {
    if (findings.length === 0)
        return 'No findings.';
    const sorted = sortFindings(findings);
    const rows = sorted.slice(0, maxRows).map((f) => {
        const id = f.uri ? `[${cell(f.id)}](${f.uri.replace(/\)/g, '%29')})` : cell(f.id);
        const pkg = f.packageName ? `${cell(f.packageName)}${f.packageVersion ? ` ${cell(f.packageVersion)}` : ''}` : '';
        return `| ${f.severity} | ${id} | ${pkg} | ${cell(f.fixedIn)} |`;
    });
    const more = sorted.length - rows.length;
    return ['| Severity | Id | Package | Fixed in |', '| --- | --- | --- | --- |', ...rows, ...(more > 0 ? [`\nand ${more} more`] : [])].join('\n');
}
function scan_findings_parseOnScanTimeout(input) {
    const value = input.trim().toLowerCase();
    if (value === '' || value === 'fail')
        return 'fail';
    if (value === 'continue')
        return 'continue';
    throw new Error(`Input on-scan-timeout must be fail or continue; got "${input.trim()}".`);
}
/**
 * What to do with one image's scan status (API_ImageScanStatus values). COMPLETE (basic) and
 * ACTIVE (enhanced: "The scan is complete and the findings are available") are evaluated;
 * IN_PROGRESS and PENDING wait until timedOut; everything else fails with a line naming it.
 */
function scan_findings_scanStep(image, status, options) {
    const why = options.description ? ` (${options.description})` : '';
    switch (status) {
        case 'COMPLETE':
        case 'ACTIVE':
            return { action: 'evaluate' };
        case 'IN_PROGRESS':
        case 'PENDING':
        case undefined:
            if (!options.timedOut)
                return { action: 'wait' };
            return options.onTimeout === 'continue'
                ? { action: 'continue', message: `The scan of ${image} did not finish in time; continuing without its findings (on-scan-timeout: continue).` }
                : {
                    action: 'fail',
                    message: `The scan of ${image} did not finish in time (status ${status ?? 'unknown'}); no tag was written (on-scan-timeout: fail).`
                };
        case 'FAILED':
            return { action: 'fail', message: `The scan of ${image} failed${why}; no tag was written.` };
        case 'UNSUPPORTED_IMAGE':
            return { action: 'fail', message: `ECR cannot scan ${image}: its operating system or package manager is not supported${why}; no tag was written.` };
        default:
            return { action: 'fail', message: `The scan of ${image} ended with status ${status}${why}; no tag was written.` };
    }
}
/** StartImageScan answered UnsupportedImageTypeException: the gate cannot pass this image. */
function scan_findings_unsupportedImageMessage(image, awsMessage) {
    return `ECR cannot scan ${image}: ${awsMessage.replace(/\s+/g, ' ').trim()} No tag was written.`;
}

;// CONCATENATED MODULE: ./src/adapters/ecr.ts









/** ECR refused to move a tag that already exists and is immutable. */
class ecr_TagTakenError extends Error {
    tag;
    name = 'TagTakenError';
    constructor(tag) {
        super(`The tag ${tag} already exists and ECR keeps it immutable.`);
        this.tag = tag;
    }
}
/** The line for an archived image (BatchGetImage failure ImageInaccessible, user guide "Archiving an image"). */
function archivedImageMessage(repository, ref) {
    const imageId = ref.startsWith('sha256:') ? `imageDigest=${ref}` : `imageTag=${ref}`;
    const name = ref.startsWith('sha256:') ? `${repository}@${ref}` : `${repository}:${ref}`;
    return (`${name} is archived (ECR storage class ARCHIVE): restore it with ` +
        `\`aws ecr update-image-storage-class --repository-name ${repository} --image-id ${imageId} --target-storage-class STANDARD\` ` +
        'and wait until it is ACTIVE, then re-run.');
}
function failureRef(failure) {
    return failure.imageId?.imageDigest ?? failure.imageId?.imageTag ?? '?';
}
const ACCEPTED_MANIFEST_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json'
];
const USER_AGENT = 'immutable-ecr-build/1';
function createEcr(options) {
    const { region, registryId, mask } = options;
    // Endpoint (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL, FIPS, dual-stack) and credentials come from the SDK's own chains.
    // The proxy variables are read here, so a malformed one fails before any call is made.
    const env = options.env ?? process.env;
    if (!options.client)
        for (const proxy of configuredProxies(env))
            for (const secret of proxy.credentials)
                mask(secret);
    const attempts = maxAttempts(env);
    const limits = networkLimits(env);
    // The SDK's own partition table, so ARNs in messages are right in China, GovCloud, ISO and EUSC regions too.
    const { name: partition } = (0,submodules_client.partition)(region);
    const client = options.client ?? newClient(options, env, attempts, limits);
    const call = async (operation, repository, send) => {
        try {
            return await send();
        }
        catch (error) {
            throw describeAwsError(error, { operation, repository, region, partition, registryId });
        }
    };
    return {
        async authorize() {
            const response = await call('GetAuthorizationToken', undefined, async () => client.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(registryId ? { registryIds: [registryId] } : {})));
            const data = response.authorizationData?.[0];
            if (!data?.authorizationToken || !data.proxyEndpoint) {
                throw new errors/* UserError */.yo('ECR GetAuthorizationToken returned no token or proxyEndpoint.');
            }
            mask(data.authorizationToken);
            const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
            const separator = decoded.indexOf(':');
            const password = decoded.slice(separator + 1);
            mask(password);
            return {
                registryHost: new URL(data.proxyEndpoint).host,
                endpoint: data.proxyEndpoint,
                username: decoded.slice(0, separator),
                password
            };
        },
        async describeRepository(name) {
            try {
                const response = await client.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [name], registryId }));
                const repository = response.repositories?.[0];
                return repository ? toRepositoryInfo(repository) : { absent: true, registryId };
            }
            catch (error) {
                if (error.name === 'RepositoryNotFoundException') {
                    const named = /registry with id '([0-9]{12})'/.exec(error.message ?? '')?.[1];
                    return { absent: true, registryId: registryId ?? named };
                }
                throw describeAwsError(error, { operation: 'DescribeRepositories', repository: name, region, partition, registryId });
            }
        },
        async createRepository(name, mutability, exclusionFilters = []) {
            const response = await call('CreateRepository', name, async () => client.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
                repositoryName: name,
                registryId,
                imageTagMutability: mutability,
                imageTagMutabilityExclusionFilters: exclusionFilters.length ? exclusionFilters.map((filter) => ({ filterType: 'WILDCARD', filter })) : undefined,
                imageScanningConfiguration: { scanOnPush: true }
            })));
            if (!response.repository)
                throw new errors/* UserError */.yo(`ECR CreateRepository returned no repository for ${name}.`);
            return toRepositoryInfo(response.repository);
        },
        async getImages(repository, refs) {
            const response = await call('BatchGetImage', repository, async () => client.send(new dist_cjs/* BatchGetImageCommand */.P8n({
                repositoryName: repository,
                registryId,
                imageIds: refs.map(toImageIdentifier),
                acceptedMediaTypes: ACCEPTED_MANIFEST_TYPES
            })));
            for (const failure of response.failures ?? []) {
                if (failure.failureCode === 'ImageInaccessible')
                    throw new errors/* UserError */.yo(archivedImageMessage(repository, failureRef(failure)));
                if (failure.failureCode !== 'ImageNotFound') {
                    const ref = failure.imageId?.imageTag ?? failure.imageId?.imageDigest ?? '?';
                    throw new errors/* UserError */.yo(`ECR could not look up ${repository}:${ref}: ${failure.failureCode} (${failure.failureReason ?? 'no reason given'}).`);
                }
            }
            const byTag = new Map();
            const byDigest = new Map();
            for (const ref of refs) {
                if ('tag' in ref)
                    byTag.set(ref.tag, undefined);
                else
                    byDigest.set(ref.digest, undefined);
            }
            for (const image of response.images ?? []) {
                const digest = image.imageId?.imageDigest;
                if (!digest || image.imageManifest === undefined)
                    continue;
                const stored = { digest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType ?? '' };
                const tag = image.imageId?.imageTag;
                if (tag !== undefined && byTag.has(tag))
                    byTag.set(tag, stored);
                if (byDigest.has(digest))
                    byDigest.set(digest, stored);
            }
            return { byTag, byDigest };
        },
        async listUntagged(repository) {
            const images = [];
            await call('DescribeImages', repository, async () => {
                // 1000, the API's largest page: the newest can be on any page, so every page is read.
                const pages = (0,dist_cjs/* paginateDescribeImages */.XiR)({ client, pageSize: 1000 }, { repositoryName: repository, registryId, filter: { tagStatus: 'UNTAGGED' } });
                for await (const page of pages) {
                    for (const detail of page.imageDetails ?? []) {
                        if (!detail.imageDigest)
                            continue;
                        images.push({ digest: detail.imageDigest, mediaType: detail.imageManifestMediaType ?? '', pushedAt: detail.imagePushedAt });
                    }
                }
            });
            return images;
        },
        async putTag(repository, tag, image) {
            const put = async () => {
                try {
                    await client.send(new dist_cjs/* PutImageCommand */.SUU({
                        repositoryName: repository,
                        registryId,
                        imageTag: tag,
                        imageDigest: image.digest,
                        imageManifest: image.manifest,
                        imageManifestMediaType: image.mediaType || undefined
                    }));
                    return undefined;
                }
                catch (error) {
                    const name = error.name;
                    if (name === 'ImageAlreadyExistsException')
                        return undefined;
                    if (name === 'ImageTagAlreadyExistsException')
                        throw new ecr_TagTakenError(tag);
                    // An index PutImage right after its children: ECR does not see them yet (read-after-write lag).
                    if (name === 'ReferencedImagesNotFoundException')
                        return error.message;
                    throw describeAwsError(error, { operation: 'PutImage', repository, region, partition, registryId });
                }
            };
            const missing = await read_after_write_readAfterWrite(put, (refused) => refused === undefined, {
                what: `the images ${repository}@${image.digest} references`,
                sleep: options.sleep,
                log: options.log
            });
            if (missing !== undefined) {
                throw new errors/* UserError */.yo(`ECR refused ${tag} on ${repository}@${image.digest} for ${read_after_write_LAG_BOUND_SECONDS} s because images it references are missing (ReferencedImagesNotFoundException: ${missing}); nothing else was written: re-run the job.`);
            }
        },
        async deleteTag(repository, tag) {
            const response = await call('BatchDeleteImage', repository, async () => client.send(new dist_cjs/* BatchDeleteImageCommand */.wau({ repositoryName: repository, registryId, imageIds: [{ imageTag: tag }] })));
            const failure = response.failures?.find((entry) => entry.failureCode !== 'ImageNotFound');
            if (failure)
                throw new errors/* UserError */.yo(`${failure.failureCode}: ${failure.failureReason ?? 'no reason given'}`);
        },
        async startImageScan(repository, digest) {
            try {
                await client.send(new dist_cjs/* StartImageScanCommand */.Qc9({ repositoryName: repository, registryId, imageId: { imageDigest: digest } }));
                return { outcome: 'started' };
            }
            catch (error) {
                const name = error.name;
                if (name === 'UnsupportedImageTypeException')
                    return { outcome: 'unsupported', message: error.message };
                if (name === 'LimitExceededException')
                    return { outcome: 'limit-exceeded' };
                if (name === 'ImageArchivedException')
                    throw new errors/* UserError */.yo(archivedImageMessage(repository, digest));
                throw describeAwsError(error, { operation: 'StartImageScan', repository, region, partition, registryId });
            }
        },
        async describeScanFindings(repository, digest) {
            const pages = [];
            let nextToken;
            try {
                do {
                    const page = await client.send(new dist_cjs/* DescribeImageScanFindingsCommand */.TQ0({
                        repositoryName: repository,
                        registryId,
                        imageId: { imageDigest: digest },
                        maxResults: 1000,
                        ...(nextToken ? { nextToken } : {})
                    }));
                    pages.push(page);
                    nextToken = page.nextToken;
                } while (nextToken);
            }
            catch (error) {
                if (error.name === 'ScanNotFoundException')
                    return { found: false };
                throw describeAwsError(error, { operation: 'DescribeImageScanFindings', repository, region, partition, registryId });
            }
            const first = pages[0];
            const counts = {};
            for (const [severity, count] of Object.entries(first?.imageScanFindings?.findingSeverityCounts ?? {})) {
                if (typeof count === 'number')
                    counts[severity] = count;
            }
            return {
                found: true,
                status: first?.imageScanStatus?.status,
                description: first?.imageScanStatus?.description,
                findings: normaliseFindings(pages),
                severityCounts: counts,
                completedAt: first?.imageScanFindings?.imageScanCompletedAt
            };
        },
        async registryScanType() {
            const response = await call('GetRegistryScanningConfiguration', undefined, async () => client.send(new dist_cjs/* GetRegistryScanningConfigurationCommand */.Mhg({})));
            return response.scanningConfiguration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC';
        },
        async signingRules() {
            try {
                const response = await client.send(new dist_cjs/* GetSigningConfigurationCommand */.tUh({}));
                return (response.signingConfiguration?.rules ?? []).map((rule) => ({
                    signingProfileArn: rule.signingProfileArn ?? '',
                    repositoryFilters: (rule.repositoryFilters ?? []).map((filter) => filter.filter ?? '')
                }));
            }
            catch (error) {
                if (error.name === 'SigningConfigurationNotFoundException')
                    return undefined;
                throw describeAwsError(error, { operation: 'GetSigningConfiguration', repository: undefined, region, partition, registryId });
            }
        },
        async signingStatuses(repository, digest) {
            const response = await call('DescribeImageSigningStatus', repository, async () => client.send(new dist_cjs/* DescribeImageSigningStatusCommand */.feV({ repositoryName: repository, imageId: { imageDigest: digest }, registryId })));
            return (response.signingStatuses ?? []).map((status) => ({
                signingProfileArn: status.signingProfileArn,
                status: status.status,
                failureCode: status.failureCode,
                failureReason: status.failureReason
            }));
        }
    };
}
/**
 * The SDK's default is 3 attempts; 5 rides out ECR's throttling when many jobs push at once. A user who
 * sets AWS_MAX_ATTEMPTS chose otherwise, and an explicit maxAttempts would silently override that choice.
 */
const DEFAULT_MAX_ATTEMPTS = 5;
function maxAttempts(env) {
    const value = env.AWS_MAX_ATTEMPTS?.trim();
    if (!value)
        return DEFAULT_MAX_ATTEMPTS;
    if (!/^[0-9]+$/.test(value) || Number(value) < 1) {
        throw new errors/* UserError */.yo(`AWS_MAX_ATTEMPTS '${value}' is not a number of attempts: set it to a whole number of 1 or more, or unset it for ${DEFAULT_MAX_ATTEMPTS}.`);
    }
    return Number(value);
}
/**
 * The SDK's own HTTP handler with connect and idle limits (socketTimeout is the idle one; requestTimeout
 * would only warn), its own retry strategy (standard mode: backoff with jitter on throttling, 5xx,
 * resets and timeouts, up to maxAttempts), and the proxy chosen per host the SDK resolved: the
 * endpoint (regional, FIPS, dual-stack, ISO, EUSC, or AWS_ENDPOINT_URL_ECR) is never built here.
 */
function newClient(options, env, attempts, limits) {
    const timeouts = { connectionTimeout: limits.connectMs, socketTimeout: limits.idleMs };
    const client = new dist_cjs/* ECRClient */.S70({
        region: options.region,
        maxAttempts: attempts,
        customUserAgent: [[USER_AGENT]],
        requestHandler: new ProxyRoutingHandler(env, timeouts, options.log)
    });
    client.middlewareStack.add((next, context) => async (args) => {
        try {
            const output = await next(args);
            noteRetries(options.log, String(context.commandName ?? ''), output.output.$metadata?.attempts, 'succeeded');
            return output;
        }
        catch (error) {
            noteRetries(options.log, String(context.commandName ?? ''), error.$metadata?.attempts, 'failed');
            throw error;
        }
    }, { step: 'initialize', name: 'iebRetryLog' });
    return client;
}
/** The log says how many retries a call spent; a call that needed none says nothing. */
function noteRetries(log, command, attempts, outcome) {
    if (!attempts || attempts < 2)
        return;
    const retries = attempts - 1;
    log?.(`ECR ${command.replace(/Command$/, '')} ${outcome} after ${retries} ${retries === 1 ? 'retry' : 'retries'} (${attempts} attempts).`);
}
/**
 * The SDK does not read the proxy variables. no_proxy is decided for the host of each request (the
 * one the SDK's endpoint resolution chose); a proxied handler is made once per proxy, on first use.
 */
class ProxyRoutingHandler {
    env;
    timeouts;
    log;
    /** What the SDK reads to tell HTTP/1.1 from HTTP/2 handlers. */
    metadata = { handlerProtocol: 'http/1.1' };
    direct;
    proxied = new Map();
    said = new Set();
    constructor(env, timeouts, log) {
        this.env = env;
        this.timeouts = timeouts;
        this.log = log;
        this.direct = new node_http_handler_dist_cjs.NodeHttpHandler(timeouts);
    }
    async handle(request, options) {
        const origin = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
        const proxy = proxyFor(this.env, origin);
        if (!proxy)
            return this.direct.handle(request, options);
        if (!this.said.has(origin)) {
            this.said.add(origin);
            this.log?.(`ECR API calls to ${request.hostname} go through the proxy ${proxy.display} (${proxy.variable}).`);
        }
        return (await this.viaProxy(proxy)).handle(request, options);
    }
    viaProxy(proxy) {
        let handler = this.proxied.get(proxy.url);
        if (!handler) {
            // Loaded only behind a proxy: a run without one does not pay for it at start-up.
            handler = __webpack_require__.e(/* import() */ 669).then(__webpack_require__.t.bind(__webpack_require__, 3669, 23)).then(({ HttpsProxyAgent }) => {
                const agent = new HttpsProxyAgent(proxy.url, { keepAlive: true });
                return new node_http_handler_dist_cjs.NodeHttpHandler({ ...this.timeouts, httpAgent: agent, httpsAgent: agent });
            });
            this.proxied.set(proxy.url, handler);
        }
        return handler;
    }
    updateHttpClientConfig(key, value) {
        this.direct.updateHttpClientConfig(key, value);
    }
    httpHandlerConfigs() {
        return this.direct.httpHandlerConfigs();
    }
    destroy() {
        this.direct.destroy();
    }
}
function toImageIdentifier(ref) {
    return 'tag' in ref ? { imageTag: ref.tag } : { imageDigest: ref.digest };
}
const MUTABILITIES = new Set(['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION']);
function toRepositoryInfo(repository) {
    const mutability = repository.imageTagMutability ?? 'MUTABLE';
    return {
        name: repository.repositoryName ?? '',
        uri: repository.repositoryUri ?? '',
        registryId: repository.registryId ?? '',
        // An unknown future setting is treated as mutable: the safe assumption for a tag we must not lose.
        mutability: MUTABILITIES.has(mutability) ? mutability : 'MUTABLE',
        exclusionFilters: (repository.imageTagMutabilityExclusionFilters ?? []).map((filter) => filter.filter ?? '').filter((filter) => filter !== '')
    };
}

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
            const proxies = configuredProxies(env);
            for (const secret of proxies.flatMap((proxy) => proxy.credentials))
                adapters.runner.setSecret(secret);
            registry = adapters.createRegistry({
                endpoint: credentials.endpoint,
                username: credentials.username,
                password: credentials.password,
                ...(proxies.length ? { proxyFor: (url) => proxyFor(env, url.href) } : {}),
                limits: networkLimits(env),
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
    const limits = options.limits ?? { idleMs: DEFAULT_IDLE_MS, connectMs: DEFAULT_CONNECT_MS };
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
            await sleep(backoffMs(tried, options.random));
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
            const answer = await read_after_write_readAfterWrite(put, (response) => !lagging(response), {
                what: `the children of index ${manifest.digest} in ${repository}`,
                sleep,
                log: options.log
            });
            if (lagging(answer)) {
                throw new errors/* UserError */.yo(`The registry refused the index ${manifest.digest} for ${repository} for ${read_after_write_LAG_BOUND_SECONDS} s because a child manifest is missing (HTTP ${answer.status}${registryErrorText(answer)}); nothing was tagged: re-run the job.`);
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
;// CONCATENATED MODULE: ./src/shared/tag-policy.ts
/** ECR's WILDCARD filters: `*` matches any run of characters, everything else literally. */
function wildcardMatches(filter, tag) {
    const pattern = filter
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${pattern}$`).test(tag);
}
/** Whether ECR itself refuses to overwrite this tag in this repository. */
function isTagImmutable(repository, tag) {
    const excluded = repository.exclusionFilters.some((filter) => wildcardMatches(filter, tag));
    switch (repository.mutability) {
        case 'IMMUTABLE':
            return true;
        case 'MUTABLE':
            return false;
        case 'IMMUTABLE_WITH_EXCLUSION':
            return !excluded;
        case 'MUTABLE_WITH_EXCLUSION':
            return excluded;
    }
}
function describeMutability(repository) {
    const filters = repository.exclusionFilters.length ? ` (exclusion filters: ${repository.exclusionFilters.join(', ')})` : '';
    return `${repository.mutability}${filters}`;
}
/** Tags ECR would let another writer move; require-immutable-repository refuses these. */
function mutableTags(repository, tags) {
    return tags.filter((tag) => !isTagImmutable(repository, tag));
}
/**
 * All-or-nothing: build only when no tag exists; reuse only when every tag exists on one digest.
 * Anything in between would leave an image half-tagged, so it is refused in either mode.
 */
function tag_policy_decideOnExistingTags(tags, existing, ifTagExists, repositoryName) {
    const present = tags.filter((tag) => existing.get(tag) !== undefined);
    if (present.length === 0)
        return { kind: 'build' };
    const listing = present.map((tag) => `${tag} (${existing.get(tag)})`).join(', ');
    if (ifTagExists === 'fail') {
        return {
            kind: 'refuse',
            reason: `${present.length === 1 ? 'Tag already exists' : 'Tags already exist'} in ${repositoryName}: ${listing}. Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
        };
    }
    const digests = new Set(present.map((tag) => existing.get(tag)));
    if (present.length === tags.length && digests.size === 1) {
        return { kind: 'reuse', digest: [...digests][0] };
    }
    const absent = tags.filter((tag) => existing.get(tag) === undefined);
    const why = digests.size > 1 ? 'the existing tags name different images' : `${absent.join(', ')} ${absent.length === 1 ? 'does' : 'do'} not exist yet`;
    return {
        kind: 'refuse',
        reason: `if-tag-exists: skip needs every tag on one image, but ${why}: ${listing}. Nothing was built or pushed; remove the conflicting extra-tags or use tags that are all new.`
    };
}

;// CONCATENATED MODULE: ./src/publish/tags.ts

/** Docker's tag grammar, which ECR enforces too. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const TAG_PREFIX_PATTERN = /^[A-Za-z0-9_.-]*$/;
const tags_MIN_SHA_LENGTH = 7;
function isValidTag(tag) {
    return TAG_PATTERN.test(tag);
}
function deriveTags(spec) {
    if (!TAG_PREFIX_PATTERN.test(spec.tagPrefix)) {
        throw new UserError(`Input 'tag-prefix' '${spec.tagPrefix}' is not allowed: use only letters, digits, '_', '.' and '-'.`);
    }
    if (spec.shaLength > spec.sha.length) {
        throw new UserError(`Input 'sha-length' ${spec.shaLength} is longer than the ${spec.sha.length}-character SHA: use ${tags_MIN_SHA_LENGTH} to ${spec.sha.length}.`);
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
function floating_tags_parseFloatingTags(list) {
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
    const stuck = floating.filter((tag) => isTagImmutable(repository, tag));
    if (stuck.length === 0)
        return undefined;
    const fix = repository.mutability === 'MUTABLE_WITH_EXCLUSION'
        ? `remove the exclusion filter that matches ${stuck.join(', ')}`
        : `set the repository to IMMUTABLE_WITH_EXCLUSION with the exclusion filter${stuck.length === 1 ? '' : 's'} ${stuck.map((tag) => `'${tag}'`).join(', ')} (aws ecr put-image-tag-mutability --repository-name ${repository.name} --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters ${stuck.map((tag) => `filterType=WILDCARD,filter=${tag}`).join(' ')})`;
    return `Input 'floating-tags': ECR keeps ${stuck.join(', ')} immutable in ${repository.name} (${describeMutability(repository)}), so ${stuck.length === 1 ? 'it' : 'they'} could be written once only. Nothing was built; ${fix}, or drop ${stuck.length === 1 ? 'it' : 'them'} from floating-tags.`;
}
/**
 * Moves each floating tag onto the image, then reads them back. A floating tag another run moved again
 * since is a warning, not a failure: the newer run owns it now; the immutable tags are already proven.
 */
async function moveFloatingTags(move) {
    const { ecr, repository, image, floating } = move;
    if (floating.length === 0)
        return [];
    const moved = [];
    for (const tag of floating) {
        await ecr.putTag(repository, tag, image);
        moved.push(tag);
    }
    // A tag not found right after it was written is ECR's read-after-write lag (waited for); another digest is another run.
    const served = await read_after_write_readAfterWrite(() => ecr.getImages(repository, floating.map((tag) => ({ tag }))), (found) => floating.every((tag) => found.byTag.get(tag) !== undefined), { what: `the floating tags ${floating.join(', ')} of ${repository}`, sleep: move.sleep, log: move.log });
    for (const tag of floating) {
        const now = served.byTag.get(tag)?.digest;
        if (now !== image.digest)
            move.warn(`${repository}:${tag} names ${now ?? 'nothing'} right after this run moved it to ${image.digest}: another run moved it since. Serialize runs with the workflow 'concurrency:' key.`);
    }
    return moved;
}
/** The last step of a run that ends with an image in the repository: pushed, reused, or tags added. */
async function applyFloatingTags(ctx, digest) {
    const { repository, floatingTags } = ctx.inputs;
    if (floatingTags.length === 0 || !digest)
        return;
    const image = (await ctx.ecr.getImages(repository, [{ digest }])).byDigest.get(digest);
    if (!image)
        throw new errors/* UserError */.yo(`${repository}@${digest} is no longer in the repository, so floating-tags ${floatingTags.join(', ')} were not moved; re-run the job.`);
    const moved = await moveFloatingTags({
        ecr: ctx.ecr,
        repository,
        image,
        floating: floatingTags,
        warn: (message) => ctx.runner.warning(message),
        sleep: ctx.sleep,
        log: (message) => ctx.runner.info(message)
    });
    const kept = floatingTags.filter((tag) => !moved.includes(tag));
    ctx.runner.info(`Floating tags on ${digest}: ${moved.length ? `moved ${moved.join(', ')}` : ''}${moved.length && kept.length ? '; ' : ''}${kept.length ? `already there ${kept.join(', ')}` : ''}.`);
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
async function gate_wait_pollEach(items, options, look, waiting) {
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
function signing_gate_parseSigningGateInputs(get) {
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
    await gate_wait_pollEach(images, { timeoutSeconds: options.timeoutSeconds, sleep: deps.sleep, clock: deps.clock }, async (image, timedOut) => {
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

;// CONCATENATED MODULE: ./src/publish/tags-written.ts

/** The failure of a step whose tags were written; failStep sets the digest, image and tags outputs from it. */
class tags_written_TagsWrittenError extends errors/* UserError */.yo {
    written;
    constructor(message, written) {
        super(message);
        this.written = written;
    }
}
/** "The tags a, b name sha256:…: the step's digest and image outputs name it." */
function tags_written_writtenTagsNote(written) {
    const [first] = written.tags;
    const which = written.tags.length === 1 ? `The tag ${first ?? ''} names` : `The tags ${written.tags.join(', ')} name`;
    return `${which} ${written.digest}: the step's digest and image outputs name it.`;
}
/** The error of a step that failed after writing tags, with the one-line note of what they name. */
function tags_written_failedAfterTags(error, written) {
    if (error instanceof tags_written_TagsWrittenError)
        return error;
    return new tags_written_TagsWrittenError(`${(0,errors/* errorMessage */.gJ)(error).replace(/\.?$/, '.')} ${tags_written_writtenTagsNote(written)}`, written);
}
/** The outputs a failed step still sets: what the written tags name. */
function writtenTagsOutputs(written) {
    return { digest: written.digest, image: `${written.registryHost}/${written.repository}@${written.digest}`, tags: written.tags.join(',') };
}

;// CONCATENATED MODULE: ./src/publish/step-end.ts


/**
 * How the steps of the build, merge and promote actions end. The job summary is a courtesy: a summary that
 * cannot be written is a warning, never the step's failure.
 */
async function step_end_writeSummary(runner, markdown, what = 'the job summary') {
    try {
        await runner.writeSummary(markdown);
    }
    catch (error) {
        runner.warning(`Could not write ${what}: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}
/**
 * The step fails with one line (an input value with a newline must not split the annotation). A user's
 * mistake needs no stack; a bug's stack goes to the debug log, for whoever re-runs the job with debug logging.
 * A failure after tags were written still sets digest, image and tags to what those tags name.
 */
function failStep(runner, error, declared = ['digest', 'image', 'tags']) {
    if (!(error instanceof errors/* UserError */.yo) && error instanceof Error && error.stack)
        runner.debug(error.stack);
    if (error instanceof tags_written_TagsWrittenError) {
        for (const [name, value] of Object.entries(writtenTagsOutputs(error.written)))
            if (declared.includes(name))
                runner.setOutput(name, value);
    }
    runner.setFailed((0,errors/* oneLine */.TN)((0,errors/* errorMessage */.gJ)(error), Number.POSITIVE_INFINITY));
}

;// CONCATENATED MODULE: ./src/publish/scan-gate.ts






const SCAN_GATE_DEFAULTS = { 'fail-on-severity': 'off', 'scan-timeout': '600', 'on-scan-timeout': 'fail' };
/** The gate's three inputs, shared by the main and the merge action; errors name the input and what is allowed. */
function scan_gate_parseScanGateInputs(get) {
    const value = (name) => get(name).trim() || SCAN_GATE_DEFAULTS[name];
    let threshold;
    let onTimeout;
    try {
        threshold = parseSeverityThreshold(value('fail-on-severity'));
    }
    catch {
        throw new UserError(`Input 'fail-on-severity' '${value('fail-on-severity')}' is not allowed: use off, critical, high, medium, low or informational.`);
    }
    try {
        onTimeout = parseOnScanTimeout(value('on-scan-timeout'));
    }
    catch {
        throw new UserError(`Input 'on-scan-timeout' '${value('on-scan-timeout')}' is not allowed: use fail or continue.`);
    }
    const timeout = value('scan-timeout');
    if (!/^[0-9]+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
        throw new UserError(`Input 'scan-timeout' '${timeout}' is not allowed: use a whole number of seconds from 1 to 3600.`);
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
                    throw new UserError(unsupportedImageMessage(image.label, start.message));
                deps.runner.info(`Scan gate: started the basic scan of ${image.label} (scan-on-push is off for ${repository}; turn it on to skip this call: aws ecr put-image-scanning-configuration --repository-name ${repository} --image-scanning-configuration scanOnPush=true).`);
                states.set(image.digest, { kind: 'waiting', started: true });
                return;
            }
            if (!timedOut)
                return;
            const step = scanStep(image.label, undefined, { timedOut, onTimeout: options.onTimeout });
            const hint = type === 'ENHANCED'
                ? ` Amazon Inspector never picked it up: add a rule for ${repository} to the registry's enhanced scanning configuration (aws ecr put-registry-scanning-configuration).`
                : '';
            settleTimeout(deps, states, image, step, hint);
            return;
        }
        const step = scanStep(image.label, scan.status, { timedOut, onTimeout: options.onTimeout, description: scan.description });
        if (step.action === 'evaluate') {
            states.set(image.digest, { kind: 'done', findings: scan.findings });
            deps.runner.info(`Scan gate: ${image.label} scanned (${scan.status}): ${formatCounts(countsOf(scan.findings))}.`);
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
    const decision = gateDecision(perImage, threshold);
    await summarise(deps, perImage, decision.verdict === 'pass' ? 'passed' : 'failed');
    if (decision.verdict === 'fail')
        throw new UserError(failureMessage(decision).replace(scan_gate_UNTAGGED, leftBehind));
    deps.runner.info(`Scan gate passed: nothing at or above ${threshold} (${formatCounts(decision.counts)}).`);
}
function settleTimeout(deps, states, image, step, hint) {
    if (step.action === 'fail')
        throw new UserError(`${step.message}${hint}`);
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
    const sections = perImage.map((image) => `#### ${image.image}\n\n${findingsTable(image.findings)}`);
    await writeSummary(deps.runner, `### Image scan: ${verdict}\n\n${sections.join('\n\n')}\n`, 'the findings to the job summary');
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

;// CONCATENATED MODULE: ./src/build/inputs.ts





/**
 * Defaults for inputs the runner may hand over empty (a reusable workflow passing '' through, or a
 * run outside GitHub). They must equal action.yml's defaults; a unit test keeps them in step.
 */
const INPUT_DEFAULTS = {
    context: '.',
    cache: 'none',
    'no-cache': 'false',
    pull: 'false',
    'sha-length': '40',
    'if-tag-exists': 'fail',
    'require-immutable-repository': 'false',
    'create-repository': 'false',
    push: 'true',
    untagged: 'false',
    ...SCAN_GATE_DEFAULTS,
    ...SIGNING_GATE_DEFAULTS
};
// ECR's repository grammar (CreateRepository API reference).
const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/;
// The shape every partition's region names share (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
// eusc-de-east-1): a typo is caught, and a partition AWS adds later is not refused.
const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z]+)+-[0-9]+$/;
const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const KEY_VALUE_KEY_PATTERN = /^[^\s=]+$/;
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);
function parseInputs(read, env) {
    const get = (name) => {
        const value = read(name).trim();
        return value === '' ? (INPUT_DEFAULTS[name] ?? '') : value;
    };
    const optional = (name) => get(name) || undefined;
    const context = get('context');
    const inputs = {
        repository: parseRepository(get('repository')),
        registryId: parseRegistryId(get('registry-id')),
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
        sha: get('sha'),
        tagPrefix: get('tag-prefix'),
        shaLength: parseShaLength(get('sha-length')),
        extraTags: parseList(read('extra-tags')),
        floatingTags: parseFloatingTags(parseList(read('floating-tags'))),
        ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip']),
        requireImmutableRepository: parseBoolean('require-immutable-repository', get('require-immutable-repository')),
        createRepository: parseBoolean('create-repository', get('create-repository')),
        push: parseBoolean('push', get('push')),
        untagged: parseBoolean('untagged', get('untagged')),
        scanGate: parseScanGateInputs(read),
        signingGate: parseSigningGateInputs(read),
        // Last: a missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
        awsRegion: parseRegion(get('aws-region'), env)
    };
    assertUniqueIds("secrets' and 'secret-files", [...inputs.secrets, ...inputs.secretFiles]);
    assertUntaggedFits(inputs);
    return inputs;
}
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
/**
 * A buildx builder name as `docker buildx create` allows it. It reaches every docker command as
 * `--builder=<name>`; refusing anything else also keeps a value like `-x` from ever looking like a flag.
 */
function parseBuilder(value) {
    if (value === '')
        return undefined;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(value)) {
        throw new UserError(`Input 'builder' '${value}' is not a buildx builder name: letters, digits, '.', '_' and '-', starting with a letter or digit (as \`docker buildx ls\` lists them), or empty for the current builder.`);
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
function defaultDockerfile(context) {
    if (isRemoteContext(context))
        return '';
    return context === '/' ? '/Dockerfile' : `${context.replace(/\/+$/, '')}/Dockerfile`;
}
/** Git URLs and tarball URLs are resolved by BuildKit, not from the runner's disk. */
function isRemoteContext(context) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@');
}
function parseShaLength(value) {
    const length = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(length) || length < MIN_SHA_LENGTH || length > 64) {
        throw new UserError(`Input 'sha-length' '${value}' is not allowed: use a whole number from ${MIN_SHA_LENGTH} to 40 (64 for SHA-256 commits).`);
    }
    return length;
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
function parseKeyValueList(name, value) {
    const entries = parseLines(value);
    for (const entry of entries) {
        const separator = entry.indexOf('=');
        if (separator <= 0 || !KEY_VALUE_KEY_PATTERN.test(entry.slice(0, separator))) {
            throw new UserError(`Input '${name}' has '${entry}', which is not KEY=VALUE: put one KEY=VALUE per line.`);
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
            throw new UserError(`Input 'secrets' line ${index + 1} is not ID=VALUE with an id of letters, digits, '_', '.' and '-' (the line is not shown: it may hold the secret).`);
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
            throw new UserError(`Input 'secret-files' has '${line}', which is not ID=PATH: put one id=path per line, e.g. npmrc=/home/runner/.npmrc.`);
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
            throw new UserError(`Input '${name}' names the secret id '${id}' twice: give each secret its own id.`);
        seen.add(id);
    }
}
/** untagged uploads one platform for the merge action to name; nothing else fits that step. */
function assertUntaggedFits(inputs) {
    if (!inputs.untagged)
        return;
    if (!inputs.push)
        throw new UserError("Input 'untagged' 'true' uploads the image, and 'push' is 'false': set push: true, or untagged: false for a build-only run.");
    if (inputs.platforms.length > 1) {
        throw new UserError(`Input 'untagged' 'true' builds one platform per step, and 'platforms' has ${inputs.platforms.length} (${inputs.platforms.join(', ')}): give one platform per matrix job, or set untagged: false.`);
    }
    if (inputs.floatingTags.length > 0) {
        throw new UserError(`Input 'floating-tags' '${inputs.floatingTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give floating-tags to the merge action instead.`);
    }
    // With if-tag-exists: skip they would be added to the SHA tag's image (tag addition): a leg never writes a tag.
    if (inputs.extraTags.length > 0) {
        throw new UserError(`Input 'extra-tags' '${inputs.extraTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give extra-tags to the merge action instead.`);
    }
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
    const floatingTags = renamed('floating-tags', 'floating-tags', () => floating_tags_parseFloatingTags(parseList(read('floating-tags'))));
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
        signingGate: signing_gate_parseSigningGateInputs(get)
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
    const parsed = image_graph_parseManifest(manifest, mediaType);
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

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
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
    const limit = (0,p_limit/* default */.A)(BLOB_CONCURRENCY);
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
    const top = image_graph_parseManifest(image.manifest, image.mediaType);
    if (top.kind === 'image')
        return top.config ? [{ manifestDigest: image.digest, config: await registry.readBlob(repository, top.config.digest) }] : [];
    const children = top.manifests.filter((entry) => !isAttestation(entry)).map((entry) => entry.digest);
    if (children.length === 0)
        return [];
    // Often the image this run just wrote: a child not found yet is ECR's read-after-write lag.
    const lookup = await read_after_write_readAfterWrite(() => ecr.getImages(repository, children.map((digest) => ({ digest }))), (found) => [...found.byDigest.values()].every((child) => child !== undefined), { what: `the platform images of ${repository}@${image.digest}`, ...(lag ?? {}) });
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

;// CONCATENATED MODULE: ./src/build/run-context.ts

/** The image's digest, or '' when nothing is in the repository (push: false, refused). */
function storedDigest(outcome) {
    return 'digest' in outcome ? outcome.digest : '';
}
/** The run refused to touch a tag; main still writes the summary before failing the step. */
class run_context_RefusedError extends errors/* UserError */.yo {
    outcome;
    constructor(message, outcome) {
        super(message);
        this.outcome = outcome;
    }
}

;// CONCATENATED MODULE: ./src/publish/tag-writer.ts







async function nameUploadedImage(ctx, base, build, uploaded, anyMutable) {
    const label = 'tag' in uploaded.ref ? uploaded.ref.tag : uploaded.ref.digest;
    const { ref } = uploaded;
    const imageIn = (found) => ('tag' in ref ? found.byTag.get(ref.tag) : found.byDigest.get(ref.digest));
    // The last existence check of the tags rides on the read that finds the upload, however long ECR takes to show it.
    const lookup = await readAfterWrite(() => ctx.ecr.getImages(ctx.inputs.repository, [ref, ...ctx.tags.all.map((tag) => ({ tag }))]), (found) => imageIn(found) !== undefined, lagWait(ctx, `${ctx.inputs.repository}:${label}`));
    // The settle wait measures from the re-check's answer.
    const recheckedAt = Date.now();
    const image = imageIn(lookup);
    if (!image)
        throw new UserError(`The registry did not serve ${label} within ${LAG_BOUND_SECONDS} s after it was uploaded; nothing was tagged: re-run the job.`);
    uploaded.check?.(image);
    await proveImage(ctx, build, image, label);
    const platformDigests = await uploaded.platformsOf(image);
    const raced = raceOutcome(ctx, base, digestsByTag(lookup.byTag));
    if (raced)
        return raced;
    const reused = await writeTags(ctx, base, image);
    if (reused)
        return reused;
    await verifyAllTags(ctx, image.digest, anyMutable ? recheckedAt : undefined);
    return { kind: 'written', image, platformDigests };
}
/** How tag-writing waits for ECR's read-after-write lag (read-after-write.ts). */
function lagWait(ctx, what) {
    return { what, sleep: ctx.sleep, log: (message) => ctx.runner.info(message) };
}
function digestsByTag(byTag) {
    return new Map([...byTag].map(([tag, image]) => [tag, image?.digest]));
}
function anotherWriter(ref, detail) {
    return new UserError(`Another writer changed ${ref} during this run: ${detail}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`);
}
async function proveImage(ctx, build, image, ref) {
    const shape = manifestShape(image.manifest);
    let configs;
    if (shape.kind === 'image') {
        configs = [shape.configDigest];
    }
    else {
        const children = await readAfterWrite(() => ctx.ecr.getImages(ctx.inputs.repository, shape.platformManifests.map((digest) => ({ digest }))), (found) => [...found.byDigest.values()].every((child) => child !== undefined), lagWait(ctx, `the platform images of ${ctx.inputs.repository}@${image.digest}`));
        configs = [...children.byDigest.values()].flatMap((child) => {
            if (!child)
                return [];
            const childShape = manifestShape(child.manifest);
            return childShape.kind === 'image' ? [childShape.configDigest] : [];
        });
    }
    const proof = proveOwnImage({ build, servedDigest: image.digest, servedConfigDigests: configs });
    if (!proof.ok)
        throw anotherWriter(ref, `the registry ${proof.reason}`);
}
/**
 * Reads every tag again after ECR refused one of our writes, to see whether skip can reuse the winner.
 * ECR said the tag exists, so a "not found" for it is lag (a run right after another): waited for.
 */
async function recheckTags(ctx, base, taken) {
    const lookup = await readAfterWrite(() => ctx.ecr.getImages(ctx.inputs.repository, ctx.tags.all.map((tag) => ({ tag }))), (found) => found.byTag.get(taken) !== undefined, lagWait(ctx, `${ctx.inputs.repository}:${taken}`));
    return raceOutcome(ctx, base, digestsByTag(lookup.byTag));
}
function raceOutcome(ctx, base, existing) {
    const decision = decideOnExistingTags(ctx.tags.all, existing, ctx.inputs.ifTagExists, ctx.inputs.repository);
    if (decision.kind === 'build')
        return undefined;
    if (decision.kind === 'reuse') {
        const note = `another run pushed the same tags first while this one was building; reusing ${decision.digest}`;
        ctx.runner.info(`${note[0]?.toUpperCase()}${note.slice(1)}.`);
        return { kind: 'reused', digest: decision.digest, note };
    }
    const first = ctx.tags.all.find((tag) => existing.get(tag) !== undefined);
    throw new RefusedError(`Another run pushed ${first} first (digest ${existing.get(first)}) while this one was building; nothing was overwritten and this run pushed no tag.`, base);
}
/**
 * Writes the tags SHA tag first. ECR refusing one (IMMUTABLE: another run wrote it first) ends the
 * run; under skip the other run's image is reused when it already holds every tag.
 */
async function writeTags(ctx, base, image) {
    const written = [];
    for (const tag of ctx.tags.all) {
        try {
            await ctx.ecr.putTag(ctx.inputs.repository, tag, image);
            written.push(tag);
        }
        catch (error) {
            if (!(error instanceof TagTakenError)) {
                if (written.length === 0)
                    throw error;
                throw halfTagged(ctx, base, image.digest, written, error);
            }
            if (written.length === 0 && ctx.inputs.ifTagExists === 'skip') {
                const raced = await recheckTags(ctx, base, tag);
                if (raced)
                    return raced;
            }
            throw await pushedFirst(ctx, base, tag, image.digest, written);
        }
    }
    return undefined;
}
/**
 * A write failed after others succeeded. Written tags are never taken back (that would change a tag),
 * and a re-run refuses a half-present tag set, so the message says how to finish by hand.
 */
function halfTagged(ctx, base, digest, written, error) {
    const missing = ctx.tags.all.filter((tag) => !written.includes(tag));
    const tags = { registryHost: base.registryHost, repository: base.repository, digest, tags: written };
    return new TagsWrittenError(`${errorMessage(error).replace(/\.?$/, '.')} This run had already written ${written.join(', ')} (${digest}), which keep this image; ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not written: re-run the job with if-tag-exists: skip, which adds ${missing.length === 1 ? 'it' : 'them'} to this image and to no other (README: Troubleshooting, "had already written"). ${writtenTagsNote(tags)}`, tags);
}
async function pushedFirst(ctx, base, tag, ownDigest, written = []) {
    const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [{ tag }]).catch(() => undefined);
    const digest = lookup?.byTag.get(tag)?.digest ?? 'unknown';
    const refusal = `Another run pushed ${tag} first (digest ${digest}); it was not overwritten.`;
    if (written.length === 0)
        return new RefusedError(refusal, base);
    return failedAfterTags(`${refusal} This run had already written ${written.join(', ')}; those tags keep this run's image.`, {
        registryHost: base.registryHost,
        repository: base.repository,
        digest: ownDigest,
        tags: written
    });
}
/**
 * ECR has no compare-and-swap, so on MUTABLE tags another run whose last check came just before our
 * write can still land its own write just after it. Such a write leaves the other run's check at most
 * about as long before its write as ours took (same code, same registry), so waiting that long, three
 * times over and at least MUTABLE_SETTLE_MIN_MS, before the final read lets the overwritten run see it
 * and fail instead of reporting a digest the tag no longer holds. IMMUTABLE tags need no wait.
 */
const MUTABLE_SETTLE_MIN_MS = 250;
const MUTABLE_SETTLE_MAX_MS = 3000;
async function settleMutableTags(ctx, recheckedAt) {
    const ownGap = Date.now() - recheckedAt;
    const wait = Math.min(MUTABLE_SETTLE_MAX_MS, Math.max(MUTABLE_SETTLE_MIN_MS, 3 * ownGap));
    await (ctx.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait);
}
/**
 * The final read: every tag, as the registry serves it now, names this run's image. A tag not found yet
 * is lag (waited for); a tag naming another digest is a race, refused at once.
 */
async function verifyAllTags(ctx, digest, mutableRecheckedAt) {
    if (mutableRecheckedAt !== undefined)
        await settleMutableTags(ctx, mutableRecheckedAt);
    const lookup = await readAfterWrite(() => ctx.ecr.getImages(ctx.inputs.repository, ctx.tags.all.map((tag) => ({ tag }))), (found) => ctx.tags.all.every((tag) => found.byTag.get(tag) !== undefined), lagWait(ctx, `the tags ${ctx.tags.all.join(', ')} of ${ctx.inputs.repository}`));
    for (const tag of ctx.tags.all) {
        const served = lookup.byTag.get(tag);
        if (served?.digest !== digest)
            throw anotherWriter(tag, `the registry serves ${served?.digest ?? 'nothing'} for it, not ${digest}`);
    }
}

;// CONCATENATED MODULE: ./src/publish/tags-onto-image.ts





/** Tags already on the digest are kept; absent ones are written; one on another digest refuses them all. */
function planTagWrites(tags, existing, digest) {
    for (const tag of tags) {
        const other = existing.get(tag);
        if (other !== undefined && other !== digest)
            return { kind: 'refuse', tag, other };
    }
    return { kind: 'write', missing: tags.filter((tag) => existing.get(tag) === undefined) };
}
async function writeTagsOntoImage(request) {
    const { ecr, repository, digest, tags } = request;
    const lag = (what) => ({ what, sleep: request.sleep, log: request.log });
    const lookup = await read_after_write_readAfterWrite(() => ecr.getImages(repository, [{ digest }, ...tags.map((tag) => ({ tag }))]), (found) => !request.justWritten || found.byDigest.get(digest) !== undefined, lag(`${repository}@${digest}`));
    const image = lookup.byDigest.get(digest);
    if (!image)
        throw new errors/* UserError */.yo(`${repository}@${digest} is not in the repository; nothing was tagged. Check the digest, or upload the image first.`);
    const plan = planTagWrites(tags, digestsByTag(lookup.byTag), digest);
    if (plan.kind === 'refuse')
        throw otherDigest(repository, plan.tag, plan.other, digest, []);
    const added = [];
    // What names the digest once a write fails: the tags already on it and those this call wrote.
    const naming = () => ({
        registryHost: request.registryHost,
        repository,
        digest,
        tags: tags.filter((tag) => added.includes(tag) || !plan.missing.includes(tag))
    });
    for (const tag of plan.missing) {
        try {
            await ecr.putTag(repository, tag, image);
            added.push(tag);
        }
        catch (error) {
            if (!(error instanceof ecr_TagTakenError)) {
                if (added.length === 0)
                    throw error;
                throw tags_written_failedAfterTags(`${(0,errors/* errorMessage */.gJ)(error).replace(/\.?$/, '.')} This run had already written ${added.join(', ')} onto ${digest}; re-run to add the rest.`, naming());
            }
            // An immutable tag written by someone else since the check: harmless only if it names this digest.
            // ECR said the tag exists, so "not found" is lag.
            const now = (await read_after_write_readAfterWrite(() => ecr.getImages(repository, [{ tag }]), (found) => found.byTag.get(tag) !== undefined, lag(`${repository}:${tag}`))).byTag.get(tag)?.digest;
            if (now !== digest) {
                const refusal = otherDigest(repository, tag, now ?? 'unknown', digest, added);
                throw added.length ? tags_written_failedAfterTags(refusal, naming()) : refusal;
            }
        }
    }
    if (request.anyMutable)
        await (request.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(MUTABLE_SETTLE_MIN_MS);
    // Not found yet is lag (waited for); another digest is a race (refused below).
    const served = await read_after_write_readAfterWrite(() => ecr.getImages(repository, tags.map((tag) => ({ tag }))), (found) => tags.every((tag) => found.byTag.get(tag) !== undefined), lag(`the tags ${tags.join(', ')} of ${repository}`));
    for (const tag of tags) {
        const now = served.byTag.get(tag)?.digest;
        if (now !== digest) {
            throw new errors/* UserError */.yo(`Another writer changed ${repository}:${tag} during this run: it names ${now ?? 'nothing'}, not ${digest}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`);
        }
    }
    return { image, added };
}
function otherDigest(repository, tag, other, digest, added) {
    const partial = added.length ? ` This run had already written ${added.join(', ')} onto ${digest}; those keep it.` : ' Nothing was written.';
    return new errors/* UserError */.yo(`${repository}:${tag} already names ${other}, not ${digest}; tags are never moved.${partial} Use another tag, or promote ${other} instead.`);
}

;// CONCATENATED MODULE: ./src/promote/promotion.ts















/**
 * A tag on another digest is refused in either mode (tags never move); with fail any existing tag
 * refuses; with skip tags already on the digest are kept and the rest written.
 */
function decidePromotion(tags, existing, digest, imagePresent, ifTagExists, repository) {
    const plan = planTagWrites(tags, existing, digest);
    if (plan.kind === 'refuse') {
        return {
            kind: 'refuse',
            reason: `${repository}:${plan.tag} already names ${plan.other}, not ${digest}; tags are never moved. Nothing was copied or tagged; promote under another tag.`
        };
    }
    const present = tags.filter((tag) => existing.get(tag) !== undefined);
    if (present.length && ifTagExists === 'fail') {
        return {
            kind: 'refuse',
            reason: `${present.length === 1 ? 'Tag already exists' : 'Tags already exist'} in ${repository}: ${present.map((tag) => `${tag} (${digest})`).join(', ')}. Nothing was copied or tagged; set if-tag-exists: skip to accept tags already on this digest.`
        };
    }
    return { kind: 'promote', missing: plan.missing, copy: !imagePresent };
}
async function promoteImage(ctx) {
    const { inputs, sourceEcr, ecr } = ctx;
    const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion;
    const [sourceCredentials, credentials, sourceLookup, repositoryLookup, existingLookup] = await Promise.allSettled([
        sameRegistry ? Promise.resolve(undefined) : sourceEcr.authorize(),
        ecr.authorize(),
        // Archived images fail here with the adapter's one line (how to restore them), unchanged. The build
        // step just before may have written it a moment ago: "not found" is waited for (read-after-write lag).
        read_after_write_readAfterWrite(() => sourceEcr.getImages(inputs.sourceRepository, [{ digest: inputs.digest }]), (found) => found.byDigest.get(inputs.digest) !== undefined, { what: `${inputs.sourceRepository}@${inputs.digest}`, ...lagOf(ctx) }),
        ecr.describeRepository(inputs.repository),
        ecr.getImages(inputs.repository, [{ digest: inputs.digest }, ...inputs.tags.map((tag) => ({ tag }))])
    ]);
    const destination = unwrap(credentials);
    const source = unwrap(sourceCredentials) ?? destination;
    const image = unwrap(sourceLookup).byDigest.get(inputs.digest);
    if (!image) {
        throw new errors/* UserError */.yo(`${inputs.sourceRepository}@${inputs.digest} is not in the source repository (waited ${read_after_write_LAG_BOUND_SECONDS} s for it): check the digest input (the digest output of the build) and source-repository, source-registry-id, source-region.`);
    }
    const found = unwrap(repositoryLookup);
    let repository;
    let existing;
    let imagePresent = false;
    if ('absent' in found) {
        if (!inputs.createRepository)
            throw new errors/* UserError */.yo(repositoryMissing({ repository: inputs.repository, region: inputs.awsRegion, registryId: found.registryId }));
        const refusal = newRepositoryFloatingRefusal(inputs.repository, inputs.floatingTags);
        if (refusal)
            throw new errors/* UserError */.yo(refusal);
        repository = await createImmutableRepository(ctx.ecr, ctx.runner, ctx.inputs.repository);
        existing = new Map(inputs.tags.map((tag) => [tag, undefined]));
    }
    else {
        repository = found;
        const lookup = unwrap(existingLookup);
        existing = digestsByTag(lookup.byTag);
        imagePresent = lookup.byDigest.get(inputs.digest) !== undefined;
    }
    const floatingRefusal = floatingTagRefusal(repository, inputs.floatingTags);
    if (floatingRefusal)
        throw new errors/* UserError */.yo(floatingRefusal);
    const decision = decidePromotion(inputs.tags, existing, inputs.digest, imagePresent, inputs.ifTagExists, inputs.repository);
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
    await signing_gate_passSigningGate(ctx, inputs.repository, signing_gate_signableImages(image.digest, image.manifest, image.mediaType), inputs.signingGate);
    const written = await writeTagsOntoImage({
        ecr,
        registryHost: destination.registryHost,
        repository: inputs.repository,
        digest: inputs.digest,
        tags: inputs.tags,
        anyMutable: mutableTags(repository, inputs.tags).length > 0,
        justWritten: decision.copy,
        log: (message) => ctx.runner.info(message),
        ...(ctx.sleep ? { sleep: ctx.sleep } : {})
    });
    return {
        registryHost: destination.registryHost,
        repository: inputs.repository,
        digest: inputs.digest,
        tags: inputs.tags,
        tagsAdded: written.added,
        platformDigests: platforms,
        pushed: decision.copy || written.added.length > 0,
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
    const manifest = image_graph_parseManifest(image.manifest, image.mediaType);
    if (manifest.kind === 'index')
        return platformDigests({ digest: image.digest, manifest }, undefined);
    return storedPlatformDigests(image, await runnableConfigs(ctx.sourceEcr, sourceRegistry, ctx.inputs.sourceRepository, image));
}
function lagOf(ctx) {
    return { sleep: ctx.sleep, log: (message) => ctx.runner.info(message) };
}

;// CONCATENATED MODULE: ./src/promote/main.ts










/** promote/action.yml has no `tags` output: a failure after tags still sets these two. */
const PROMOTE_WRITTEN_OUTPUTS = ['digest', 'image'];
function defaultPromoteAdapters() {
    return { runner: (0,runner/* createRunner */.j)(), env: process.env, createEcr: createEcr, createRegistry: createRegistry };
}
/** The promote step. The one place where anything thrown becomes the step's failure. */
async function runPromote(adapters = defaultPromoteAdapters()) {
    const { runner, env } = adapters;
    try {
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
        for (const [name, value] of Object.entries(promoteOutputs(outcome)))
            runner.setOutput(name, value);
        // Floating tags move last, after every immutable tag is proven; the outputs above already name the image.
        await applyFloatingTags({ inputs, ecr, runner, sleep: adapters.sleep }, outcome.digest).catch((error) => {
            throw tags_written_failedAfterTags(error, outcome);
        });
        runner.info(`Image: ${outcome.registryHost}/${outcome.repository}@${outcome.digest}`);
        await step_end_writeSummary(runner, promoteSummary(outcome, inputs.sourceRepository));
    }
    catch (error) {
        failStep(runner, error, PROMOTE_WRITTEN_OUTPUTS);
    }
}


/***/ })

};

//# sourceMappingURL=641.index.js.map
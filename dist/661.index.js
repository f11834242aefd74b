export const id = 661;
export const ids = [661];
export const modules = {

/***/ 5512:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ji: () => (/* binding */ createRunner)
/* harmony export */ });
/* unused harmony exports fileCommandEntry, escapeData */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);



/**
 * The runner's documented protocol (workflow commands on stdout, GITHUB_OUTPUT / GITHUB_STATE files),
 * written here rather than imported from @actions/core: core loads an HTTP client (undici) for OIDC at
 * start-up, which measured 65 ms of every run on a 2-core machine, for a feature this action never uses.
 */
function createRunner(env = process.env, write = stdout) {
    const command = (name, message) => write(`::${name}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
    return {
        input: (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
        setOutput: (name, value) => fileCommand(env.GITHUB_OUTPUT, name, value, () => command(`set-output name=${name}`, value)),
        saveState: (name, value) => fileCommand(env.GITHUB_STATE, name, value, () => command(`save-state name=${name}`, value)),
        getState: (name) => env[`STATE_${name}`] ?? '',
        setSecret: (value) => command('add-mask', value),
        info: (message) => write(`${message}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`),
        warning: (message) => command('warning', message),
        error: (message) => command('error', message),
        setFailed: (message) => {
            process.exitCode = 1;
            command('error', message);
        },
        group: async (name, work) => {
            command('group', name);
            try {
                return await work();
            }
            finally {
                write(`::endgroup::${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
            }
        },
        writeSummary: async (markdown) => {
            if (env.GITHUB_STEP_SUMMARY)
                (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(env.GITHUB_STEP_SUMMARY, markdown, 'utf8');
        }
    };
}
function stdout(text) {
    process.stdout.write(text);
}
/** name<<delimiter heredoc, the format the runner reads from GITHUB_OUTPUT and GITHUB_STATE. */
function fileCommandEntry(name, value, delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`) {
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`The value of ${name} contains the delimiter ${delimiter}.`);
    }
    return `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`;
}
function fileCommand(path, name, value, legacy) {
    if (path)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(path, fileCommandEntry(name, value), 'utf8');
    else
        legacy();
}
/** Workflow-command escaping: a message cannot end the command or start another one. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/**
 * A mistake the user can fix (bad input, missing permission, a tag that already exists).
 * main reports its message as one line and no stack trace.
 */
class UserError extends Error {
    name = 'UserError';
}
/** Turns anything thrown into one readable line; non-Error values must not leave the step green. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message || error.name;
    if (typeof error === 'string')
        return error;
    try {
        return JSON.stringify(error) ?? String(error);
    }
    catch {
        return String(error);
    }
}
/** Keeps multi-line tool output to one line for an annotation. */
function oneLine(text, max = 500) {
    const flat = text.replace(/\s*\n\s*/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}


/***/ }),

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _adapters_runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5512);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2462);
/* harmony import */ var _work_dir_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1292);



/**
 * The post step, the safety net: main removes its work folder itself, so this matters when main was
 * cancelled or killed before it could (action.yml runs it only when the job failed or was cancelled).
 */
async function post(runner = (0,_adapters_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .createRunner */ .ji)()) {
    const workDir = runner.getState(_state_js__WEBPACK_IMPORTED_MODULE_1__/* .STATE */ .c.workDir);
    if (workDir)
        (0,_work_dir_js__WEBPACK_IMPORTED_MODULE_2__/* .removeWorkDir */ .x)(runner, workDir);
}


/***/ }),

/***/ 1292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ removeWorkDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);



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
        runner.warning(`Could not remove ${workDir}, which holds an ECR login: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}. Delete it by hand.`);
    }
}


/***/ })

};

//# sourceMappingURL=661.index.js.map
#!/usr/bin/env node
'use strict';

// Cocoon dev chain: the real TVM (@ton/sandbox) behind a toncenter-v2-compatible HTTP API on loopback.
// Usage: node server.js --port N --data-dir DIR [--host 127.0.0.1] [--parent-pid PID]
// --port 0 picks a free port; the ready line names the one in use.
const http = require('node:http');
const path = require('node:path');
const { DevChain } = require('./lib/dev-chain');
const { ApiError } = require('./lib/api-error');
const { lockDataDir } = require('./lib/persistence');

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function usage(message) {
    process.stderr.write(`devchain: ${message}\nusage: node server.js --port N --data-dir DIR [--host 127.0.0.1] [--parent-pid PID]\n`);
    process.exit(2);
}

function parseArgs(argv) {
    const options = { port: 8090, host: '127.0.0.1', dataDir: null, parentPid: null };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = argv[i + 1];
        switch (arg) {
            case '--port':
                if (!/^[0-9]+$/.test(value ?? '') || Number(value) > 65535) usage(`--port needs a number 0..65535, got "${value}"`);
                options.port = Number(value);
                i++;
                break;
            case '--data-dir':
                if (!value) usage('--data-dir needs a directory');
                options.dataDir = path.resolve(value);
                i++;
                break;
            case '--parent-pid':
                if (!/^[0-9]+$/.test(value ?? '')) usage(`--parent-pid needs a process id, got "${value}"`);
                options.parentPid = Number(value);
                i++;
                break;
            case '--host':
                if (!value) usage('--host needs an address');
                options.host = value;
                i++;
                break;
            default:
                usage(`unknown argument "${arg}"`);
        }
    }
    if (!options.dataDir) usage('--data-dir is required');
    // The dev chain has no authentication and a keyless faucet: it must never be reachable from another machine.
    if (!LOOPBACK_HOSTS.has(options.host) && !/^127\.\d+\.\d+\.\d+$/.test(options.host)) usage(`--host must be a loopback address, got "${options.host}"`);
    return options;
}

function send(res, status, payload) {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
}

function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                reject(ApiError.badRequest(`request body over ${MAX_BODY_BYTES} bytes`));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

// toncenter takes parameters from the query string and, for POST, from a JSON body; the body wins.
async function readParams(req, url) {
    const params = Object.fromEntries(url.searchParams.entries());
    if (req.method === 'POST') {
        const text = await readBody(req);
        if (text.trim().length > 0) {
            let body;
            try {
                body = JSON.parse(text);
            } catch {
                throw ApiError.badRequest('request body is not valid JSON');
            }
            if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('request body must be a JSON object');
            Object.assign(params, body);
        }
    }
    return params;
}

function routes(chain) {
    const api = {
        getAddressInformation: (p) => chain.getAddressInformation(p.address),
        getWalletInformation: (p) => chain.getWalletInformation(p.address),
        getAddressBalance: async (p) => (await chain.getAddressInformation(p.address)).balance,
        getTransactions: (p) => chain.getTransactions(p),
        runGetMethod: (p) => chain.runGetMethod(p),
        sendBoc: async (p) => {
            await chain.sendBoc(p.boc);
            return { '@type': 'ok' };
        },
        sendBocReturnHash: async (p) => {
            const sent = await chain.sendBoc(p.boc);
            return { '@type': 'raw.extMessageInfo', hash: sent.hash, hash_norm: sent.hashNorm };
        },
        getMasterchainInfo: () => chain.getMasterchainInfo(),
    };
    const dev = {
        'POST fund': (p) => chain.fund(p),
        'GET faucet': () => chain.faucetInfo(),
        'GET time': () => chain.getTime(),
        'POST time': (p) => chain.setTime(p),
        'POST delayed-inclusion': (p) => chain.setDelayedInclusion(p),
        'POST include': () => chain.include(),
        'GET pending': () => chain.getPending(),
        'POST snapshot': () => chain.snapshot(),
    };
    return async (req, url) => {
        const pathname = url.pathname;
        if (pathname === '/healthz') return chain.health();
        if (pathname.startsWith('/api/v2/')) {
            const handler = api[pathname.slice('/api/v2/'.length)];
            if (!handler) throw ApiError.notFound(`unknown method ${pathname}`);
            if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError(405, 'use GET or POST');
            return handler(await readParams(req, url));
        }
        if (pathname.startsWith('/dev/')) {
            const name = pathname.slice('/dev/'.length);
            const handler = dev[`${req.method} ${name}`];
            if (!handler) {
                const known = Object.keys(dev).some((key) => key.endsWith(` ${name}`));
                throw known ? new ApiError(405, `${req.method} not allowed on ${pathname}`) : ApiError.notFound(`unknown hook ${pathname}`);
            }
            return handler(await readParams(req, url));
        }
        throw ApiError.notFound(`not found: ${pathname}`);
    };
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const unlock = lockDataDir(options.dataDir);
    process.on('exit', unlock);
    const chain = await DevChain.open(options.dataDir, (line) => process.stderr.write(`${line}\n`));
    const route = routes(chain);
    const server = http.createServer(async (req, res) => {
        try {
            const url = new URL(req.url, 'http://localhost');
            const result = await route(req, url);
            send(res, 200, { ok: true, result });
        } catch (err) {
            if (err instanceof ApiError) {
                send(res, err.code, { ok: false, error: err.message, code: err.code });
            } else {
                process.stderr.write(`devchain: internal error: ${err.stack ?? err}\n`);
                send(res, 500, { ok: false, error: `internal error: ${err.message ?? err}`, code: 500 });
            }
        }
    });

    let stopping = false;
    const stop = async (signal) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`devchain: ${signal}, saving and stopping\n`);
        server.close();
        try {
            await chain.close();
        } catch (err) {
            process.stderr.write(`devchain: saving on shutdown failed: ${err.message}\n`);
            process.exit(1);
        }
        process.exit(0);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));

    // A parent that died without stopping us (a crashed test host, a killed silo) must not leave an orphan holding the port.
    if (options.parentPid !== null) {
        setInterval(() => {
            try {
                process.kill(options.parentPid, 0);
            } catch (err) {
                if (err.code === 'ESRCH') stop(`parent ${options.parentPid} exited`);
            }
        }, 2000).unref();
    }

    server.on('error', (err) => {
        process.stderr.write(`devchain: cannot listen on ${options.host}:${options.port}: ${err.message}\n`);
        process.exit(1);
    });
    server.listen(options.port, options.host, () => {
        const { port } = server.address();
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        process.stdout.write(`devchain listening on http://${host}:${port}\n`);
    });
}

main().catch((err) => {
    process.stderr.write(`devchain: failed to start: ${err.stack ?? err}\n`);
    process.exit(1);
});

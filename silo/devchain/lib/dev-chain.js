'use strict';

// The dev chain: @ton/sandbox's emulated accounts plus what a real chain has and the sandbox lacks: a
// transaction index per account that pages stably, masterchain blocks, a chain clock, delayed inclusion
// of externals, and persistence across restarts.
const crypto = require('node:crypto');
const { Blockchain, EmulationError, GetMethodError, SmartContract, snapshotFromSerializable, snapshotToSerializable, internal } = require('@ton/sandbox');
const { Address, Cell, beginCell, loadMessage, loadTransaction, toNano } = require('@ton/core');
const { ApiError } = require('./api-error');
const { saveState, loadState } = require('./persistence');
const { formatAddress, formatTransaction, transactionId } = require('./toncenter-format');
const { parseStack, formatStack, parseInteger } = require('./tvm-stack');
const { recognizeWallet } = require('./wallet-types');

const STATE_FORMAT = 'cocoon-devchain/1';
const FAUCET_SEED = 'cocoon-devchain-faucet';
// 1e9 TON: the dev chain's whole supply, minted once at genesis into the faucet account.
const FAUCET_GENESIS_BALANCE = 1_000_000_000n * 1_000_000_000n;
const MAX_TRANSACTIONS_PAGE = 100;
const MASTERCHAIN_SHARD = '-9223372036854775808';
const ZERO_HASH = Buffer.alloc(32);

// The sandbox re-serializes every incoming message before executing it, so a transaction would carry a
// re-encoded copy of a submitted external and its hash could differ from the one sendBocReturnHash gave.
// A real chain executes the exact cell that was sent: keep that cell when we have it.
const originalReceiveMessage = SmartContract.prototype.receiveMessage;
SmartContract.prototype.receiveMessage = async function receiveMessage(message, params, callStack) {
    if (!message.originalCell || this.debug) {
        return originalReceiveMessage.call(this, message, params, callStack);
    }
    const args = { ...this.createCommonArgs(params), message: message.originalCell };
    return this.runCommon(() => this.blockchain.executor.runTransaction(args), callStack);
};

// Runs state operations one at a time, in arrival order.
class SerialQueue {
    constructor() {
        this.tail = Promise.resolve();
    }

    run(work) {
        const result = this.tail.then(() => work());
        this.tail = result.catch(() => undefined);
        return result;
    }
}

function parseAddress(value, name = 'address') {
    if (typeof value !== 'string' || value.length === 0) throw ApiError.badRequest(`${name} is required`);
    try {
        return Address.parse(value.trim());
    } catch {
        throw ApiError.badRequest(`${name} "${value}" is not a valid TON address (raw 0:hex or user-friendly base64)`);
    }
}

function parseHash(value) {
    if (typeof value !== 'string') throw ApiError.badRequest('hash must be a string');
    const text = value.trim();
    let bytes;
    if (/^[0-9a-fA-F]{64}$/.test(text)) {
        bytes = Buffer.from(text, 'hex');
    } else {
        bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    }
    if (bytes.length !== 32) throw ApiError.badRequest(`hash "${value}" is not 32 bytes in base64 or hex`);
    return bytes;
}

function parseNanotons(value, name) {
    let amount;
    try {
        amount = parseInteger(typeof value === 'number' ? value : String(value ?? ''));
    } catch {
        throw ApiError.badRequest(`${name} must be an integer amount of nanoTON`);
    }
    if (amount <= 0n) throw ApiError.badRequest(`${name} must be positive`);
    return amount;
}

function parseOptionalInteger(value, name) {
    if (value === undefined || value === null || value === '') return undefined;
    const text = String(value);
    if (!/^-?[0-9]+$/.test(text)) throw ApiError.badRequest(`${name} must be an integer`);
    return BigInt(text);
}

function parseBool(value, name) {
    if (value === undefined || value === null || value === '') return undefined;
    if (value === true || value === 'true' || value === '1' || value === 1) return true;
    if (value === false || value === 'false' || value === '0' || value === 0) return false;
    throw ApiError.badRequest(`${name} must be true or false`);
}

function sha256(...parts) {
    const hash = crypto.createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest();
}

function blockIdJson(block) {
    return {
        '@type': 'ton.blockIdExt',
        workchain: -1,
        shard: MASTERCHAIN_SHARD,
        seqno: block.seqno,
        root_hash: block.rootHash,
        file_hash: block.fileHash,
    };
}

function makeBlock(seqno, utime, previousRoot, transactionHashes) {
    const root = sha256(Buffer.from('cocoon-devchain-block'), previousRoot, Buffer.from(String(seqno)), ...transactionHashes);
    return {
        seqno,
        utime,
        rootHash: root.toString('base64'),
        fileHash: sha256(root, Buffer.from('file')).toString('base64'),
    };
}

// TEP-467 normalized external message hash: what explorers and indexers key submitted externals by.
function normalizedExternalHash(message) {
    return beginCell()
        .storeUint(2, 2)
        .storeUint(0, 2)
        .storeAddress(message.info.dest)
        .storeCoins(0)
        .storeBit(false)
        .storeBit(true)
        .storeRef(message.body)
        .endCell()
        .hash();
}

class DevChain {
    constructor(blockchain, dataDir, log) {
        this.blockchain = blockchain;
        this.dataDir = dataDir;
        this.log = log;
        this.queue = new SerialQueue();
        this.accounts = new Map(); // raw address -> entries, ascending lt
        this.byHash = new Map(); // hash hex -> entry
        this.history = []; // every entry in execution order, for persistence
        this.genesisBlock = makeBlock(0, 0, Buffer.from('cocoon-devchain-genesis'), []);
        this.lastBlock = this.genesisBlock;
        this.clock = { offset: 0, frozen: null, last: 0 };
        this.delayedInclusion = false;
        this.pending = [];
        this.faucet = null;
    }

    static async open(dataDir, log = () => {}) {
        const blockchain = await Blockchain.create({ uiOptions: { enabled: false } });
        blockchain.verbosity = { print: false, blockchainLogs: false, vmLogs: 'none', debugLogs: false };
        const chain = new DevChain(blockchain, dataDir, log);
        const state = loadState(dataDir);
        if (state) {
            await chain.restore(state);
        } else {
            await chain.genesis();
        }
        return chain;
    }

    async genesis() {
        this.faucet = await this.blockchain.treasury(FAUCET_SEED, { predeploy: false, resetBalanceIfZero: false });
        this.advanceClock();
        await this.blockchain.sendMessage(internal({
            from: new Address(0, ZERO_HASH),
            to: this.faucet.address,
            value: toNano(1),
            stateInit: this.faucet.init,
        }));
        (await this.blockchain.getContract(this.faucet.address)).balance = FAUCET_GENESIS_BALANCE;
        this.commitBlock(this.drainTransactions());
        this.persist();
        this.log(`devchain: new chain, faucet ${formatAddress(this.faucet.address)}`);
    }

    async restore(state) {
        if (state.format !== STATE_FORMAT) {
            throw new Error(`dev chain state has format "${state.format}", expected "${STATE_FORMAT}"`);
        }
        await this.blockchain.loadFrom(snapshotFromSerializable({ ...state.sandbox, transactions: [] }));
        for (const saved of state.transactions) {
            const entry = this.indexTransaction(loadTransaction(Cell.fromBase64(saved.boc).beginParse()), Address.parse(saved.account));
            entry.block = saved.block;
        }
        this.lastBlock = state.lastBlock;
        this.clock = state.clock;
        this.delayedInclusion = state.delayedInclusion;
        this.pending = state.pending;
        this.faucet = await this.blockchain.treasury(FAUCET_SEED, { predeploy: false, resetBalanceIfZero: false });
        this.log(`devchain: restored ${this.history.length} transactions at seqno ${this.lastBlock.seqno}`);
    }

    persist() {
        const snapshot = this.blockchain.snapshot();
        saveState(this.dataDir, {
            format: STATE_FORMAT,
            // Our own index below is the transaction history; the sandbox's copy would only double the file.
            sandbox: snapshotToSerializable({ ...snapshot, transactions: [] }),
            transactions: this.history.map((e) => ({ account: e.account, boc: e.boc, block: e.block })),
            lastBlock: this.lastBlock,
            clock: this.clock,
            delayedInclusion: this.delayedInclusion,
            pending: this.pending,
        });
    }

    // --- clock ---

    currentTime() {
        const wall = Math.floor(Date.now() / 1000);
        const t = this.clock.frozen ?? wall + this.clock.offset;
        return Math.max(t, this.clock.last);
    }

    advanceClock() {
        const now = this.currentTime();
        this.clock.last = now;
        this.blockchain.now = now;
        return now;
    }

    // --- transactions and blocks ---

    // Takes every transaction the sandbox executed since the last call, in execution order. The sandbox
    // appends them all here, including those of a chain that failed midway, which sendMessage's result lacks.
    drainTransactions() {
        const executed = this.blockchain.transactions.splice(0);
        const entries = [];
        for (const tx of executed) {
            const parsed = loadTransaction(tx.raw.beginParse());
            const workchain = tx.inMessage?.info?.dest?.workChain ?? -1;
            const account = new Address(workchain, Buffer.from(parsed.address.toString(16).padStart(64, '0'), 'hex'));
            if (this.byHash.has(parsed.hash().toString('hex'))) continue;
            entries.push(this.indexTransaction(parsed, account));
        }
        return entries;
    }

    indexTransaction(tx, address) {
        const hash = tx.hash();
        const entry = {
            address,
            account: address.toRawString(),
            lt: tx.lt,
            hash,
            hashHex: hash.toString('hex'),
            boc: tx.raw.toBoc().toString('base64'),
            tx,
            block: null,
        };
        let list = this.accounts.get(entry.account);
        if (!list) {
            list = [];
            this.accounts.set(entry.account, list);
        }
        list.push(entry);
        this.byHash.set(entry.hashHex, entry);
        this.history.push(entry);
        return entry;
    }

    commitBlock(entries) {
        const seqno = this.lastBlock.seqno + 1;
        const block = makeBlock(seqno, this.clock.last, Buffer.from(this.lastBlock.rootHash, 'base64'), entries.map((e) => e.hash));
        for (const entry of entries) entry.block = seqno;
        this.lastBlock = block;
        return block;
    }

    // --- toncenter methods ---

    async getAddressInformation(addressText) {
        const address = parseAddress(addressText);
        return this.queue.run(async () => {
            const contract = await this.blockchain.getContract(address);
            const state = contract.accountState;
            let status = 'uninitialized';
            let code = '';
            let data = '';
            let frozenHash = '';
            if (state?.type === 'active') {
                status = 'active';
                code = state.state.code ? state.state.code.toBoc().toString('base64') : '';
                data = state.state.data ? state.state.data.toBoc().toString('base64') : '';
            } else if (state?.type === 'frozen') {
                status = 'frozen';
                frozenHash = Buffer.from(state.stateHash.toString(16).padStart(64, '0'), 'hex').toString('base64');
            }
            return {
                '@type': 'raw.fullAccountState',
                balance: contract.balance.toString(),
                extra_currencies: [],
                code,
                data,
                last_transaction_id: this.lastTransactionId(contract),
                block_id: blockIdJson(this.lastBlock),
                frozen_hash: frozenHash,
                sync_utime: this.currentTime(),
                state: status,
            };
        });
    }

    lastTransactionId(contract) {
        const lt = contract.lastTransactionLt;
        const hash = Buffer.from(contract.lastTransactionHash.toString(16).padStart(64, '0'), 'hex');
        return transactionId(lt, hash);
    }

    async getWalletInformation(addressText) {
        const address = parseAddress(addressText);
        return this.queue.run(async () => {
            const contract = await this.blockchain.getContract(address);
            const state = contract.accountState;
            const accountState = state?.type === 'active' ? 'active' : state?.type === 'frozen' ? 'frozen' : 'uninitialized';
            const wallet = state?.type === 'active' ? recognizeWallet(state.state.code, state.state.data) : null;
            const result = {
                wallet: wallet !== null,
                balance: contract.balance.toString(),
                extra_currencies: [],
                account_state: accountState,
                last_transaction_id: this.lastTransactionId(contract),
            };
            if (wallet) {
                result.wallet_type = wallet.walletType;
                if (wallet.seqno !== null) result.seqno = wallet.seqno;
                if (wallet.walletId !== null) result.wallet_id = wallet.walletId;
            }
            return result;
        });
    }

    async getTransactions(params) {
        const address = parseAddress(params.address);
        const limit = parseOptionalInteger(params.limit, 'limit') ?? 10n;
        if (limit < 1n || limit > BigInt(MAX_TRANSACTIONS_PAGE)) {
            throw ApiError.badRequest(`limit must be between 1 and ${MAX_TRANSACTIONS_PAGE}`);
        }
        const lt = parseOptionalInteger(params.lt, 'lt');
        const hash = params.hash ? parseHash(params.hash) : undefined;
        const toLt = parseOptionalInteger(params.to_lt, 'to_lt');
        if (hash !== undefined && lt === undefined) throw ApiError.badRequest('hash needs lt as well');
        return this.queue.run(async () => {
            const list = this.accounts.get(address.toRawString()) ?? [];
            let start = list.length - 1;
            if (lt !== undefined) {
                if (hash !== undefined) {
                    start = list.findIndex((e) => e.lt === lt && e.hash.equals(hash));
                    if (start < 0) {
                        throw ApiError.notFound(`transaction lt=${lt} hash=${hash.toString('base64')} not found for ${formatAddress(address)}`);
                    }
                } else {
                    while (start >= 0 && list[start].lt > lt) start--;
                }
            }
            const result = [];
            for (let i = start; i >= 0 && result.length < Number(limit); i--) {
                if (toLt !== undefined && list[i].lt <= toLt) break;
                result.push(formatTransaction(list[i]));
            }
            return result;
        });
    }

    async runGetMethod(params) {
        const address = parseAddress(params.address);
        let method = params.method;
        if (typeof method === 'string' && /^-?[0-9]+$/.test(method)) method = Number(method);
        if (method === undefined || method === null || method === '') throw ApiError.badRequest('method is required');
        if (typeof method !== 'string' && !Number.isSafeInteger(method)) throw ApiError.badRequest('method must be a name or a method id');
        const stack = parseStack(params.stack);
        return this.queue.run(async () => {
            const contract = await this.blockchain.getContract(address);
            if (contract.accountState?.type !== 'active') {
                // What a liteserver answers for a get method on an account without code.
                return { '@type': 'smc.runResult', gas_used: 0, stack: [], exit_code: -13 };
            }
            try {
                const result = await this.blockchain.runGetMethod(address, method, stack, { now: this.currentTime() });
                return {
                    '@type': 'smc.runResult',
                    gas_used: Number(result.gasUsed),
                    stack: formatStack(result.stack),
                    exit_code: result.exitCode,
                };
            } catch (err) {
                if (err instanceof GetMethodError) {
                    return { '@type': 'smc.runResult', gas_used: Number(err.gasUsed), stack: [], exit_code: err.exitCode };
                }
                throw err;
            }
        });
    }

    parseExternal(boc) {
        if (typeof boc !== 'string' || boc.length === 0) throw ApiError.badRequest('boc is required (base64 of a serialized external message)');
        let cells;
        try {
            cells = Cell.fromBoc(Buffer.from(boc, 'base64'));
        } catch (err) {
            throw ApiError.badRequest(`boc is not a valid bag of cells: ${err.message}`);
        }
        if (cells.length !== 1) throw ApiError.badRequest(`boc must hold exactly one root cell, found ${cells.length}`);
        const cell = cells[0];
        let message;
        try {
            message = loadMessage(cell.beginParse());
        } catch (err) {
            throw ApiError.badRequest(`boc is not a message: ${err.message}`);
        }
        if (message.info.type !== 'external-in') {
            throw ApiError.badRequest(`boc is an ${message.info.type} message; only inbound external messages can be sent`);
        }
        if (message.info.dest.equals(this.faucet.address)) {
            throw ApiError.badRequest('the faucet takes transfers only through POST /dev/fund');
        }
        return { cell, message };
    }

    async sendBoc(boc) {
        const { cell, message } = this.parseExternal(boc);
        const hash = cell.hash().toString('base64');
        const hashNorm = normalizedExternalHash(message).toString('base64');
        return this.queue.run(async () => {
            if (this.delayedInclusion) {
                if (!this.pending.some((p) => p.hash === hash)) {
                    this.pending.push({ hash, hash_norm: hashNorm, destination: formatAddress(message.info.dest), boc, queued_at: this.currentTime() });
                    this.persist();
                }
                return { hash, hashNorm, transaction: null };
            }
            const entry = await this.executeExternal(cell, message);
            this.persist();
            return { hash, hashNorm, transaction: entry };
        });
    }

    // Executes one external and commits a block with everything it caused. Throws when the contract rejects it.
    async executeExternal(cell, message) {
        this.advanceClock();
        try {
            await this.blockchain.sendMessage({ ...message, originalCell: cell });
        } catch (err) {
            // A failed run leaves the rest of its message chain queued in the sandbox: drop it with the failure.
            this.blockchain.defaultQueueManager.messageQueue.length = 0;
            const partial = this.drainTransactions();
            if (partial.length > 0) this.commitBlock(partial);
            if (err instanceof EmulationError) {
                const detail = err.exitCode !== undefined ? ` (exit code ${err.exitCode})` : '';
                throw new ApiError(500, `LITE_SERVER_UNKNOWN: cannot apply external message to current state : External message was not accepted${detail}: ${err.error ?? err.message}`);
            }
            throw err;
        }
        const entries = this.drainTransactions();
        this.commitBlock(entries);
        return entries[0] ?? null;
    }

    async getMasterchainInfo() {
        return this.queue.run(async () => ({
            '@type': 'blocks.masterchainInfo',
            last: blockIdJson(this.lastBlock),
            state_root_hash: sha256(Buffer.from(this.lastBlock.rootHash, 'base64'), Buffer.from('state')).toString('base64'),
            init: blockIdJson(this.genesisBlock),
        }));
    }

    // --- dev hooks ---

    async fund(params) {
        const destination = parseAddress(params.address);
        const amount = parseNanotons(params.amount, 'amount');
        const bounce = parseBool(params.bounce, 'bounce') ?? false;
        const comment = params.comment;
        if (comment !== undefined && comment !== null && typeof comment !== 'string') throw ApiError.badRequest('comment must be a string');
        const body = comment ? beginCell().storeUint(0, 32).storeStringTail(comment).endCell() : undefined;
        return this.queue.run(async () => {
            const faucetContract = await this.blockchain.getContract(this.faucet.address);
            // Keep 1 TON back for the faucet's own fees.
            if (faucetContract.balance - toNano(1) < amount) {
                throw ApiError.badRequest(`the faucet holds only ${faucetContract.balance} nanoTON`);
            }
            this.advanceClock();
            await this.faucet.send({ to: destination, value: amount, body, bounce });
            const entries = this.drainTransactions();
            const block = this.commitBlock(entries);
            this.persist();
            const received = entries.find((e) => e.account === destination.toRawString() && e.tx.inMessage?.info.type === 'internal');
            const sent = entries.find((e) => e.account === this.faucet.address.toRawString());
            return {
                address: formatAddress(destination),
                amount: amount.toString(),
                transaction_id: received ? transactionId(received.lt, received.hash) : null,
                faucet_transaction_id: sent ? transactionId(sent.lt, sent.hash) : null,
                seqno: block.seqno,
            };
        });
    }

    async faucetInfo() {
        return this.queue.run(async () => {
            const contract = await this.blockchain.getContract(this.faucet.address);
            return { address: formatAddress(this.faucet.address), balance: contract.balance.toString() };
        });
    }

    timeInfo() {
        return { unixtime: this.currentTime(), frozen: this.clock.frozen !== null, last_block_utime: this.lastBlock.utime };
    }

    async getTime() {
        return this.queue.run(async () => this.timeInfo());
    }

    async setTime(params) {
        const frozen = parseBool(params.frozen, 'frozen') ?? false;
        const advance = parseOptionalInteger(params.advance, 'advance');
        const unixtimeParam = parseOptionalInteger(params.unixtime, 'unixtime');
        if ((advance === undefined) === (unixtimeParam === undefined)) throw ApiError.badRequest('give either unixtime or advance (seconds)');
        return this.queue.run(async () => {
            const target = unixtimeParam !== undefined ? Number(unixtimeParam) : this.currentTime() + Number(advance);
            if (target < this.clock.last) {
                throw ApiError.badRequest(`chain time cannot go back before the last transaction time ${this.clock.last}`);
            }
            if (frozen) {
                this.clock.frozen = target;
            } else {
                this.clock.frozen = null;
                this.clock.offset = target - Math.floor(Date.now() / 1000);
            }
            this.persist();
            return this.timeInfo();
        });
    }

    async setDelayedInclusion(params) {
        const enabled = parseBool(params.enabled, 'enabled');
        if (enabled === undefined) throw ApiError.badRequest('enabled (true or false) is required');
        return this.queue.run(async () => {
            this.delayedInclusion = enabled;
            this.persist();
            return { enabled, pending: this.pending.length };
        });
    }

    pendingJson() {
        return this.pending.map((p) => ({ hash: p.hash, hash_norm: p.hash_norm, destination: p.destination, queued_at: p.queued_at }));
    }

    async getPending() {
        return this.queue.run(async () => ({ delayed_inclusion: this.delayedInclusion, messages: this.pendingJson() }));
    }

    // Executes every queued external in arrival order; one that its contract now rejects is dropped and reported.
    async include() {
        return this.queue.run(async () => {
            const queued = this.pending.splice(0);
            const results = [];
            for (const item of queued) {
                const cell = Cell.fromBase64(item.boc);
                const message = loadMessage(cell.beginParse());
                try {
                    const entry = await this.executeExternal(cell, message);
                    results.push({ hash: item.hash, included: true, transaction_id: entry ? transactionId(entry.lt, entry.hash) : null, error: null });
                } catch (err) {
                    if (!(err instanceof ApiError)) throw err;
                    results.push({ hash: item.hash, included: false, transaction_id: null, error: err.message });
                }
            }
            this.persist();
            return { messages: results, seqno: this.lastBlock.seqno };
        });
    }

    async snapshot() {
        return this.queue.run(async () => {
            this.persist();
            return { seqno: this.lastBlock.seqno, transactions: this.history.length };
        });
    }

    async health() {
        return this.queue.run(async () => ({ status: 'healthy', seqno: this.lastBlock.seqno }));
    }

    // Waits for running work, then saves: used on shutdown.
    async close() {
        await this.queue.run(async () => this.persist());
    }
}

module.exports = { DevChain };

'use strict';

// node --test test/ : the dev chain in-process (the C# tests in tests/Cocoon.DevChain.Tests drive it over HTTP).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { DevChain } = require('../lib/dev-chain');
const { ApiError } = require('../lib/api-error');

function tempDir() {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'devchain-node-test-'));
}

function newAddress() {
    return `0:${crypto.randomBytes(32).toString('hex')}`;
}

test('transactions page backwards stably and survive a reopen', async () => {
    const dir = tempDir();
    const address = newAddress();
    const chain = await DevChain.open(dir);
    for (let i = 0; i < 5; i++) {
        await chain.fund({ address, amount: '100000000', comment: `c${i}` });
    }
    const first = await chain.getTransactions({ address, limit: '100' });
    const again = await chain.getTransactions({ address, limit: '100' });
    assert.deepEqual(again.map((t) => t.transaction_id), first.map((t) => t.transaction_id));
    assert.deepEqual(first.map((t) => t.in_msg.message), ['c4', 'c3', 'c2', 'c1', 'c0']);

    const cursor = first[2].transaction_id;
    const page = await chain.getTransactions({ address, limit: '2', lt: cursor.lt, hash: cursor.hash });
    assert.deepEqual(page.map((t) => t.in_msg.message), ['c2', 'c1']);

    const reopened = await DevChain.open(dir);
    const restored = await reopened.getTransactions({ address, limit: '100' });
    assert.deepEqual(restored, first);
    assert.equal((await reopened.getAddressInformation(address)).balance, (await chain.getAddressInformation(address)).balance);
    fs.rmSync(dir, { recursive: true, force: true });
});

test('bad input is a 400 ApiError', async () => {
    const dir = tempDir();
    const chain = await DevChain.open(dir);
    await assert.rejects(chain.sendBoc('AAAA'), (err) => err instanceof ApiError && err.code === 400);
    await assert.rejects(chain.fund({ address: newAddress(), amount: '-5' }), (err) => err instanceof ApiError && err.code === 400);
    await assert.rejects(chain.getTransactions({ address: newAddress(), limit: '1000' }), (err) => err instanceof ApiError && err.code === 400);
    fs.rmSync(dir, { recursive: true, force: true });
});

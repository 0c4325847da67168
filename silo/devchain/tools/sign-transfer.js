#!/usr/bin/env node
'use strict';

// Dev and test tool: builds a signed wallet v4r2 external message (a transfer, with the deploy state
// when seqno is 0) from a 32-byte seed, with @ton/ton. Prints JSON {address, boc, hash} on stdout.
// Usage: node tools/sign-transfer.js --seed HEX64 --seqno N --to ADDRESS --amount NANOTON
//          [--comment TEXT] [--valid-until UNIXTIME] [--bounce true|false]
const { keyPairFromSeed } = require('@ton/crypto');
const { WalletContractV4 } = require('@ton/ton');
const { Address, SendMode, beginCell, external, internal, storeMessage } = require('@ton/core');

function fail(message) {
    process.stderr.write(`sign-transfer: ${message}\n`);
    process.exit(2);
}

const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) fail(`bad argument "${argv[i]}"`);
    args[argv[i].slice(2)] = argv[i + 1];
}
if (!/^[0-9a-fA-F]{64}$/.test(args.seed ?? '')) fail('--seed must be 64 hex characters');
if (!/^[0-9]+$/.test(args.seqno ?? '')) fail('--seqno must be a number');
if (!/^[0-9]+$/.test(args.amount ?? '')) fail('--amount must be nanoTON');
if (!args.to) fail('--to is required');

const keys = keyPairFromSeed(Buffer.from(args.seed, 'hex'));
const wallet = WalletContractV4.create({ workchain: 0, publicKey: keys.publicKey });
const seqno = Number(args.seqno);
const body = wallet.createTransfer({
    seqno,
    secretKey: keys.secretKey,
    sendMode: SendMode.PAY_GAS_SEPARATELY | SendMode.IGNORE_ERRORS,
    timeout: args['valid-until'] ? Number(args['valid-until']) : undefined,
    messages: [internal({
        to: Address.parse(args.to),
        value: BigInt(args.amount),
        bounce: args.bounce === undefined ? false : args.bounce === 'true',
        body: args.comment,
    })],
});
const message = external({ to: wallet.address, init: seqno === 0 ? wallet.init : undefined, body });
const cell = beginCell().store(storeMessage(message)).endCell();
process.stdout.write(`${JSON.stringify({
    address: wallet.address.toString({ urlSafe: true, bounceable: false, testOnly: false }),
    boc: cell.toBoc().toString('base64'),
    hash: cell.hash().toString('base64'),
})}\n`);

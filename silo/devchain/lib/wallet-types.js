'use strict';

// Recognises standard wallet contracts by their code hash, as toncenter's getWalletInformation does.
const { WalletContractV3R1, WalletContractV3R2, WalletContractV4, WalletContractV5R1 } = require('@ton/ton');

const zeroKey = Buffer.alloc(32);

// Each entry: the toncenter name and how to read seqno / wallet id from the account data cell.
const known = [
    { name: 'wallet v3 r1', code: WalletContractV3R1.create({ workchain: 0, publicKey: zeroKey }).init.code, layout: 'v3' },
    { name: 'wallet v3 r2', code: WalletContractV3R2.create({ workchain: 0, publicKey: zeroKey }).init.code, layout: 'v3' },
    { name: 'wallet v4 r2', code: WalletContractV4.create({ workchain: 0, publicKey: zeroKey }).init.code, layout: 'v3' },
    { name: 'wallet v5 r1', code: WalletContractV5R1.create({ workchain: 0, publicKey: zeroKey }).init.code, layout: 'v5' },
];
const byHash = new Map(known.map((k) => [k.code.hash().toString('hex'), k]));

function readWalletData(layout, data) {
    const slice = data.beginParse();
    if (layout === 'v5') {
        slice.loadBit(); // is_signature_allowed
    }
    const seqno = slice.loadUint(32);
    const walletId = slice.loadUint(32);
    return { seqno, walletId };
}

// Returns { walletType, seqno, walletId } for a recognised wallet's code and data, or null.
function recognizeWallet(code, data) {
    if (!code) return null;
    const entry = byHash.get(code.hash().toString('hex'));
    if (!entry) return null;
    if (!data) return { walletType: entry.name, seqno: 0, walletId: null };
    try {
        const { seqno, walletId } = readWalletData(entry.layout, data);
        return { walletType: entry.name, seqno, walletId };
    } catch {
        return { walletType: entry.name, seqno: null, walletId: null };
    }
}

module.exports = { recognizeWallet };

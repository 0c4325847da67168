'use strict';

// Renders sandbox objects in toncenter v2's JSON shapes (raw.transaction, raw.message, smc.runResult stack, ...).
const { Dictionary, beginCell, storeMessage } = require('@ton/core');

const utf8 = new TextDecoder('utf-8', { fatal: true });

function formatAddress(address) {
    if (!address) return '';
    // External addresses (addr_extern) have no user-friendly form; toncenter prints them empty as well.
    if (typeof address.toString !== 'function' || address.workChain === undefined) return '';
    return address.toString({ urlSafe: true, bounceable: true, testOnly: false });
}

function transactionId(lt, hash) {
    return { '@type': 'internal.transactionId', lt: lt.toString(), hash: hash.toString('base64') };
}

// A text comment is a body whose first 32 bits are zero followed by UTF-8 in "snake" format (TEP-64 style).
function decodeTextComment(body) {
    if (!body) return null;
    const slice = body.beginParse();
    if (slice.remainingBits < 32 || slice.loadUint(32) !== 0) return null;
    const chunks = [];
    let current = slice;
    for (;;) {
        if (current.remainingBits % 8 !== 0) return null;
        chunks.push(current.loadBuffer(current.remainingBits / 8));
        if (current.remainingRefs === 0) break;
        if (current.remainingRefs !== 1) return null;
        current = current.loadRef().beginParse();
    }
    try {
        return utf8.decode(Buffer.concat(chunks));
    } catch {
        return null;
    }
}

function messageCellHash(message, cell) {
    const source = cell ?? beginCell().store(storeMessage(message)).endCell();
    return source.hash().toString('base64');
}

function formatMessage(message, cell) {
    const info = message.info;
    const body = message.body;
    const bodyBoc = body ? body.toBoc().toString('base64') : '';
    const initState = message.init
        ? beginCell().store((b) => b.storeMaybeRef(message.init.code).storeMaybeRef(message.init.data)).endCell().toBoc().toString('base64')
        : '';
    const text = decodeTextComment(body);
    const msgData = text !== null
        ? { '@type': 'msg.dataText', text: Buffer.from(text, 'utf8').toString('base64'), body: bodyBoc, init_state: initState }
        : { '@type': 'msg.dataRaw', body: bodyBoc, init_state: initState };
    const result = {
        '@type': 'raw.message',
        hash: messageCellHash(message, cell),
        source: '',
        destination: '',
        value: '0',
        extra_currencies: [],
        fwd_fee: '0',
        ihr_fee: '0',
        created_lt: '0',
        body_hash: body ? body.hash().toString('base64') : '',
        msg_data: msgData,
        message: text ?? '',
    };
    if (info.type === 'internal') {
        result.source = formatAddress(info.src);
        result.destination = formatAddress(info.dest);
        result.value = info.value.coins.toString();
        result.fwd_fee = info.forwardFee.toString();
        result.ihr_fee = info.ihrFee.toString();
        result.created_lt = info.createdLt.toString();
        result.bounce = info.bounce;
        result.bounced = info.bounced;
    } else if (info.type === 'external-in') {
        result.destination = formatAddress(info.dest);
    } else {
        result.source = formatAddress(info.src);
        result.created_lt = info.createdLt.toString();
    }
    return result;
}

// The original message cells of a transaction, so message hashes match what senders computed over their BOC.
function messageCells(transaction) {
    const slice = transaction.raw.refs[0].beginParse();
    const inCell = slice.loadMaybeRef();
    const outCells = slice.loadDict(Dictionary.Keys.Uint(15), {
        serialize: (src, builder) => builder.storeRef(src),
        parse: (src) => src.loadRef(),
    });
    return { inCell, outCells };
}

function formatTransaction(entry) {
    const tx = entry.tx;
    const { inCell, outCells } = messageCells(tx);
    const fee = tx.totalFees.coins;
    const storageFee = tx.description.storagePhase?.storageFeesCollected ?? 0n;
    const outMsgs = [];
    for (const key of [...tx.outMessages.keys()].sort((a, b) => a - b)) {
        outMsgs.push(formatMessage(tx.outMessages.get(key), outCells.get(key)));
    }
    return {
        '@type': 'raw.transaction',
        address: { '@type': 'accountAddress', account_address: formatAddress(entry.address) },
        utime: tx.now,
        data: entry.boc,
        transaction_id: transactionId(tx.lt, entry.hash),
        fee: fee.toString(),
        storage_fee: storageFee.toString(),
        other_fee: (fee - storageFee).toString(),
        in_msg: tx.inMessage ? formatMessage(tx.inMessage, inCell) : null,
        out_msgs: outMsgs,
    };
}

module.exports = { formatAddress, formatMessage, formatTransaction, transactionId, decodeTextComment };

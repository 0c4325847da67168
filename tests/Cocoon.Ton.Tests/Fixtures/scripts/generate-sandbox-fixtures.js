// Produces highload-v3 vectors and real transaction BOCs from @ton/sandbox 0.41 (the TVM emulator).
const { Blockchain } = require('@ton/sandbox');
const { beginCell, Cell, contractAddress, internal, external, storeMessage, storeMessageRelaxed, storeOutList, SendMode, Address, toNano, loadTransaction, Dictionary } = require('@ton/core');
const { mnemonicToPrivateKey, sign } = require('@ton/crypto');
const { WalletContractV5R1, WalletContractV4 } = require('@ton/ton');
const fs = require('fs');
const vectors = require(process.env.TON_VECTORS_JSON);

const HL_CODE = Cell.fromBoc(Buffer.from(JSON.parse(fs.readFileSync(process.env.HIGHLOAD_V3_COMPILED_JSON)).hex, 'hex'))[0];

function hlData(pub, subwallet, timeout) {
  return beginCell().storeBuffer(pub).storeUint(subwallet, 32).storeUint(0, 1 + 1 + 64).storeUint(timeout, 22).endCell();
}
function hlExternal(addr, secretKey, msgCell, mode, queryId, createdAt, subwallet, timeout, init) {
  const inner = beginCell().storeUint(subwallet, 32).storeRef(msgCell).storeUint(mode, 8).storeUint(queryId, 23)
    .storeUint(createdAt, 64).storeUint(timeout, 22).endCell();
  const body = beginCell().storeBuffer(sign(inner.hash(), secretKey)).storeRef(inner).endCell();
  return beginCell().store(storeMessage(external({ to: addr, body, init }))).endCell();
}
function describeTx(tx) {
  const d = tx.description;
  const inMsg = tx.inMessage;
  const msgInfo = (m) => m.info.type === 'internal' ? {
      type: 'internal', src: m.info.src.toRawString(), dest: m.info.dest.toRawString(), value: m.info.value.coins.toString(),
      bounce: m.info.bounce, bounced: m.info.bounced, createdLt: m.info.createdLt.toString(), createdAt: m.info.createdAt,
      fwdFee: m.info.forwardFee.toString(), bodyHash: m.body.hash().toString('hex') }
    : m.info.type === 'external-in' ? { type: 'external-in', dest: m.info.dest.toRawString(), bodyHash: m.body.hash().toString('hex') }
    : { type: 'external-out', src: m.info.src.toRawString(), bodyHash: m.body.hash().toString('hex') };
  let comment = null;
  if (inMsg && inMsg.body.bits.length >= 32) { const s = inMsg.body.beginParse(); if (s.loadUint(32) === 0) { try { comment = s.loadStringTail(); } catch (e) {} } }
  const out = {
    boc: tx.raw.toBoc({ idx: false, crc32: true }).toString('hex'),
    hash: tx.raw.hash().toString('hex'),
    account: `0:${tx.address.toString(16).padStart(64, '0')}`,
    lt: tx.lt.toString(), now: tx.now,
    prevLt: tx.prevTransactionLt.toString(), prevHash: tx.prevTransactionHash.toString(16).padStart(64, '0'),
    outMessagesCount: tx.outMessagesCount, origStatus: tx.oldStatus, endStatus: tx.endStatus,
    totalFees: tx.totalFees.coins.toString(),
    inMessage: inMsg ? msgInfo(inMsg) : null, inComment: comment,
    outMessages: tx.outMessages.values().map(msgInfo),
    description: { type: d.type },
  };
  if (d.type === 'generic') {
    out.description.aborted = d.aborted; out.description.destroyed = d.destroyed; out.description.creditFirst = d.creditFirst;
    const c = d.computePhase;
    out.description.compute = c.type === 'skipped' ? { type: 'skipped', reason: c.reason } :
      { type: 'vm', success: c.success, exitCode: c.exitCode, gasUsed: c.gasUsed.toString(), gasFees: c.gasFees.toString(), vmSteps: c.vmSteps, accountActivated: c.accountActivated };
    out.description.action = d.actionPhase ? { success: d.actionPhase.success, resultCode: d.actionPhase.resultCode, totalActions: d.actionPhase.totalActions, messagesCreated: d.actionPhase.messagesCreated } : null;
    out.description.bounce = d.bouncePhase ? { type: d.bouncePhase.type } : null;
    out.description.storageFeesCollected = d.storagePhase ? d.storagePhase.storageFeesCollected.toString() : null;
    out.description.creditPhase = d.creditPhase ? (d.creditPhase.credit.coins.toString()) : null;
  }
  return out;
}

(async () => {
  const blockchain = await Blockchain.create();
  const now = 1800000000;
  blockchain.now = now;
  const treasury = await blockchain.treasury('cocoon-faucet');
  const key = await mnemonicToPrivateKey(vectors.mnemonic.words.split(' '));
  const out = { generator: '@ton/sandbox 0.41, @ton/core 0.63.1, @ton/crypto 3.3.0, @ton/ton 16.3.0 (scripts in the fixture README)', now, highload: {}, transactions: {} };

  // ---- highload v3: address, single transfer (deploying), batch of 3 transfers
  const subwallet = 0x10ad, timeout = 3600;
  const hlInit = { code: HL_CODE, data: hlData(key.publicKey, subwallet, timeout) };
  const hlAddr = contractAddress(0, hlInit);
  out.highload.publicKey = key.publicKey.toString('hex');
  out.highload.secretKey = key.secretKey.toString('hex');
  out.highload.address = hlAddr.toRawString();
  out.highload.stateInitHash = beginCell().store(require('@ton/core').storeStateInit(hlInit)).endCell().hash().toString('hex');
  await treasury.send({ to: hlAddr, value: toNano('1000'), bounce: false });
  const worker1 = Address.parseRaw(vectors.addresses[0].raw), worker2 = Address.parseRaw(vectors.addresses[1].raw), worker3 = Address.parseRaw(vectors.addresses[2].raw);
  const single = { queryId: { shift: 0, bitNumber: 0 }, createdAt: now - 30, mode: 3, to: worker1.toRawString(), value: '1500000000', bounce: false, comment: 'payout:single' };
  const singleMsg = beginCell().store(storeMessageRelaxed(internal({ to: worker1, value: 1500000000n, bounce: false, body: 'payout:single' }))).endCell();
  const singleExt = hlExternal(hlAddr, key.secretKey, singleMsg, 3, 0, now - 30, subwallet, timeout, hlInit);
  single.includeStateInit = true;
  single.externalBoc = singleExt.toBoc().toString('hex'); single.externalHash = singleExt.hash().toString('hex');
  const r1 = await blockchain.sendMessage(singleExt);
  single.result = r1.transactions.map(t => ({ account: `0:${t.address.toString(16).padStart(64,'0')}`, ok: t.description.type === 'generic' && !t.description.aborted }));
  out.highload.single = single;
  out.transactions.highloadDeployAndSend = describeTx(r1.transactions[0]);
  out.transactions.workerReceivesComment = describeTx(r1.transactions[1]);

  // batch: 3 transfers via internal_transfer to self, query id shift 1 bit 5
  const batchItems = [
    { to: worker1, value: 1000000000n, bounce: true, comment: 'payout:b1' },
    { to: worker2, value: 2000000000n, bounce: false, comment: 'payout:b2' },
    { to: worker3, value: 3000000000n, bounce: true, comment: 'payout:b3' },
  ];
  const queryId = (1 << 10) | 5;
  const actions = batchItems.map(i => ({ type: 'sendMsg', mode: 3, outMsg: internal({ to: i.to, value: i.value, bounce: i.bounce, body: i.comment }) }));
  const actionsCell = beginCell(); storeOutList(actions)(actionsCell);
  const transferBody = beginCell().storeUint(0xae42e5a4, 32).storeUint(queryId, 64).storeRef(actionsCell.endCell()).endCell();
  const toSelf = beginCell().store(storeMessageRelaxed(internal({ to: hlAddr, value: 0n, body: transferBody }))).endCell();
  const batchExt = hlExternal(hlAddr, key.secretKey, toSelf, 128, queryId, now - 20, subwallet, timeout, undefined);
  const r2 = await blockchain.sendMessage(batchExt);
  out.highload.batch = {
    queryId: { shift: 1, bitNumber: 5 }, createdAt: now - 20, messageMode: 3, value: '0',
    messages: batchItems.map(i => ({ to: i.to.toRawString(), value: i.value.toString(), bounce: i.bounce, comment: i.comment })),
    externalBoc: batchExt.toBoc().toString('hex'), externalHash: batchExt.hash().toString('hex'),
    result: r2.transactions.map(t => ({ account: `0:${t.address.toString(16).padStart(64,'0')}`, ok: t.description.type === 'generic' && !t.description.aborted,
      outMessages: t.outMessagesCount })),
  };
  out.transactions.highloadBatchExternal = describeTx(r2.transactions[0]);
  out.transactions.highloadBatchInternal = describeTx(r2.transactions[1]);

  // ---- deposit with a text comment to a v5r1 wallet (not yet deployed) and a bounced transfer
  const v5 = WalletContractV5R1.create({ publicKey: key.publicKey });
  const dep = await treasury.send({ to: v5.address, value: toNano('5'), bounce: false, body: 'deposit:acct-42' });
  out.transactions.depositToUninit = describeTx(dep.transactions[1]);
  // deploy v5 and send to a non-existent address with bounce: the receiver bounces, the wallet gets a bounced message
  const ghost = Address.parseRaw('0:' + '42'.repeat(32));
  const v5c = blockchain.openContract(v5);
  const transfer = v5.createTransfer({ seqno: 0, secretKey: key.secretKey, sendMode: 3, timeout: now + 60,
    messages: [internal({ to: ghost, value: toNano('1'), bounce: true, body: 'will bounce' })] });
  const r3 = await blockchain.sendMessage(external({ to: v5.address, init: v5.init, body: transfer }));
  out.transactions.walletV5Deploy = describeTx(r3.transactions[0]);
  out.transactions.bounceAtGhost = describeTx(r3.transactions[1]);
  out.transactions.bouncedBackToWallet = describeTx(r3.transactions[2]);

  // ---- an aborted transaction: deploy a contract whose code is THROW 42 (x{F22A})
  const throwInit = { code: beginCell().storeUint(0xF22A, 16).endCell(), data: beginCell().endCell() };
  const throwAddr = contractAddress(0, throwInit);
  const r4 = await treasury.send({ to: throwAddr, value: toNano('2'), bounce: true, init: throwInit, body: 'hello' });
  out.transactions.abortedThrow42 = describeTx(r4.transactions[1]);

  fs.writeFileSync('sandbox-transactions.json', JSON.stringify(out, null, 1));
  console.log(JSON.stringify(out.highload.single.result), JSON.stringify(out.highload.batch.result));
  for (const [k, v] of Object.entries(out.transactions)) console.log(k, v.description.aborted, JSON.stringify(v.description.compute), JSON.stringify(v.description.bounce), v.outMessagesCount, v.inComment);
})().catch(e => { console.error(e); process.exit(1); });

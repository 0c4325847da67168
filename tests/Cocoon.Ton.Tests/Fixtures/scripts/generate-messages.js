// Internal messages (MessageRelaxed) with and without state init, as @ton/core 0.63.1 lays them out.
const { beginCell, internal, storeMessageRelaxed, Address } = require('@ton/core');
const fs = require('fs');
const to = Address.parseRaw('0:' + 'ab'.repeat(32));
const init = { code: beginCell().storeUint(0xF22A, 16).endCell(), data: beginCell().storeUint(7, 32).endCell() };
const big = beginCell().storeUint(1, 32).storeBuffer(Buffer.alloc(100, 0x5a)).endCell();
const fourRefs = beginCell().storeUint(2, 32).storeRef(beginCell().endCell()).storeRef(beginCell().storeUint(1, 1).endCell()).storeRef(beginCell().storeUint(2, 2).endCell()).endCell();
const cases = [
  { name: 'plain', value: 5n, bounce: true },
  { name: 'comment', value: 123456789n, bounce: false, comment: 'hello' },
  { name: 'initAndComment', value: 1n, bounce: true, comment: 'deploy', init: true },
  { name: 'initAndBigBody', value: 1000000000n, bounce: false, body: big, init: true },
  { name: 'bodyWithRefsAndInit', value: 42n, bounce: true, body: fourRefs, init: true },
];
const out = { generator: '@ton/core 0.63.1 internal() + storeMessageRelaxed, scripts/generate-messages.js', to: to.toRawString(),
  code: init.code.toBoc().toString('hex'), data: init.data.toBoc().toString('hex'), cases: [] };
for (const c of cases) {
  const body = c.comment !== undefined ? c.comment : c.body;
  const msg = internal({ to, value: c.value, bounce: c.bounce, body, init: c.init ? init : undefined });
  const cell = beginCell().store(storeMessageRelaxed(msg)).endCell();
  out.cases.push({ name: c.name, value: c.value.toString(), bounce: c.bounce, comment: c.comment ?? null, init: !!c.init,
    body: c.body ? c.body.toBoc().toString('hex') : null, boc: cell.toBoc().toString('hex'), hash: cell.hash().toString('hex') });
}
fs.writeFileSync(process.argv[2] || 'messages.json', JSON.stringify(out, null, 1));
console.log(out.cases.map(c => c.name + ' ' + c.hash).join('\n'));

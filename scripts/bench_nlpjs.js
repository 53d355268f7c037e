// bench_nlpjs.js - NLP.js (node-nlp, default settings) trained on exactly Seodong's training
// lines, for the side-by-side table of scripts/bench_understanding.py.
//
//   node scripts/bench_nlpjs.js TRAIN.json INPUT.json     (run in bench/nlpjs, where
//                                                          scripts/bench_nlpjs_setup.sh installs it)
//
// TRAIN.json: [{text, lang, intent, category, department}], labels "" when not known.
// INPUT.json: [{text, lang}]. Prints [{intent, category, department}] for the input, in order,
// and on stderr "NLPJS_SECONDS s": the time the input took (training not counted).
// One NlpManager per decision, as Seodong has one model per decision: intent on every line,
// category and department on the complaints that carry them. NLP.js answers "None" when no
// intent scores enough: that is its out_of_scope.
const fs = require('fs');
// installed in bench/nlpjs (the working directory), not beside this script
const { NlpManager } = require(require.resolve('node-nlp', { paths: [process.cwd()] }));

async function trained(rows, field) {
  const manager = new NlpManager({ languages: ['ko', 'en'], autoSave: false, nlu: { log: false } });
  for (const r of rows)
    if (r[field]) manager.addDocument(r.lang, r.text, r[field]);
  await manager.train();
  return manager;
}

async function main() {
  const train = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  const managers = {};
  for (const field of ['intent', 'category', 'department'])
    managers[field] = await trained(train, field);
  const out = [];
  const started = process.hrtime.bigint();
  for (const r of input) {
    const lang = r.lang === 'en' ? 'en' : 'ko';
    const got = await managers.intent.process(lang, r.text);
    const intent = got.intent && got.intent !== 'None' ? got.intent : 'out_of_scope';
    const row = { intent, category: '', department: '' };
    if (intent === 'complaint.file') {
      const c = await managers.category.process(lang, r.text);
      const d = await managers.department.process(lang, r.text);
      row.category = c.intent && c.intent !== 'None' ? c.intent : '';
      row.department = d.intent && d.intent !== 'None' ? d.intent : '';
    }
    out.push(row);
  }
  // how long understanding took, training left out, for the throughput row
  console.error(`NLPJS_SECONDS ${Number(process.hrtime.bigint() - started) / 1e9}`);
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

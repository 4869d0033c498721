// Opens every page of the ClearML web UI against a seeded server, then clicks through its edit flows (flows.mjs), and
// fails on any API error, page error, missing content or unexpected server state.
// Usage: node walk.mjs <base url> <user> <password> <screenshot dir>
import { createRequire } from 'node:module';
import { runFlows } from './flows.mjs';
const require = createRequire(process.env.PUPPETEER_DIR ? process.env.PUPPETEER_DIR + '/' : import.meta.url);
const puppeteer = require('puppeteer-core');
const [base, user, password, shots] = process.argv.slice(2);

const api = async (endpoint, body, cookie) => {
  const response = await fetch(`${base}/api/v999.0/${endpoint}`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (answer.meta?.result_code !== 200) throw new Error(`${endpoint}: ${answer.meta?.result_msg}`);
  return answer.data;
};

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
const failures = [];
const calls = new Set();
const answers = new Map();  // endpoint -> data of its last answer
page.on('response', async response => {
  const url = response.url();
  if (!url.startsWith(base + '/api/')) return;
  const name = url.replace(/.*\/api\/v[\d.]+\//, '').split('?')[0];
  calls.add(name);
  let code = 200;
  try {
    const answer = await response.json();
    code = answer.meta?.result_code ?? 200;
    answers.set(name, answer.data);
  } catch { /* a download */ }
  if (response.status() !== 200 || code !== 200) failures.push(`${name} answered ${response.status()} / ${code}`);
});
const visited = new Set();  // distinct paths the UI showed, in-app navigations included
page.on('framenavigated', frame => frame === page.mainFrame() && visited.add(new URL(frame.url()).pathname));
page.on('pageerror', error => failures.push(`page error: ${error.message.split('\n')[0]}`));

await page.goto(base + '/', { waitUntil: 'networkidle2' });
await page.waitForSelector('input[formcontrolname=name]', { timeout: 30000 });
await page.type('input[formcontrolname=name]', user);
await page.type('input[formcontrolname=password]', password);
await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle2' }).catch(() => {}), page.keyboard.press('Enter')]);
const cookie = (await page.cookies()).map(c => `${c.name}=${c.value}`).join('; ');

const [project] = (await api('projects.get_all_ex', { name: '^UI Demo$' }, cookie)).projects;
const tasks = (await api('tasks.get_all_ex', { project: [project.id], name: '^train resnet', order_by: ['name'], only_fields: ['name', 'models'] }, cookie)).tasks;
const task = tasks[0].id;
const model = tasks[0].models.output[0].model.id;  // get_all_ex expands the model reference
const compare = `/projects/${project.id}/compare-tasks;ids=${tasks.map(t => t.id).join(',')}`;
const experiment = `/projects/${project.id}/tasks/${task}`;

// Each page and what must be on it once it has rendered.
const pages = [
  ['dashboard', '/dashboard', 'UI Demo'],
  ['projects', '/projects', 'UI Demo'],
  ['experiments', `/projects/${project.id}/tasks`, 'train resnet v2'],
  ['execution', `${experiment}/execution`, 'UNCOMMITTED CHANGES'],
  ['hyper-parameters', `${experiment}/hyper-params/hyper-param/Args`, 'epochs'],
  ['configuration', `${experiment}/hyper-params/configuration/model%20config`, 'optimizer'],
  ['artifacts', `${experiment}/artifacts/other/stats/preview`, 'stats'],
  ['info', `${experiment}/general`, 'train resnet'],
  ['console', `${experiment}/info-output/log`, 'hello from the training script'],
  ['scalars', `${experiment}/info-output/metrics/scalar`, 'accuracy'],
  ['plots', `${experiment}/info-output/metrics/plots`, 'confusion'],
  ['debug-samples', `${experiment}/info-output/debugImages`, 'batch0'],
  ['models', `/projects/${project.id}/models`, 'resnet weights'],
  ['model', `/projects/${project.id}/models/${model}/general`, 'PyTorch'],
  ['compare-details', `${compare}/details`, 'ARTIFACTS'],
  ['compare-scalars', `${compare}/scalars/graph`, 'loss'],
  ['compare-plots', `${compare}/metrics-plots`, 'confusion'],
  ['workers-and-queues', '/workers-and-queues/queues', 'default'],
];
for (const [name, path, expected] of pages) {
  await page.goto(base + path, { waitUntil: 'networkidle2', timeout: 60000 });
  await page.waitForFunction(text => document.body.innerText.includes(text), { timeout: 15000 }, expected)
    .catch(() => failures.push(`${name}: "${expected}" not shown`));
  if (name === 'debug-samples') {
    const loaded = await page.waitForFunction(() => [...document.images].some(i => i.src.includes('/files/') && i.naturalWidth > 0), { timeout: 10000 })
      .then(() => true, () => false);
    if (!loaded) failures.push('debug-samples: the image did not load from /files');
  }
  await page.screenshot({ path: `${shots}/${name}.png` });
  console.log(`ok   ${name}`);
}

let actions = 0;
const act = async (name, action) => {
  try {
    await action();
    actions++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures.push(`${name}: ${error.message.split('\n')[0]}`);
    console.log(`FAIL ${name}`);
  }
  await page.screenshot({ path: `${shots}/flow-${name}.png` });
};
await runFlows({ page, api: (endpoint, body) => api(endpoint, body, cookie), base, act, answers });
await browser.close();
console.log(`API endpoints called: ${calls.size} (${[...calls].sort().join(' ')})`);
console.log(`pages visited: ${visited.size}, actions performed: ${actions}, API endpoints called: ${calls.size}`);
if (failures.length) {
  console.log('FAILED:\n' + [...new Set(failures)].join('\n'));
  process.exit(1);
}
console.log('browser test passed');

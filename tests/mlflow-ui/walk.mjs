// Opens MLflow's own UI (served by this server under /mlflow/) with the browser's Basic sign-in and visits the
// experiments, a run (overview, metric charts, artifacts with a file shown), a metric page, a run comparison and the
// models; fails on any call the page makes under /mlflow/ that is not 2xx, any page error, or a page missing its text.
// Usage: node walk.mjs <base url> <user> <password> <ids.json> <screenshot dir>     (PUPPETEER_DIR: where puppeteer-core is)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(process.env.PUPPETEER_DIR ? process.env.PUPPETEER_DIR + '/' : import.meta.url);
const puppeteer = require('puppeteer-core');
const [base, user, password, idsFile, shots] = process.argv.slice(2);
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
const ui = `${base}/mlflow/`;

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
await page.authenticate({ username: user, password });
const failures = [];
const calls = new Set();
let current = 'start';
page.on('response', response => {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/mlflow/') || url.pathname.startsWith('/mlflow/static-files/')) return;
  const call = `${response.request().method()} ${url.pathname.replace(/[0-9a-f]{32}/g, '{id}')}`;
  calls.add(call);
  if (response.status() < 200 || response.status() > 299) failures.push(`${current}: ${call}${url.search} answered ${response.status()}`);
});
page.on('requestfailed', request => {
  if (new URL(request.url()).pathname.startsWith('/mlflow/')) failures.push(`${current}: ${request.url()} failed: ${request.failure()?.errorText}`);
});
page.on('pageerror', error => failures.push(`${current}: page error: ${error.message.split('\n')[0]}`));

const runs = encodeURIComponent(JSON.stringify([ids.live, ids.failed]));
const experiments = encodeURIComponent(JSON.stringify([ids.experiment_id]));
// Each page (a hash route of the UI) and a text it must show once rendered.
const pages = [
  ['home', '', 'mlflow-live'],
  ['experiment', `#/experiments/${ids.experiment_id}`, 'live-run'],
  ['experiment-charts', `#/experiments/${ids.experiment_id}?compareRunsMode=CHART`, 'loss'],
  ['run', `#/experiments/${ids.experiment_id}/runs/${ids.live}`, 'live-run'],
  ['run-metrics', `#/experiments/${ids.experiment_id}/runs/${ids.live}/model-metrics`, 'loss'],
  ['run-artifacts', `#/experiments/${ids.experiment_id}/runs/${ids.live}/artifacts`, 'model'],
  ['run-artifact-file', `#/experiments/${ids.experiment_id}/runs/${ids.live}/artifacts/model/MLmodel`, 'live_weights'],
  ['metric', `#/metric?runs=${encodeURIComponent(JSON.stringify([ids.live]))}&metric=${encodeURIComponent('"loss"')}&experiments=${experiments}` +
    `&plot_metric_keys=${encodeURIComponent('["loss"]')}&plot_layout={}&x_axis=step&y_axis_scale=linear&line_smoothness=1&show_point=false` +
    `&deselected_curves=[]&last_linear_y_axis_range=[]`, 'live-run'],
  ['compare-runs', `#/compare-runs?runs=${runs}&experiments=${experiments}`, 'loss'],
  ['models', '#/models', ids.model],
  ['model', `#/models/${ids.model}`, 'Version 2'],
  ['model-version', `#/models/${ids.model}/versions/1`, 'live-run'],
];
for (const [name, hash, text] of pages) {
  current = name;
  await page.goto(ui + hash, { waitUntil: 'networkidle0', timeout: 60000 }).catch(e => failures.push(`${name}: ${e.message}`));
  const shown = await page.waitForFunction(t => document.body.innerText.includes(t), { timeout: 20000 }, text).then(() => true, () => false);
  if (!shown) failures.push(`${name}: "${text}" not shown`);
  await new Promise(resolve => setTimeout(resolve, 1000));
  await page.screenshot({ path: `${shots}/${name}.png` });
  console.log(`${shown ? 'ok' : 'FAIL'}: ${name}`);
}
await browser.close();
console.log(`calls made: ${[...calls].sort().join(', ')}`);
for (const failure of failures) console.log(`FAIL: ${failure}`);
console.log(`=== MLflow UI walk: ${pages.length} pages, ${failures.length} failures ===`);
process.exit(failures.length === 0 ? 0 : 1);
